#include <cors/decision.hpp>

#include <set>
#include <string>

#include "catch.hpp"

TEST_CASE("every reason, kind and action has a distinct stable name") {
  std::set<std::string> names;
  for (int r = 0; r <= static_cast<int>(cors::reason::header_not_allowed); ++r) {
    const auto name = cors::to_string(static_cast<cors::reason>(r));
    CHECK(name != "unknown");
    names.emplace(name);
  }
  CHECK(names.size() == static_cast<std::size_t>(cors::reason::header_not_allowed) + 1);
  CHECK(cors::to_string(cors::request_kind::not_cors) == "not_cors");
  CHECK(cors::to_string(cors::request_kind::actual) == "actual");
  CHECK(cors::to_string(cors::request_kind::preflight) == "preflight");
  CHECK(cors::to_string(cors::action::forward) == "forward");
  CHECK(cors::to_string(cors::action::respond) == "respond");
}

TEST_CASE("a default decision is a non-CORS request with nothing to write") {
  const cors::decision d;
  CHECK(d.kind() == cors::request_kind::not_cors);
  CHECK(d.allowed());
  CHECK(d.action() == cors::action::forward);
  CHECK(d.header_count() == 0);
  CHECK(d.begin() == d.end());
  CHECK(d.header("Vary").empty());
}
