// The Pistache adapter on in-memory requests (parsed from bytes by Pistache's own parser) and
// response writers without a peer (Pistache serialises the response, then finds no connection to
// write it to): the request copies, apply replacing (Pistache's add keeps the first entry) and
// merging, the wire bytes, the middleware, and the router's not-found path.
#include <cors/adapters/pistache.hpp>
#include <cors/cors.hpp>

#include <pistache/router.h>

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "origin_cases.hpp"
#include "policy_for.hpp"

namespace {

namespace http = Pistache::Http;
namespace rest = Pistache::Rest;

cors::policy make_policy(bool refuse = false) {
  cors::config cfg;
  cfg.origins = {"https://app.example.com"};
  cfg.methods = {"PUT"};
  cfg.request_headers = {"X-Req"};
  cfg.exposed_headers = {"X-Total-Count"};
  cfg.credentials = true;
  cfg.refuse_disallowed_requests = refuse;
  return testing::policy_for(cfg);
}

/// A request parsed by Pistache from `head` (request line and header lines, CRLF-separated).
http::Request parse(std::string_view head) {
  const std::string bytes = std::string(head) + "\r\n";
  http::RequestParser parser(64 * 1024);
  REQUIRE(parser.feed(bytes.data(), bytes.size()));
  REQUIRE(parser.parse() == http::Private::State::Done);
  return parser.request;
}

/// A response writer with no connection: everything but the final socket write works.
struct writer_fixture {
  std::shared_ptr<rest::Router> router = std::make_shared<rest::Router>();
  std::shared_ptr<rest::Private::RouterHandler> handler = rest::Router::handler(router);
  http::ResponseWriter make() { return http::ResponseWriter(http::Version::Http11, nullptr, handler.get(), {}); }
};

/// The value Pistache would write for `name`, or nothing.
std::optional<std::string> value_of(const http::Header::Collection& headers, const std::string& name) {
  const auto h = headers.tryGet(name);
  if (!h) return std::nullopt;
  return cors::adapters::detail::pistache_value_of(*h);
}

std::size_t count_access_control(const http::Header::Collection& headers) {
  std::size_t n = 0;
  for (const auto& h : headers.list()) n += cors::detail::istarts_with(h->name(), "access-control-") ? 1 : 0;
  return n;
}

/// The bytes a writer produced on `send`.
std::string wire(http::ResponseWriter& w) { return w.rdbuf()->buffer().data(); }

}  // namespace

TEST_CASE("pistache: the request copies hold the headers the policy reads, case-insensitively") {
  const http::Request req = parse(
      "OPTIONS /items HTTP/1.1\r\nHost: x\r\norigin: https://app.example.com\r\n"
      "ACCESS-CONTROL-REQUEST-METHOD: PUT\r\nAccess-Control-Request-Headers: x-req\r\nX-Other: 1\r\n");
  const cors::adapters::pistache_request_headers headers(req);
  const cors::request_view& v = headers.view();
  CHECK(v.method == "OPTIONS");
  CHECK(v.origin.size() == 1);
  CHECK(v.origin.front() == "https://app.example.com");
  CHECK(v.access_control_request_method.front() == "PUT");
  CHECK(v.access_control_request_headers.front() == "x-req");
  CHECK_FALSE(v.sec_fetch_site.present());
}

TEST_CASE("pistache: Pistache keeps only the first line of a repeated request header") {
  // A limit of the framework, asserted so that a Pistache that keeps both lines shows up here.
  const http::Request req = parse(
      "GET / HTTP/1.1\r\nOrigin: https://app.example.com\r\nOrigin: https://evil.example\r\n"
      "Access-Control-Request-Headers: x-a\r\nAccess-Control-Request-Headers: x-b\r\n");
  const cors::adapters::pistache_request_headers headers(req);
  CHECK(headers.view().origin.size() == 1);
  CHECK(headers.view().origin.front() == "https://app.example.com");
  CHECK(headers.view().access_control_request_headers.size() == 1);
}

