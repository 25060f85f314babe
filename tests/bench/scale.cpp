// cors_bench_scale: the scale figures of issue #15 section 4, printed (never a pass/fail gate):
// building a policy of 1 000 000 exact origins (time, heap bytes per origin beyond the origin
// text), evaluate() on it against a one-origin policy (scenario b), a router's selection among
// 1 000 routes, and a live handle's read. Timings move with the machine's load; run it on a quiet
// machine, several times.
//
//   cors_bench_scale [iterations=2000000] [--no-million]
//
// Under Callgrind (`valgrind --tool=callgrind --toggle-collect='*ns_per_call*' cors_bench_scale 1000
// --no-million`, then `callgrind_annotate --inclusive=yes`) each ns_per_call instance gives the
// instructions of its evaluations, a figure the machine's load does not move.
#include <cors/cors.hpp>
#include <cors/live.hpp>
#include <cors/router.hpp>

#include <malloc.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

using clock_type = std::chrono::steady_clock;

std::size_t heap_in_use() {
  const struct mallinfo2 m = mallinfo2();
  return m.uordblks + m.hblkhd;  // small blocks and mmap-ed ones
}

template <class F>
[[gnu::noinline]] double ns_per_call(long n, F&& f) {
  const auto start = clock_type::now();
  for (long i = 0; i < n; ++i) {
    asm volatile("" ::: "memory");
    const cors::decision d = f();
    asm volatile("" : : "r"(&d) : "memory");
  }
  return std::chrono::duration<double, std::nano>(clock_type::now() - start).count() / static_cast<double>(n);
}

std::string origin_of(long i) { return "https://tenant" + std::to_string(i) + ".example.com"; }

}  // namespace

int main(int argc, char** argv) {
  const long n = argc > 1 ? std::atol(argv[1]) : 2000000;
  const cors::request_view allowed = cors::make_request_view("GET", {{"Origin", "https://app.example.com"}});

  cors::config one;
  one.origins = {"https://app.example.com"};
  const cors::policy small(one);
  const double b = ns_per_call(n, [&] { return small.evaluate(allowed); });

  const bool million = !(argc > 2 && std::string(argv[2]) == "--no-million");
  if (million) {
    // 1 000 000 exact origins.
    cors::config many;
    std::size_t text = 0;
    for (long i = 0; i < 1000000; ++i) {
      many.origins.push_back(origin_of(i));
      text += many.origins.back().size();
    }
    many.origins.emplace_back("https://app.example.com");
    const std::size_t before = heap_in_use();
    const auto build_start = clock_type::now();
    const cors::policy big(many);
    const double build_s = std::chrono::duration<double>(clock_type::now() - build_start).count();
    const std::size_t bytes = heap_in_use() - before;
    many = cors::config{};  // only the policy's own memory is counted above
    const std::string tenant = origin_of(777777);
    const cors::request_view tenant_req = cors::make_request_view("GET", {{"Origin", tenant}});
    const double big_ns = ns_per_call(n, [&] { return big.evaluate(tenant_req); });
    std::printf("1 000 000 exact origins: build              %7.3f s\n", build_s);
    std::printf("1 000 000 exact origins: heap beyond text   %7.1f bytes/origin (%zu bytes, text %zu bytes)\n",
                static_cast<double>(bytes - text) / 1000001.0, bytes, text);
    std::printf("1 000 000 exact origins: evaluate           %7.1f ns (%.2f x scenario b)\n", big_ns, big_ns / b);
  }

  // A router of 1 000 routes, the request's one in the middle.
  cors::router_config routes;
  for (int i = 0; i < 1000; ++i) routes.routes.push_back({"", "/t" + std::to_string(i) + "/api/", small});
  const cors::router router(routes);
  cors::request_view routed = allowed;
  routed.path = "/t500/api/v1/items?page=2";
  const double router_ns = ns_per_call(n, [&] { return router.evaluate(routed); });

  // A live handle's read.
  const cors::live_policy live(small);
  const double live_ns = ns_per_call(n, [&] { return live.evaluate(allowed); });

  std::printf("scenario b (one origin), evaluate:          %7.1f ns\n", b);
  std::printf("router, 1 000 routes: evaluate              %7.1f ns (+%.1f ns over the policy alone)\n", router_ns,
              router_ns - b);
  std::printf("live_policy: evaluate                       %7.1f ns (+%.1f ns over the policy alone)\n", live_ns,
              live_ns - b);
  return 0;
}
