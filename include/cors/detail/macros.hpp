// The library's few macros and compiler facilities, in one place: inlining control for the request
// path, the lifetime annotation on views that borrow from a policy or a request, and the test for
// constant evaluation.
#ifndef CORS_DETAIL_MACROS_HPP
#define CORS_DETAIL_MACROS_HPP

// CORS_DETAIL_NOINLINE keeps a cold or bulky path out of the hot function that calls it, so that
// the caller stays small and does not save registers it only needs on that path;
// CORS_DETAIL_ALWAYS_INLINE marks such a small caller, which compilers otherwise leave out of line
// in a large request-path function (whose inlining budget is spent).
#if defined(__GNUC__) || defined(__clang__)
#define CORS_DETAIL_NOINLINE __attribute__((noinline))
#define CORS_DETAIL_ALWAYS_INLINE inline __attribute__((always_inline))
#elif defined(_MSC_VER)
#define CORS_DETAIL_NOINLINE __declspec(noinline)
#define CORS_DETAIL_ALWAYS_INLINE __forceinline
#else
#define CORS_DETAIL_NOINLINE
#define CORS_DETAIL_ALWAYS_INLINE inline
#endif

// CORS_LIFETIMEBOUND marks a parameter (or, after a member function's parameter list, the object)
// that a returned view borrows from, so that Clang warns when the view outlives it
// (-Wdangling, e.g. `auto v = policy.evaluate(make_view(req)).request_origin();` on a temporary).
// @see https://clang.llvm.org/docs/AttributeReference.html#lifetimebound
#if defined(__has_cpp_attribute)
#if __has_cpp_attribute(clang::lifetimebound)
#define CORS_LIFETIMEBOUND [[clang::lifetimebound]]
#endif
#endif
#ifndef CORS_LIFETIMEBOUND
#define CORS_LIFETIMEBOUND
#endif

namespace cors::detail {

/// Is this call part of a constant evaluation? Where the compiler cannot tell, true: callers then
/// take the path that is valid in both. (C++17 has no std::is_constant_evaluated; every compiler
/// the library supports has the builtin.)
[[nodiscard]] constexpr bool constant_evaluated() noexcept {
#if defined(__GNUC__) || defined(__clang__) || (defined(_MSC_VER) && _MSC_VER >= 1925)
  return __builtin_is_constant_evaluated();
#else
  return true;
#endif
}

}  // namespace cors::detail

#endif  // CORS_DETAIL_MACROS_HPP