TEST_CASE("pistache: Collection::add keeps the first entry, which is why apply removes first") {
  http::Header::Collection headers;
  headers.add<http::Header::AccessControlAllowOrigin>("*");
  headers.add<http::Header::AccessControlAllowOrigin>("https://app.example.com");
  CHECK(value_of(headers, "Access-Control-Allow-Origin") == "*");
}

TEST_CASE("pistache: apply replaces stale Access-Control headers and merges Vary into one line") {
  const cors::policy policy = make_policy();
  const http::Request req = parse("GET / HTTP/1.1\r\nOrigin: https://app.example.com\r\n");
  const cors::adapters::pistache_request_headers copies(req);
  const cors::decision d = policy.evaluate(copies.view());
  http::Header::Collection headers;
  headers.add<http::Header::AccessControlAllowOrigin>("*");
  headers.add(std::make_shared<cors::adapters::pistache_text_header>("access-control-max-age", "1"));
  headers.add(std::make_shared<cors::adapters::pistache_text_header>("Vary", "Accept-Encoding"));
  cors::adapters::apply(d, headers);
  CHECK(value_of(headers, "Access-Control-Allow-Origin") == "https://app.example.com");
  CHECK(value_of(headers, "Access-Control-Allow-Credentials") == "true");
  CHECK(value_of(headers, "Access-Control-Expose-Headers") == "X-Total-Count");
  CHECK_FALSE(value_of(headers, "Access-Control-Max-Age"));
  CHECK(value_of(headers, "Vary") == "Accept-Encoding, Origin");
  // Pistache's own class, so a typed lookup finds the type it expects.
  const auto acao = headers.tryGet<http::Header::AccessControlAllowOrigin>();
  REQUIRE(acao);
  CHECK(acao->uri() == "https://app.example.com");
  cors::adapters::apply(d, headers);  // applying twice changes nothing
  CHECK(count_access_control(headers) == 3);
  CHECK(value_of(headers, "Vary") == "Accept-Encoding, Origin");
}

TEST_CASE("pistache: a refused request gets no Access-Control header, even one the app set") {
  const cors::policy policy = make_policy();
  const http::Request req = parse("GET / HTTP/1.1\r\nOrigin: https://evil.example\r\n");
  const cors::adapters::pistache_request_headers copies(req);
  http::Header::Collection headers;
  headers.add<http::Header::AccessControlAllowOrigin>("https://evil.example");
  headers.add(std::make_shared<cors::adapters::pistache_text_header>("Access-Control-Allow-Credentials", "true"));
  cors::adapters::apply(policy.evaluate(copies.view()), headers);
  CHECK(count_access_control(headers) == 0);
  CHECK(value_of(headers, "Vary") == "Origin");
}

TEST_CASE("pistache: two Access-Control-Allow-Headers values are written as one comma-joined line") {
  cors::config cfg;
  cfg.origins = {"https://app.example.com"};
  cfg.request_headers = {"*"};
  cfg.credentials = true;  // `*` is then echoed, line by line
  const cors::policy policy = testing::policy_for(cfg);
  // Pistache keeps one line per request header, so two lines come from a decision built by hand.
  cors::request_view v = cors::make_request_view("OPTIONS", {{"Origin", "https://app.example.com"},
                                                             {"Access-Control-Request-Method", "GET"},
                                                             {"Access-Control-Request-Headers", "x-a"},
                                                             {"Access-Control-Request-Headers", "x-b"}});
  const cors::decision d = policy.evaluate(v);
  REQUIRE(d.next_action() == cors::action::respond);
  http::Header::Collection headers;
  cors::adapters::apply(d, headers);
  CHECK(value_of(headers, "Access-Control-Allow-Headers") == "x-a, x-b");
}

