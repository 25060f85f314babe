// Counts heap allocations made by the current thread while `alloc_counter::counting` is set.
// Include in exactly one translation unit of an executable: without a sanitizer it replaces the
// global operator new; under AddressSanitizer or ThreadSanitizer (which own operator new) it
// installs the sanitizer's allocation hook instead, which sees malloc and operator new alike.
#ifndef CORS_TESTS_FUZZ_ALLOC_COUNTER_HPP
#define CORS_TESTS_FUZZ_ALLOC_COUNTER_HPP

#include <cstddef>
#include <cstdlib>
#include <new>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define CORS_ALLOC_COUNTER_HOOKS 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
#define CORS_ALLOC_COUNTER_HOOKS 1
#endif
#endif

namespace alloc_counter {
inline thread_local bool counting = false;
inline thread_local long count = 0;

/// Allocations made by `f()` on this thread.
template <class F>
long during(F&& f) {
  count = 0;
  counting = true;
  f();
  counting = false;
  return count;
}
}  // namespace alloc_counter

#if defined(CORS_ALLOC_COUNTER_HOOKS)
#include <sanitizer/allocator_interface.h>
namespace alloc_counter {
inline void on_malloc(const volatile void*, std::size_t) {
  if (counting) ++count;
}
inline void on_free(const volatile void*) {}
[[maybe_unused]] inline const int hooks_installed = __sanitizer_install_malloc_and_free_hooks(on_malloc, on_free);
}  // namespace alloc_counter
#else
void* operator new(std::size_t n) {
  if (alloc_counter::counting) ++alloc_counter::count;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return operator new(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
#endif

#endif  // CORS_TESTS_FUZZ_ALLOC_COUNTER_HPP
