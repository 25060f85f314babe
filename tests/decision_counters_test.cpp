// cors::decision_counters and cors::observed: exact counts from 8 threads (also under
// ThreadSanitizer), no allocation per decision, and the Prometheus text format, golden.
#include <cors/decision_counters.hpp>

#include <cors/live.hpp>
#include <cors/observer.hpp>
#include <cors/router.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "alloc_counter.hpp"
#include "catch.hpp"
#include "policy_for.hpp"

namespace {
using cors::reason;
using cors::request_kind;
constexpr const char* app = "https://app.example.com";
}  // namespace

TEST_CASE("decision counters start at zero and count each (kind, reason) pair apart") {
  cors::decision_counters c;
  CHECK(c.total() == 0);
  c.record(request_kind::actual, reason::allowed);
  c.record(request_kind::actual, reason::allowed);
  c.record(request_kind::preflight, reason::allowed);
  CHECK(c.count(request_kind::actual, reason::allowed) == 2);
  CHECK(c.count(request_kind::preflight, reason::allowed) == 1);
  CHECK(c.count(request_kind::not_cors, reason::not_cors) == 0);
  CHECK(c.total() == 3);
}

TEST_CASE("each counter has a cache line of its own") {
  CHECK(alignof(cors::decision_counters) >= 64);
  CHECK(sizeof(cors::decision_counters) == 64 * 3 * 14);
}

TEST_CASE("8 threads counting 100 000 decisions each give exact totals") {
  constexpr int threads = 8;
  constexpr std::uint64_t per_thread = 100000;
  const cors::policy policy = testing::policy_for({app});
  cors::decision_counters counters;
  const cors::observed observed{policy, std::ref(counters)};
  const cors::request_view allowed = cors::make_request_view("GET", {{"Origin", app}});
  const cors::request_view refused = cors::make_request_view("GET", {{"Origin", "https://evil.example"}});
  const cors::request_view plain = cors::make_request_view("GET", {});
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      for (std::uint64_t i = 0; i < per_thread; ++i) {
        // Every thread hits the shared pairs and one of its own.
        const cors::decision d = observed.evaluate(i % 2 == 0 ? allowed : i % 4 == 1 ? refused : plain);
        (void)d;
        counters.record(request_kind::preflight, static_cast<reason>(8 + t % 6));
      }
    });
  }
  for (std::thread& th : pool) th.join();
  CHECK(counters.count(request_kind::actual, reason::allowed) == threads * per_thread / 2);
  CHECK(counters.count(request_kind::actual, reason::origin_not_allowed) == threads * per_thread / 4);
  CHECK(counters.count(request_kind::not_cors, reason::not_cors) == threads * per_thread / 4);
  std::uint64_t preflights = 0;
  for (int r = 8; r < 14; ++r) {
    const std::uint64_t want = per_thread * (r - 8 < threads - 6 ? 2 : 1);  // t % 6: reasons 8, 9 twice
    CHECK(counters.count(request_kind::preflight, static_cast<reason>(r)) == want);
    preflights += counters.count(request_kind::preflight, static_cast<reason>(r));
  }
  CHECK(preflights == threads * per_thread);
  CHECK(counters.total() == 2 * threads * per_thread);
}

TEST_CASE("an observed policy counts without allocating and returns the policy's decision") {
  const cors::policy policy = testing::policy_for({app});
  cors::decision_counters counters;
  const cors::observed by_ref{policy, std::ref(counters)};
  std::string_view route_seen;
  int calls = 0;
  const cors::observed<> erased{policy,
                                [&](const cors::decision& d, std::string_view route) {
                                  counters(d, route);
                                  route_seen = route;
                                  ++calls;
                                },
                                "api"};
  const cors::request_view view = cors::make_request_view("GET", {{"Origin", app}});
  cors::decision d;
  CHECK(alloc_counter::during([&] { d = by_ref.evaluate(view); }) == 0);
  CHECK(d.grants_access());
  CHECK(alloc_counter::during([&] { d = erased.evaluate(view); }) == 0);
  CHECK(d.header(cors::response_header_id::access_control_allow_origin) == app);
  CHECK(calls == 1);
  CHECK(route_seen == "api");
  CHECK(counters.count(request_kind::actual, reason::allowed) == 2);
  const cors::observed<> none{policy, nullptr};
  CHECK(none.evaluate(view).grants_access());
}