TEST_CASE("pistache: merge_vary puts the application's tokens before the middleware's Vary") {
  writer_fixture f;
  http::ResponseWriter w = f.make();
  cors::adapters::merge_vary(w, "Accept-Encoding");
  CHECK(value_of(w.headers(), "Vary") == "Accept-Encoding");
  http::ResponseWriter behind = f.make();
  behind.headers().add(std::make_shared<cors::adapters::pistache_text_header>("Vary", "Origin"));
  cors::adapters::merge_vary(behind, "Accept-Encoding, origin");
  CHECK(value_of(behind.headers(), "Vary") == "Accept-Encoding, origin");
  cors::adapters::merge_vary(behind, "Accept-Encoding");
  CHECK(value_of(behind.headers(), "Vary") == "Accept-Encoding, origin");
  http::ResponseWriter plain = f.make();
  plain.headers().add(std::make_shared<cors::adapters::pistache_text_header>("Vary", "Origin"));
  cors::adapters::merge_vary(plain, "Accept-Encoding");
  CHECK(value_of(plain.headers(), "Vary") == "Accept-Encoding, Origin");
  cors::adapters::merge_vary(plain, "*");
  CHECK(value_of(plain.headers(), "Vary") == "*");
  cors::adapters::merge_vary(plain, "Cookie");
  CHECK(value_of(plain.headers(), "Vary") == "*");
}

TEST_CASE("pistache: the middleware answers an allowed preflight 204, and the bytes carry every header once") {
  const cors::policy policy = make_policy();
  writer_fixture f;
  http::Request req =
      parse("OPTIONS /items HTTP/1.1\r\nOrigin: https://app.example.com\r\nAccess-Control-Request-Method: PUT\r\n");
  http::ResponseWriter w = f.make();
  const rest::Route::Middleware mw = cors::adapters::middleware(policy);
  CHECK_FALSE(mw(req, w));  // answered: routing stops
  CHECK(w.getResponseCode() == http::Code::No_Content);
  const std::string bytes = wire(w);
  INFO(bytes);
  CHECK(bytes.rfind("HTTP/1.1 204 No Content\r\n", 0) == 0);
  for (const char* line :
       {"\r\nAccess-Control-Allow-Origin: https://app.example.com\r\n",
        "\r\nAccess-Control-Allow-Credentials: true\r\n", "\r\nAccess-Control-Allow-Methods: PUT\r\n",
        "\r\nVary: Origin, Access-Control-Request-Method, Access-Control-Request-Headers\r\n"}) {
    CHECK(bytes.find(line) != std::string::npos);
  }
}

TEST_CASE("pistache: the middleware refuses a preflight 403 and, with refuse_disallowed_requests, an actual request") {
  writer_fixture f;
  {
    http::Request req =
        parse("OPTIONS /items HTTP/1.1\r\nOrigin: https://evil.example\r\nAccess-Control-Request-Method: PUT\r\n");
    http::ResponseWriter w = f.make();
    CHECK_FALSE(cors::adapters::middleware(make_policy())(req, w));
    CHECK(w.getResponseCode() == http::Code::Forbidden);
    CHECK(count_access_control(w.headers()) == 0);
  }
  {
    http::Request req = parse("GET /items HTTP/1.1\r\nOrigin: https://evil.example\r\n");
    http::ResponseWriter w = f.make();
    CHECK_FALSE(cors::adapters::middleware(make_policy(true))(req, w));
    CHECK(w.getResponseCode() == http::Code::Forbidden);
    CHECK(value_of(w.headers(), "Vary") == "Origin");
  }
}

