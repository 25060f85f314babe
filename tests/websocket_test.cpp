#include <cors/websocket.hpp>

#include <fmt/format.h>
#include <cors/fmt.hpp>

#include <string>
#include <vector>

#include "catch.hpp"

namespace {
using w = cors::websocket_reason;

cors::policy ws_policy(std::vector<std::string> origins) {
  cors::config c;
  c.origins = std::move(origins);
  c.server_origins = {"https://api.example"};
  return cors::policy{c};
}

w check(const cors::policy& p, std::vector<cors::header_pair> headers) {
  return cors::check_websocket_upgrade(p, cors::make_request_view("GET", headers)).why();
}
}  // namespace

TEST_CASE("a WebSocket upgrade from an origin the policy names is accepted") {
  const cors::policy p = ws_policy({"https://app.example", "https://*.tenants.example"});
  CHECK(check(p, {{"Origin", "https://app.example"}, {"Host", "api.example"}}) == w::allowed_origin);
  CHECK(check(p, {{"Origin", "https://a.tenants.example"}}) == w::allowed_origin);
  CHECK(check(p, {{"Origin", "https://api.example"}, {"Host", "10.0.0.1"}}) == w::allowed_origin);  // server origin
}

TEST_CASE("a same-origin WebSocket upgrade is accepted") {
  const cors::policy p = ws_policy({"https://app.example"});
  CHECK(check(p, {{"Origin", "http://127.0.0.1:8080"}, {"Host", "127.0.0.1:8080"}}) == w::same_origin);
}

TEST_CASE("a cross-site WebSocket hijacking upgrade is refused") {
  const cors::policy p = ws_policy({"https://app.example"});
  const cors::websocket_decision d = cors::check_websocket_upgrade(
      p, cors::make_request_view("GET", {{"Origin", "https://evil.example"}, {"Host", "api.example"}}));
  CHECK(d.why() == w::origin_not_allowed);
  CHECK(d.refused());
  CHECK(d.status() == 403);
  CHECK(fmt::format("{}", d) == "websocket refused (origin_not_allowed) 403");
  CHECK(check(p, {{"Origin", "null"}, {"Host", "api.example"}}) == w::origin_not_allowed);
  CHECK(check(p, {{"Origin", "https://app.example:444"}}) == w::origin_not_allowed);
  CHECK(check(p, {{"Origin", "https://app.example"}, {"Origin", "https://app.example"}}) == w::origin_multiple);
  CHECK(check(p, {{"Origin", "https://api.example:8443"}, {"Host", "api.example"}}) == w::origin_not_allowed);
}

TEST_CASE("the CORS `*` does not accept every WebSocket origin") {
  const cors::policy p = ws_policy({"*"});
  CHECK(check(p, {{"Origin", "https://evil.example"}, {"Host", "api.example"}}) == w::origin_not_allowed);
}

TEST_CASE("a WebSocket upgrade without Origin is not from a browser and is accepted") {
  const cors::policy p = ws_policy({"https://app.example"});
  const cors::websocket_decision d = cors::check_websocket_upgrade(p, cors::make_request_view("GET", {}));
  CHECK(d.why() == w::no_origin);
  CHECK_FALSE(d.refused());
  CHECK(fmt::format("{}", d) == "websocket accepted (no_origin)");
}
