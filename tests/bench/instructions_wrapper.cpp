// One evaluator wrapper of cors_bench_instructions (see instructions.cpp), chosen by the
// definition this file is compiled with: CORS_BENCH_PLAIN (the policy alone, compiled as the
// wrappers are: the baseline they are compared with), CORS_BENCH_COUNTERS (`cors::observed` with
// `std::ref(decision_counters)`), CORS_BENCH_COUNTERS_FUNCTION (the same through the type-erased
// `cors::decision_observer`), CORS_BENCH_REPORT_ONLY (`cors::report_only` whose candidate is the
// scenario's policy itself: both evaluated and compared, nothing reported), CORS_BENCH_REPORT_ONLY_LIVE
// (what the example servers run: a `live_router` whose default is the policy, held by reference,
// beside a plain router with the same default).
#include <cors/decision_counters.hpp>
#include <cors/live.hpp>
#include <cors/observer.hpp>
#include <cors/report_only.hpp>
#include <cors/router.hpp>

#include <cstdlib>
#include <functional>

#include "scenarios.hpp"

namespace {
// As in instructions.cpp: not inlined, the decision escapes, nothing is hoisted or elided.
template <class Evaluator>
[[gnu::noinline]] void run_scenario(const Evaluator& e, const cors::request_view& view, long n) {
  for (long i = 0; i < n; ++i) {
    asm volatile("" ::: "memory");
    const cors::decision d = e.evaluate(view);
    asm volatile("" : : "r"(&d) : "memory");
  }
}
cors::decision_counters counters;
}  // namespace

#if defined(CORS_BENCH_PLAIN)
bool run_plain(const cors_bench::scenario& s, const cors::request_view& view, long n) {
  run_scenario(s.policy, view, n);
  return true;
}
#elif defined(CORS_BENCH_COUNTERS)
bool run_counters(const cors_bench::scenario& s, const cors::request_view& view, long n) {
  run_scenario(cors::observed{s.policy, std::ref(counters)}, view, n);
  return true;
}
#elif defined(CORS_BENCH_COUNTERS_FUNCTION)
bool run_counters_function(const cors_bench::scenario& s, const cors::request_view& view, long n) {
  run_scenario(cors::observed<>{s.policy, std::ref(counters)}, view, n);
  return true;
}
#elif defined(CORS_BENCH_REPORT_ONLY)
bool run_report_only(const cors_bench::scenario& s, const cors::request_view& view, long n) {
  run_scenario(cors::report_only<>{s.policy, s.policy, [](const cors::difference&) { std::abort(); }}, view, n);
  return true;
}
#elif defined(CORS_BENCH_REPORT_ONLY_LIVE)
bool run_report_only_live(const cors_bench::scenario& s, const cors::request_view& view, long n) {
  const cors::live_router live(cors::router(cors::router_config{{}, s.policy}));
  const cors::router candidate(cors::router_config{{}, s.policy});
  run_scenario(
      cors::report_only<std::reference_wrapper<const cors::live_router>, cors::router>{
          std::cref(live), candidate, [](const cors::difference&) { std::abort(); }},
      view, n);
  return true;
}
#endif
