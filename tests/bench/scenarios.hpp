// The benchmark scenarios, defined once: each is a policy, a request (owned here, so every adapter
// can build its framework's request from it) and the decision expected for it. `cors_bench` times
// them; `scenarios_test.cpp` checks each decision (and that evaluate() allocates nothing), so the
// benchmark is known to measure what its name says.
#ifndef CORS_TESTS_BENCH_SCENARIOS_HPP
#define CORS_TESTS_BENCH_SCENARIOS_HPP

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <cors/cors.hpp>

namespace cors_bench {

/// A request as an HTTP server would have parsed it.
struct request {
  std::string method;
  std::vector<std::pair<std::string, std::string>> headers;

  [[nodiscard]] cors::request_view view() const noexcept {
    cors::request_view v{};
    v.method = method;
    for (const auto& [name, value] : headers) v.add_header(name, value);
    return v;
  }
};

/// One benchmark scenario: `evaluate/<name>`, `beast/<name>`, `httplib/<name>`.
struct scenario {
  std::string name;
  cors::policy policy;
  request req;
  // The expected decision.
  cors::request_kind kind;
  cors::reason why;
  bool allowed;
  std::string allow_origin;  // expected `Access-Control-Allow-Origin`; empty: absent
};

inline constexpr std::size_t exact_origin_count = 10'000;
inline constexpr std::size_t wildcard_origin_count = 1'000;

/// A typical API: two exact origins with credentials, a few methods and request headers.
inline cors::config typical_config() {
  cors::config c;
  c.origins = {"https://app.example.com", "https://admin.example.com"};
  c.credentials = true;
  c.methods = {"PUT", "DELETE", "PATCH"};
  c.request_headers = {"content-type", "x-a", "x-b", "x-c", "x-d"};
  c.exposed_headers = {"x-request-id"};
  c.max_age = std::chrono::seconds(600);
  return c;
}

/// `typical_config()` with 10 000 exact origins `https://origin{i}.example.com`.
inline cors::config exact_origins_config() {
  cors::config c = typical_config();
  c.origins.clear();
  for (std::size_t i = 0; i < exact_origin_count; ++i) {
    c.origins.push_back("https://origin" + std::to_string(i) + ".example.com");
  }
  return c;
}

/// `typical_config()` with 1 000 wildcard patterns `https://*.example{i}.com`.
inline cors::config wildcard_origins_config() {
  cors::config c = typical_config();
  c.origins.clear();
  for (std::size_t i = 0; i < wildcard_origin_count; ++i) {
    c.origins.push_back("https://*.example" + std::to_string(i) + ".com");
  }
  return c;
}

inline cors::config allow_all_config() {
  cors::config c;
  c.origins = {"*"};
  return c;
}

inline request get(std::string origin) {
  request r{"GET", {{"Host", "api.example.com"}, {"Accept", "application/json"}}};
  if (!origin.empty()) r.headers.emplace_back("Origin", std::move(origin));
  return r;
}

inline request preflight(std::string origin, std::string method, std::string request_headers) {
  return request{"OPTIONS",
                 {{"Host", "api.example.com"},
                  {"Accept", "*/*"},
                  {"Origin", std::move(origin)},
                  {"Access-Control-Request-Method", std::move(method)},
                  {"Access-Control-Request-Headers", std::move(request_headers)}}};
}

inline std::string repeat(std::string_view unit, std::size_t times) {
  std::string s;
  s.reserve(unit.size() * times);
  for (std::size_t i = 0; i < times; ++i) s += unit;
  return s;
}

/// All scenarios, in benchmark order. Builds the 10 000- and 1 000-origin policies: a few ms.
inline std::vector<scenario> make_scenarios() {
  using cors::reason;
  using cors::request_kind;
  const cors::policy typical{typical_config()};
  const std::string app = "https://app.example.com";
  const std::string evil = "https://evil.example.net";
  std::vector<scenario> s;
  s.push_back({"a_no_origin", typical, get(""), request_kind::not_cors, reason::not_cors, true, ""});
  s.push_back({"b_actual_allowed", typical, get(app), request_kind::actual, reason::allowed, true, app});
  s.push_back({"c_actual_disallowed", typical, get(evil), request_kind::actual, reason::origin_not_allowed, false, ""});
  s.push_back({"d_preflight_1_header", typical, preflight(app, "PUT", "content-type"), request_kind::preflight,
               reason::allowed, true, app});
  s.push_back({"e_preflight_5_headers", typical, preflight(app, "PUT", "content-type,x-a,x-b,x-c,x-d"),
               request_kind::preflight, reason::allowed, true, app});
  s.push_back({"f_preflight_denied", typical, preflight(evil, "PUT", "content-type"), request_kind::preflight,
               reason::origin_not_allowed, false, ""});
  const std::string near_end = "https://origin" + std::to_string(exact_origin_count - 2) + ".example.com";
  s.push_back({"g_10k_exact_origins", cors::policy{exact_origins_config()}, get(near_end), request_kind::actual,
               reason::allowed, true, near_end});
  const std::string sub = "https://api.example" + std::to_string(wildcard_origin_count - 2) + ".com";
  s.push_back({"h_1k_wildcard_origins", cors::policy{wildcard_origins_config()}, get(sub), request_kind::actual,
               reason::allowed, true, sub});
  // 1 MiB of commas, and 262 144 four-byte tokens (`x-a,` …): both far beyond the default max_request_headers_bytes.
  s.push_back({"i1_acrh_1mib_commas", typical, preflight(app, "PUT", std::string(1u << 20, ',')),
               request_kind::preflight, reason::headers_too_large, false, ""});
  s.push_back({"i2_acrh_262k_tokens", typical, preflight(app, "PUT", repeat("x-a,", 1u << 18)), request_kind::preflight,
               reason::headers_too_large, false, ""});
  s.push_back(
      {"j_allow_all", cors::policy{allow_all_config()}, get(app), request_kind::actual, reason::allowed, true, "*"});
  return s;
}

}  // namespace cors_bench

#endif  // CORS_TESTS_BENCH_SCENARIOS_HPP
