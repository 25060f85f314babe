#include <cors/fmt.hpp>
#include <cors/policy.hpp>

#include <fmt/format.h>

#include "catch.hpp"
#include "policy_for.hpp"

namespace {
cors::policy make_policy() {
  cors::config c;
  c.methods = {"PUT"};
  return testing::policy_for({"https://app.example.com"}, c);
}
}  // namespace

TEST_CASE("decisions format as one line, headers on request") {
  const auto p = make_policy();
  const auto d = p.evaluate(cors::make_request_view(
      "OPTIONS", {{"Origin", "https://app.example.com"}, {"Access-Control-Request-Method", "PUT"}}));
  CHECK(fmt::format("{}", d) == "preflight allowed (allowed) respond 204");
  CHECK(fmt::format("{:h}", d) ==
        "preflight allowed (allowed) respond 204\n"
        "Access-Control-Allow-Origin: https://app.example.com\n"
        "Access-Control-Allow-Methods: PUT\n"
        "Vary: Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
}

TEST_CASE("the offending request value is escaped, so it cannot forge a log line") {
  const auto p = make_policy();
  const auto d = p.evaluate(cors::make_request_view(
      "OPTIONS", {{"Origin", "https://app.example.com"}, {"Access-Control-Request-Method", "DELETE"}}));
  CHECK(fmt::format("{}", d) == "preflight refused (method_not_allowed: \"DELETE\") respond 403");
  const auto bad = p.evaluate(cors::make_request_view("OPTIONS", {{"Origin", "https://app.example.com"},
                                                                  {"Access-Control-Request-Method", "PUT"},
                                                                  {"Access-Control-Request-Headers", "x\r\nfake: 1"}}));
  const std::string line = fmt::format("{}", bad);
  CHECK(line.find('\r') == std::string::npos);
  CHECK(line.find('\n') == std::string::npos);
}

TEST_CASE("reasons, kinds and config errors format by name") {
  CHECK(fmt::format("{}", cors::reason::origin_not_allowed) == "origin_not_allowed");
  CHECK(fmt::format("{:>9}", cors::request_kind::actual) == "   actual");
  CHECK(fmt::format("{}", cors::config_error_code::no_origins) == "no_origins");
  const auto errors = cors::validate(cors::config{});
  REQUIRE(errors.size() == 1);
  CHECK(fmt::format("{:c}", errors[0]).rfind("no_origins: cors: ", 0) == 0);
  CHECK(fmt::format("{}", errors[0]) == errors[0].message);
}
