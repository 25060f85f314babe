// The oracle of the browser tests: for one scenario (a policy given as the example servers'
// command line, the page's origin, and a `fetch()`), says what a browser following the Fetch
// Standard must do with the answers this library produces.
//
// Input: one scenario per line, tab-separated `key=value` fields, values percent-encoded:
//   id=…  arg=… (each command-line token of the policy, in order, as examples/example_cli.hpp
//   parses them)  origin=…  method=…
//   header=name:value (repeatable, in order)  credentials=include|omit|same-origin
//   read=name (repeatable)  app_status=NNN (what the application answers; default 200)
// Output: one JSON object per line (see `answer` below for the fields).
//
// The library decides (`policy::evaluate`, `fetch::needs_cors_preflight`); this program only
// replays what the browser then checks on the headers the library chose.
// @see https://fetch.spec.whatwg.org/#cors-preflight-fetch-0
// @see https://fetch.spec.whatwg.org/#concept-cors-check
#include <cors/browser.hpp>
#include <cors/cors.hpp>

#include "example_cli.hpp"
#include "line_protocol.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

using line_protocol::json;

struct scenario {
  std::string id;
  std::vector<std::string> args;
  std::string origin;
  std::string method = "GET";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string credentials = "same-origin";
  std::vector<std::string> read;
  int app_status = 200;  // of the actual response
};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool iequal(std::string_view a, std::string_view b) { return lower(a) == lower(b); }

std::optional<int> to_int(std::string_view s) {
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
  return v;
}

/// "extract header list values": every line of `name`, split on commas, OWS trimmed.
std::vector<std::string> list_values(const cors::decision& d, std::string_view name) {
  std::vector<std::string> out;
  for (const auto& h : d.headers()) {
    if (!iequal(h.name(), name)) continue;
    std::string_view v = h.value;
    while (true) {
      const std::size_t comma = v.find(',');
      std::string_view item = v.substr(0, comma);
      while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
      while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
      out.emplace_back(item);
      if (comma == std::string_view::npos) break;
      v.remove_prefix(comma + 1);
    }
  }
  return out;
}

/// "get" a header: every line combined with ", "; nullopt when absent.
std::optional<std::string> get(const cors::decision& d, std::string_view name) {
  std::optional<std::string> out;
  for (const auto& h : d.headers()) {
    if (!iequal(h.name(), name)) continue;
    if (out) {
      *out += ", ";
      *out += h.value;
    } else {
      out = std::string(h.value);
    }
  }
  return out;
}

bool contains(const std::vector<std::string>& list, std::string_view item, bool case_insensitive) {
  return std::any_of(list.begin(), list.end(),
                     [&](const std::string& s) { return case_insensitive ? iequal(s, item) : s == item; });
}

/// #concept-cors-check, on the headers the library chose.
bool cors_check(const cors::decision& d, std::string_view origin, bool include) {
  // 1-2. "Let origin be the result of getting `Access-Control-Allow-Origin`… If origin is null,
  // then return failure."
  const auto acao = get(d, "Access-Control-Allow-Origin");
  if (!acao) return false;
  // 3. "If request's credentials mode is not "include" and origin is `*`, then return success."
  if (!include && *acao == "*") return true;
  // 4. "If the result of byte-serializing a request origin with request is not origin, then
  // return failure."
  if (*acao != origin) return false;
  // 5. "If request's credentials mode is not "include", then return success."
  if (!include) return true;
  // 6-7. "Let credentials be the result of getting `Access-Control-Allow-Credentials`… If
  // credentials is `true`, then return success."
  return get(d, "Access-Control-Allow-Credentials") == std::optional<std::string>("true");
}

/// The response the browser receives for a decision: its status and the policy's header lines.
cors::browser::response as_received(const cors::decision& d, int status) {
  cors::browser::response r;
  r.status = status;
  for (const auto& h : d.headers()) r.headers.push_back({std::string(h.name()), std::string(h.value)});
  return r;
}

cors::request_view request(std::string_view method, const std::vector<cors::header_pair>& headers) {
  return cors::make_request_view(method, headers);
}

