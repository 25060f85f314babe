// The cpp-httplib adapter on in-memory requests and responses: views without copies, apply
// replaces (httplib's set_header appends) and merges, the pre-routing step answers preflights.
#include <cors/adapters/httplib.hpp>
#include <cors/cors.hpp>

#include <string>
#include <vector>

#include "catch.hpp"
#include "origin_cases.hpp"
#include "policy_for.hpp"

namespace {
cors::policy make_policy(bool refuse = false) {
  cors::config cfg;
  cfg.origins = {"https://app.example.com"};
  cfg.methods = {"PUT"};
  cfg.request_headers = {"X-Req"};
  cfg.exposed_headers = {"X-Total-Count"};
  cfg.refuse_disallowed_requests = refuse;
  return testing::policy_for(cfg);
}

std::vector<std::string> values(const httplib::Headers& headers, std::string_view name) {
  std::vector<std::string> out;
  for (const auto& [n, v] : headers) {
    if (cors::detail::iequals(n, name)) out.push_back(v);
  }
  return out;
}

std::size_t count_access_control(const httplib::Headers& headers) {
  std::size_t n = 0;
  for (const auto& h : headers) n += cors::detail::istarts_with(h.first, "access-control-") ? 1 : 0;
  return n;
}
}  // namespace

TEST_CASE("httplib: the request view points into the request and keeps repeated lines") {
  httplib::Request req;
  req.method = "OPTIONS";
  req.set_header("Origin", "https://app.example.com");
  req.set_header("Access-Control-Request-Headers", "x-a");
  req.set_header("access-control-request-headers", "x-b");
  const cors::request_view v = cors::adapters::make_request_view(req);
  CHECK(v.method == "OPTIONS");
  CHECK(v.origin.front().data() == req.headers.find("Origin")->second.data());
  REQUIRE(v.access_control_request_headers.size() == 2);
  CHECK(v.access_control_request_headers[0] == "x-a");
  CHECK(v.access_control_request_headers[1] == "x-b");
}

TEST_CASE("httplib: apply replaces stale Access-Control headers and merges Vary into one line") {
  const cors::policy policy = make_policy();
  httplib::Request req;
  req.method = "GET";
  req.set_header("Origin", "https://app.example.com");
  httplib::Response res;
  res.set_header("Access-Control-Allow-Origin", "*");
  res.set_header("access-control-allow-origin", "https://stale.example");
  res.set_header("Access-Control-Allow-Credentials", "true");
  res.set_header("Vary", "Accept-Encoding");
  const cors::decision d = policy.evaluate(cors::adapters::make_request_view(req));
  cors::adapters::apply(d, res);
  CHECK(values(res.headers, "Access-Control-Allow-Origin") == std::vector<std::string>{"https://app.example.com"});
  CHECK(values(res.headers, "Access-Control-Allow-Credentials").empty());
  CHECK(values(res.headers, "Access-Control-Expose-Headers") == std::vector<std::string>{"X-Total-Count"});
  CHECK(values(res.headers, "Vary") == std::vector<std::string>{"Accept-Encoding, Origin"});
  cors::adapters::apply(d, res);  // the post-routing step may run after the pre-routing one
  CHECK(count_access_control(res.headers) == 2);
  CHECK(values(res.headers, "Vary") == std::vector<std::string>{"Accept-Encoding, Origin"});
}

