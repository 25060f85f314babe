// cors::report_only: the enforced decision is returned, and the hook hears of exactly the requests
// the candidate would decide differently, for every class of difference.
#include <cors/report_only.hpp>

#include <cors/decision_counters.hpp>
#include <cors/live.hpp>
#include <cors/observer.hpp>
#include <cors/router.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "alloc_counter.hpp"
#include "catch.hpp"
#include "policy_for.hpp"

namespace {

constexpr const char* app = "https://app.example.com";
constexpr const char* other = "https://other.example.com";

cors::config base() {
  cors::config c;
  c.origins = {app};
  c.methods = {"PUT"};
  c.request_headers = {"X-Req"};
  return c;
}

cors::config with(std::function<void(cors::config&)> change) {
  cors::config c = base();
  change(c);
  return c;
}

/// What the hook must have been told, or nothing for a request both policies agree on.
struct expected_difference {
  cors::reason enforced;
  cors::reason candidate;
  bool grant_differs;
  bool response_differs;
};

struct shadow_case {
  const char* name;
  cors::config enforced;
  cors::config candidate;
  std::string method;
  std::vector<cors::header_pair> headers;
  cors::request_kind kind;
  std::optional<expected_difference> expected;
};

using cors::reason;

std::vector<shadow_case> cases() {
  using k = cors::request_kind;
  const std::vector<cors::header_pair> preflight_put = {{"Origin", app}, {"Access-Control-Request-Method", "PUT"}};
  return {
      // Agreement: nothing is reported.
      {"same policy, allowed actual request: no report", base(), base(), "GET", {{"Origin", app}}, k::actual, {}},
      {"same policy, refused preflight: no report",
       base(),
       base(),
       "OPTIONS",
       {{"Origin", other}, {"Access-Control-Request-Method", "PUT"}},
       k::preflight,
       {}},
      {"different policies that decide this request alike: no report",
       base(),
       with([](cors::config& c) { c.origins.push_back(other); }),
       "GET",
       {{"Origin", app}},
       k::actual,
       {}},
      {"no Origin, same answer: no report",
       base(),
       with([](cors::config& c) { c.max_age = std::chrono::seconds{5}; }),
       "GET",
       {},
       k::not_cors,
       {}},
      // Grant differs: the candidate refuses what is allowed, or allows what is refused.
      {"allowed, the candidate refuses the origin (actual)",
       base(),
       with([](cors::config& c) { c.origins = {other}; }),
       "GET",
       {{"Origin", app}},
       k::actual,
       expected_difference{reason::allowed, reason::origin_not_allowed, true, true}},
      {"allowed, the candidate refuses the origin (preflight)", base(),
       with([](cors::config& c) { c.origins = {other}; }), "OPTIONS", preflight_put, k::preflight,
       expected_difference{reason::allowed, reason::origin_not_allowed, true, true}},
      {"allowed, the candidate refuses the method", base(), with([](cors::config& c) { c.methods = {"DELETE"}; }),
       "OPTIONS", preflight_put, k::preflight,
       expected_difference{reason::allowed, reason::method_not_allowed, true, true}},
      {"allowed, the candidate refuses a header",
       base(),
       with([](cors::config& c) { c.request_headers = {}; }),
       "OPTIONS",
       {{"Origin", app}, {"Access-Control-Request-Method", "PUT"}, {"Access-Control-Request-Headers", "x-req"}},
       k::preflight,
       expected_difference{reason::allowed, reason::header_not_allowed, true, true}},
      {"refused, the candidate allows the origin",
       base(),
       with([](cors::config& c) { c.origins.push_back(other); }),
       "GET",
       {{"Origin", other}},
       k::actual,
       expected_difference{reason::origin_not_allowed, reason::allowed, true, true}},
      {"refused null origin, the candidate allows it",
       base(),
       with([](cors::config& c) {
         c.origins = {"null"};
         c.dangerously_allow_null_origin = true;
       }),
       "GET",
       {{"Origin", "null"}},
       k::actual,
       expected_difference{reason::origin_null_not_allowed, reason::allowed, true, true}},
      // Both refuse, for different reasons: the same response, reported for the reason.
      {"both refuse a preflight, for the origin and for the method", with([](cors::config& c) { c.origins = {other}; }),
       with([](cors::config& c) { c.methods = {}; }), "OPTIONS", preflight_put, k::preflight,
       expected_difference{reason::origin_not_allowed, reason::method_not_allowed, false, false}},
      {"same-origin for the enforced policy, refused by the candidate",
       with([](cors::config& c) { c.server_origins = {other}; }),
       base(),
       "POST",
       {{"Origin", other}},
       k::actual,
       expected_difference{reason::same_origin, reason::origin_not_allowed, false, false}},
      // The same reason, a different response.
      {"both allow, with different exposed headers",
       base(),
       with([](cors::config& c) { c.exposed_headers = {"X-Total-Count"}; }),
       "GET",
       {{"Origin", app}},
       k::actual,
       expected_difference{reason::allowed, reason::allowed, false, true}},
      {"both allow a preflight, with different statuses", base(),
       with([](cors::config& c) { c.preflight_status = 200; }), "OPTIONS", preflight_put, k::preflight,
       expected_difference{reason::allowed, reason::allowed, false, true}},
      {"both refuse the origin; the candidate would answer 403",
       base(),
       with([](cors::config& c) { c.refuse_disallowed_requests = true; }),
       "GET",
       {{"Origin", other}},
       k::actual,
       expected_difference{reason::origin_not_allowed, reason::origin_not_allowed, false, true}},
      {"no Origin: the candidate's `*` is constant",
       base(),
       with([](cors::config& c) { c.origins = {"*"}; }),
       "GET",
       {},
       k::not_cors,
       expected_difference{reason::not_cors, reason::not_cors, false, true}},
  };
}

}  // namespace

