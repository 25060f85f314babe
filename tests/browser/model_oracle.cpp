// The browser model (cors/browser.hpp) as a program, for tests/browser/model.js: for one fetch()
// and the exact response heads a server sends, what a Fetch-conforming browser sends and whether
// it accepts the responses, naming the failing step.
//
// Input: one case per line, tab-separated `key=value` fields, values percent-encoded:
//   id=…  origin=…  method=…  header=name:value (repeatable)  credentials=omit|same-origin|include
//   preflight=<raw response head>  actual=<raw response head>
// Output: one JSON object per line: id, type_error, preflight, acrm, acrh (null when not sent),
//   accepted, step, detail.
#include <cors/browser.hpp>

#include "line_protocol.hpp"

#include <iostream>
#include <string>
#include <string_view>
#include <utility>

using line_protocol::json;

int main() {
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.empty()) continue;
    std::string id;
    std::string preflight_head;
    std::string actual_head;
    cors::browser::fetch_request request;
    line_protocol::for_each_field(line, [&](std::string_view key, const std::string& value) {
      if (key == "id") id = value;
      if (key == "origin") request.origin = value;
      if (key == "method") request.method = value;
      if (key == "preflight") preflight_head = value;
      if (key == "actual") actual_head = value;
      if (key == "credentials") {
        request.credentials = value == "include" ? cors::browser::credentials_mode::include
                              : value == "omit"  ? cors::browser::credentials_mode::omit
                                                 : cors::browser::credentials_mode::same_origin;
      }
      if (key == "header") {
        auto [name, v] = line_protocol::split_header(value);
        request.headers.push_back({std::move(name), std::move(v)});
      }
    });
    const auto pre = cors::browser::response::parse(preflight_head);
    const auto act = cors::browser::response::parse(actual_head);
    if (!act || (!preflight_head.empty() && !pre)) {
      std::cout << "{\"id\":" << json(id) << ",\"error\":\"unparsable response head\"}" << std::endl;
      continue;
    }
    const auto e = cors::browser::run(request, pre.value_or(cors::browser::response{}), *act);
    std::string out = "{\"id\":" + json(id);
    out += ",\"type_error\":" + std::string(e.sent.type_error ? "true" : "false");
    out += ",\"preflight\":" + std::string(e.sent.preflight ? "true" : "false");
    out += ",\"acrm\":" + (e.sent.preflight ? json(e.sent.access_control_request_method) : std::string("null"));
    out += ",\"acrh\":" +
           (e.sent.access_control_request_headers ? json(*e.sent.access_control_request_headers) : std::string("null"));
    out += ",\"accepted\":" + std::string(e.accepted() ? "true" : "false");
    out += ",\"step\":" + json(cors::browser::to_string(e.failed()));
    const cors::browser::verdict* v = e.preflight && !e.preflight->accepted() ? &*e.preflight
                                      : e.actual                              ? &*e.actual
                                                                              : nullptr;
    out += ",\"detail\":" + json(v ? v->detail : e.sent.type_error_reason);
    out += "}";
    std::cout << out << std::endl;
  }
  return 0;
}
