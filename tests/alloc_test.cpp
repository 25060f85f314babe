// evaluate() allocates nothing: every row of the decision matrix is evaluated while counting
// allocations (tests/alloc_counter.cpp).
#include <string>

#include "alloc_counter.hpp"
#include "catch.hpp"
#include "decision_matrix.hpp"

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

TEST_CASE("evaluate() allocates nothing across the whole decision matrix") {
  const auto& rows = matrix::rows();
  const auto& policies = matrix::policies();
  REQUIRE(rows.size() >= 150);
  for (const auto& row : rows) {
    const cors::policy& policy = policies.at(row.config);
    cors::decision d;
    const long used = alloc_counter::during([&] {
      const cors::request_view view = row.req.view();
      d = policy.evaluate(view);
    });
    CAPTURE(row.name, d.headers().size());
    REQUIRE(used == 0);
  }
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
