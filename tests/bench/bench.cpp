// cors_bench: Google Benchmark timings of policy.evaluate() (evaluate/*), of a whole adapter round
// trip (beast/*, httplib/*: framework request -> request_view -> decision -> framework response)
// and of policy construction (build/*). Every benchmark reports `allocs`, the allocations per
// iteration counted by the replaced global operator new (tests/alloc_counter.cpp).
// The scenarios and their expected decisions are in scenarios.hpp, checked by scenarios_test.cpp.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "alloc_counter.hpp"
#include "scenarios.hpp"

#if defined(CORS_BENCH_BEAST)
#include <boost/beast/http.hpp>
#include <cors/adapters/beast.hpp>
#endif
#if defined(CORS_BENCH_HTTPLIB)
#include <httplib.h>
#include <cors/adapters/httplib.hpp>
#endif

namespace {

using cors_bench::scenario;

/// Allocations per iteration since `before`, as the `allocs` counter.
void report_allocations(benchmark::State& state, std::uint64_t before) {
  state.counters["allocs"] =
      benchmark::Counter(static_cast<double>(alloc_counter::total() - before), benchmark::Counter::kAvgIterations);
}

void evaluate(benchmark::State& state, const scenario& s) {
  cors::request_view view = s.req.view();  // not const: DoNotOptimize may "change" it
  const std::uint64_t before = alloc_counter::total();
  for (auto _ : state) {
    benchmark::DoNotOptimize(view);  // the view may have changed: nothing is hoisted out of the loop
    const cors::decision d = s.policy.evaluate(view);
    benchmark::DoNotOptimize(d);
  }
  report_allocations(state, before);
}

#if defined(CORS_BENCH_BEAST) || defined(CORS_BENCH_HTTPLIB)
/// The adapter rows: view, evaluate and write the headers into a fresh `Response` per iteration.
/// Constructing an empty response allocates nothing and costs a few ns; its destruction frees the
/// header storage `apply` allocated, which a server pays anyway.
template <class Response, class Request>
void adapter_round_trip(benchmark::State& state, const scenario& s, const Request& req) {
  const std::uint64_t before = alloc_counter::total();
  for (auto _ : state) {
    Response res;
    const cors::request_view view = cors::adapters::make_request_view(req);
    const cors::decision d = s.policy.evaluate(view);
    cors::adapters::apply(d, res);
    benchmark::DoNotOptimize(d);
    benchmark::DoNotOptimize(res);
    benchmark::ClobberMemory();
  }
  report_allocations(state, before);
}
#endif

#if defined(CORS_BENCH_BEAST)
namespace http = boost::beast::http;

void beast(benchmark::State& state, const scenario& s) {
  http::request<http::empty_body> req;
  req.method_string(s.req.method);
  req.target("/resource");
  for (const auto& [name, value] : s.req.headers) {
    // Beast keeps a field value's length in 16 bits: a longer value (i1, i2) goes in as several
    // lines of the same field, 65 532 bytes each (a multiple of the 4-byte `x-a,` token).
    constexpr std::size_t max_line = 65532;
    for (std::size_t pos = 0; pos == 0 || pos < value.size(); pos += max_line) {
      const std::string_view line = std::string_view(value).substr(pos, max_line);
      req.insert(name, boost::beast::string_view(line.data(), line.size()));
    }
  }
  adapter_round_trip<http::response<http::empty_body>>(state, s, req);
}
#endif

#if defined(CORS_BENCH_HTTPLIB)
void httplib_round_trip(benchmark::State& state, const scenario& s) {
  httplib::Request req;
  req.method = s.req.method;
  req.path = "/resource";
  for (const auto& [name, value] : s.req.headers) req.headers.emplace(name, value);
  adapter_round_trip<httplib::Response>(state, s, req);
}
#endif

void build_policy(benchmark::State& state, const cors::config& cfg) {
  const std::uint64_t before = alloc_counter::total();
  for (auto _ : state) {
    cors::policy p{cfg};
    benchmark::DoNotOptimize(p);
  }
  report_allocations(state, before);
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;

  static const std::vector<scenario> scenarios = cors_bench::make_scenarios();
  static const cors::config exact = cors_bench::exact_origins_config();
  for (const scenario& s : scenarios) {
    benchmark::RegisterBenchmark(("evaluate/" + s.name).c_str(), evaluate, std::cref(s));
  }
#if defined(CORS_BENCH_BEAST)
  for (const scenario& s : scenarios) {
    benchmark::RegisterBenchmark(("beast/" + s.name).c_str(), beast, std::cref(s));
  }
#endif
#if defined(CORS_BENCH_HTTPLIB)
  for (const scenario& s : scenarios) {
    benchmark::RegisterBenchmark(("httplib/" + s.name).c_str(), httplib_round_trip, std::cref(s));
  }
#endif
  benchmark::RegisterBenchmark("build/policy_10k_origins", build_policy, std::cref(exact))
      ->Unit(benchmark::kMillisecond);

  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
