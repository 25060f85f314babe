#include <cors/host_guard.hpp>

#include <fmt/format.h>
#include <cors/fmt.hpp>
#include <cors/local_server.hpp>
#include <cors/policy.hpp>

#include <string>
#include <vector>

#include "catch.hpp"

namespace {
using h = cors::host_reason;

h check(const cors::host_guard& g, std::vector<cors::header_pair> headers) {
  return g.check(cors::make_request_view("GET", headers)).why();
}
}  // namespace

TEST_CASE("the loopback Host guard allows localhost, 127.0.0.1 and [::1] with any port") {
  const cors::host_guard g;
  for (const std::string_view host : {"localhost", "localhost:8080", "LOCALHOST", "127.0.0.1", "127.0.0.1:0",
                                      "127.0.0.1:65535", "[::1]", "[::1]:3000", " localhost:1 "}) {
    CAPTURE(host);
    CHECK(g.check_host(host) == h::allowed);
  }
}

TEST_CASE("the loopback Host guard refuses every other name: DNS rebinding") {
  const cors::host_guard g;
  for (const std::string_view host : {"attacker.test", "attacker.test:8080", "localhost.", "localhost.attacker.test",
                                      "127.0.0.2", "0.0.0.0", "[::2]", "127.0.0.1.nip.io", "[0:0:0:0:0:0:0:1]"}) {
    CAPTURE(host);
    CHECK(g.check_host(host) == h::host_not_allowed);
  }
}

TEST_CASE("a malformed Host is refused as such") {
  const cors::host_guard g;
  for (const std::string_view host : {"", ":80", "localhost:", "localhost:65536", "localhost:123456", "localhost:8a",
                                      "localhost:-1", "[::1", "[::1]x", "[]", "[[::1]]", "a:b:c", "local]host"}) {
    CAPTURE(host);
    CHECK(g.check_host(host) == h::host_malformed);
  }
}

TEST_CASE("a request without Host, or with two, is refused") {
  const cors::host_guard g;
  CHECK(check(g, {}) == h::host_missing);
  CHECK(check(g, {{"Host", "localhost"}, {"Host", "localhost"}}) == h::host_multiple);
  CHECK(check(g, {{"host", "localhost:9"}}) == h::allowed);
  const cors::host_decision d = g.check(cors::make_request_view("POST", {{"Host", "attacker.test"}}));
  CHECK(d.refused());
  CHECK(d.status() == 403);
  CHECK(fmt::format("{}", d) == "host refused (host_not_allowed) 403");
}

TEST_CASE("configured names: any port, or exactly the one given") {
  const cors::host_guard g{cors::host_guard_config{false, {"printer.local", "device.local:8080", "[fd00::1]"}}};
  CHECK(g.check_host("printer.local") == h::allowed);
  CHECK(g.check_host("Printer.Local:631") == h::allowed);
  CHECK(g.check_host("device.local:8080") == h::allowed);
  CHECK(g.check_host("device.local:8081") == h::host_not_allowed);
  CHECK(g.check_host("device.local") == h::host_not_allowed);
  CHECK(g.check_host("[fd00::1]:80") == h::allowed);
  CHECK(g.check_host("localhost") == h::host_not_allowed);  // loopback off
}

TEST_CASE("Host guard configuration errors are collected") {
  try {
    const cors::host_guard g{cors::host_guard_config{true, {"ok.local", "bad name", "x:99999", "[zz]", ""}}};
    FAIL("no exception");
  } catch (const cors::invalid_guard_config& e) {
    CHECK(e.problems().size() == 4);
    for (const std::string& p : e.problems()) CHECK(p.rfind("cors: allowed host `", 0) == 0);
  }
}

TEST_CASE("the local server preset: explicit origins, refusals, a loopback Host guard") {
  const cors::local_server_config c = cors::local_server({"http://localhost:5173"}, true);
  CHECK(c.cors.origins == std::vector<std::string>{"http://localhost:5173"});
  CHECK(c.cors.refuse_disallowed_requests);
  CHECK(c.cors.private_network);
  CHECK(c.hosts.loopback);
  const cors::policy p{c.cors};
  const cors::host_guard g{c.hosts};
  CHECK(g.check_host("localhost:8080") == h::allowed);
  CHECK(g.check_host("attacker.test:8080") == h::host_not_allowed);
  const cors::decision d =
      p.evaluate(cors::make_request_view("OPTIONS", {{"Origin", "http://localhost:5173"},
                                                     {"Access-Control-Request-Method", "POST"},
                                                     {"Access-Control-Request-Private-Network", "true"}}));
  CHECK(d.header(cors::response_header_id::access_control_allow_private_network) == "true");
  CHECK_FALSE(cors::local_server({"http://localhost:5173"}).cors.private_network);
}