TEST_CASE("report_only returns the enforced decision and reports exactly the requests decided differently") {
  for (const shadow_case& c : cases()) {
    INFO(c.name);
    const cors::policy enforced = testing::policy_for(c.enforced);
    const cors::policy candidate = testing::policy_for(c.candidate);
    std::vector<cors::difference> seen;
    std::vector<std::string> origins;
    const cors::report_only<> shadow{enforced, candidate, [&](const cors::difference& d) {
                                       seen.push_back(d);
                                       origins.emplace_back(d.origin);
                                       // The decisions are there during the call.
                                       REQUIRE(d.enforced_decision != nullptr);
                                       REQUIRE(d.candidate_decision != nullptr);
                                       CHECK(d.enforced_decision->why() == d.enforced);
                                       CHECK(d.candidate_decision->why() == d.candidate);
                                     }};
    const cors::request_view view = cors::make_request_view(c.method, c.headers);
    const cors::decision got = shadow.evaluate(view);
    const cors::decision want = enforced.evaluate(view);
    CHECK(got.why() == want.why());
    CHECK(got.kind() == c.kind);
    CHECK(cors::same_response(got, want));
    if (!c.expected) {
      CHECK(seen.empty());
      continue;
    }
    REQUIRE(seen.size() == 1);
    const cors::difference& d = seen.front();
    CHECK(d.kind == c.kind);
    CHECK(origins.front() == std::string(want.request_origin()));
    CHECK(d.enforced == c.expected->enforced);
    CHECK(d.candidate == c.expected->candidate);
    CHECK(d.grant_differs == c.expected->grant_differs);
    CHECK(d.response_differs == c.expected->response_differs);
  }
}

TEST_CASE("the candidate's offending value reaches the hook") {
  const cors::report_only<> shadow{testing::policy_for(base()),
                                   testing::policy_for(with([](cors::config& c) { c.methods = {"PATCH"}; })),
                                   [](const cors::difference& d) {
                                     CHECK(d.candidate == reason::method_not_allowed);
                                     CHECK(d.candidate_decision->offending_value() == "PUT");
                                     CHECK(d.enforced_decision->offending_value().empty());
                                   }};
  const cors::decision d =
      shadow.evaluate(cors::make_request_view("OPTIONS", {{"Origin", app}, {"Access-Control-Request-Method", "PUT"}}));
  CHECK(d.grants_access());
  CHECK(d.status() == 204);
}