TEST_CASE("httplib: apply finds every stale header the app set, in any case") {
  // apply looks for the policy's headers in one pass over the response; the erase must still find
  // each one, under any spelling, and several lines of one.
  cors::config cfg;
  cfg.origins = {"https://app.example.com"};
  cfg.methods = {"PUT"};
  cfg.max_age = std::chrono::seconds{600};
  cfg.private_network = true;
  const cors::policy policy = testing::policy_for(cfg);
  httplib::Request req;
  req.method = "OPTIONS";
  req.set_header("Origin", "https://app.example.com");
  req.set_header("Access-Control-Request-Method", "PUT");
  req.set_header("Access-Control-Request-Private-Network", "true");
  const cors::decision allowed = policy.evaluate(cors::adapters::make_request_view(req));
  REQUIRE_FALSE(allowed.refused());
  httplib::Request evil = req;
  evil.headers.erase("Origin");
  evil.set_header("Origin", "https://evil.example");
  const cors::decision refused = policy.evaluate(cors::adapters::make_request_view(evil));
  REQUIRE(refused.refused());

  const auto stale_response = [] {
    httplib::Response res;
    res.set_header("X-App", "1");
    res.set_header("access-control-allow-private-network", "false");
    res.set_header("ACCESS-CONTROL-MAX-AGE", "1");
    res.set_header("access-control-allow-headers", "X-Stale");
    res.set_header("Access-Control-Allow-Headers", "X-Stale-Too");
    res.set_header("vary", "accept-encoding");
    return res;
  };
  httplib::Response res = stale_response();
  cors::adapters::apply(allowed, res);
  CHECK(values(res.headers, "Access-Control-Allow-Private-Network") == std::vector<std::string>{"true"});
  CHECK(values(res.headers, "Access-Control-Max-Age") == std::vector<std::string>{"600"});
  CHECK(values(res.headers, "Access-Control-Allow-Headers").empty());
  CHECK(values(res.headers, "Access-Control-Allow-Origin") == std::vector<std::string>{"https://app.example.com"});
  CHECK(values(res.headers, "X-App") == std::vector<std::string>{"1"});
  const std::vector<std::string> vary = values(res.headers, "Vary");
  REQUIRE(vary.size() == 1);
  CHECK(vary.front().rfind("accept-encoding, Origin", 0) == 0);

  httplib::Response refused_res = stale_response();
  cors::adapters::apply(refused, refused_res);
  CHECK(count_access_control(refused_res.headers) == 0);
  CHECK(values(refused_res.headers, "X-App") == std::vector<std::string>{"1"});
}

TEST_CASE("httplib: a refused request gets no Access-Control header, even one the app set") {
  const cors::policy policy = make_policy();
  httplib::Request req;
  req.method = "GET";
  req.set_header("Origin", "https://evil.example");
  httplib::Response res;
  CHECK(cors::adapters::handle_pre_routing(policy, req, res) == httplib::Server::HandlerResponse::Unhandled);
  res.set_header("Access-Control-Allow-Origin", "https://evil.example");
  cors::adapters::handle_post_routing(policy, req, res);
  CHECK(count_access_control(res.headers) == 0);
  CHECK(values(res.headers, "Vary") == std::vector<std::string>{"Origin"});
}

TEST_CASE("httplib: an answer httplib writes for a request it could not read gets no CORS header") {
  // httplib runs the post-routing handler for its own 400s (a header line over 8 KB) without
  // routing: what it parsed before the bad line, here an allowed `Origin`, must not be answered.
  const cors::policy policy = make_policy();
  httplib::Request partial;
  partial.method = "GET";
  partial.set_header("Origin", "https://app.example.com");
  httplib::Response error;
  error.status = 400;
  cors::adapters::handle_post_routing(policy, partial, error);
  CHECK(error.headers.empty());

  // A request that went through routing, then one that did not, on the same thread.
  httplib::Request routed = partial;
  httplib::Response ok;
  CHECK(cors::adapters::handle_pre_routing(policy, routed, ok) == httplib::Server::HandlerResponse::Unhandled);
  cors::adapters::handle_post_routing(policy, routed, ok);
  CHECK(values(ok.headers, "Access-Control-Allow-Origin") == std::vector<std::string>{"https://app.example.com"});
  httplib::Response again;
  again.status = 400;
  cors::adapters::handle_post_routing(policy, routed, again);  // the mark is used once
  CHECK(again.headers.empty());
}

