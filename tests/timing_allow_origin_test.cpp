#include <cors/policy.hpp>

#include <string>
#include <vector>

#include "catch.hpp"

namespace {
cors::policy tao_policy(std::vector<std::string> origins, bool credentials, bool timing = true) {
  cors::config c;
  c.origins = std::move(origins);
  c.credentials = credentials;
  c.timing_allow_origin = timing;
  return cors::policy{c};
}
constexpr auto tao = cors::response_header_id::timing_allow_origin;
}  // namespace

TEST_CASE("Timing-Allow-Origin names exactly the allowed origin of an actual request") {
  const cors::policy p = tao_policy({"https://app.example"}, true);
  const cors::decision d = p.evaluate(cors::make_request_view("GET", {{"Origin", " https://app.example"}}));
  CHECK(d.header(tao) == "https://app.example");
  CHECK(d.header(cors::response_header_id::access_control_allow_origin) == "https://app.example");
  CHECK(cors::name_of(tao) == "Timing-Allow-Origin");
  bool listed = false;
  for (const cors::response_header h : d.headers()) listed = listed || (h.name() == "Timing-Allow-Origin");
  CHECK(listed);
}

TEST_CASE("Timing-Allow-Origin is not sent to refused origins, preflights or requests without Origin") {
  const cors::policy p = tao_policy({"https://app.example"}, false);
  CHECK(p.evaluate(cors::make_request_view("GET", {{"Origin", "https://evil.example"}})).header(tao).empty());
  CHECK(p.evaluate(cors::make_request_view("GET", {})).header(tao).empty());
  const cors::decision preflight = p.evaluate(cors::make_request_view(
      "OPTIONS", {{"Origin", "https://app.example"}, {"Access-Control-Request-Method", "POST"}}));
  CHECK(preflight.grants_access());
  CHECK(preflight.header(tao).empty());
  // Same-origin requests need no Timing-Allow-Origin.
  cors::config c;
  c.origins = {"https://app.example"};
  c.server_origins = {"https://api.example"};
  c.timing_allow_origin = true;
  const cors::policy same_policy{c};
  const cors::decision same =
      same_policy.evaluate(cors::make_request_view("POST", {{"Origin", "https://api.example"}}));
  CHECK(same.why() == cors::reason::same_origin);
  CHECK(same.header(tao).empty());
}

TEST_CASE("a policy answering `*` to everyone sends Timing-Allow-Origin `*` to everyone") {
  const cors::policy p = tao_policy({"*"}, false);
  CHECK(p.evaluate(cors::make_request_view("GET", {})).header(tao) == "*");
  CHECK(p.evaluate(cors::make_request_view("GET", {{"Origin", "https://any.example"}})).header(tao) == "*");
}

TEST_CASE("Timing-Allow-Origin is opt-in") {
  const cors::policy p = tao_policy({"https://app.example"}, false, false);
  CHECK(p.evaluate(cors::make_request_view("GET", {{"Origin", "https://app.example"}})).header(tao).empty());
  CHECK(tao_policy({"*"}, false, false).evaluate(cors::make_request_view("GET", {})).header(tao).empty());
}

TEST_CASE("names_origin: what the policy names, never `*` or `null`") {
  cors::config c;
  c.origins = {"https://app.example", "https://*.t.example", "http://localhost:*", "*", "null"};
  c.dangerously_allow_null_origin = true;
  c.server_origins = {"https://api.example"};
  c.origin_predicate = [](std::string_view o) { return o == "https://tenant.example"; };
  const cors::policy p{c};
  CHECK(p.names_origin("https://app.example"));
  CHECK(p.names_origin("https://a.t.example"));
  CHECK(p.names_origin("http://localhost:1234"));
  CHECK(p.names_origin("https://api.example"));
  CHECK(p.names_origin("https://tenant.example"));
  CHECK_FALSE(p.names_origin("https://t.example"));
  CHECK_FALSE(p.names_origin("https://other.example"));
  CHECK_FALSE(p.names_origin("null"));
  CHECK_FALSE(p.names_origin("https://APP.example"));
  CHECK(p.allows_origin("https://other.example"));
  CHECK(p.allows_origin("null"));
}
