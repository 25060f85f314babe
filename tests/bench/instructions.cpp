// cors_bench_instructions: evaluates one benchmark scenario N times inside `run_scenario`, so that
// `valgrind --tool=callgrind --toggle-collect='run_scenario*'` counts the instructions of exactly
// those evaluations. Instruction counts do not depend on what else the machine is doing, unlike
// the timings of cors_bench: tests/bench/instructions.sh prints them per evaluate() call.
//
//   cors_bench_instructions <scenario-name-prefix> [iterations=1000]
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "scenarios.hpp"

namespace {
// Not inlined, and the decision escapes through an asm barrier: nothing is hoisted or elided.
[[gnu::noinline]] void run_scenario(const cors_bench::scenario& s, const cors::request_view& view, long n) {
  for (long i = 0; i < n; ++i) {
    asm volatile("" ::: "memory");
    const cors::decision d = s.policy.evaluate(view);
    asm volatile("" : : "r"(&d) : "memory");
  }
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s <scenario-name-prefix> [iterations]\n", argv[0]);
    return 2;
  }
  const std::string prefix = argv[1];
  const long n = argc > 2 ? std::atol(argv[2]) : 1000;
  const std::vector<cors_bench::scenario> scenarios = cors_bench::make_scenarios();
  int matched = 0;
  for (const cors_bench::scenario& s : scenarios) {
    if (s.name.compare(0, prefix.size(), prefix) != 0) continue;
    const cors::request_view view = s.req.view();
    run_scenario(s, view, n);
    ++matched;
  }
  if (matched == 0) {
    std::fprintf(stderr, "no scenario starts with %s\n", prefix.c_str());
    return 1;
  }
  return 0;
}
