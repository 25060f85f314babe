// cors::live under concurrent swaps: 8 threads evaluate while another thread swaps between two
// policies 10 000 times; every decision must be exactly one of the two policies' decisions (never
// a mix, never a freed policy). Meant to run under ThreadSanitizer (the tsan preset).
#include <cors/live.hpp>

#include <atomic>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "catch.hpp"

namespace {

cors::policy make(std::string origin, int status, bool credentials) {
  cors::config c;
  c.origins = {std::move(origin)};
  c.methods = {"PUT"};
  c.preflight_status = status;
  c.credentials = credentials;
  return cors::policy(c);
}

std::string snapshot(const cors::decision& d) {
  std::string out = std::to_string(d.status()) + " " + std::to_string(static_cast<int>(d.why()));
  for (const cors::response_header h : d.headers()) {
    out.append("|").append(h.name()).append(": ").append(h.value);
  }
  return out;
}

}  // namespace

TEST_CASE("live: 8 readers see one of the two policies while a writer swaps 10 000 times", "[live]") {
  const cors::policy a = make("https://a.example", 204, false);
  const cors::policy b = make("https://b.example", 200, true);
  const cors::request_view preflight =
      cors::make_request_view("OPTIONS", {{"Origin", "https://a.example"}, {"Access-Control-Request-Method", "PUT"}});
  const cors::request_view actual = cors::make_request_view("GET", {{"Origin", "https://b.example"}});
  const std::string a_preflight = snapshot(a.evaluate(preflight));
  const std::string b_preflight = snapshot(b.evaluate(preflight));
  const std::string a_actual = snapshot(a.evaluate(actual));
  const std::string b_actual = snapshot(b.evaluate(actual));
  REQUIRE(a_preflight != b_preflight);
  REQUIRE(a_actual != b_actual);

  cors::live_policy live(a);
  std::atomic<bool> done{false};
  std::atomic<long> inconsistent{0};
  std::atomic<long> evaluations{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 8; ++t) {
    readers.emplace_back([&] {
      long n = 0;
      long bad = 0;
      while (!done.load(std::memory_order_acquire) || n < 100) {
        const std::string p = snapshot(live.evaluate(preflight));
        const std::string q = snapshot(live.evaluate(actual));
        bad += (p != a_preflight && p != b_preflight) ? 1 : 0;
        bad += (q != a_actual && q != b_actual) ? 1 : 0;
        ++n;
      }
      inconsistent += bad;
      evaluations += n;
    });
  }
  const std::uint64_t first = live.generation();
  for (int i = 0; i < 10000; ++i) live.store(i % 2 == 0 ? b : a);
  done.store(true, std::memory_order_release);
  for (std::thread& t : readers) t.join();
  CHECK(inconsistent.load() == 0);
  CHECK(evaluations.load() >= 800);
  CHECK(live.generation() != first);
  // The last store was `a`: every thread, this one included, now sees it.
  CHECK(snapshot(live.evaluate(preflight)) == a_preflight);
  CHECK(snapshot(live.load()->evaluate(actual)) == a_actual);
}

TEST_CASE("live: a store is seen by the next read of every thread", "[live]") {
  const cors::policy a = make("https://a.example", 204, false);
  const cors::policy b = make("https://b.example", 204, false);
  cors::live_policy live(a);
  const cors::request_view req = cors::make_request_view("GET", {{"Origin", "https://b.example"}});
  CHECK_FALSE(live.evaluate(req).grants_access());
  live.store(b);
  CHECK(live.evaluate(req).grants_access());
  std::thread other([&] { CHECK(live.evaluate(req).grants_access()); });
  other.join();
  // Two live objects read alternately on one thread each give their own version.
  cors::live_policy second(a);
  CHECK_FALSE(second.evaluate(req).grants_access());
  CHECK(live.evaluate(req).grants_access());
  CHECK_FALSE(second.evaluate(req).grants_access());
}
