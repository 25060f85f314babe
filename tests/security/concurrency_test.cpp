// Every test that runs threads: one policy shared by 8 threads evaluating a mixed workload, every
// decision compared with the one computed before the threads started; and 4 threads counting the
// origins a policy allows. Meant to run under ThreadSanitizer too: configure with
// -DCMAKE_CXX_FLAGS=-fsanitize=thread (see SECURITY.md); the iteration count is bounded either way.
#include <cors/policy.hpp>

#include <atomic>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "policy_for.hpp"
#include "support.hpp"

namespace {

constexpr int thread_count = 8;
#if defined(__SANITIZE_THREAD__)
constexpr int rounds = 1000;
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
constexpr int rounds = 1000;
#else
constexpr int rounds = 2000;
#endif
#else
constexpr int rounds = 2000;
#endif

struct expected {
  cors::reason why;
  int status;
  std::vector<std::pair<std::string, std::string>> headers;
};

expected snapshot(const cors::decision& d) {
  expected e{d.why(), d.status(), {}};
  for (const cors::response_header h : d.headers()) e.headers.emplace_back(std::string(h.name()), std::string(h.value));
  return e;
}

bool same(const expected& e, const cors::decision& d) {
  if (d.why() != e.why || d.status() != e.status || d.headers().size() != e.headers.size()) return false;
  std::size_t i = 0;
  for (const cors::response_header h : d.headers()) {
    if (h.name() != e.headers[i].first || h.value != e.headers[i].second) return false;
    ++i;
  }
  return true;
}

std::vector<inv::raw_request> workload() {
  return {
      {"GET", {}},
      sec::get("https://app.example.com"),
      sec::get("https://a.b.example.org"),
      sec::get("https://evil.example"),
      sec::get("https://barfoo.com"),
      sec::get("null"),
      sec::get("HTTPS://APP.EXAMPLE.COM"),
      sec::get("http://localhost:5173"),
      sec::get("http://[::1]:3000"),
      sec::preflight("https://app.example.com", "PUT", "content-type,x-request-id"),
      sec::preflight("https://app.example.com", "patch", "authorization"),
      sec::preflight("https://app.example.com", "PURGE"),
      sec::preflight("https://x.example.org", "DELETE", "x-not-allowed"),
      sec::preflight("https://evil.example", "PUT"),
      sec::preflight("null", "PUT", "x-a"),
      sec::preflight("https://a.corp.example", "GET", "x-token"),
      {"OPTIONS",
       {{"Origin", "https://a.corp.example"},
        {"Access-Control-Request-Method", "GET"},
        {"Access-Control-Request-Private-Network", "true"}}},
      {"POST", {{"Origin", "https://api.example.com"}, {"Sec-Fetch-Site", "same-origin"}}},
      {"GET", {{"Origin", "https://app.example.com"}, {"Origin", "https://app.example.com"}}},
      sec::get("https://acme.tenant.example"),
  };
}

}  // namespace

TEST_CASE("one policy shared by 8 threads decides every request as a single thread does") {
  const std::vector<inv::raw_request> requests = workload();
  for (const char* name : {"credentials", "any", "null", "refuse", "pna"}) {
    CAPTURE(name);
    const fixed::entry& e = sec::policy(name);
    std::vector<expected> answers;
    for (const inv::raw_request& r : requests) answers.push_back(snapshot(sec::decide(e, r)));

    std::atomic<long> mismatches{0};
    std::atomic<long> decisions{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < thread_count; ++t) {
      threads.emplace_back([&, t] {
        // Half the threads share the policy object, half use their own copy of it (which shares
        // the compiled state).
        const cors::policy copy = e.policy;
        const cors::policy& p = t % 2 ? copy : e.policy;
        for (int i = 0; i < rounds; ++i) {
          const std::size_t k = static_cast<std::size_t>(i * 7 + t) % requests.size();
          const cors::decision d = p.evaluate(requests[k].view());
          if (!same(answers[k], d)) mismatches.fetch_add(1, std::memory_order_relaxed);
          if (k == 1 && !p.allows_origin("https://app.example.com") && name != std::string_view("pna")) {
            mismatches.fetch_add(1, std::memory_order_relaxed);
          }
          decisions.fetch_add(1, std::memory_order_relaxed);
        }
      });
    }
    for (std::thread& th : threads) th.join();
    CHECK(mismatches.load() == 0);
    CHECK(decisions.load() == static_cast<long>(thread_count) * rounds);
  }
}

TEST_CASE("one policy evaluates from many threads at once") {
  cors::config credentials;
  credentials.credentials = true;
  const auto p = testing::policy_for({"https://app.example.com", "https://*.example.org"}, credentials);
  std::vector<std::thread> threads;
  std::vector<int> allowed(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        const auto d = p.evaluate(
            cors::make_request_view("GET", {{"Origin", i % 2 ? "https://a.example.org" : "https://evil.example"}}));
        allowed[t] += d.why() == cors::reason::allowed ? 1 : 0;
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int a : allowed) CHECK(a == 1000);
}
