// The fixed policies the request fuzzer and the concurrency test evaluate against, each paired
// with its reference model (reference.hpp).
#ifndef CORS_TESTS_FUZZ_POLICIES_HPP
#define CORS_TESTS_FUZZ_POLICIES_HPP

#include <cors/policy.hpp>

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "../policy_for.hpp"
#include "reference.hpp"

namespace ref {

/// Fetch's method normalization, written plainly (#concept-method-normalize).
inline std::string normalize_method(const std::string& m) {
  std::string up = m;
  for (char& c : up) c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
  for (const char* n : {"DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"}) {
    if (up == n) return up;
  }
  return m;
}

/// The reference model of a policy built from `c` (origins, credentials, methods, headers, flags).
inline model model_of(const cors::config& c) {
  model m;
  m.origins = c.origins;
  m.credentials = c.credentials;
  m.private_network = c.private_network;
  m.passthrough = c.preflight_passthrough;
  m.refuse = c.refuse_disallowed_requests;
  m.preflight_status = c.preflight_status;
  m.server_origins = c.server_origins;
  for (const std::string& x : c.methods) {
    m.any_method = m.any_method || x == "*";
    m.methods.push_back(normalize_method(x));
  }
  for (const std::string& x : c.request_headers) {
    m.any_header = m.any_header || x == "*";
    m.headers.push_back(lowercase(x));
  }
  return m;
}

}  // namespace ref

namespace fixed {

/// The tenant rule of the predicate policy, written once for the library (over string_view, no
/// allocation) and once for the reference (over the reference's parse).
inline bool tenant_origin(std::string_view origin) noexcept {
  constexpr std::string_view prefix = "https://";
  constexpr std::string_view suffix = ".tenant.example";
  if (origin.substr(0, prefix.size()) != prefix) return false;
  const std::string_view host = origin.substr(prefix.size());
  return host.size() > suffix.size() && host.substr(host.size() - suffix.size()) == suffix;
}
inline bool tenant_reference(const ref::origin& o) {
  return o.scheme == "https" && o.port.empty() && o.is_domain && o.host.size() > 15 &&
         ref::ends_with(o.host, ".tenant.example");
}

struct entry {
  const char* name;
  cors::policy policy;
  ref::model model;
};

inline std::vector<entry> make() {
  std::vector<entry> out;

  {  // Exact, wildcard and any-port patterns, with credentials.
    cors::config c;
    c.origins = {"https://app.example.com", "https://*.example.org", "http://localhost:*", "https://*.example.net:8443",
                 "http://[::1]:3000",       "http://127.0.0.1:8080", "https://foo.com",    "https://bar.com",
                 "https://[2001:db8::1]:*"};
    c.methods = {"PUT", "patch", "delete"};
    c.request_headers = {"Content-Type", "X-Request-Id", "Authorization"};
    c.exposed_headers = {"X-Total-Count"};
    c.credentials = true;
    c.max_age = std::chrono::seconds{600};
    ref::model m;
    m.origins = c.origins;
    m.credentials = true;
    m.methods = {"PUT", "patch", "DELETE"};
    m.headers = {"content-type", "x-request-id", "authorization"};
    out.push_back({"credentials", testing::policy_for(c), m});
  }
  {  // `*` for everything, no credentials.
    cors::config c;
    c.origins = {"*"};
    c.methods = {"*"};
    c.request_headers = {"*"};
    c.exposed_headers = {"*"};
    ref::model m;
    m.origins = c.origins;
    m.any_method = m.any_header = true;
    out.push_back({"any", testing::policy_for(c), m});
  }
  {  // `null` allowed, credentials, `*` methods and headers (echoed).
    cors::config c;
    c.origins = {"null", "https://app.example.com"};
    c.dangerously_allow_null_origin = true;
    c.credentials = true;
    c.methods = {"*"};
    c.request_headers = {"*", "Authorization"};
    ref::model m;
    m.origins = c.origins;
    m.credentials = true;
    m.any_method = m.any_header = true;
    m.headers = {"authorization"};
    out.push_back({"null", testing::policy_for(c), m});
  }
  {  // Refuse mode with server origins and status 200.
    cors::config c;
    c.origins = {"https://app.example.com", "https://*.example.com:*"};
    c.refuse_disallowed_requests = true;
    c.server_origins = {"https://api.example.com"};
    c.preflight_status = 200;
    c.methods = {"PUT"};
    ref::model m;
    m.origins = c.origins;
    m.refuse = true;
    m.server_origins = c.server_origins;
    m.preflight_status = 200;
    m.methods = {"PUT"};
    out.push_back({"refuse", testing::policy_for(c), m});
  }
  {  // Private Network Access opt-in, passthrough, and an origin predicate.
    cors::config c;
    c.origins = {"http://intranet.example:8080", "https://*.corp.example"};
    c.private_network = true;
    c.preflight_passthrough = true;
    c.origin_predicate = tenant_origin;
    c.request_headers = {"X-Token"};
    ref::model m;
    m.origins = c.origins;
    m.private_network = true;
    m.passthrough = true;
    m.predicate = tenant_reference;
    m.headers = {"x-token"};
    out.push_back({"pna", testing::policy_for(c), m});
  }
  return out;
}

}  // namespace fixed

#endif  // CORS_TESTS_FUZZ_POLICIES_HPP