void answer(const scenario& s) {
  std::string out = "{\"id\":" + json(s.id);
  // The servers' own command-line parser, so that the oracle and the servers build one policy.
  std::vector<std::string> argv_storage{"oracle"};
  argv_storage.insert(argv_storage.end(), s.args.begin(), s.args.end());
  std::vector<char*> argv;
  for (std::string& a : argv_storage) argv.push_back(a.data());
  const auto opts = example::parse_command_line(static_cast<int>(argv.size()), argv.data());
  if (!opts) {
    std::cout << out << ",\"valid\":false}" << std::endl;
    return;
  }
  const cors::config& cfg = opts->config;
  out += ",\"valid\":true";
  const cors::policy policy{cfg};
  const bool include = s.credentials == "include";
  // #concept-method-normalize: what fetch() puts on the wire.
  const std::string method{cors::fetch::normalize_method(s.method)};

  // #cors-unsafe-request-header-names, as the browser computes them for the preflight.
  std::vector<cors::fetch::header> author;
  for (const auto& [n, v] : s.headers) author.push_back({n, v});
  const bool preflight = cors::fetch::needs_cors_preflight(method, author);
  std::vector<std::string> unsafe;
  {
    std::size_t safelisted_size = 0;
    std::vector<std::string> potentially_unsafe;
    for (const auto& h : author) {
      if (cors::fetch::is_forbidden_request_header(h.name, h.value)) continue;
      if (!cors::fetch::is_cors_safelisted_request_header(h.name, h.value)) {
        unsafe.push_back(lower(h.name));
      } else {
        potentially_unsafe.push_back(lower(h.name));
        safelisted_size += h.value.size();
      }
    }
    if (safelisted_size > cors::fetch::cors_safelisted_total_value_limit) {
      unsafe.insert(unsafe.end(), potentially_unsafe.begin(), potentially_unsafe.end());
    }
    // "convert header names to a sorted-lowercase set"
    std::sort(unsafe.begin(), unsafe.end());
    unsafe.erase(std::unique(unsafe.begin(), unsafe.end()), unsafe.end());
  }
  std::string acrh;
  for (const std::string& n : unsafe) acrh += (acrh.empty() ? "" : ",") + n;

  out += ",\"preflight\":" + std::string(preflight ? "true" : "false");
  out += ",\"request_headers\":" + json(acrh);
  // The browser model (cors/browser.hpp) judges the same answers; run.js compares its verdict
  // with the browser's.
  cors::browser::fetch_request model_request{s.origin, s.method, {}, cors::browser::credentials_mode::same_origin};
  for (const auto& [n, v] : s.headers) model_request.headers.push_back({n, v});
  if (s.credentials == "include") model_request.credentials = cors::browser::credentials_mode::include;
  if (s.credentials == "omit") model_request.credentials = cors::browser::credentials_mode::omit;
  const cors::browser::request_plan model_plan = cors::browser::plan(model_request);
  std::optional<cors::browser::verdict> model_verdict;
  bool preflight_ok = true;
  std::optional<long> max_age;
  std::vector<std::string> methods, header_names;
  if (preflight) {
    std::vector<cors::header_pair> ph{{"Origin", s.origin}, {"Access-Control-Request-Method", method}};
    if (!acrh.empty()) ph.push_back({"Access-Control-Request-Headers", acrh});
    const cors::decision d = policy.evaluate(request("OPTIONS", ph));
    // A preflight handed to the example application (`--passthrough`) gets its usual answer, `200 ok`
    // (the scenarios' paths are none of its special routes).
    const int status = d.next_action() == cors::action::respond ? d.status() : 200;
    out += ",\"preflight_reason\":" + json(cors::to_string(d.why()));
    out += ",\"preflight_status\":" + std::to_string(status);
    if (model_plan.preflight) model_verdict = cors::browser::check_preflight(model_plan, as_received(d, status));
    // #cors-preflight-fetch-0 step 7: "If a CORS check for request and response returns success
    // and response's status is an ok status".
    preflight_ok = status >= 200 && status <= 299 && cors_check(d, s.origin, include);
    methods = list_values(d, "Access-Control-Allow-Methods");
    header_names = list_values(d, "Access-Control-Allow-Headers");
    // 7.5: "If request's method is not in methods, request's method is not a CORS-safelisted
    // method, and request's credentials mode is "include" or methods does not contain `*`, then
    // return a network error."
    if (preflight_ok && !contains(methods, method, false) && !cors::fetch::is_cors_safelisted_method(method) &&
        (include || !contains(methods, "*", false))) {
      preflight_ok = false;
    }
    // 7.7: "If one of request's header list's names is a CORS non-wildcard request-header name and
    // is not a byte-case-insensitive match for an item in headerNames, then return a network error."
    for (const auto& h : author) {
      if (preflight_ok && cors::fetch::is_cors_non_wildcard_request_header_name(h.name) &&
          !contains(header_names, h.name, true)) {
        preflight_ok = false;
      }
    }
    // 7.8: "For each unsafeName in the CORS-unsafe request-header names … if unsafeName is not a
    // byte-case-insensitive match for an item in headerNames and, if request's credentials mode is
    // "include" or headerNames does not contain `*`, return a network error."
    for (const std::string& n : unsafe) {
      if (preflight_ok && !contains(header_names, n, true) && (include || !contains(header_names, "*", false))) {
        preflight_ok = false;
      }
    }
    // 7.9-7.10: max-age; "If max-age is failure or null, then set max-age to 5."
    if (const auto v = get(d, "Access-Control-Max-Age")) {
      const auto n = to_int(*v);
      if (n && *n >= 0) max_age = *n;
    }
    out += ",\"preflight_ok\":" + std::string(preflight_ok ? "true" : "false");
    out += ",\"max_age\":" + (max_age ? std::to_string(*max_age) : std::string("null"));
  }

  // The same fetch again right away: served from the CORS-preflight cache when the first
  // preflight succeeded, its max-age (5 when absent) has not run out, and there is a method cache
  // entry (or a safelisted method) and a header-name cache entry for every unsafe name
  // (#concept-cache-match-method, #concept-cache-match-header; `*` never matches Authorization).
  bool repeat = preflight;
  if (preflight && preflight_ok && max_age.value_or(5) > 0) {
    const bool method_cached = cors::fetch::is_cors_safelisted_method(method) || contains(methods, method, false) ||
                               (!include && contains(methods, "*", false));
    bool headers_cached = true;
    for (const std::string& n : unsafe) {
      headers_cached = headers_cached &&
                       (contains(header_names, n, true) || (!include && contains(header_names, "*", false) &&
                                                            !cors::fetch::is_cors_non_wildcard_request_header_name(n)));
    }
    repeat = !(method_cached && headers_cached);
  }
  out += ",\"repeat_preflight\":" + std::string(repeat ? "true" : "false");

  bool ok = preflight_ok;
  out += ",\"actual_sent\":" + std::string(preflight_ok ? "true" : "false");
  if (preflight_ok) {
    const cors::decision d = policy.evaluate(request(method, {{"Origin", s.origin}}));
    out += ",\"actual_reason\":" + json(cors::to_string(d.why()));
    const int status = d.next_action() == cors::action::respond ? d.status() : s.app_status;
    // #http-fetch: "the CORS check is not to be applied to responses whose status is 304 or 407".
    ok = cors_check(d, s.origin, include);
    if (!model_verdict || model_verdict->accepted())
      model_verdict = cors::browser::check_actual(model_plan, as_received(d, status));
    out += ",\"status\":" + std::to_string(status);
    out += ",\"vary\":" + json(get(d, "Vary").value_or(""));
    // #main-fetch step 14.1 and #concept-filtered-response-cors: safelisted response-header
    // names, plus the exposed ones; `*` means all only when credentials mode is not "include";
    // forbidden response-header names (`Set-Cookie`) never.
    const auto exposed = list_values(d, "Access-Control-Expose-Headers");
    out += ",\"readable\":{";
    for (std::size_t i = 0; i < s.read.size(); ++i) {
      const std::string& n = s.read[i];
      const bool readable = ok && !cors::fetch::is_forbidden_response_header_name(n) &&
                            (cors::fetch::is_cors_safelisted_response_header_name(n) || contains(exposed, n, true) ||
                             (!include && contains(exposed, "*", false)));
      out += (i ? "," : "") + json(n) + ":" + (readable ? "true" : "false");
    }
    out += "}";
  }
  if (model_plan.preflight != preflight) {
    out += ",\"model_error\":\"the browser model and fetch::needs_cors_preflight disagree\"";
  }
  if (model_verdict) {
    out += ",\"model_ok\":" + std::string(model_verdict->accepted() ? "true" : "false");
    out += ",\"model_step\":" + json(cors::browser::to_string(model_verdict->failed));
  }
  out += ",\"ok\":" + std::string(ok ? "true" : "false") + "}";
  std::cout << out << std::endl;
}

}  // namespace

int main() {
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.empty()) continue;
    scenario s;
    line_protocol::for_each_field(line, [&s](std::string_view key, const std::string& value) {
      if (key == "id") s.id = value;
      if (key == "arg") s.args.push_back(value);
      if (key == "origin") s.origin = value;
      if (key == "method") s.method = value;
      if (key == "credentials") s.credentials = value;
      if (key == "read") s.read.push_back(value);
      if (key == "app_status") s.app_status = to_int(value).value_or(200);
      if (key == "header") s.headers.push_back(line_protocol::split_header(value));
    });
    answer(s);
  }
  return 0;
}
