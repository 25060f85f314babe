#include <cors/decision.hpp>
#include <cors/policy.hpp>
#include <cors/response_header.hpp>

#include <iterator>
#include <set>
#include <string>
#include <type_traits>
#include <vector>

#include "catch.hpp"
#include "decision_matrix.hpp"

TEST_CASE("every reason, kind and action has a distinct stable name") {
  std::set<std::string> names;
  for (int r = 0; r <= static_cast<int>(cors::reason::headers_too_many_lines); ++r) {
    const auto name = cors::to_string(static_cast<cors::reason>(r));
    CHECK(name != "unknown");
    names.emplace(name);
  }
  CHECK(names.size() == static_cast<std::size_t>(cors::reason::headers_too_many_lines) + 1);
  CHECK(cors::to_string(cors::request_kind::not_cors) == "not_cors");
  CHECK(cors::to_string(cors::request_kind::actual) == "actual");
  CHECK(cors::to_string(cors::request_kind::preflight) == "preflight");
  CHECK(cors::to_string(cors::action::forward) == "forward");
  CHECK(cors::to_string(cors::action::respond) == "respond");
}

TEST_CASE("a default decision is a non-CORS request with nothing to write") {
  const cors::decision d;
  CHECK(d.kind() == cors::request_kind::not_cors);
  CHECK_FALSE(d.refused());
  CHECK(d.next_action() == cors::action::forward);
  CHECK(d.headers().size() == 0);
  CHECK(d.headers().empty());
  CHECK(d.headers().begin() == d.headers().end());
  CHECK(d.request_origin().empty());
  CHECK(d.offending_value().empty());
  CHECK(d.header(cors::response_header_id::vary).empty());
}

TEST_CASE("grants_access is only `allowed`; refused is everything but allowed, not_cors and same_origin") {
  // Over every decision of the matrix (every reason occurs there): the two queries against the
  // reason, and refusals never carry Access-Control-Allow-Origin.
  std::set<cors::reason> seen;
  for (const matrix::row& row : matrix::rows()) {
    CAPTURE(row.name);
    const cors::decision d = matrix::policies().at(row.config).evaluate(row.req.view());
    seen.insert(d.why());
    CHECK(d.grants_access() == (d.why() == cors::reason::allowed));
    const bool neutral = d.why() == cors::reason::not_cors || d.why() == cors::reason::same_origin;
    CHECK(d.refused() == (!d.grants_access() && !neutral));
    if (d.refused()) CHECK(d.header(cors::response_header_id::access_control_allow_origin).empty());
  }
  CHECK(seen.size() == 13);  // all but origin_predicate_failed (tests/config_test.cpp)
  cors::config c;
  c.origins = {"https://app.example.com"};
  c.server_origins = {"https://api.example.com"};
  const cors::policy p{c};
  const auto get = [&p](std::string_view origin) {
    return p.evaluate(cors::make_request_view("GET", {{"Origin", origin}}));
  };
  const cors::decision none = p.evaluate(cors::make_request_view("GET", {}));
  CHECK(none.why() == cors::reason::not_cors);
  CHECK_FALSE(none.grants_access());
  CHECK_FALSE(none.refused());
  const cors::decision own = get("https://api.example.com");
  CHECK(own.why() == cors::reason::same_origin);
  CHECK_FALSE(own.grants_access());
  CHECK_FALSE(own.refused());
  const cors::decision ok = get("https://app.example.com");
  CHECK(ok.grants_access());
  CHECK_FALSE(ok.refused());
  const cors::decision evil = get("https://evil.example");
  CHECK_FALSE(evil.grants_access());
  CHECK(evil.refused());
  CHECK(evil.request_origin() == "https://evil.example");  // for the log line
}

TEST_CASE("each response header's name and write rule are defined once, indexed by id") {
  std::set<std::string_view> names;
  for (std::size_t i = 0; i < cors::response_headers.size(); ++i) {
    const cors::response_header_spec& h = cors::response_headers[i];
    CHECK(static_cast<std::size_t>(h.id) == i);
    CHECK(cors::name_of(h.id) == h.name);
    CHECK(cors::rule_of(h.id) == h.rule);
    names.insert(h.name);
    CHECK((h.rule == cors::write_rule::merge) == (h.name == "Vary"));
  }
  CHECK(names.size() == cors::response_headers.size());
}