TEST_CASE("a hook that throws changes nothing: the enforced decision is returned") {
  int calls = 0;
  const cors::report_only<> shadow{testing::policy_for(base()), testing::policy_for({other}),
                                   [&](const cors::difference&) {
                                     ++calls;
                                     throw std::runtime_error("hook failed");
                                   }};
  const cors::decision d = shadow.evaluate(cors::make_request_view("GET", {{"Origin", app}}));
  CHECK(calls == 1);
  CHECK(d.grants_access());
  CHECK(d.header(cors::response_header_id::access_control_allow_origin) == app);
}

TEST_CASE("report_only without a hook decides as the enforced policy") {
  const cors::report_only<> shadow{testing::policy_for(base()), testing::policy_for({other}), nullptr};
  CHECK(shadow.evaluate(cors::make_request_view("GET", {{"Origin", app}})).grants_access());
  CHECK(shadow.evaluate(cors::make_request_view("GET", {{"Origin", other}})).why() == reason::origin_not_allowed);
}

TEST_CASE("report_only allocates nothing until the hook runs") {
  const cors::policy enforced = testing::policy_for(base());
  const cors::policy candidate = testing::policy_for({other});
  int calls = 0;
  const cors::report_only<> shadow{enforced, candidate, [&](const cors::difference&) { ++calls; }};
  const cors::request_view differs = cors::make_request_view("GET", {{"Origin", app}});
  const cors::request_view agrees = cors::make_request_view(
      "OPTIONS", {{"Origin", "https://third.example"}, {"Access-Control-Request-Method", "PUT"}});
  cors::decision d;
  CHECK(alloc_counter::during([&] { d = shadow.evaluate(agrees); }) == 0);
  CHECK(d.why() == reason::origin_not_allowed);
  CHECK(alloc_counter::during([&] { d = shadow.evaluate(differs); }) == 0);
  CHECK(d.grants_access());
  CHECK(calls == 1);
}

TEST_CASE("report_only wraps any evaluator: an observed candidate counts what it would decide") {
  cors::decision_counters enforced_counts;
  cors::decision_counters candidate_counts;
  const cors::observed enforced{testing::policy_for(base()), std::ref(enforced_counts)};
  const cors::observed candidate{testing::policy_for({other}), std::ref(candidate_counts)};
  int reports = 0;
  const cors::report_only<decltype(enforced), decltype(candidate)> shadow{enforced, candidate,
                                                                          [&](const cors::difference&) { ++reports; }};
  for (int i = 0; i < 3; ++i) CHECK(shadow.evaluate(cors::make_request_view("GET", {{"Origin", app}})).grants_access());
  CHECK(reports == 3);
  CHECK(enforced_counts.count(cors::request_kind::actual, reason::allowed) == 3);
  CHECK(candidate_counts.count(cors::request_kind::actual, reason::origin_not_allowed) == 3);
  CHECK(candidate_counts.total() == 3);
}

TEST_CASE("same_response compares action, status and every header value") {
  const cors::policy a = testing::policy_for(base());
  const cors::policy b = testing::policy_for(with([](cors::config& c) { c.max_age = std::chrono::seconds{60}; }));
  const cors::request_view pre =
      cors::make_request_view("OPTIONS", {{"Origin", app}, {"Access-Control-Request-Method", "PUT"}});
  CHECK(cors::same_response(a.evaluate(pre), a.evaluate(pre)));
  CHECK_FALSE(cors::same_response(a.evaluate(pre), b.evaluate(pre)));  // one more header
  CHECK_FALSE(cors::same_response(b.evaluate(pre), a.evaluate(pre)));
  const cors::policy c = testing::policy_for(with([](cors::config& x) { x.methods = {"PUT", "DELETE"}; }));
  CHECK_FALSE(cors::same_response(a.evaluate(pre), c.evaluate(pre)));  // same headers, another value
}

