// The security invariants every decision must satisfy, checked against the reference model of
// reference.hpp. Shared by the fuzzers, the security regression suite and the concurrency test.
// `violation(...)` returns an empty string when the decision is fine, else what is wrong.
#ifndef CORS_TESTS_FUZZ_INVARIANTS_HPP
#define CORS_TESTS_FUZZ_INVARIANTS_HPP

#include <cors/policy.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "reference.hpp"

namespace inv {

struct line {
  std::string_view name;
  std::string_view value;
};

/// A request as raw lines; `view()` offers every line to the library.
struct raw_request {
  std::string_view method;
  std::vector<line> lines;

  [[nodiscard]] cors::request_view view() const noexcept {
    cors::request_view v{};
    v.method = method;
    for (const line& l : lines) v.add_header(l.name, l.value);
    return v;
  }
  [[nodiscard]] std::vector<std::string> values(std::string_view name) const {
    std::vector<std::string> out;
    for (const line& l : lines) {
      if (ref::lowercase(l.name) == name) out.emplace_back(l.value);
    }
    return out;
  }
};

inline bool has_cr_lf_nul(std::string_view s) {
  for (char c : s) {
    if (c == '\r' || c == '\n' || c == '\0') return true;
  }
  return false;
}

inline bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

/// Every invariant of SECURITY.md, for one decision of the policy described by `m`.
inline std::string violation(const ref::model& m, const raw_request& r, const cors::decision& d) {
  const std::vector<std::string> origins = r.values("origin");
  const std::vector<std::string> acrm = r.values("access-control-request-method");
  const std::vector<std::string> acrh = r.values("access-control-request-headers");
  const std::vector<std::string> pna = r.values("access-control-request-private-network");
  const std::vector<std::string> sfs = r.values("sec-fetch-site");

  // Classification (#cors-request, #cors-preflight-request).
  const bool has_origin = !origins.empty();
  const bool preflight = has_origin && r.method == "OPTIONS" && !acrm.empty();
  const cors::request_kind kind = !has_origin ? cors::request_kind::not_cors
                                  : preflight ? cors::request_kind::preflight
                                              : cors::request_kind::actual;
  if (d.kind() != kind) return "wrong request kind";

  // Header hygiene: known names only, no CR/LF/NUL in any value, no repeated ACAO/ACAC.
  std::string_view acao, acac, acam, vary;
  bool any_allow = false, acapn = false, acma = false, acah = false;
  int n_acao = 0, n_acac = 0, n_vary = 0;
  for (const cors::response_header h : d.headers()) {
    if (has_cr_lf_nul(h.value) || has_cr_lf_nul(h.name())) return "CR, LF or NUL in a response header";
    if (h.value.empty()) return "empty response header value";
    if (h.name() == "Access-Control-Allow-Origin") {
      acao = h.value;
      ++n_acao;
    } else if (h.name() == "Access-Control-Allow-Credentials") {
      acac = h.value;
      ++n_acac;
    } else if (h.name() == "Access-Control-Allow-Methods") {
      acam = h.value;
    } else if (h.name() == "Access-Control-Allow-Headers") {
      acah = true;
    } else if (h.name() == "Access-Control-Allow-Private-Network") {
      acapn = true;
    } else if (h.name() == "Access-Control-Max-Age") {
      acma = true;
    } else if (h.name() == "Vary") {
      vary = h.value;
      ++n_vary;
    } else if (h.name() != "Access-Control-Expose-Headers") {
      return "unexpected response header";
    }
    if (h.name().substr(0, 21) == "Access-Control-Allow-") any_allow = true;
  }
  if (n_acao > 1 || n_acac > 1 || n_vary > 1) return "a header repeated";
  // Never `*` with credentials (#cors-protocol-and-credentials).
  if (acao == "*" && !acac.empty()) return "ACAO * together with ACAC";
  if (!acac.empty() && (acac != "true" || acao.empty())) return "ACAC without an echoed origin";
  if (acao == "*" && !m.constant_any()) return "ACAO * from a policy that is not `*` without credentials";

  const std::string origin = origins.empty() ? std::string() : ref::trim(origins.front());
  const ref::origin parsed = ref::parse(origin);
  const bool origin_ok = origins.size() == 1 && m.allows(parsed);
  if (!acao.empty() && acao != "*") {
    // Echoed origin: the request's Origin, trimmed of OWS, byte for byte, and allowed.
    if (acao != origin) return "echoed origin differs from the request's Origin";
    if (!origin_ok) return "ACAO for an origin the reference does not allow";
  }
  if (has_origin && !m.constant_any() &&
      origin_ok != (d.why() != cors::reason::origin_not_allowed && d.why() != cors::reason::origin_malformed &&
                    d.why() != cors::reason::origin_multiple && d.why() != cors::reason::origin_null_not_allowed &&
                    d.why() != cors::reason::same_origin)) {
    return "origin verdict differs from the reference";
  }
  // (A refused origin on a same-origin request reports `same_origin` instead of its syntax verdict.)
  if (has_origin && !m.constant_any() && origins.size() == 1 && d.why() != cors::reason::same_origin &&
      parsed.valid != (d.why() != cors::reason::origin_malformed)) {
    return "origin syntax verdict differs from the reference";
  }

  // Vary: every answer of an origin-dependent policy says so; preflight answers also depend on ACRM/ACRH.
  if (!m.constant_any() && !contains(vary, "Origin")) return "missing Vary: Origin";
  if (preflight &&
      !(contains(vary, "Access-Control-Request-Method") && contains(vary, "Access-Control-Request-Headers"))) {
    return "preflight without Vary on ACRM/ACRH";
  }
  if (preflight && m.private_network && !contains(vary, "Access-Control-Request-Private-Network")) {
    return "PNA preflight without Vary on ACRPN";
  }

  if (!preflight) {
    if (!acam.empty() || acah || acapn || acma) return "preflight-only header on a non-preflight";
    const bool allowed_reference = !has_origin || m.constant_any() || origin_ok;
    if (allowed_reference != (d.why() == cors::reason::allowed || d.why() == cors::reason::not_cors)) {
      return "actual-request verdict differs from the reference";
    }
    if (has_origin && !m.constant_any() && !origin_ok) {
      if (!acao.empty()) return "ACAO on a refused actual request";
      const bool same = (!origins.empty() &&
                         [&] {
                           for (const std::string& s : m.server_origins) {
                             if (s == origin) return true;
                           }
                           return false;
                         }()) ||
                        (sfs.size() == 1 && ref::trim(sfs[0]) == "same-origin");
      if (same != (d.why() == cors::reason::same_origin)) return "same-origin verdict differs";
      const bool refuse = m.refuse && !same;
      if (refuse != (d.next_action() == cors::action::respond) || (refuse && d.status() != 403)) {
        return "refused actual request: wrong action or status";
      }
    } else if (d.next_action() != cors::action::forward || d.status() != 0) {
      return "allowed actual request not forwarded";
    }
    if (has_origin && (origin_ok || m.constant_any()) && acao.empty()) return "allowed actual request without ACAO";
    return {};
  }

  // Preflight: the reference verdict on method and headers.
  bool ok = m.constant_any() || origin_ok;
  std::string method;
  if (ok) {
    ok = acrm.size() == 1;
    if (ok) {
      method = ref::trim(acrm[0]);
      ok = ref::token(method) && m.method_allowed(method);
    }
  }
  ok = ok && m.headers_allowed(acrh);
  if (ok != !d.refused()) return "preflight verdict differs from the reference";
  if (d.refused()) {
    // A rejected preflight carries no Access-Control-Allow-* (nothing of the policy leaks).
    if (any_allow || acma) return "Access-Control-Allow-* on a rejected preflight";
    if (m.passthrough ? d.next_action() != cors::action::forward
                      : (d.next_action() != cors::action::respond || d.status() != 403)) {
      return "rejected preflight: wrong action or status";
    }
    return {};
  }
  if (acao.empty()) return "allowed preflight without ACAO";
  if (m.credentials != !acac.empty()) return "ACAC does not follow the credentials setting";
  // With credentials `*` is no wildcard: it may only appear as the echo of a method or header
  // literally named `*` (a valid token), never as the policy's own wildcard.
  if (m.credentials && acam == "*" && method != "*") return "ACAM * with credentials";
  if (m.passthrough ? d.next_action() != cors::action::forward
                    : (d.next_action() != cors::action::respond || d.status() != m.preflight_status)) {
    return "allowed preflight: wrong action or status";
  }
  // Private Network Access: only with the opt-in, only when asked for with exactly `true`.
  const bool pna_expected = m.private_network && pna.size() == 1 && ref::trim(pna[0]) == "true";
  if (acapn != pna_expected) return "Access-Control-Allow-Private-Network mismatch";
  bool star_requested = false;
  for (const std::string& l : acrh) {
    for (const std::string& part : ref::split(l, ',')) star_requested = star_requested || ref::trim(part) == "*";
  }
  for (const cors::response_header h : d.headers()) {
    if (h.name() != "Access-Control-Allow-Headers" || !m.credentials) continue;
    for (const std::string& part : ref::split(h.value, ',')) {
      if (ref::trim(part) == "*" && !star_requested) return "ACAH * with credentials";
    }
  }
  return {};
}

}  // namespace inv

#endif  // CORS_TESTS_FUZZ_INVARIANTS_HPP
