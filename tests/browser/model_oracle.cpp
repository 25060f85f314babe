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

#include <cstdio>
#include <iostream>
#include <string>
#include <string_view>

namespace {

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string json(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

}  // namespace

int main() {
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.empty()) continue;
    std::string id;
    std::string preflight_head;
    std::string actual_head;
    cors::browser::fetch_request request;
    std::size_t pos = 0;
    while (pos <= line.size()) {
      std::size_t tab = line.find('\t', pos);
      if (tab == std::string::npos) tab = line.size();
      const std::string_view field = std::string_view(line).substr(pos, tab - pos);
      pos = tab + 1;
      const std::size_t eq = field.find('=');
      if (eq == std::string_view::npos) continue;
      const std::string_view key = field.substr(0, eq);
      const std::string value = percent_decode(field.substr(eq + 1));
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
        const std::size_t colon = value.find(':');
        request.headers.push_back({value.substr(0, colon), colon == std::string::npos ? "" : value.substr(colon + 1)});
      }
    }
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
