// The guards allocate nothing per request: the CSRF guard, the Host guard and the WebSocket check
// decide requests of every kind while allocations are counted (tests/alloc_counter.cpp).
#include <cors/csrf.hpp>
#include <cors/host_guard.hpp>
#include <cors/websocket.hpp>

#include <string>
#include <vector>

#include "alloc_counter.hpp"
#include "catch.hpp"

TEST_CASE("the guards allocate nothing per request") {
  cors::config c;
  c.origins = {"https://app.example", "https://*.tenants.example"};
  c.server_origins = {"https://api.example"};
  c.origin_predicate = [](std::string_view o) { return o == "https://tenant.example"; };
  const cors::policy policy{c};
  const cors::csrf_guard csrf{policy, cors::csrf_config{{"https://partner.example"}, {{"POST", "/hooks", true}}}};
  const cors::host_guard hosts{cors::host_guard_config{true, {"device.local:8080"}}};
  const std::string long_origin = "https://" + std::string(600, 'a') + ".example";
  const std::vector<std::vector<cors::header_pair>> requests = {
      {},
      {{"Sec-Fetch-Site", "same-origin"}, {"Host", "localhost:1"}},
      {{"Sec-Fetch-Site", "cross-site"}, {"Origin", "https://evil.example"}, {"Host", "attacker.test"}},
      {{"Sec-Fetch-Site", "cross-site"}, {"Origin", "https://x.tenants.example"}},
      {{"Sec-Fetch-Site", "cross-site"}, {"Origin", "https://tenant.example"}},
      {{"Origin", "http://127.0.0.1:8080"}, {"Host", "127.0.0.1:8080"}},
      {{"Origin", long_origin}, {"Host", "device.local:8080"}},
      {{"Origin", "null"}, {"Host", "[::1]:9"}, {"Host", "x"}},
  };
  for (const char* target : {"/", "/hooks/a", "/hooks/../admin"}) {
    for (const auto& headers : requests) {
      cors::request_view v = cors::make_request_view("POST", headers);
      v.target = target;
      int refused = 0;
      const long used = alloc_counter::during([&] {
        refused += csrf.check(v).refused() ? 1 : 0;
        refused += hosts.check(v).refused() ? 1 : 0;
        refused += cors::check_websocket_upgrade(policy, v).refused() ? 1 : 0;
      });
      CAPTURE(target, headers.size(), refused);
      CHECK(used == 0);
    }
  }
}