TEST_CASE("report_only compares routers: a request moved to another policy, or to none, is reported") {
  const cors::policy for_app = testing::policy_for(base());
  const cors::policy for_other = testing::policy_for(with([](cors::config& c) { c.origins = {other}; }));
  // Enforced: /api/ for app.example.com, no CORS elsewhere. Candidate: /api/ for other.example.com,
  // app.example.com everywhere else.
  const cors::router enforced(cors::router_config{{{"", "/api/", for_app}}, std::nullopt});
  const cors::router candidate(cors::router_config{{{"", "/api/", for_other}}, for_app});
  std::vector<cors::difference> seen;
  std::vector<std::string> origins;
  const cors::report_only<cors::router> shadow{enforced, candidate, [&](const cors::difference& d) {
                                                 seen.push_back(d);
                                                 origins.emplace_back(d.origin);
                                               }};
  struct row {
    const char* name;
    const char* path;
    const char* origin;
    std::optional<std::pair<reason, reason>> expected;  // enforced, candidate
  };
  const std::vector<row> rows = {
      {"/api/ changes policy: app.example.com would be refused", "/api/items", app,
       std::pair{reason::allowed, reason::origin_not_allowed}},
      {"/api/ changes policy: other.example.com would be allowed", "/api/items", other,
       std::pair{reason::origin_not_allowed, reason::allowed}},
      {"a path without CORS would get the candidate's default", "/other", app,
       std::pair{reason::not_cors, reason::allowed}},
      {"a path without CORS, an origin the candidate's default refuses too", "/other", other,
       std::pair{reason::not_cors, reason::origin_not_allowed}},
      {"a request without Origin is not_cors under both", "/api/items", nullptr, std::nullopt},
  };
  for (const row& r : rows) {
    INFO(r.name);
    seen.clear();
    origins.clear();
    std::vector<cors::header_pair> headers;
    if (r.origin != nullptr) headers.push_back({"Origin", r.origin});
    cors::request_view view = cors::make_request_view("GET", headers);
    view.path = r.path;
    const cors::decision got = shadow.evaluate(view);
    const cors::decision want = enforced.evaluate(view);
    CHECK(got.why() == want.why());
    CHECK(cors::same_response(got, want));
    if (!r.expected) {
      CHECK(seen.empty());
      continue;
    }
    REQUIRE(seen.size() == 1);
    const cors::difference& d = seen.front();
    CHECK(d.enforced == r.expected->first);
    CHECK(d.candidate == r.expected->second);
    // Under "no CORS here" the enforced decision knows neither: both come from the candidate's.
    CHECK(origins.front() == r.origin);
    CHECK(d.kind == cors::request_kind::actual);
    CHECK(d.grant_differs == (r.expected->first == reason::allowed || r.expected->second == reason::allowed));
  }
}

TEST_CASE("report_only holds a live router by reference: the enforced side follows a swap") {
  const cors::policy for_app = testing::policy_for(base());
  const cors::policy for_other = testing::policy_for(with([](cors::config& c) { c.origins = {other}; }));
  cors::live_router live(cors::router(cors::router_config{{}, for_app}));
  int reported = 0;
  const cors::report_only<std::reference_wrapper<const cors::live_router>, cors::policy> shadow{
      std::cref(live), for_other, [&](const cors::difference&) { ++reported; }};
  const std::vector<cors::header_pair> headers = {{"Origin", app}};
  const cors::request_view view = cors::make_request_view("GET", headers);
  CHECK(shadow.evaluate(view).why() == reason::allowed);
  CHECK(reported == 1);
  // The enforced router now allows other.example.com, as the candidate does: nothing to report.
  live.store(cors::router(cors::router_config{{}, for_other}));
  CHECK(shadow.evaluate(view).why() == reason::origin_not_allowed);
  CHECK(reported == 1);
  const cors::observed counted{std::cref(live), [&](const cors::decision&, std::string_view) { ++reported; }};
  CHECK(counted.evaluate(view).why() == reason::origin_not_allowed);
  CHECK(reported == 2);
}
