// The recipe for any framework: a hand-written request/response type adapted in about 20 lines
// through cors::adapters::apply_with, and the merge rules that every adapter shares.
#include <cors/adapters/generic.hpp>
#include <cors/cors.hpp>
#include <cors/detail/vary.hpp>

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "policy_for.hpp"

namespace toy {
// A framework's own types: header lines kept in order, names as the application wrote them.
struct request {
  std::string method;
  std::vector<std::pair<std::string, std::string>> headers;
};
struct response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
};

// ---- the adapter: the ~20 lines the README's recipe shows ----
cors::request_view make_request_view(const request& req) noexcept {
  cors::request_view v{};
  v.method = req.method;
  for (const auto& [name, value] : req.headers) v.add_header(name, value);
  return v;
}

void apply(const cors::decision& d, response& res) {
  cors::adapters::apply_with(
      d,
      [&](cors::response_header_id id) {  // erase every line of the header
        const std::string_view name = cors::name_of(id);
        auto& h = res.headers;
        h.erase(std::remove_if(h.begin(), h.end(), [&](auto& l) { return cors::detail::iequals(l.first, name); }),
                h.end());
      },
      [&](cors::response_header_id id, std::string_view value) { res.headers.emplace_back(cors::name_of(id), value); },
      [&](auto&& each) {  // visit the Vary lines
        for (const auto& [name, value] : res.headers) {
          if (cors::detail::iequals(name, "Vary")) each(value);
        }
      });
}
// ---- end of the adapter ----

std::vector<std::string> values(const response& res, std::string_view name) {
  std::vector<std::string> out;
  for (const auto& [n, v] : res.headers) {
    if (cors::detail::iequals(n, name)) out.push_back(v);
  }
  return out;
}
std::size_t count_prefixed(const response& res, std::string_view prefix) {
  std::size_t n = 0;
  for (const auto& h : res.headers) n += cors::detail::istarts_with(h.first, prefix) ? 1 : 0;
  return n;
}
}  // namespace toy

namespace {
cors::policy make_policy(bool credentials = false) {
  cors::config cfg;
  cfg.origins = {"https://app.example.com"};
  cfg.methods = {"PUT"};
  cfg.request_headers = {credentials ? "*" : "X-Req"};
  cfg.exposed_headers = {"X-Total-Count"};
  cfg.credentials = credentials;
  if (credentials) cfg.request_headers = {"X-Req", "X-Other"};
  return testing::policy_for(cfg);
}
}  // namespace

TEST_CASE("the toy adapter writes an allowed actual request's headers once, replacing stale ones") {
  const cors::policy policy = make_policy(true);
  const toy::request req{"GET", {{"Host", "api.example.com"}, {"origin", "https://app.example.com"}}};
  toy::response res;
  res.headers = {{"access-control-allow-origin", "*"},
                 {"Access-Control-Allow-Methods", "DELETE"},  // stale: not part of an actual response
                 {"Content-Type", "text/plain"}};
  toy::apply(policy.evaluate(toy::make_request_view(req)), res);
  CHECK(toy::values(res, "Access-Control-Allow-Origin") == std::vector<std::string>{"https://app.example.com"});
  CHECK(toy::values(res, "Access-Control-Allow-Credentials") == std::vector<std::string>{"true"});
  CHECK(toy::values(res, "Access-Control-Expose-Headers") == std::vector<std::string>{"X-Total-Count"});
  CHECK(toy::values(res, "Access-Control-Allow-Methods").empty());
  CHECK(toy::values(res, "Vary") == std::vector<std::string>{"Origin"});
  CHECK(toy::values(res, "Content-Type") == std::vector<std::string>{"text/plain"});
}

TEST_CASE("the toy adapter leaves a refused request without any Access-Control-Allow header") {
  const cors::policy policy = make_policy();
  const toy::request req{"OPTIONS", {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "PUT"}}};
  toy::response res;
  res.headers = {{"Access-Control-Allow-Origin", "https://evil.example"}, {"Access-Control-Max-Age", "600"}};
  const cors::decision d = policy.evaluate(toy::make_request_view(req));
  REQUIRE(d.refused());
  toy::apply(d, res);
  CHECK(toy::count_prefixed(res, "access-control-") == 0);
  CHECK(toy::values(res, "Vary").size() == 1);
}

