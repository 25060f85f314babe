// Counts calls to the global allocation functions. alloc_counter.cpp replaces them, so an
// executable that links it counts every `new` (and every allocation of the standard containers).
#ifndef CORS_TESTS_BENCH_ALLOC_COUNTER_HPP
#define CORS_TESTS_BENCH_ALLOC_COUNTER_HPP

#include <cstdint>

namespace cors_bench {

/// Allocations so far in this process (all threads).
[[nodiscard]] std::uint64_t allocations() noexcept;

}  // namespace cors_bench

#endif  // CORS_TESTS_BENCH_ALLOC_COUNTER_HPP
