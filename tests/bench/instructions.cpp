// cors_bench_instructions: evaluates one benchmark scenario N times inside `run_scenario`, so that
// `valgrind --tool=callgrind --toggle-collect='run_scenario*'` counts the instructions of exactly
// those evaluations. Instruction counts do not depend on what else the machine is doing, unlike
// the timings of cors_bench: tests/bench/instructions.sh prints them per evaluate() call.
//
//   cors_bench_instructions <scenario-name-prefix> [iterations=1000] [evaluator=policy]
//
// `evaluator` is `policy` (the scenario's policy alone, below), or one of the wrappers a server puts
// around it, each measured in a translation unit of its own (instructions_wrapper.cpp) so that
// none changes how the compiler inlines another: `plain` (the policy alone, compiled as the wrappers
// are), `counters`, `counters_function`, `report_only`, `report_only_live`.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "scenarios.hpp"

bool run_plain(const cors_bench::scenario& s, const cors::request_view& view, long n);
bool run_counters(const cors_bench::scenario& s, const cors::request_view& view, long n);
bool run_counters_function(const cors_bench::scenario& s, const cors::request_view& view, long n);
bool run_report_only(const cors_bench::scenario& s, const cors::request_view& view, long n);
bool run_report_only_live(const cors_bench::scenario& s, const cors::request_view& view, long n);

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
  const std::string evaluator = argc > 3 ? argv[3] : "policy";
  bool (*wrapped)(const cors_bench::scenario&, const cors::request_view&, long) = nullptr;
  if (evaluator == "plain") {
    wrapped = run_plain;
  } else if (evaluator == "counters") {
    wrapped = run_counters;
  } else if (evaluator == "counters_function") {
    wrapped = run_counters_function;
  } else if (evaluator == "report_only") {
    wrapped = run_report_only;
  } else if (evaluator == "report_only_live") {
    wrapped = run_report_only_live;
  } else if (evaluator != "policy") {
    std::fprintf(stderr, "unknown evaluator %s\n", evaluator.c_str());
    return 2;
  }
  const std::vector<cors_bench::scenario> scenarios = cors_bench::make_scenarios();
  int matched = 0;
  for (const cors_bench::scenario& s : scenarios) {
    if (s.name.compare(0, prefix.size(), prefix) != 0) continue;
    const cors::request_view view = s.req.view();
    if (wrapped != nullptr) {
      wrapped(s, view, n);
    } else {
      run_scenario(s, view, n);
    }
    ++matched;
  }
  if (matched == 0) {
    std::fprintf(stderr, "no scenario starts with %s\n", prefix.c_str());
    return 1;
  }
  return 0;
}
