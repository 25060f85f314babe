// config::debug: a preflight refused for its method or a header answers so that the browser's own
// check names the cause, and the browser (cors/browser.hpp, the model) still refuses it.
#include <cors/browser.hpp>
#include <cors/cors.hpp>

#include <string>
#include <vector>

#include "catch.hpp"

namespace {

constexpr const char* page = "https://app.example";

/// The browser's verdict on the answer `policy` gives to the preflight of `request`.
cors::browser::verdict browser_verdict(const cors::policy& policy, const cors::browser::fetch_request& request,
                                       cors::decision* out = nullptr) {
  const cors::browser::request_plan plan = cors::browser::plan(request);
  REQUIRE(plan.preflight);
  std::vector<cors::header_pair> h{{"Origin", request.origin},
                                   {"Access-Control-Request-Method", plan.access_control_request_method}};
  if (plan.access_control_request_headers)
    h.push_back({"Access-Control-Request-Headers", *plan.access_control_request_headers});
  const cors::decision d = policy.evaluate(cors::make_request_view("OPTIONS", h));
  cors::browser::response r;
  r.status = d.next_action() == cors::action::respond ? d.status() : 200;
  for (const auto& x : d.headers()) r.headers.push_back({std::string(x.name()), std::string(x.value)});
  if (out != nullptr) *out = d;
  return cors::browser::check_preflight(plan, r);
}

}  // namespace

TEST_CASE("debug mode: each preflight refusal, as the browser then reports it, and never granted") {
  struct row {
    const char* name;
    std::vector<std::string> methods;
    std::vector<std::string> headers;
    bool credentials;
    const char* method;
    std::vector<cors::browser::header_line> request_headers;
    cors::reason why;
    cors::browser::step without_debug;
    cors::browser::step with_debug;
  };
  using cors::browser::step;
  const auto inc = cors::browser::credentials_mode::include;
  auto r = GENERATE(values<row>({
      {"method not listed",
       {"PUT"},
       {},
       false,
       "DELETE",
       {},
       cors::reason::method_not_allowed,
       step::allow_origin_missing,
       step::method_not_allowed},
      {"method in the wrong case",
       {"PATCH"},
       {},
       true,
       "patch",
       {},
       cors::reason::method_not_allowed,
       step::allow_origin_missing,
       step::method_not_allowed},
      {"header not listed",
       {"PUT"},
       {"X-A"},
       false,
       "PUT",
       {{"X-A", "1"}, {"X-B", "2"}},
       cors::reason::header_not_allowed,
       step::allow_origin_missing,
       step::header_not_allowed},
      {"header not listed, credentials",
       {"PUT"},
       {"X-A"},
       true,
       "GET",
       {{"X-B", "2"}},
       cors::reason::header_not_allowed,
       step::allow_origin_missing,
       step::header_not_allowed},
      {"* does not cover Authorization",
       {"*"},
       {"*"},
       false,
       "PUT",
       {{"Authorization", "x"}, {"X-A", "1"}},
       cors::reason::header_not_allowed,
       step::allow_origin_missing,
       step::authorization_not_allowed},
      {"* with credentials does not cover Authorization",
       {"*"},
       {"*"},
       true,
       "PUT",
       {{"Authorization", "x"}},
       cors::reason::header_not_allowed,
       step::allow_origin_missing,
       step::method_not_allowed},
  }));
  CAPTURE(r.name);
  for (const bool debug : {false, true}) {
    CAPTURE(debug);
    cors::config cfg;
    cfg.origins = {page};
    cfg.methods = r.methods;
    cfg.request_headers = r.headers;
    cfg.credentials = r.credentials;
    cfg.debug = debug;
    const cors::policy policy{cfg};
    cors::browser::fetch_request request{page, r.method, r.request_headers,
                                         r.credentials ? inc : cors::browser::credentials_mode::omit};
    cors::decision d;
    const cors::browser::verdict v = browser_verdict(policy, request, &d);
    CHECK(d.why() == r.why);  // the decision's reason does not change
    CHECK(d.refused());
    CHECK_FALSE(d.grants_access());
    CHECK_FALSE(v.accepted());  // never granted: the browser refuses the preflight
    CHECK(v.failed == (debug ? r.with_debug : r.without_debug));
    CHECK(d.status() == (debug ? 204 : 403));
    // Lenient browsers let `*` cover Authorization: under debug no `*` is ever sent for headers.
    CHECK(d.header(cors::response_header_id::access_control_allow_headers).find('*') == std::string_view::npos);
  }
}

TEST_CASE("debug mode leaves origin refusals and allowed requests as they are") {
  cors::config cfg;
  cfg.origins = {page};
  cfg.methods = {"PUT"};
  cfg.request_headers = {"X-A"};
  const cors::policy plain{cfg};
  cfg.debug = true;
  const cors::policy debug{cfg};
  const auto same = [&](std::initializer_list<cors::header_pair> h, const char* method) {
    const cors::decision a = plain.evaluate(cors::make_request_view(method, h));
    const cors::decision b = debug.evaluate(cors::make_request_view(method, h));
    CHECK(a.why() == b.why());
    CHECK(a.status() == b.status());
    CHECK(a.headers().size() == b.headers().size());
    for (auto x = a.headers().begin(), y = b.headers().begin(); x != a.headers().end(); ++x, ++y) {
      CHECK((*x).value == (*y).value);
    }
  };
  same({{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "PUT"}}, "OPTIONS");
  same({{"Origin", "null"}, {"Access-Control-Request-Method", "PUT"}}, "OPTIONS");
  same({{"Origin", page}, {"Access-Control-Request-Method", "PUT"}, {"Access-Control-Request-Headers", "x-a"}},
       "OPTIONS");
  same({{"Origin", page}, {"Access-Control-Request-Method", "PUT"}, {"Access-Control-Request-Headers", "a b"}},
       "OPTIONS");
  same({{"Origin", "https://evil.example"}}, "GET");
  same({{"Origin", page}}, "GET");
}

TEST_CASE("debug mode with preflight pass-through forwards the refused preflight with the same headers") {
  cors::config cfg;
  cfg.origins = {page};
  cfg.methods = {"PUT"};
  cfg.preflight_passthrough = true;
  cfg.debug = true;
  const cors::policy policy{cfg};
  cors::decision d;
  const auto v = browser_verdict(policy, {page, "DELETE", {}, cors::browser::credentials_mode::omit}, &d);
  CHECK(d.next_action() == cors::action::forward);
  CHECK(d.why() == cors::reason::method_not_allowed);
  CHECK(v.failed == cors::browser::step::method_not_allowed);
}