TEST_CASE("counters render in the Prometheus text format, with HELP and TYPE and every possible pair") {
  cors::decision_counters c;
  for (int i = 0; i < 3; ++i) c.record(request_kind::actual, reason::allowed);
  c.record(request_kind::preflight, reason::origin_not_allowed);
  c.record(request_kind::not_cors, reason::not_cors);
  std::string out = "# previous family\n";
  cors::render_prometheus(out, c);
  CHECK(out ==
        "# previous family\n"
        "# HELP cors_decisions_total CORS decisions by request kind and reason.\n"
        "# TYPE cors_decisions_total counter\n"
        "cors_decisions_total{kind=\"not_cors\",reason=\"not_cors\"} 1\n"
        "cors_decisions_total{kind=\"actual\",reason=\"allowed\"} 3\n"
        "cors_decisions_total{kind=\"actual\",reason=\"same_origin\"} 0\n"
        "cors_decisions_total{kind=\"actual\",reason=\"origin_malformed\"} 0\n"
        "cors_decisions_total{kind=\"actual\",reason=\"origin_multiple\"} 0\n"
        "cors_decisions_total{kind=\"actual\",reason=\"origin_null_not_allowed\"} 0\n"
        "cors_decisions_total{kind=\"actual\",reason=\"origin_not_allowed\"} 0\n"
        "cors_decisions_total{kind=\"actual\",reason=\"origin_predicate_failed\"} 0\n"
        "cors_decisions_total{kind=\"preflight\",reason=\"allowed\"} 0\n"
        "cors_decisions_total{kind=\"preflight\",reason=\"origin_malformed\"} 0\n"
        "cors_decisions_total{kind=\"preflight\",reason=\"origin_multiple\"} 0\n"
        "cors_decisions_total{kind=\"preflight\",reason=\"origin_null_not_allowed\"} 0\n"
        "cors_decisions_total{kind=\"preflight\",reason=\"origin_not_allowed\"} 1\n"
        "cors_decisions_total{kind=\"preflight\",reason=\"origin_predicate_failed\"} 0\n"
        "cors_decisions_total{kind=\"preflight\",reason=\"method_malformed\"} 0\n"
        "cors_decisions_total{kind=\"preflight\",reason=\"method_not_allowed\"} 0\n"
        "cors_decisions_total{kind=\"preflight\",reason=\"headers_malformed\"} 0\n"
        "cors_decisions_total{kind=\"preflight\",reason=\"headers_too_large\"} 0\n"
        "cors_decisions_total{kind=\"preflight\",reason=\"header_not_allowed\"} 0\n"
        "cors_decisions_total{kind=\"preflight\",reason=\"headers_too_many_lines\"} 0\n");
}

TEST_CASE("route labels are escaped as the Prometheus format says: backslash, double quote, line feed") {
  cors::decision_counters api;
  cors::decision_counters odd;
  api.record(request_kind::actual, reason::allowed);
  odd.record(request_kind::preflight, reason::allowed);
  odd.record(request_kind::preflight, reason::allowed);
  // A pair no policy decides is rendered only once counted.
  odd.record(request_kind::not_cors, reason::allowed);
  std::string out;
  cors::render_prometheus(out, {{"/api", &api}, {"a\\b\"c\nd", &odd}});
  CHECK(out.rfind("# HELP cors_decisions_total ", 0) == 0);
  CHECK(out.find("# TYPE cors_decisions_total counter\n") != std::string::npos);
  CHECK(out.find("# HELP", 1) == std::string::npos);  // one family, one HELP
  CHECK(out.find("cors_decisions_total{route=\"/api\",kind=\"actual\",reason=\"allowed\"} 1\n") != std::string::npos);
  CHECK(out.find("cors_decisions_total{route=\"a\\\\b\\\"c\\nd\",kind=\"preflight\",reason=\"allowed\"} 2\n") !=
        std::string::npos);
  CHECK(out.find("cors_decisions_total{route=\"a\\\\b\\\"c\\nd\",kind=\"not_cors\",reason=\"allowed\"} 1\n") !=
        std::string::npos);
  CHECK(out.find("route=\"/api\",kind=\"not_cors\",reason=\"allowed\"") == std::string::npos);
  // 20 possible pairs per route, one more counted.
  std::size_t samples = 0;
  for (std::size_t at = 0; (at = out.find("\ncors_decisions_total{", at)) != std::string::npos; ++at) ++samples;
  CHECK(samples == 41);
  CHECK(out.back() == '\n');
}