TEST_CASE("pistache: the middleware lets an actual request through with the headers already written") {
  writer_fixture f;
  http::Request req = parse("GET /items HTTP/1.1\r\nOrigin: https://app.example.com\r\n");
  http::ResponseWriter w = f.make();
  CHECK(cors::adapters::middleware(make_policy())(req, w));
  CHECK(value_of(w.headers(), "Access-Control-Allow-Origin") == "https://app.example.com");
  // What a handler then adds is ignored by Pistache for these names: the policy's values stay.
  w.headers().add<http::Header::AccessControlAllowOrigin>("*");
  w.send(http::Code::Ok, "ok");
  const std::string bytes = wire(w);
  INFO(bytes);
  CHECK(bytes.find("\r\nAccess-Control-Allow-Origin: https://app.example.com\r\n") != std::string::npos);
  CHECK(bytes.find("Access-Control-Allow-Origin: *") == std::string::npos);
  CHECK(bytes.find("\r\nAccess-Control-Expose-Headers: X-Total-Count\r\n") != std::string::npos);
}

TEST_CASE("pistache: the router's not-found path gets the CORS headers through with_cors_headers") {
  const cors::policy policy = make_policy();
  writer_fixture f;
  cors::adapters::install(*f.router, policy);
  std::optional<std::string> acao;
  std::optional<std::string> vary;
  f.router->addNotFoundHandler(
      cors::adapters::with_cors_headers(policy, [&](const rest::Request&, http::ResponseWriter response) {
        acao = value_of(response.headers(), "Access-Control-Allow-Origin");
        vary = value_of(response.headers(), "Vary");
        response.send(http::Code::Not_Found);
        return rest::Route::Result::Ok;
      }));
  const http::Request req = parse("GET /nowhere HTTP/1.1\r\nOrigin: https://app.example.com\r\n");
  CHECK(f.router->route(req, f.make()) == rest::Route::Status::NotFound);
  CHECK(acao == "https://app.example.com");
  CHECK(vary == "Origin");
}

TEST_CASE("pistache: install answers a preflight on a path that has no OPTIONS route") {
  const cors::policy policy = make_policy();
  writer_fixture f;
  cors::adapters::install(*f.router, policy);
  bool routed = false;
  f.router->get("/items", [&](const rest::Request&, http::ResponseWriter response) {
    routed = true;
    response.send(http::Code::Ok);
    return rest::Route::Result::Ok;
  });
  const http::Request req =
      parse("OPTIONS /items HTTP/1.1\r\nOrigin: https://app.example.com\r\nAccess-Control-Request-Method: PUT\r\n");
  CHECK(f.router->route(req, f.make()) == rest::Route::Status::Match);  // the middleware's answer
  CHECK_FALSE(routed);
}

TEST_CASE("pistache: every origin edge case of tests/origin_cases.hpp, through the middleware") {
  // The same table as the parsers and the policy read: an allowed value is echoed byte for byte,
  // any other gets no Access-Control-Allow-Origin. Values Pistache cannot carry unchanged (CR or
  // LF inside, leading spaces, which its parser strips) are left out.
  const origin_cases::match_case m = GENERATE(from_range(origin_cases::matches()));
  CAPTURE(m.origin, m.note);
  if (m.origin.find_first_of("\r\n") != std::string::npos || m.origin.rfind(' ', 0) == 0) {
    SUCCEED("not carried unchanged by Pistache's parser");
    return;
  }
  const cors::policy p = testing::policy_for(m.patterns);
  writer_fixture f;
  http::Request req = parse("GET / HTTP/1.1\r\nOrigin: " + m.origin + "\r\n");
  REQUIRE(req.headers().getRaw("Origin").value() == m.origin);
  http::ResponseWriter w = f.make();
  CHECK(cors::adapters::middleware(p)(req, w));
  const std::optional<std::string> acao = value_of(w.headers(), "Access-Control-Allow-Origin");
  if (m.matches) {
    CHECK(acao == m.origin);
  } else {
    CHECK_FALSE(acao);
  }
  CHECK(value_of(w.headers(), "Vary") == "Origin");
}

