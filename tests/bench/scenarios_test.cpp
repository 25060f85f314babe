// Each benchmark scenario decides what its name says, without allocating: the numbers
// `cors_bench` reports are for the intended path through the policy.
#include "scenarios.hpp"

#include <cstdint>
#include <string>

#include "alloc_counter.hpp"
#include "catch.hpp"

namespace {

const std::vector<cors_bench::scenario>& all() {
  static const std::vector<cors_bench::scenario> s = cors_bench::make_scenarios();
  return s;
}

}  // namespace

TEST_CASE("the allocation counter of the benchmarks sees allocations") {
  const std::uint64_t before = alloc_counter::total();
  auto* s = new std::string(100, 'x');
  delete s;
  CHECK(alloc_counter::total() - before >= 1);
}

TEST_CASE("there are the eleven benchmark scenarios, in order") {
  std::string names;
  for (const auto& s : all()) names += s.name + " ";
  CHECK(names ==
        "a_no_origin b_actual_allowed c_actual_disallowed d_preflight_1_header e_preflight_5_headers "
        "f_preflight_denied g_10k_exact_origins h_1k_wildcard_origins i1_acrh_1mib_commas "
        "i2_acrh_262k_tokens j_allow_all ");
}

TEST_CASE("each benchmark scenario gets its expected decision without allocating") {
  for (const auto& s : all()) {
    const cors::request_view view = s.req.view();
    const std::uint64_t before = alloc_counter::total();
    const cors::decision d = s.policy.evaluate(view);
    const std::uint64_t used = alloc_counter::total() - before;
    CAPTURE(s.name, cors::to_string(d.why()), cors::to_string(d.kind()));
    CHECK(used == 0);
    CHECK(d.kind() == s.kind);
    CHECK(d.why() == s.why);
    CHECK(!d.refused() == s.allowed);
    CHECK(d.header(cors::response_header_id::access_control_allow_origin) == s.allow_origin);
  }
}

TEST_CASE("the large-configuration scenarios have the configured size") {
  CHECK(cors_bench::exact_origins_config().origins.size() == 10'000);
  CHECK(cors_bench::wildcard_origins_config().origins.back() == "https://*.example999.com");
}

TEST_CASE("the hostile Access-Control-Request-Headers scenarios are as large as named") {
  for (const auto& s : all()) {
    if (s.name.rfind("i", 0) != 0) continue;
    CAPTURE(s.name);
    const cors::request_view view = s.req.view();
    REQUIRE(view.access_control_request_headers.size() == 1);
    CHECK(view.access_control_request_headers.front().size() == std::size_t{1} << 20);
  }
}
