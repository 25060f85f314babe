// Helpers for the security regression suite: evaluate a request against a policy and check every
// invariant of SECURITY.md (tests/fuzz/invariants.hpp) on the way.
#ifndef CORS_TESTS_SECURITY_SUPPORT_HPP
#define CORS_TESTS_SECURITY_SUPPORT_HPP

#include <cors/policy.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "../fuzz/invariants.hpp"
#include "../fuzz/policies.hpp"
#include "catch.hpp"

namespace sec {

/// The fixed policies of the fuzzers, by name: credentials, any, null, refuse, pna.
inline const fixed::entry& policy(std::string_view name) {
  static const std::vector<fixed::entry> all = fixed::make();
  for (const fixed::entry& e : all) {
    if (name == e.name) return e;
  }
  FAIL("no fixed policy named " << name);
  return all.front();
}

/// A reference model for a policy built from `c`.
inline ref::model model_of(const cors::config& c) { return ref::model_of(c); }

/// Evaluates `r` and checks every invariant before returning the decision.
inline cors::decision decide(const cors::policy& p, const ref::model& m, const inv::raw_request& r) {
  const cors::decision d = p.evaluate(r.view());
  const std::string broken = inv::violation(m, r, d);
  INFO("invariant: " << broken);
  CHECK(broken.empty());
  return d;
}
inline cors::decision decide(const fixed::entry& e, const inv::raw_request& r) { return decide(e.policy, e.model, r); }

inline inv::raw_request get(std::string_view origin) { return {"GET", {{"Origin", origin}}}; }
inline inv::raw_request preflight(std::string_view origin, std::string_view method, std::string_view acrh = {}) {
  inv::raw_request r{"OPTIONS", {{"Origin", origin}, {"Access-Control-Request-Method", method}}};
  if (!acrh.empty()) r.lines.push_back({"Access-Control-Request-Headers", acrh});
  return r;
}

/// True when any Access-Control-* header is present.
inline bool grants_anything(const cors::decision& d) {
  for (const cors::response_header h : d.headers()) {
    if (h.name().substr(0, 15) == "Access-Control-") return true;
  }
  return false;
}

/// Does `c` fail to build with an error of this code?
inline bool refused_with(const cors::config& c, cors::config_error_code code) {
  for (const cors::config_error& e : cors::validate(c)) {
    if (e.code == code) return true;
  }
  return false;
}

}  // namespace sec

#endif  // CORS_TESTS_SECURITY_SUPPORT_HPP