TEST_CASE("pistache: the view's path is resource() and its host the Host header; a router selects by them") {
  const http::Request req = parse(
      "OPTIONS /api/items?x=1 HTTP/1.1\r\nHost: tenant.example:8080\r\nOrigin: https://app.example.com\r\n"
      "Access-Control-Request-Method: PUT\r\n");
  const cors::adapters::pistache_request_headers headers(req);
  CHECK(headers.view().path == "/api/items");
  REQUIRE(headers.view().host.size() == 1);
  CHECK(headers.view().host.front() == "tenant.example:8080");
  const cors::router r(cors::router_config{{{"tenant.example:8080", "/api", make_policy()}}, std::nullopt});
  CHECK(r.evaluate(headers.view()).next_action() == cors::action::respond);
  const http::Request other = parse(
      "OPTIONS /api/%2E%2E/x HTTP/1.1\r\nHost: tenant.example:8080\r\nOrigin: https://app.example.com\r\n"
      "Access-Control-Request-Method: PUT\r\n");
  const cors::adapters::pistache_request_headers other_headers(other);
  CHECK(other_headers.view().path == "/api/%2E%2E/x");  // not decoded
  CHECK(r.evaluate(other_headers.view()).kind() == cors::request_kind::not_cors);
  rest::Router router;
  cors::adapters::install(router, r);  // compiles and accepts a router
  CHECK(cors::adapters::middleware(r) != nullptr);
}

TEST_CASE("pistache: a typed Host is formatted as Header::Host writes it, without a stream") {
  // The fallback for a `Host` Pistache keeps only as its typed header; its own `write` is the
  // reference the adapter's formatting must match.
  for (const char* host : {"x", "tenant.example:8080", "127.0.0.1:80", "127.0.0.1:0", "a.test:65535", "[::1]:8080"}) {
    CAPTURE(host);
    const http::Header::Host parsed{std::string(host)};
    CHECK(cors::adapters::detail::pistache_host_value(parsed) == cors::adapters::detail::pistache_value_of(parsed));
  }
}

TEST_CASE("pistache: only the headers the policy reads are copied into the view, each once") {
  const http::Request req = parse(
      "OPTIONS /items HTTP/1.1\r\nHost: x\r\nOrigin: https://app.example.com\r\nX-A: 1\r\nX-B: 2\r\n"
      "Access-Control-Request-Method: PUT\r\nSec-Fetch-Site: cross-site\r\nCookie: c=1\r\n"
      "Access-Control-Request-Private-Network: true\r\nAccess-Control-Request-Headers: x-req\r\n");
  const cors::adapters::pistache_request_headers headers(req);
  const cors::request_view& v = headers.view();
  CHECK(v.origin.size() == 1);
  CHECK(v.access_control_request_method.size() == 1);
  CHECK(v.access_control_request_headers.front() == "x-req");
  CHECK(v.sec_fetch_site.front() == "cross-site");
  CHECK(v.access_control_request_private_network.front() == "true");
  CHECK(v.host.front() == "x");  // the raw line, as the client sent it
}

TEST_CASE("pistache: the adapter's text headers point at its static names, never copies") {
  const cors::policy policy = make_policy();
  const http::Request req = parse("GET / HTTP/1.1\r\nOrigin: https://app.example.com\r\n");
  const cors::adapters::pistache_request_headers copies(req);
  http::Header::Collection headers;
  cors::adapters::apply(policy.evaluate(copies.view()), headers);
  for (const cors::response_header_id id :
       {cors::response_header_id::access_control_allow_credentials, cors::response_header_id::vary}) {
    const std::string& name = cors::adapters::detail::name_string(id);
    CAPTURE(name);
    const auto h = headers.tryGet(name);
    REQUIRE(h);
    CHECK(h->name() == name.c_str());  // the same bytes, not an equal copy
  }
  // The application's own text headers still own their names.
  std::string mine = "X-Total-Count";
  const cors::adapters::pistache_text_header own(mine, "42");
  mine.assign("overwritten");
  CHECK(std::string_view(own.name()) == "X-Total-Count");
}
