// Decision observers: a hook that hears each decision's kind and reason (and the route it was
// made for), cheap enough to leave on in production; `cors/decision_counters.hpp` has ready-made
// atomic counters to plug in.
#ifndef CORS_OBSERVER_HPP
#define CORS_OBSERVER_HPP

#include <functional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "decision.hpp"
#include "detail/evaluator.hpp"
#include "detail/macros.hpp"
#include "policy.hpp"

namespace cors {

class router;

/// A type-erased observer: called with each decision and the route label (empty when there is
/// none). It runs inside `evaluate()`, which is `noexcept`: it must not throw, and should not
/// allocate.
using decision_observer = std::function<void(const decision&, std::string_view route)>;

/// An evaluator that calls an observer with every decision it returns. `Evaluator` is anything with
/// `decision evaluate(const Args&...) const noexcept` (a `policy`, a `router`, a `report_only`),
/// held by value or, as a `std::reference_wrapper`, by reference (`std::cref(live)`). `Observer` is any callable
/// `void(const decision&, std::string_view route)`; the default `decision_observer` costs one indirect call per
/// decision, while a concrete type such as `std::reference_wrapper<decision_counters>` is inlined (measured in README
/// "Report-only mode and metrics"):
///
///     cors::decision_counters counters;
///     const cors::observed observed{policy, std::ref(counters)};  // evaluate() counts every decision
template <class Evaluator = policy, class Observer = decision_observer>
class observed {
 public:
  /// `route` labels every decision (copied); a `router`'s (or a `live<router>`'s) decisions are
  /// labelled with the route each came from instead (`router::route_of`). Throws only what copying
  /// the arguments throws.
  observed(Evaluator evaluator, Observer observer, std::string route = {})
      : evaluator_(std::move(evaluator)), observer_(std::move(observer)), route_(std::move(route)) {}

  /// The evaluator's decision, after the observer has seen it. Never throws; allocates only if the
  /// evaluator or the observer does. The decision's views are the evaluator's.
  // Always inlined, as `policy::evaluate` is: out of line, the call and its register saves cost
  // more than the wrapper's own work (tests/bench/instructions.sh).
  template <class... Args>
  [[nodiscard]] CORS_DETAIL_ALWAYS_INLINE decision evaluate(const Args&... req) const noexcept CORS_LIFETIMEBOUND {
    const auto& e = detail::evaluator_of(evaluator_);
    using E = std::remove_cv_t<std::remove_reference_t<decltype(e)>>;
    if constexpr (std::is_same_v<E, router>) {
      return evaluate_routed(e, req...);
    } else if constexpr (std::is_same_v<E, live<router>>) {
      return evaluate_routed(e.current(), req...);
    } else {
      decision d = e.evaluate(req...);
      notify(d, route_);
      return d;
    }
  }

  [[nodiscard]] const Evaluator& evaluator() const noexcept { return evaluator_; }
  [[nodiscard]] std::string_view route() const noexcept { return route_; }

 private:
  // A router's decision, labelled with the route it selected (`router::route_of`): the router's
  // own evaluate(), with the selected policy kept for the label.
  template <class Router>
  [[nodiscard]] CORS_DETAIL_ALWAYS_INLINE decision evaluate_routed(const Router& r,
                                                                   const request_view& req) const noexcept {
    const policy* p = r.select(req);
    decision d = p != nullptr ? p->evaluate(req) : decision{};
    notify(d, r.route_of(p));
    return d;
  }

  CORS_DETAIL_ALWAYS_INLINE void notify(const decision& d, std::string_view route) const noexcept {
    if constexpr (std::is_same_v<Observer, decision_observer>) {
      if (!observer_) return;  // an empty std::function would throw std::bad_function_call
    }
    observer_(d, route);
  }

  Evaluator evaluator_;
  Observer observer_;
  std::string route_;
};

}  // namespace cors

#endif  // CORS_OBSERVER_HPP