TEST_CASE("the toy adapter keeps repeated Access-Control-Allow-Headers lines of an echo as lines") {
  cors::config cfg;
  cfg.origins = {"https://app.example.com"};
  cfg.request_headers = {"*"};
  cfg.credentials = true;
  const cors::policy policy = testing::policy_for(cfg);
  const toy::request req{"OPTIONS",
                         {{"Origin", "https://app.example.com"},
                          {"Access-Control-Request-Method", "GET"},
                          {"Access-Control-Request-Headers", "x-a"},
                          {"Access-Control-Request-Headers", "x-b"}}};
  toy::response res;
  toy::apply(policy.evaluate(toy::make_request_view(req)), res);
  CHECK(toy::values(res, "Access-Control-Allow-Headers") == std::vector<std::string>{"x-a", "x-b"});
  CHECK(toy::values(res, "Access-Control-Allow-Origin").size() == 1);
}

TEST_CASE("Vary is merged into the response's own: missing tokens added, one line, case-insensitive") {
  const cors::policy policy = make_policy();
  const toy::request req{"OPTIONS", {{"Origin", "https://app.example.com"}, {"Access-Control-Request-Method", "PUT"}}};
  const cors::decision d = policy.evaluate(toy::make_request_view(req));
  SECTION("no Vary yet: the decision's, as is") {
    toy::response res;
    toy::apply(d, res);
    CHECK(toy::values(res, "Vary") ==
          std::vector<std::string>{"Origin, Access-Control-Request-Method, Access-Control-Request-Headers"});
  }
  SECTION("the application's tokens come first, then only the missing ones") {
    toy::response res;
    res.headers = {{"vary", "Accept-Encoding, origin"}};
    toy::apply(d, res);
    CHECK(toy::values(res, "Vary") ==
          std::vector<std::string>{"Accept-Encoding, origin, Access-Control-Request-Method, "
                                   "Access-Control-Request-Headers"});
  }
  SECTION("two application lines become one merged line") {
    toy::response res;
    res.headers = {{"Vary", "Accept-Encoding"}, {"Vary", "Access-Control-Request-Method"}};
    toy::apply(d, res);
    CHECK(toy::values(res, "Vary") ==
          std::vector<std::string>{"Accept-Encoding, Access-Control-Request-Method, Origin, "
                                   "Access-Control-Request-Headers"});
  }
  SECTION("every token already present: nothing changes") {
    toy::response res;
    res.headers = {{"Vary", "ORIGIN,access-control-request-headers ,  Access-Control-Request-Method"}};
    toy::apply(d, res);
    CHECK(toy::values(res, "Vary") ==
          std::vector<std::string>{"ORIGIN,access-control-request-headers ,  Access-Control-Request-Method"});
  }
  SECTION("Vary: * already says everything varies and is left alone") {
    toy::response res;
    res.headers = {{"Vary", "*"}};
    toy::apply(d, res);
    CHECK(toy::values(res, "Vary") == std::vector<std::string>{"*"});
  }
  SECTION("applying twice changes nothing") {
    toy::response res;
    res.headers = {{"Vary", "Accept-Encoding"}};
    toy::apply(d, res);
    auto once = res.headers;
    toy::apply(d, res);
    auto twice = res.headers;
    std::sort(once.begin(), once.end());  // the order of different names carries no meaning
    std::sort(twice.begin(), twice.end());
    CHECK(twice == once);
  }
}

TEST_CASE("Vary list helpers split on commas, trim whitespace and skip empty elements") {
  using cors::detail::vary_contains;
  CHECK(vary_contains("Accept-Encoding, Origin", "origin"));
  CHECK(vary_contains(" ,,\tOrigin\t,", "Origin"));
  CHECK(vary_contains("a, Origin ", "ORIGIN"));
  CHECK_FALSE(vary_contains("Origins", "Origin"));
  CHECK_FALSE(vary_contains("", "Origin"));
  CHECK(vary_contains("*", "*"));
}

