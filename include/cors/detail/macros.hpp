// The library's few macros, in one place: inlining control for the request path, and the
// lifetime annotation on views that borrow from a policy or a request.
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

#endif  // CORS_DETAIL_MACROS_HPP
