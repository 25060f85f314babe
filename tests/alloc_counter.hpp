// Counts heap allocations, for tests and benchmarks that prove code allocates nothing. Link
// tests/alloc_counter.cpp (CMake: ${CORS_ALLOC_COUNTER_SOURCE}) into exactly one executable's
// sources: it replaces the global allocation functions, or under AddressSanitizer and
// ThreadSanitizer (whose runtimes own operator new) installs the sanitizer's allocation hook.
#ifndef CORS_TESTS_ALLOC_COUNTER_HPP
#define CORS_TESTS_ALLOC_COUNTER_HPP

#include <cstdint>

namespace alloc_counter {

/// Allocations so far in this process, all threads.
[[nodiscard]] std::uint64_t total() noexcept;

/// Allocations made while `f()` runs (by any thread: run it where nothing else allocates).
template <class F>
[[nodiscard]] long during(F&& f) {
  const std::uint64_t before = total();
  f();
  return static_cast<long>(total() - before);
}

}  // namespace alloc_counter

#endif  // CORS_TESTS_ALLOC_COUNTER_HPP
