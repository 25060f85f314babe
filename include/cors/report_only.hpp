// Report-only (shadow) mode: a candidate policy evaluated beside the enforced one, to learn which
// requests a change would treat differently before it is enforced. Responses are always the
// enforced policy's; a hook hears of every request the two decide differently.
#ifndef CORS_REPORT_ONLY_HPP
#define CORS_REPORT_ONLY_HPP

#include <functional>
#include <string_view>
#include <type_traits>
#include <utility>

#include "decision.hpp"
#include "detail/evaluator.hpp"
#include "detail/macros.hpp"
#include "policy.hpp"
#include "request.hpp"

namespace cors {

/// Do `a` and `b` make the server write the same response: the same action, status and headers
/// (names and values, in order)? The reason is not compared. For report-only mode (a decision
/// compared with a candidate policy's). A friend of `decision` (declared there, defined here, so
/// that `cors/cors.hpp` does not compile it): it reads the decisions' state without iterating
/// headers, and values that view the same bytes (a shared literal, the request's own) are not
/// compared byte by byte.
[[nodiscard]] inline bool same_response(const decision& a, const decision& b) noexcept {
  if (a.action_ != b.action_ || a.status_ != b.status_ || a.present_ != b.present_) return false;
  for (unsigned rest = a.present_; rest != 0; rest &= rest - 1) {
    const auto id = static_cast<response_header_id>(detail::lowest_bit(rest));
    const unsigned lines = a.lines(id);
    if (lines != b.lines(id)) return false;
    for (unsigned line = 0; line < lines; ++line) {
      const std::string_view x = a.value(id, line);
      const std::string_view y = b.value(id, line);
      if (x.size() != y.size() || (x.data() != y.data() && x != y)) return false;
    }
  }
  return true;
}

/// How the enforced and the candidate decision of one request differ; passed to the hook of a
/// `report_only`. Every view points into the request or into the policies, and the two decisions
/// live only during the hook's call: copy what must outlast it. The origin is untrusted bytes:
/// escape it before logging.
struct difference {
  /// The request's `Origin` (`decision::request_origin()` of the enforced decision, or of the
  /// candidate's when the enforced one has none: a router's "no CORS here" decision carries none).
  std::string_view origin;
  /// The request's kind as a policy classified it: the enforced decision's, or the candidate's when
  /// the enforced one is `not_cors` (a router without a policy for the request decides `not_cors`
  /// whatever the request).
  request_kind kind = request_kind::not_cors;
  reason enforced = reason::not_cors;            ///< why the enforced policy decided as it did
  reason candidate = reason::not_cors;           ///< why the candidate would decide as it would
  bool grant_differs = false;                    ///< one grants access (`grants_access()`), the other does not
  bool response_differs = false;                 ///< action, status or headers differ (`cors::same_response`)
  const decision* enforced_decision = nullptr;   ///< the decision the response is written from
  const decision* candidate_decision = nullptr;  ///< the candidate's decision, never written
};

/// The hook of a `report_only`: called from `evaluate()`, on the request's thread, for each
/// request the two policies decide differently. An `std::function`: it is called only on a
/// difference, so its indirect call costs nothing on requests both policies agree on.
using difference_hook = std::function<void(const difference&)>;

/// Evaluates each request with an enforced and a candidate evaluator and returns the enforced
/// decision; calls the hook when the two differ in reason, grant or response. `Enforced` and
/// `Candidate` are anything with `decision evaluate(const Args&...) const noexcept` (a `policy`,
/// a `router`, an `observed<...>`, a `report_only`), held by value (a `policy` or `router` copy
/// shares its compiled state), or by reference as a `std::reference_wrapper` (`std::cref(live)` for
/// a `cors::live_router`, which is neither copyable nor movable). At most one side may be a
/// `cors::live<T>` of a given `T`: a live handle's decision is valid until the thread's next
/// evaluation with any `live<T>` (`cors::live::current`), which the other side's would be. Safe to
/// use from any number of threads if the evaluators and the hook are.
/// @see https://fetch.spec.whatwg.org/#http-cors-protocol
template <class Enforced = policy, class Candidate = Enforced>
class report_only {
  static_assert(!(detail::is_live<detail::evaluator_type_t<Enforced>>::value &&
                  std::is_same_v<detail::evaluator_type_t<Enforced>, detail::evaluator_type_t<Candidate>>),
                "cors::report_only: two cors::live<T> of the same T would invalidate each other's decisions");

 public:
  /// Throws only what copying the evaluators and the hook throws.
  report_only(Enforced enforced, Candidate candidate, difference_hook on_difference)
      : enforced_(std::move(enforced)), candidate_(std::move(candidate)), hook_(std::move(on_difference)) {}

  /// The enforced decision for the request. Allocation-free until the hook runs; never throws
  /// (an exception from the hook is caught and dropped: reporting never changes a response). The
  /// decision's views point into the enforced evaluator and the request, as its own would.
  // Always inlined, as `policy::evaluate` is: out of line, the call and its register saves cost
  // more than the wrapper's own work (tests/bench/instructions.sh).
  template <class... Args>
  [[nodiscard]] CORS_DETAIL_ALWAYS_INLINE decision evaluate(const Args&... req) const noexcept CORS_LIFETIMEBOUND {
    decision d = detail::evaluator_of(enforced_).evaluate(req...);
    const decision c = detail::evaluator_of(candidate_).evaluate(req...);
    if (d.why() != c.why() || !same_response(d, c)) report(d, c);
    return d;
  }

  [[nodiscard]] const Enforced& enforced() const noexcept { return enforced_; }
  [[nodiscard]] const Candidate& candidate() const noexcept { return candidate_; }

 private:
  CORS_DETAIL_NOINLINE void report(const decision& d, const decision& c) const noexcept {
    difference diff;
    diff.origin = !d.request_origin().empty() ? d.request_origin() : c.request_origin();
    diff.kind = d.kind() != request_kind::not_cors ? d.kind() : c.kind();
    diff.enforced = d.why();
    diff.candidate = c.why();
    diff.grant_differs = d.grants_access() != c.grants_access();
    diff.response_differs = !same_response(d, c);
    diff.enforced_decision = &d;
    diff.candidate_decision = &c;
    if (!hook_) return;
#if defined(__cpp_exceptions) || defined(__EXCEPTIONS) || defined(_CPPUNWIND)
    try {
      hook_(diff);
    } catch (...) {  // NOLINT(bugprone-empty-catch): a report must never fail a request
    }
#else
    hook_(diff);
#endif
  }

  Enforced enforced_;
  Candidate candidate_;
  difference_hook hook_;
};

}  // namespace cors

#endif  // CORS_REPORT_ONLY_HPP