TEST_CASE("httplib: the pre-routing step answers preflights and refused requests, forwards the rest") {
  const cors::policy policy = make_policy(true);
  httplib::Request req;
  req.method = "OPTIONS";
  req.set_header("Origin", "https://app.example.com");
  req.set_header("Access-Control-Request-Method", "PUT");
  httplib::Response res;
  CHECK(cors::adapters::handle_pre_routing(policy, req, res) == httplib::Server::HandlerResponse::Handled);
  CHECK(res.status == 204);
  CHECK(values(res.headers, "Access-Control-Allow-Methods") == std::vector<std::string>{"PUT"});

  httplib::Request get;
  get.method = "GET";
  get.set_header("Origin", "https://app.example.com");
  httplib::Response forwarded;
  CHECK(cors::adapters::handle_pre_routing(policy, get, forwarded) == httplib::Server::HandlerResponse::Unhandled);
  CHECK(forwarded.headers.empty());

  httplib::Request post;
  post.method = "POST";
  post.set_header("Origin", "https://evil.example");
  post.set_header("Content-Length", "5");
  httplib::Response refused;
  CHECK(cors::adapters::handle_pre_routing(policy, post, refused) == httplib::Server::HandlerResponse::Handled);
  CHECK(refused.status == 403);
  CHECK(count_access_control(refused.headers) == 0);
  CHECK(values(refused.headers, "Connection") == std::vector<std::string>{"close"});  // body left unread
}

TEST_CASE("httplib: every origin edge case of tests/origin_cases.hpp, through the pre- and post-routing steps") {
  // The same table as the parsers and the policy read: an allowed value is echoed byte for byte,
  // any other gets no Access-Control-Allow-Origin; the pre-routing step answers none of these GETs.
  const origin_cases::match_case m = GENERATE(from_range(origin_cases::matches()));
  CAPTURE(m.origin, m.note);
  const cors::policy p = testing::policy_for(m.patterns);
  httplib::Request req;
  req.method = "GET";
  req.set_header("Origin", m.origin);
  httplib::Response res;
  CHECK(cors::adapters::handle_pre_routing(p, req, res) == httplib::Server::HandlerResponse::Unhandled);
  cors::adapters::handle_post_routing(p, req, res);
  const std::vector<std::string> acao = values(res.headers, "Access-Control-Allow-Origin");
  if (m.matches) {
    CHECK(acao == std::vector<std::string>{m.origin});
  } else {
    CHECK(acao.empty());
  }
  CHECK(values(res.headers, "Vary") == std::vector<std::string>{"Origin"});
}

TEST_CASE("httplib: the view's path is req.path; a router's install answers by route") {
  const cors::router r(
      cors::router_config{{{"", "/api", make_policy()}, {"", "/api/private", std::nullopt}}, std::nullopt});
  httplib::Request req;
  req.method = "OPTIONS";
  req.path = "/api/items";
  req.set_header("Host", "h.example");
  req.set_header("Origin", "https://app.example.com");
  req.set_header("Access-Control-Request-Method", "PUT");
  const cors::request_view v = cors::adapters::make_request_view(req);
  CHECK(v.path == "/api/items");
  CHECK(v.host.front() == "h.example");
  httplib::Response res;
  CHECK(cors::adapters::handle_pre_routing(r, req, res) == httplib::Server::HandlerResponse::Handled);
  CHECK(res.status == 204);
  CHECK(values(res.headers, "Access-Control-Allow-Origin") == std::vector<std::string>{"https://app.example.com"});
  // httplib has decoded `%2e%2e` into `..` already: a dot segment, no CORS.
  for (const char* path : {"/api/private/x", "/api/../private", "/other"}) {
    INFO(path);
    req.path = path;
    httplib::Response none;
    CHECK(cors::adapters::handle_pre_routing(r, req, none) == httplib::Server::HandlerResponse::Unhandled);
    cors::adapters::handle_post_routing(r, req, none);
    CHECK(count_access_control(none.headers) == 0);
  }
}

namespace {
httplib::Request get_from(const std::string& origin) {
  httplib::Request req;
  req.method = "GET";
  req.set_header("Origin", origin);
  return req;
}

cors::policy policy_allowing(std::vector<std::string> origins) {
  cors::config cfg;
  cfg.origins = std::move(origins);
  return testing::policy_for(cfg);
}
}  // namespace

