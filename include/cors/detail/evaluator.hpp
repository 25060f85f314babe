// What `report_only` and `observed` hold an evaluator as: by value, or by reference through
// `std::reference_wrapper` (for one that is neither copyable nor movable, such as `cors::live`).
#ifndef CORS_DETAIL_EVALUATOR_HPP
#define CORS_DETAIL_EVALUATOR_HPP

#include <functional>
#include <type_traits>

namespace cors {

template <class T>
class live;

namespace detail {

/// The evaluator `e` holds: itself, or what a `std::reference_wrapper` refers to.
template <class E>
[[nodiscard]] constexpr const E& evaluator_of(const E& e) noexcept {
  return e;
}
template <class E>
[[nodiscard]] constexpr const E& evaluator_of(const std::reference_wrapper<E>& e) noexcept {
  return e.get();
}

/// The type of `evaluator_of(E)`, without cv-qualifiers.
template <class E>
struct evaluator_type {
  using type = E;
};
template <class E>
struct evaluator_type<std::reference_wrapper<E>> {
  using type = std::remove_cv_t<E>;
};
template <class E>
using evaluator_type_t = typename evaluator_type<E>::type;

/// Is `E` (held by value or by reference) a `cors::live<T>` for some `T`?
template <class E>
struct is_live : std::false_type {};
template <class T>
struct is_live<live<T>> : std::true_type {};

}  // namespace detail
}  // namespace cors

#endif  // CORS_DETAIL_EVALUATOR_HPP
