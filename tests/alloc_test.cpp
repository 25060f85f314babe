// evaluate() allocates nothing: every row of the decision matrix is evaluated while counting
// allocations (tests/alloc_counter.cpp), each row its own test case.
#include <cors/live.hpp>
#include <cors/router.hpp>

#include <string>

#include "alloc_counter.hpp"
#include "catch.hpp"
#include "decision_matrix.hpp"
#include "register_test.hpp"

namespace {
std::string* volatile sink;  // keeps the optimiser from eliding the allocation below
}  // namespace

TEST_CASE("the allocation counter sees allocations") {
  const long used = alloc_counter::during([] {
    sink = new std::string(100, 'x');
    delete sink;
  });
  CHECK(used >= 1);
}

namespace {

// One test case per row of the decision matrix, named after it.
const bool registered = [] {
  for (const matrix::row& row : matrix::rows()) {
    testing::register_test(
        "evaluate() allocates nothing: " + row.name, "[alloc]",
        [&row] {
          const cors::policy& policy = matrix::policies().at(row.config);
          cors::decision d;
          const long used = alloc_counter::during([&] {
            const cors::request_view view = row.req.view();
            d = policy.evaluate(view);
          });
          CAPTURE(row.name, d.headers().size());
          REQUIRE(used == 0);
        },
        __FILE__, __LINE__);
  }
  return true;
}();

}  // namespace

TEST_CASE("evaluate() is counted on every row of the decision matrix") {
  CHECK(registered);
  REQUIRE(matrix::rows().size() >= 150);
}

TEST_CASE("copying a policy and building request views allocate nothing per request") {
  const cors::policy& p = matrix::policies().at("basic");
  cors::decision d;
  const long used = alloc_counter::during([&] {
    const cors::policy copy = p;  // shares the compiled state
    d = copy.evaluate(cors::make_request_view("GET", {{"Origin", "https://a.example.org"}}));
  });
  CHECK(used == 0);
  CHECK_FALSE(d.refused());
}

TEST_CASE("router::select, router::evaluate and live::evaluate allocate nothing") {
  cors::config c;
  c.origins = {"https://app.example.com"};
  const cors::policy p(c);
  cors::router_config cfg;
  for (int i = 0; i < 100; ++i) cfg.routes.push_back({"", "/t" + std::to_string(i) + "/api", p});
  cfg.routes.push_back({"h.example", "/t1", std::nullopt});
  const cors::router r(cfg);
  const cors::live_router live(r);
  cors::request_view v = cors::make_request_view("GET", {{"Origin", "https://app.example.com"}, {"Host", "h.example"}});
  v.path = "/t50/api/items/1?q=%2e";
  (void)live.evaluate(v);  // this thread's first read fills its cache
  bool granted = false;
  bool none = false;
  const long used = alloc_counter::during([&] {
    granted = r.evaluate(v).grants_access() && live.evaluate(v).grants_access();
    v.path = "/t1/x";
    none = r.select(v) == nullptr && r.select("", "/a/../t1") == nullptr;
  });
  CHECK(granted);
  CHECK(none);
  CHECK(used == 0);
}