TEST_CASE("httplib: the post-routing step writes the pre-routing step's decision without evaluating again") {
  // The post-routing step is given a policy that refuses the origin: the headers it writes show
  // which decision it used.
  const cors::policy allows = make_policy();
  const cors::policy refuses = policy_allowing({"https://other.example"});
  const httplib::Request req = get_from("https://app.example.com");
  httplib::Response res;
  CHECK(cors::adapters::handle_pre_routing(allows, req, res) == httplib::Server::HandlerResponse::Unhandled);
  cors::adapters::handle_post_routing(refuses, req, res);
  CHECK(values(res.headers, "Access-Control-Allow-Origin") == std::vector<std::string>{"https://app.example.com"});

  // The same with a decision the server's own pre-routing handler made.
  const cors::decision d = allows.evaluate(cors::adapters::make_request_view(req));
  httplib::Response mine;
  CHECK(cors::adapters::handle_pre_routing(d, req, mine) == httplib::Server::HandlerResponse::Unhandled);
  cors::adapters::handle_post_routing(refuses, req, mine);
  CHECK(values(mine.headers, "Access-Control-Allow-Origin") == std::vector<std::string>{"https://app.example.com"});

  // A preflight answered by the decision passed in, not by the installed policy.
  httplib::Request preflight = get_from("https://app.example.com");
  preflight.method = "OPTIONS";
  preflight.set_header("Access-Control-Request-Method", "PUT");
  httplib::Response answer;
  CHECK(cors::adapters::handle_pre_routing(allows.evaluate(cors::adapters::make_request_view(preflight)), preflight,
                                           answer) == httplib::Server::HandlerResponse::Handled);
  CHECK(answer.status == 204);
  cors::adapters::handle_post_routing(refuses, preflight, answer);  // httplib runs it on that answer too
  CHECK(values(answer.headers, "Access-Control-Allow-Methods") == std::vector<std::string>{"PUT"});
  CHECK(values(answer.headers, "Access-Control-Allow-Origin") == std::vector<std::string>{"https://app.example.com"});
}

TEST_CASE("httplib: a decision kept for one request is never written on another") {
  // Two requests interleaved on one thread: the second one's pre-routing step replaces the first
  // one's decision, so the first one's post-routing step finds none for it and writes nothing
  // (rather than the second one's origin).
  const cors::policy p = policy_allowing({"https://a.example", "https://b.example"});
  const httplib::Request first = get_from("https://a.example");
  const httplib::Request second = get_from("https://b.example");
  httplib::Response first_res;
  httplib::Response second_res;
  CHECK(cors::adapters::handle_pre_routing(p, first, first_res) == httplib::Server::HandlerResponse::Unhandled);
  CHECK(cors::adapters::handle_pre_routing(p, second, second_res) == httplib::Server::HandlerResponse::Unhandled);
  cors::adapters::handle_post_routing(p, first, first_res);
  CHECK(first_res.headers.empty());
  cors::adapters::handle_post_routing(p, second, second_res);
  CHECK(values(second_res.headers, "Access-Control-Allow-Origin") == std::vector<std::string>{"https://b.example"});
}

TEST_CASE("httplib: after a live reload between the two steps, the post-routing step decides again") {
  // The pre-routing step decides with the live's version 1; the application then evaluates with
  // the live after a reload, which replaces (and frees) version 1 on this thread. The kept
  // decision points into version 1: the post-routing step must not write it, but decide with
  // version 2, which refuses the origin.
  cors::live_policy live{make_policy()};
  const httplib::Request req = get_from("https://app.example.com");
  httplib::Response res;
  CHECK(cors::adapters::handle_pre_routing(live, req, res) == httplib::Server::HandlerResponse::Unhandled);
  live.store(policy_allowing({"https://other.example"}));
  CHECK_FALSE(live.evaluate(cors::adapters::make_request_view(req)).grants_access());
  cors::adapters::handle_post_routing(live, req, res);
  CHECK(count_access_control(res.headers) == 0);
  CHECK(values(res.headers, "Vary") == std::vector<std::string>{"Origin"});

  // A reload that this thread does not see before the post-routing step leaves the kept decision
  // valid (the thread still holds its version): it is written, made with version 2.
  const httplib::Request other = get_from("https://other.example");
  httplib::Response kept;
  CHECK(cors::adapters::handle_pre_routing(live, other, kept) == httplib::Server::HandlerResponse::Unhandled);
  live.store(make_policy());
  cors::adapters::handle_post_routing(make_policy(), other, kept);
  CHECK(values(kept.headers, "Access-Control-Allow-Origin") == std::vector<std::string>{"https://other.example"});
}