TEST_CASE("every possible (kind, reason) pair is one a policy can decide, and only those") {
  int possible = 0;
  for (int k = 0; k < 3; ++k) {
    for (int r = 0; r < 14; ++r)
      possible += cors::is_possible_decision(static_cast<request_kind>(k), static_cast<reason>(r));
  }
  CHECK(possible == 20);
  CHECK(cors::is_possible_decision(request_kind::not_cors, reason::not_cors));
  CHECK_FALSE(cors::is_possible_decision(request_kind::preflight, reason::same_origin));
  CHECK_FALSE(cors::is_possible_decision(request_kind::actual, reason::method_not_allowed));
  CHECK(cors::prometheus_content_type == "text/plain; version=0.0.4; charset=utf-8");
}

TEST_CASE("an observed router tells its observer the route of each decision") {
  cors::config public_cfg;
  public_cfg.origins = {"*"};
  const cors::router r(cors::router_config{{{"", "/api/", testing::policy_for(public_cfg)},
                                            {"tenant.example", "/admin", testing::policy_for({app})},
                                            {"", "/private", std::nullopt}},
                                           testing::policy_for({app})});
  std::vector<std::pair<std::string, cors::reason>> seen;
  const auto observer = [&seen](const cors::decision& d, std::string_view route) {
    seen.emplace_back(std::string(route), d.why());
  };
  const cors::observed<cors::router, decltype(observer)> observed{r, observer};
  const auto request = [](std::string_view path, std::string_view host) {
    cors::request_view v = cors::make_request_view("GET", {{"Origin", app}});
    v.path = path;
    v.host.add(host);
    return v;
  };
  struct row {
    std::string_view path, host, route;
  };
  for (const row& x :
       {row{"/api/items", "api.example", "/api/"}, row{"/admin/users", "tenant.example", "tenant.example/admin"},
        row{"/admin/users", "other.example", "default"}, row{"/private/x", "api.example", ""},
        row{"/api/../private", "api.example", ""}}) {
    CAPTURE(x.path, x.host);
    seen.clear();
    const cors::request_view v = request(x.path, x.host);
    const cors::decision d = observed.evaluate(v);
    // The same decision as the router's own.
    CHECK(d.why() == r.evaluate(v).why());
    CHECK(d.kind() == r.evaluate(v).kind());
    REQUIRE(seen.size() == 1);
    CHECK(seen[0].first == x.route);
    CHECK(seen[0].second == d.why());
    CHECK(r.route_of(r.select(v)) == x.route);
  }
  // Through a live router, after a swap: the new router's routes.
  cors::live_router live{r};
  const cors::observed<std::reference_wrapper<const cors::live_router>, decltype(observer)> live_observed{
      std::cref(live), observer};
  seen.clear();
  (void)live_observed.evaluate(request("/api/items", "api.example"));
  live.store(cors::router(cors::router_config{{{"", "/api/v2/", testing::policy_for({app})}}, std::nullopt}));
  (void)live_observed.evaluate(request("/api/v2/items", "api.example"));
  REQUIRE(seen.size() == 2);
  CHECK(seen[0].first == "/api/");
  CHECK(seen[1].first == "/api/v2/");
  CHECK(seen[1].second == reason::allowed);
}