TEST_CASE("apply_with with present_headers asks only about the headers the response has") {
  const cors::policy p = make_policy(true);
  const cors::decision d = p.evaluate(cors::make_request_view("GET", {{"Origin", "https://app.example.com"}}));
  REQUIRE(d.grants_access());
  std::vector<cors::response_header_id> erased;
  int vary_visits = 0;
  std::vector<std::pair<std::string, std::string>> written;
  const auto run = [&](cors::adapters::present_headers present, std::vector<std::string> vary_lines) {
    erased.clear();
    vary_visits = 0;
    written.clear();
    cors::adapters::apply_with(
        d, present, [&](cors::response_header_id id) { erased.push_back(id); },
        [&](cors::response_header_id id, std::string_view value) {
          written.emplace_back(std::string(cors::name_of(id)), std::string(value));
        },
        [&](auto&& each) {
          ++vary_visits;
          for (const std::string& line : vary_lines) each(std::string_view(line));
        });
  };
  const std::vector<std::pair<std::string, std::string>> fresh = {
      {"Access-Control-Allow-Origin", "https://app.example.com"},
      {"Access-Control-Allow-Credentials", "true"},
      {"Access-Control-Expose-Headers", "X-Total-Count"},
      {"Vary", "Origin"}};
  SECTION("a fresh response: no erase, no Vary lookup, only the appends") {
    run(cors::adapters::present_headers{}, {});
    CHECK(erased.empty());
    CHECK(vary_visits == 0);
    CHECK(written == fresh);
  }
  SECTION("a stale Access-Control-Allow-Origin is erased, and only it") {
    cors::adapters::present_headers present;
    present.add_named("access-control-allow-ORIGIN");
    present.add_named("Content-Type");
    run(present, {});
    CHECK(erased == std::vector<cors::response_header_id>{cors::response_header_id::access_control_allow_origin});
    CHECK(vary_visits == 0);
    CHECK(written == fresh);
  }
  SECTION("a Vary the response has is merged into one line") {
    cors::adapters::present_headers present;
    present.add(cors::response_header_id::vary);
    run(present, {"Accept-Encoding"});
    CHECK(erased == std::vector<cors::response_header_id>{cors::response_header_id::vary});
    CHECK(vary_visits > 0);
    REQUIRE(written.size() == 4);
    CHECK(written.back() == std::pair<std::string, std::string>{"Vary", "Accept-Encoding, Origin"});
  }
  SECTION("without present_headers every replaced header is erased and Vary is looked up, as all() says") {
    cors::adapters::apply_with(
        d, [&](cors::response_header_id id) { erased.push_back(id); },
        [](cors::response_header_id, std::string_view) {}, [&](auto&&) { ++vary_visits; });
    CHECK(erased.size() == cors::response_headers.size() - 1);  // all but Vary
    CHECK(vary_visits == 1);
    run(cors::adapters::present_headers::all(), {});
    CHECK(erased.size() == cors::response_headers.size() - 1);
    CHECK(written == fresh);
  }
}

TEST_CASE("header_range::for_each visits what a range-for over the headers visits") {
  const cors::policy p = make_policy(true);
  const auto same = [](const cors::decision& d) {
    std::vector<std::pair<cors::response_header_id, std::string_view>> by_for, by_for_each;
    for (const cors::response_header h : d.headers()) by_for.emplace_back(h.id, h.value);
    d.headers().for_each([&](const cors::response_header h) { by_for_each.emplace_back(h.id, h.value); });
    CHECK(by_for == by_for_each);
    return by_for.size();
  };
  CHECK(same(p.evaluate(cors::make_request_view("GET", {{"Origin", "https://app.example.com"}}))) == 4);
  CHECK(same(p.evaluate(cors::make_request_view("GET", {}))) == 1);
  CHECK(same(p.evaluate(cors::make_request_view("GET", {{"Origin", "https://other.example"}}))) == 1);
  // An echoed multi-line Access-Control-Request-Headers (`*` with credentials): one visit per line.
  cors::config echo;
  echo.origins = {"https://app.example.com"};
  echo.methods = {"PUT"};
  echo.request_headers = {"*"};
  echo.credentials = true;
  const cors::policy e = testing::policy_for(echo);
  CHECK(same(e.evaluate(cors::make_request_view("OPTIONS", {{"Origin", "https://app.example.com"},
                                                            {"Access-Control-Request-Method", "PUT"},
                                                            {"Access-Control-Request-Headers", "x-req"},
                                                            {"Access-Control-Request-Headers", "x-other"}}))) == 6);
}

TEST_CASE("name_string gives each response header's name, one string per id for the program's life") {
  for (const cors::response_header_spec& spec : cors::response_headers) {
    CAPTURE(spec.name);
    const std::string& name = cors::adapters::detail::name_string(spec.id);
    CHECK(name == spec.name);
    CHECK(&cors::adapters::detail::name_string(spec.id) == &name);  // built once, never again
  }
}
