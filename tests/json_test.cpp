#include "cors/json.hpp"

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "catch.hpp"

namespace {

std::vector<std::string> messages(const std::vector<cors::config_error>& errors) {
  std::vector<std::string> out;
  for (const cors::config_error& e : errors) out.push_back(e.message);
  return out;
}

bool has_message_starting(const std::vector<cors::config_error>& errors, const std::string& start) {
  for (const cors::config_error& e : errors) {
    if (e.message.compare(0, start.size(), start) == 0) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("json: every cors::config field is read", "[json]") {
  const cors::policy_result r = cors::policy_from_json(R"({
    "origins": ["https://app.example.com", "http://localhost:*"],
    "methods": ["PUT"], "request_headers": ["X-Req"], "exposed_headers": ["X-Total"],
    "credentials": true, "max_age": 600, "private_network": true, "preflight_status": 200,
    "preflight_passthrough": false, "refuse_disallowed_requests": true,
    "server_origins": ["https://api.example.com"], "max_request_headers_bytes": 1024,
    "dangerously_allow_null_origin": false, "dangerously_allow_insecure_origins_with_credentials": false
  })");
  INFO(messages(r.errors()).size());
  REQUIRE(r);
  CHECK(r->allows_origin("https://app.example.com"));
  CHECK_FALSE(r->allows_origin("https://evil.example"));
  const cors::decision d =
      r->evaluate(cors::make_request_view("OPTIONS", {{"Origin", "https://app.example.com"},
                                                      {"Access-Control-Request-Method", "PUT"},
                                                      {"Access-Control-Request-Headers", "x-req"}}));
  CHECK(d.status() == 200);
  bool max_age = false;
  for (const cors::response_header h : d.headers()) {
    if (h.id == cors::response_header_id::access_control_max_age) max_age = h.value == "600";
  }
  CHECK(max_age);
  const cors::decision refused = r->evaluate(cors::make_request_view("GET", {{"Origin", "https://evil.example"}}));
  CHECK(refused.status() == 403);
}

TEST_CASE("json: a typo is an error naming its pointer, never a silently open or closed policy", "[json]") {
  const cors::policy_result r = cors::policy_from_json(R"({"orgins": ["https://app.example.com"]})");
  REQUIRE_FALSE(r);
  // The unknown key, and the policy's own complaint that it allows no origin.
  CHECK(has_message_starting(r.errors(), "/orgins: cors: unknown key `orgins`"));
  CHECK(r.errors().front().code == cors::config_error_code::json_invalid);
}

TEST_CASE("json: wrong types are errors with pointers", "[json]") {
  const cors::policy_result r = cors::policy_from_json(
      R"({"origins": ["https://a.example", 7], "credentials": "yes", "max_age": 1.5, "methods": "PUT",
          "preflight_status": 99999999999, "max_request_headers_bytes": -1})");
  REQUIRE_FALSE(r);
  CHECK(has_message_starting(r.errors(), "/origins/1: cors: must be a string, not number"));
  CHECK(has_message_starting(r.errors(), "/credentials: cors: must be true or false, not string"));
  CHECK(has_message_starting(r.errors(), "/max_age: cors: must be an integer"));
  CHECK(has_message_starting(r.errors(), "/methods: cors: must be an array of strings"));
  CHECK(has_message_starting(r.errors(), "/preflight_status: cors: is out of range"));
  CHECK(has_message_starting(r.errors(), "/max_request_headers_bytes: cors: must not be negative"));
  CHECK(r.errors().size() == 6);
  CHECK_FALSE(cors::policy_from_json("[1]"));
  CHECK(has_message_starting(cors::policy_from_json("[1]").errors(), "/: cors: a policy must be an object"));
}

TEST_CASE("json: syntax errors and repeated keys are reported", "[json]") {
  const cors::policy_result bad = cors::policy_from_json(R"({"origins": [)");
  REQUIRE_FALSE(bad);
  CHECK(has_message_starting(bad.errors(), "/: cors: not JSON"));
  const cors::policy_result twice =
      cors::policy_from_json(R"({"origins": ["https://a.example"], "x": {"y": [{"k": 1, "k": 2}]}, "origins": ["*"]})");
  REQUIRE_FALSE(twice);
  CHECK(has_message_starting(twice.errors(), "/x/y/0/k: cors: this key is given twice"));
  CHECK(has_message_starting(twice.errors(), "/origins: cors: this key is given twice"));
}

TEST_CASE("json: the policy's own errors come with the pointer of what they name", "[json]") {
  const cors::policy_result r = cors::policy_from_json(
      R"({"origins": ["https://ok.example", "https://App.example", "*"], "credentials": true,
          "methods": ["CONNECT"], "max_age": 100000, "preflight_status": 201})");
  REQUIRE_FALSE(r);
  CHECK(has_message_starting(r.errors(), "/origins/1: cors: "));
  CHECK(has_message_starting(r.errors(), "/origins/2: cors: origin `*` cannot be combined with `credentials`"));
  CHECK(has_message_starting(r.errors(), "/methods/0: cors: "));
  CHECK(has_message_starting(r.errors(), "/max_age: cors: "));
  CHECK(has_message_starting(r.errors(), "/preflight_status: cors: "));
  CHECK(r.errors().size() == cors::validate([] {
                               cors::config c;
                               c.origins = {"https://ok.example", "https://App.example", "*"};
                               c.credentials = true;
                               c.methods = {"CONNECT"};
                               c.max_age = std::chrono::seconds(100000);
                               c.preflight_status = 201;
                               return c;
                             }())
                                 .size());
}

TEST_CASE("json: a router file, with pointers into its routes", "[json]") {
  const cors::router_result r = cors::router_from_json(R"({
    "routes": [
      {"path_prefix": "/api/", "policy": {"origins": ["*"]}},
      {"host": "tenant.example", "path_prefix": "/api/", "policy": {"origins": ["https://tenant.example"]}},
      {"path_prefix": "/api/private", "policy": null}
    ],
    "default": {"origins": ["https://app.example"]}
  })");
  REQUIRE(r);
  CHECK(r->size() == 3);
  CHECK(r->select("", "/api/x")->allows_origin("https://any.example"));
  CHECK_FALSE(r->select("tenant.example", "/api/x")->allows_origin("https://any.example"));
  CHECK(r->select("", "/api/private/x") == nullptr);
  CHECK(r->select("", "/other")->allows_origin("https://app.example"));

  const cors::router_result bad = cors::router_from_json(R"({
    "routes": [
      {"path_prefix": "/api/", "policy": {"origins": ["*"]}},
      {"path_prefix": "/api", "policy": {"orgins": ["*"], "origins": ["https://a.example/"]}},
      {"path_prefix": "api", "policy": null, "hots": "x"},
      {"policy": null},
      {"path_prefix": "/b"}
    ],
    "defaults": {}
  })");
  REQUIRE_FALSE(bad);
  for (const char* start :
       {"/routes/1: cors: another route has the same host and path prefix",
        "/routes/1/policy/orgins: cors: unknown key", "/routes/2/path_prefix: cors: path prefix `api`",
        "/routes/2/hots: cors: unknown key", "/routes/3: cors: a route needs `path_prefix`",
        "/routes/4: cors: a route needs `policy`", "/defaults: cors: unknown key"}) {
    INFO(start);
    CHECK(has_message_starting(bad.errors(), start));
  }
  // A policy's own errors inside a route.
  const cors::router_result invalid =
      cors::router_from_json(R"({"routes": [{"path_prefix": "/a", "policy": {"origins": ["https://a.example/"]}}]})");
  REQUIRE_FALSE(invalid);
  CHECK(has_message_starting(invalid.errors(), "/routes/0/policy/origins/0: cors: "));
  CHECK(invalid.errors().front().code == cors::config_error_code::origin_has_path);
}

TEST_CASE("json: a policy file read as a router is its default; files are read", "[json]") {
  const cors::router_result r = cors::router_from_json(R"({"origins": ["https://app.example"]})");
  REQUIRE(r);
  CHECK(r->size() == 0);
  CHECK(r->select("", "/anything")->allows_origin("https://app.example"));
  CHECK_FALSE(cors::policy_from_json(R"({"routes": []})"));

  const std::string path = "cors_json_test_policy.json";
  {
    std::ofstream out(path);
    out << R"({"origins": ["https://file.example"]})";
  }
  const cors::router_result from_file = cors::router_from_json_file(path);
  REQUIRE(from_file);
  CHECK(from_file->select("", "/")->allows_origin("https://file.example"));
  CHECK(cors::policy_from_json_file(path));
  std::remove(path.c_str());
  const cors::router_result missing = cors::router_from_json_file("/nonexistent/cors.json");
  REQUIRE_FALSE(missing);
  CHECK(missing.errors().front().message == "cors: cannot read /nonexistent/cors.json");
}

TEST_CASE("json: a reload that fails keeps the running router and returns every error", "[json][live]") {
  const std::string path = "cors_json_test_reload.json";
  const auto write = [&path](const char* text) {
    std::ofstream out(path);
    out << text;
  };
  write(R"({"routes": [{"path_prefix": "/api", "policy": {"origins": ["https://a.example"]}}]})");
  cors::live_router live(cors::router_from_json_file(path).value());
  const std::uint64_t before = live.generation();
  write(R"({"routes": [{"path_prefix": "/api", "policy": {"orgins": ["https://b.example"]}}], "x": 1})");
  const std::vector<cors::config_error> errors = cors::reload_json_file(live, path);
  REQUIRE(errors.size() == 2);
  CHECK(live.generation() == before);
  CHECK(live.current().select("", "/api/x")->allows_origin("https://a.example"));
  write(R"({"routes": [{"path_prefix": "/api", "policy": {"origins": ["https://b.example"]}}]})");
  CHECK(cors::reload_json_file(live, path).empty());
  CHECK(live.current().select("", "/api/x")->allows_origin("https://b.example"));
  cors::live_policy policy(cors::policy_from_json(R"({"origins": ["*"]})").value());
  write(R"({"origins": []})");
  CHECK_FALSE(cors::reload_json_file(policy, path).empty());
  CHECK(policy.current().allows_origin("https://any.example"));
  std::remove(path.c_str());
}

TEST_CASE("json: a file starts from a base config; its keys replace the base's fields", "[json]") {
  // What JSON cannot say (a function) comes from the base: here a public-suffix check.
  cors::config base;
  base.public_suffix = [](std::string_view domain) { return domain == "co.uk"; };
  base.debug = true;
  const cors::router_result refused = cors::router_from_json(
      R"({"routes": [{"path_prefix": "/api/", "policy": {"origins": ["https://*.co.uk"]}}]})", base);
  REQUIRE_FALSE(refused);
  REQUIRE(refused.errors().size() == 1);
  CHECK(refused.errors()[0].code == cors::config_error_code::origin_wildcard_public_suffix);
  CHECK(has_message_starting(refused.errors(), "/routes/0/policy/origins/0: "));
  // Without the base, nothing knows co.uk is a public suffix.
  CHECK(
      cors::router_from_json(R"({"routes": [{"path_prefix": "/api/", "policy": {"origins": ["https://*.co.uk"]}}]})"));
  // The flag, by its config field name, lets it through.
  const cors::policy_result allowed = cors::policy_from_json(
      R"({"origins": ["https://*.co.uk"], "dangerously_allow_subdomains_of_public_suffixes": true, "debug": false,
          "timing_allow_origin": true})",
      base);
  INFO(messages(allowed.errors()).size());
  REQUIRE(allowed);
  CHECK(allowed->allows_origin("https://shop.co.uk"));
  const cors::decision d = allowed->evaluate(cors::make_request_view("GET", {{"Origin", "https://shop.co.uk"}}));
  bool timing = false;
  for (const cors::response_header& h : d.headers())
    timing = timing || h.id == cors::response_header_id::timing_allow_origin;
  CHECK(timing);
}