TEST_CASE("a decision's headers are a forward range of (id, value) in the table's order") {
  static_assert(
      std::is_same_v<std::iterator_traits<cors::header_range::iterator>::iterator_category, std::forward_iterator_tag>);
  cors::config c;
  c.origins = {"https://app.example.com"};
  c.request_headers = {"*"};
  c.methods = {"*"};
  c.credentials = true;
  c.max_age = std::chrono::seconds{5};
  const cors::policy p{c};
  const cors::decision d = p.evaluate(cors::make_request_view("OPTIONS", {{"Origin", "https://app.example.com"},
                                                                          {"Access-Control-Request-Method", "PURGE"},
                                                                          {"Access-Control-Request-Headers", "x-a"},
                                                                          {"Access-Control-Request-Headers", " "},
                                                                          {"Access-Control-Request-Headers", "x-b"}}));
  REQUIRE(d.grants_access());
  std::string got;
  std::size_t n = 0;
  for (const cors::response_header h : d.headers()) {
    got += std::string(h.name()) + ": " + std::string(h.value) + "\n";
    ++n;
  }
  CHECK(got ==
        "Access-Control-Allow-Origin: https://app.example.com\n"
        "Access-Control-Allow-Credentials: true\n"
        "Access-Control-Allow-Methods: PURGE\n"
        "Access-Control-Allow-Headers: x-a\n"
        "Access-Control-Allow-Headers: x-b\n"
        "Access-Control-Max-Age: 5\n"
        "Vary: Origin, Access-Control-Request-Method, Access-Control-Request-Headers\n");
  CHECK(d.headers().size() == n);
  CHECK(static_cast<std::size_t>(std::distance(d.headers().begin(), d.headers().end())) == n);
  CHECK(d.header(cors::response_header_id::access_control_allow_headers) == "x-a");
  CHECK(d.header(cors::response_header_id::access_control_expose_headers).empty());
  auto it = d.headers().begin();
  const auto first = it++;
  CHECK((*first).id == cors::response_header_id::access_control_allow_origin);
  CHECK((*it).id == cors::response_header_id::access_control_allow_credentials);
}

TEST_CASE("a decision is a small, trivially destructible value") {
  CHECK(std::is_trivially_destructible_v<cors::decision>);
  CHECK(std::is_nothrow_copy_constructible_v<cors::decision>);
  CHECK(sizeof(cors::decision) <= 256);
}

TEST_CASE("a copied or assigned decision keeps its echoed Access-Control-Allow-Headers lines") {
  cors::config cfg;
  cfg.origins = {"https://app.example.com"};
  cfg.request_headers = {"*"};
  cfg.credentials = true;
  const cors::policy policy{cfg};
  cors::request_view req{};
  req.method = "OPTIONS";
  req.add_header("Origin", "https://app.example.com");
  req.add_header("Access-Control-Request-Method", "GET");
  req.add_header("Access-Control-Request-Headers", "x-a");
  req.add_header("Access-Control-Request-Headers", " x-b ");
  const cors::decision echoed = policy.evaluate(req);
  REQUIRE(echoed.grants_access());
  const auto lines = [](const cors::decision& d) {
    std::vector<std::string> out;
    for (const cors::response_header h : d.headers()) {
      if (h.id == cors::response_header_id::access_control_allow_headers) out.emplace_back(h.value);
    }
    return out;
  };
  const std::vector<std::string> expected{"x-a", "x-b"};
  REQUIRE(lines(echoed) == expected);

  const cors::decision copy = echoed;  // NOLINT(performance-unnecessary-copy-initialization): the copy is the test
  CHECK(lines(copy) == expected);

  cors::request_view plain{};
  plain.method = "GET";
  plain.add_header("Origin", "https://app.example.com");
  cors::decision assigned = policy.evaluate(plain);
  REQUIRE(lines(assigned).empty());
  assigned = echoed;  // empty lines overwritten with live ones
  CHECK(lines(assigned) == expected);
  const cors::decision& same = assigned;
  assigned = same;  // self-assignment keeps them
  CHECK(lines(assigned) == expected);
  assigned = policy.evaluate(plain);  // and live lines give way to none
  CHECK(lines(assigned).empty());
  CHECK(assigned.header(cors::response_header_id::access_control_allow_origin) == "https://app.example.com");
}
