// The decision matrix as data: {config, request, expected kind, reason, action, status, exact
// headers}. Shared by decision_matrix_test.cpp (checks every row) and alloc_test.cpp (counts the
// allocations of evaluating every row).
#ifndef CORS_TESTS_DECISION_MATRIX_HPP
#define CORS_TESTS_DECISION_MATRIX_HPP

#include <cors/policy.hpp>

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "policy_for.hpp"

namespace matrix {

struct header {
  std::string name;
  std::string value;
};
using headers = std::vector<header>;

struct request {
  std::string method;
  headers lines;  // request header lines, in order

  [[nodiscard]] cors::request_view view() const noexcept {
    cors::request_view v{};
    v.method = method;
    for (const header& h : lines) v.add_header(h.name, h.value);
    return v;
  }
};

struct expectation {
  cors::request_kind kind;
  cors::reason why;
  int status;  // 0: forward to the application
  headers response;
  std::string detail = {};
};

struct row {
  std::string name;
  std::string config;
  request req;
  expectation expect;
};

inline const std::string pf_vary = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";
inline const std::string pf_vary_pna = pf_vary + ", Access-Control-Request-Private-Network";

/// The configurations the rows refer to by name.
inline const std::map<std::string, cors::policy>& policies() {
  static const std::map<std::string, cors::policy> all = [] {
    std::map<std::string, cors::policy> m;
    auto add = [&m](const std::string& name, cors::config c) { m.emplace(name, testing::policy_for(c)); };
    cors::config basic;
    basic.origins = {"https://app.example.com", "https://*.example.org", "http://localhost:*"};
    basic.methods = {"GET", "POST", "PUT", "DELETE"};
    basic.request_headers = {"Content-Type", "X-Request-Id"};
    basic.exposed_headers = {"X-Total-Count"};
    basic.credentials = true;
    basic.max_age = std::chrono::seconds{600};
    add("basic", basic);

    cors::config any;
    any.origins = {"*"};
    any.methods = {"PUT"};
    any.request_headers = {"X-A"};
    add("any", any);

    cors::config any_all;
    any_all.origins = {"*"};
    any_all.methods = {"*"};
    any_all.request_headers = {"*"};
    any_all.exposed_headers = {"*"};
    add("any_all", any_all);

    cors::config any_auth = any_all;
    any_auth.request_headers = {"*", "Authorization"};
    any_auth.exposed_headers = {};
    add("any_auth", any_auth);

    cors::config creds_star;
    creds_star.origins = {"https://app.example.com"};
    creds_star.credentials = true;
    creds_star.methods = {"*"};
    creds_star.request_headers = {"*"};
    add("creds_star", creds_star);

    cors::config creds_star_auth = creds_star;
    creds_star_auth.request_headers = {"*", "authorization"};
    add("creds_star_auth", creds_star_auth);

    cors::config simple;
    simple.origins = {"https://app.example.com"};
    add("simple", simple);

    cors::config small_acrh = simple;
    small_acrh.methods = {"PUT"};
    small_acrh.request_headers = {"X-Request-Id"};
    small_acrh.max_request_headers_bytes = 256;
    add("small_acrh", small_acrh);

    cors::config pna = simple;
    pna.private_network = true;
    add("pna", pna);

    cors::config status200 = simple;
    status200.preflight_status = 200;
    status200.methods = {"PUT"};
    add("status200", status200);

    cors::config passthrough = simple;
    passthrough.preflight_passthrough = true;
    passthrough.methods = {"PUT"};
    add("passthrough", passthrough);

    cors::config refuse = simple;
    refuse.refuse_disallowed_requests = true;
    refuse.server_origins = {"https://api.example.com"};
    add("refuse", refuse);

    cors::config null_ok;
    null_ok.origins = {"null"};
    null_ok.dangerously_allow_null_origin = true;
    add("null_ok", null_ok);

    cors::config hosts;
    hosts.origins = {"http://[::1]:3000", "http://127.0.0.1:8080", "https://foo.com", "https://bar.com"};
    add("hosts", hosts);

    cors::config methods;
    methods.origins = {"https://app.example.com"};
    methods.methods = {"patch", "delete", "PURGE"};
    add("methods", methods);

    cors::config max0 = simple;
    max0.max_age = std::chrono::seconds{0};
    max0.methods = {"PUT"};
    add("max0", max0);

    cors::config ports;
    ports.origins = {"https://*.example.com:8443", "https://*.example.net:*"};
    add("ports", ports);
    return m;
  }();
  return all;
}

namespace h {
inline header acao(std::string v) { return {"Access-Control-Allow-Origin", std::move(v)}; }
inline header acac() { return {"Access-Control-Allow-Credentials", "true"}; }
inline header acam(std::string v) { return {"Access-Control-Allow-Methods", std::move(v)}; }
inline header acah(std::string v) { return {"Access-Control-Allow-Headers", std::move(v)}; }
inline header aceh(std::string v) { return {"Access-Control-Expose-Headers", std::move(v)}; }
inline header acma(std::string v) { return {"Access-Control-Max-Age", std::move(v)}; }
inline header acapn() { return {"Access-Control-Allow-Private-Network", "true"}; }
inline header vary(std::string v) { return {"Vary", std::move(v)}; }
inline header vary_origin() { return vary("Origin"); }
inline header vary_pf() { return vary(pf_vary); }
}  // namespace h

// Request builders.
inline request get(std::string origin) { return {"GET", {{"Origin", std::move(origin)}}}; }
inline request req(std::string method, headers lines) { return {std::move(method), std::move(lines)}; }
inline request pf(std::string origin, std::string method, std::string acrh = "") {
  request r{"OPTIONS", {{"Origin", std::move(origin)}, {"Access-Control-Request-Method", std::move(method)}}};
  if (!acrh.empty()) r.lines.push_back({"Access-Control-Request-Headers", std::move(acrh)});
  return r;
}

std::vector<row> make_rows();

inline const std::vector<row>& rows() {
  static const std::vector<row> all = make_rows();
  return all;
}

}  // namespace matrix

#endif  // CORS_TESTS_DECISION_MATRIX_HPP
