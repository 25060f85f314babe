// The Boost.Beast adapter on in-memory messages: views without copies, apply replaces and merges,
// make_response answers completely.
#include <cors/adapters/beast.hpp>
#include <cors/cors.hpp>
#include <cors/router.hpp>

#include <boost/beast/http.hpp>

#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "origin_cases.hpp"
#include "policy_for.hpp"

namespace http = boost::beast::http;

namespace {
cors::policy make_policy() {
  cors::config cfg;
  cfg.origins = {"https://app.example.com"};
  cfg.methods = {"PUT"};
  cfg.request_headers = {"X-Req"};
  cfg.exposed_headers = {"X-Total-Count"};
  cfg.credentials = true;
  cfg.max_age = std::chrono::seconds{600};
  return testing::policy_for(cfg);
}

template <class Message>
std::vector<std::string> values(const Message& m, boost::beast::string_view name) {
  std::vector<std::string> out;
  const auto range = m.equal_range(name);
  for (auto it = range.first; it != range.second; ++it) out.emplace_back(it->value());
  return out;
}

template <class Message>
std::size_t count_access_control(const Message& m) {
  std::size_t n = 0;
  for (const auto& f : m) {
    const auto name = f.name_string();
    n += name.size() >= 15 && cors::detail::istarts_with({name.data(), name.size()}, "access-control-") ? 1 : 0;
  }
  return n;
}
}  // namespace

TEST_CASE("beast: every header CORS reads is found whatever its case, known to Beast or not") {
  // Origin and the two Access-Control-Request-* that Boost 1.74 knows are taken from Beast's own
  // name lookup; Sec-Fetch-Site and Access-Control-Request-Private-Network are not in its table.
  http::request<http::empty_body> req{http::verb::options, "/x", 11};
  req.insert("oRIGIN", "https://app.example.com");
  req.insert("ACCESS-CONTROL-REQUEST-METHOD", "PUT");
  req.insert("access-control-REQUEST-headers", "x-req");
  req.insert("SEC-fetch-SITE", "cross-site");
  req.insert("Access-Control-Request-Private-NETWORK", "true");
  req.insert("Origin-X", "ignored");
  req.insert("X-Access-Control-Request-Method", "ignored");
  const cors::request_view v = cors::adapters::make_request_view(req);
  CHECK(v.origin.size() == 1);
  CHECK(v.access_control_request_method.front() == "PUT");
  CHECK(v.access_control_request_headers.front() == "x-req");
  CHECK(v.sec_fetch_site.front() == "cross-site");
  CHECK(v.access_control_request_private_network.front() == "true");
  const cors::request_view by_names =
      cors::make_request_view("OPTIONS", {{"oRIGIN", "https://app.example.com"},
                                          {"ACCESS-CONTROL-REQUEST-METHOD", "PUT"},
                                          {"access-control-REQUEST-headers", "x-req"},
                                          {"SEC-fetch-SITE", "cross-site"},
                                          {"Access-Control-Request-Private-NETWORK", "true"}});
  const cors::policy p = make_policy();
  CHECK(p.evaluate(v).why() == p.evaluate(by_names).why());
  CHECK(p.evaluate(v).headers().size() == p.evaluate(by_names).headers().size());
}

TEST_CASE("beast: the request view points into the request and keeps repeated lines") {
  http::request<http::string_body> req{http::verb::options, "/x", 11};
  req.insert(http::field::origin, "https://app.example.com");
  req.insert("Access-Control-Request-Method", "PUT");
  req.insert("access-control-request-headers", "x-req");
  req.insert("Access-Control-Request-Headers", "x-other");
  req.insert(http::field::content_type, "text/plain");
  const cors::request_view v = cors::adapters::make_request_view(req);
  CHECK(v.method == "OPTIONS");
  REQUIRE(v.origin.size() == 1);
  CHECK(v.origin.front().data() == req[http::field::origin].data());  // a view, not a copy
  REQUIRE(v.access_control_request_headers.size() == 2);
  CHECK(v.access_control_request_headers[0] == "x-req");
  CHECK(v.access_control_request_headers[1] == "x-other");
}

TEST_CASE("beast: apply replaces stale Access-Control headers and merges Vary into one line") {
  const cors::policy policy = make_policy();
  http::request<http::empty_body> req{http::verb::get, "/", 11};
  req.set(http::field::origin, "https://app.example.com");
  http::response<http::string_body> res{http::status::ok, 11};
  res.insert(http::field::access_control_allow_origin, "*");
  res.insert(http::field::access_control_allow_origin, "https://stale.example");
  res.insert(http::field::access_control_allow_methods, "DELETE");
  res.insert(http::field::vary, "Accept-Encoding");
  cors::adapters::apply(policy.evaluate(cors::adapters::make_request_view(req)), res);
  CHECK(values(res, "Access-Control-Allow-Origin") == std::vector<std::string>{"https://app.example.com"});
  CHECK(values(res, "Access-Control-Allow-Credentials") == std::vector<std::string>{"true"});
  CHECK(values(res, "Access-Control-Expose-Headers") == std::vector<std::string>{"X-Total-Count"});
  CHECK(values(res, "Access-Control-Allow-Methods").empty());
  CHECK(values(res, "Vary") == std::vector<std::string>{"Accept-Encoding, Origin"});
  CHECK(count_access_control(res) == 3);
}

TEST_CASE("beast: apply finds every stale header the app set, in any case, known to Beast or not") {
  // apply looks for the policy's headers in one pass over the response; the erase must still find
  // each one, whether Beast knows its field (Max-Age, Allow-Headers) or not (Private-Network).
  cors::config cfg;
  cfg.origins = {"https://app.example.com"};
  cfg.methods = {"PUT"};
  cfg.request_headers = {"X-Req"};
  cfg.max_age = std::chrono::seconds{600};
  cfg.private_network = true;
  const cors::policy policy = testing::policy_for(cfg);
  const auto preflight = [](const char* origin) {
    http::request<http::empty_body> req{http::verb::options, "/", 11};
    req.set(http::field::origin, origin);
    req.set("Access-Control-Request-Method", "PUT");
    req.set("Access-Control-Request-Private-Network", "true");
    return req;
  };
  // Each decision views its own request, which outlives it.
  const http::request<http::empty_body> app_req = preflight("https://app.example.com");
  const http::request<http::empty_body> evil_req = preflight("https://evil.example");
  const cors::decision allowed = policy.evaluate(cors::adapters::make_request_view(app_req));
  REQUIRE_FALSE(allowed.refused());
  const cors::decision refused = policy.evaluate(cors::adapters::make_request_view(evil_req));
  REQUIRE(refused.refused());

  const auto stale_response = [] {
    http::response<http::string_body> res{http::status::ok, 11};
    res.insert("X-App", "1");
    res.insert("access-control-allow-private-network", "false");
    res.insert("ACCESS-CONTROL-MAX-AGE", "1");
    res.insert("access-control-allow-headers", "X-Stale");
    res.insert("Access-Control-Allow-Headers", "X-Stale-Too");
    res.insert("vary", "accept-encoding");
    return res;
  };
  http::response<http::string_body> res = stale_response();
  cors::adapters::apply(allowed, res);
  CHECK(values(res, "Access-Control-Allow-Private-Network") == std::vector<std::string>{"true"});
  CHECK(values(res, "Access-Control-Max-Age") == std::vector<std::string>{"600"});
  CHECK(values(res, "Access-Control-Allow-Headers") == std::vector<std::string>{"X-Req"});  // both stale lines gone
  CHECK(values(res, "Access-Control-Allow-Origin") == std::vector<std::string>{"https://app.example.com"});
  CHECK(values(res, "X-App") == std::vector<std::string>{"1"});
  const std::vector<std::string> vary = values(res, "Vary");
  REQUIRE(vary.size() == 1);
  CHECK(vary.front().rfind("accept-encoding, Origin", 0) == 0);

  http::response<http::string_body> refused_res = stale_response();
  cors::adapters::apply(refused, refused_res);
  CHECK(count_access_control(refused_res) == 0);
  CHECK(values(refused_res, "X-App") == std::vector<std::string>{"1"});
}

TEST_CASE("beast: a refused request gets no Access-Control header, even one the app set") {
  const cors::policy policy = make_policy();
  http::request<http::empty_body> req{http::verb::get, "/", 11};
  req.set(http::field::origin, "https://evil.example");
  http::response<http::string_body> res{http::status::ok, 11};
  res.insert(http::field::access_control_allow_origin, "https://evil.example");
  res.insert(http::field::access_control_allow_credentials, "true");
  const cors::decision d = policy.evaluate(cors::adapters::make_request_view(req));
  REQUIRE(d.refused());
  cors::adapters::apply(d, res);
  CHECK(count_access_control(res) == 0);
  CHECK(values(res, "Vary") == std::vector<std::string>{"Origin"});
}

TEST_CASE("beast: two Origin lines are refused") {
  const cors::policy policy = make_policy();
  http::request<http::empty_body> req{http::verb::get, "/", 11};
  req.insert(http::field::origin, "https://app.example.com");
  req.insert(http::field::origin, "https://app.example.com");
  const cors::decision d = policy.evaluate(cors::adapters::make_request_view(req));
  CHECK(d.why() == cors::reason::origin_multiple);
}

TEST_CASE("beast: make_response answers a preflight completely, keeping version and keep-alive") {
  const cors::policy policy = make_policy();
  http::request<http::empty_body> req{http::verb::options, "/x", 10};
  req.set(http::field::origin, "https://app.example.com");
  req.set("Access-Control-Request-Method", "PUT");
  req.set("Access-Control-Request-Headers", "x-req");
  req.keep_alive(true);
  const cors::decision d = policy.evaluate(cors::adapters::make_request_view(req));
  REQUIRE(d.next_action() == cors::action::respond);
  const auto res = cors::adapters::make_response(d, req);
  CHECK(res.result_int() == 204);
  CHECK(res.version() == 10);
  CHECK(res.keep_alive());
  CHECK(values(res, "Access-Control-Allow-Origin") == std::vector<std::string>{"https://app.example.com"});
  CHECK(values(res, "Access-Control-Allow-Methods") == std::vector<std::string>{"PUT"});
  CHECK(values(res, "Access-Control-Allow-Headers") == std::vector<std::string>{"X-Req"});
  CHECK(values(res, "Access-Control-Max-Age") == std::vector<std::string>{"600"});
  CHECK(values(res, "Content-Length").empty());  // RFC 9110: never on a 204

  req.set(http::field::origin, "https://evil.example");
  const cors::decision refused = policy.evaluate(cors::adapters::make_request_view(req));
  const auto forbidden = cors::adapters::make_response(refused, req);
  CHECK(forbidden.result_int() == 403);
  CHECK(count_access_control(forbidden) == 0);
  CHECK(values(forbidden, "Content-Length") == std::vector<std::string>{"0"});
}

TEST_CASE("beast: headers are written by Beast's field where it has one, under the policy's own spelling") {
  // apply() inserts by `field` to skip Beast's name lookup: the line must still carry exactly the
  // name the decision gives, and the field must be the one Beast itself would have chosen.
  int known = 0;
  for (const cors::response_header_spec& h : cors::response_headers) {
    const http::field f = cors::adapters::detail::field_of(h.id);
    CAPTURE(h.name);
    CHECK(f == http::string_to_field(boost::beast::string_view(h.name.data(), h.name.size())));
    if (f == http::field::unknown) continue;
    ++known;
    const auto spelled = http::to_string(f);
    CHECK(std::string_view(spelled.data(), spelled.size()) == h.name);
  }
  CHECK(known == 7);  // all but Access-Control-Allow-Private-Network, which Beast 1.74 does not know

  // A preflight writes every kind of header into a fresh response; each line's name is the policy's.
  cors::config cfg;
  cfg.origins = {"https://app.example.com"};
  cfg.methods = {"PUT"};
  cfg.request_headers = {"X-Req"};
  cfg.credentials = true;
  cfg.max_age = std::chrono::seconds{600};
  cfg.private_network = true;
  const cors::policy policy = testing::policy_for(cfg);
  http::request<http::empty_body> req{http::verb::options, "/", 11};
  req.set(http::field::origin, "https://app.example.com");
  req.set("Access-Control-Request-Method", "PUT");
  req.set("Access-Control-Request-Headers", "x-req");
  req.set("Access-Control-Request-Private-Network", "true");
  const cors::decision d = policy.evaluate(cors::adapters::make_request_view(req));
  REQUIRE_FALSE(d.refused());
  http::response<http::empty_body> res{http::status::no_content, 11};
  cors::adapters::apply(d, res);
  std::vector<std::string> written;
  for (const auto& line : res) written.emplace_back(line.name_string());
  std::vector<std::string> expected;
  for (const cors::response_header h : d.headers()) expected.emplace_back(h.name());
  CHECK(written == expected);
  CHECK(written.size() >= 6);
}

TEST_CASE("beast: every origin edge case of tests/origin_cases.hpp, through a real message") {
  // The adapter layer reads the same table as the parsers and the policy: a value the policy
  // allows is echoed byte for byte into the response; any other gets no Access-Control-Allow-Origin.
  const origin_cases::match_case m = GENERATE(from_range(origin_cases::matches()));
  CAPTURE(m.origin, m.note);
  const cors::policy p = testing::policy_for(m.patterns);
  http::request<http::empty_body> req{http::verb::get, "/", 11};
  req.set(http::field::origin, m.origin);
  const cors::decision d = p.evaluate(cors::adapters::make_request_view(req));
  http::response<http::string_body> res{http::status::ok, 11};
  cors::adapters::apply(d, res);
  const std::vector<std::string> acao = values(res, "Access-Control-Allow-Origin");
  if (m.matches) {
    CHECK(acao == std::vector<std::string>{m.origin});
  } else {
    CHECK(acao.empty());
  }
  CHECK(values(res, "Vary") == std::vector<std::string>{"Origin"});
}

TEST_CASE("beast: the view's path is the raw target and its host the Host line; a router selects by them") {
  http::request<http::empty_body> req{http::verb::get, "/api/%2e%2e/private?x=1", 11};
  req.set(http::field::host, "tenant.example");
  req.set(http::field::origin, "https://app.example.com");
  const cors::request_view v = cors::adapters::make_request_view(req);
  CHECK(v.path == "/api/%2e%2e/private?x=1");
  REQUIRE(v.host.size() == 1);
  CHECK(v.host.front() == "tenant.example");
  const cors::router r(cors::router_config{{{"tenant.example", "/api", make_policy()}}, std::nullopt});
  CHECK(cors::adapters::evaluate(r, req).kind() == cors::request_kind::not_cors);  // escaped dots: no CORS
  req.target("/api/items?x=1");
  CHECK(cors::adapters::evaluate(r, req).grants_access());
  req.set(http::field::host, "other.example");
  CHECK(cors::adapters::evaluate(r, req).headers().empty());
}

namespace {
using fast_response = http::response<http::string_body, cors::adapters::beast_fields>;

template <class Message>
std::string serialized(const Message& m) {
  std::ostringstream out;
  out << m;
  return out.str();
}

/// The head as the serializer hands it to the socket: its bytes and how many buffers they come in.
template <bool isRequest, class Body, class Fields>
std::pair<std::string, std::size_t> head_buffers(const http::message<isRequest, Body, Fields>& m) {
  http::serializer<isRequest, Body, Fields> sr{m};
  sr.split(true);
  std::pair<std::string, std::size_t> out;
  boost::beast::error_code ec;
  sr.next(ec, [&out](boost::beast::error_code&, const auto& buffers) {
    for (auto it = boost::asio::buffer_sequence_begin(buffers); it != boost::asio::buffer_sequence_end(buffers); ++it) {
      const boost::asio::const_buffer b = *it;
      out.first.append(static_cast<const char*>(b.data()), b.size());
      ++out.second;
    }
  });
  REQUIRE_FALSE(ec);
  return out;
}

std::vector<std::pair<std::string, std::string>> policy_lines(const cors::adapters::beast_fields& f) {
  std::vector<std::pair<std::string, std::string>> out;
  f.for_each_policy_line([&out](std::string_view name, std::string_view value) { out.emplace_back(name, value); });
  return out;
}

cors::decision allowed_actual(const cors::policy& p, const http::request<http::empty_body>& req) {
  const cors::decision d = p.evaluate(cors::adapters::make_request_view(req));
  REQUIRE(d.grants_access());
  return d;
}

http::request<http::empty_body> actual_request(const char* origin) {
  http::request<http::empty_body> req{http::verb::get, "/", 11};
  req.set(http::field::origin, origin);
  return req;
}
}  // namespace

TEST_CASE("beast_fields: the head is one buffer: start line, the app's fields, the policy's lines, CRLF") {
  const cors::policy policy = make_policy();
  const auto req = actual_request("https://app.example.com");
  fast_response res{http::status::ok, 11};
  res.set(http::field::content_type, "text/plain");
  res.insert("X-App", "1");
  res.body() = "ok";
  cors::adapters::apply(allowed_actual(policy, req), res);
  res.prepare_payload();
  const std::string head =
      "HTTP/1.1 200 OK\r\n"
      "Content-Type: text/plain\r\n"
      "X-App: 1\r\n"
      "Content-Length: 2\r\n"
      "Access-Control-Allow-Origin: https://app.example.com\r\n"
      "Access-Control-Allow-Credentials: true\r\n"
      "Access-Control-Expose-Headers: X-Total-Count\r\n"
      "Vary: Origin\r\n"
      "\r\n";
  CHECK(head_buffers(res) == std::pair<std::string, std::size_t>{head, 1});
  CHECK(serialized(res) == head + "ok");
  CHECK(res.policy_lines() ==
        "Access-Control-Allow-Origin: https://app.example.com\r\n"
        "Access-Control-Allow-Credentials: true\r\n"
        "Access-Control-Expose-Headers: X-Total-Count\r\n"
        "Vary: Origin\r\n");
  using lines = std::vector<std::pair<std::string, std::string>>;
  CHECK(policy_lines(res) == lines{{"Access-Control-Allow-Origin", "https://app.example.com"},
                                   {"Access-Control-Allow-Credentials", "true"},
                                   {"Access-Control-Expose-Headers", "X-Total-Count"},
                                   {"Vary", "Origin"}});
  // The policy's lines are not Beast fields: find() sees only the application's.
  CHECK(res.find(http::field::access_control_allow_origin) == res.end());
  CHECK(res[http::field::content_type] == "text/plain");
}

TEST_CASE("beast_fields: without policy lines it serialises exactly as http::fields, requests and responses") {
  // Same lines, same bytes: the reason phrase set or Beast's, any version, a custom method.
  http::response<http::string_body> plain{http::status::not_found, 10};
  plain.set(http::field::server, "test");
  plain.insert("X-Empty", "");
  plain.insert("x-lower", "v");
  plain.reason("Gone Fishing");
  plain.body() = "body";
  plain.prepare_payload();
  fast_response fast{http::status::not_found, 10};
  for (const auto& f : plain) fast.insert(f.name(), f.name_string(), f.value());
  fast.reason("Gone Fishing");
  fast.body() = "body";
  CHECK(serialized(fast) == serialized(plain));
  fast.reason("");
  plain.reason("");
  CHECK(serialized(fast) == serialized(plain));
  CHECK(serialized(fast).rfind("HTTP/1.0 404 Not Found\r\n", 0) == 0);

  http::request<http::string_body> plain_req{http::verb::unknown, "/x?y=1", 11};
  plain_req.method_string("PURGE");
  plain_req.set(http::field::host, "example.com");
  http::request<http::string_body, cors::adapters::beast_fields> fast_req{http::verb::unknown, "/x?y=1", 11};
  fast_req.method_string("PURGE");
  fast_req.set(http::field::host, "example.com");
  CHECK(serialized(fast_req) == serialized(plain_req));
  CHECK(head_buffers(fast_req) ==
        std::pair<std::string, std::size_t>{"PURGE /x?y=1 HTTP/1.1\r\nHost: example.com\r\n\r\n", 1});
  fast_req.method(http::verb::delete_);
  CHECK(serialized(fast_req).rfind("DELETE /x?y=1 HTTP/1.1\r\n", 0) == 0);
}

TEST_CASE("beast_fields: a head longer than the writer's own room is written whole") {
  const cors::policy policy = make_policy();
  const auto req = actual_request("https://app.example.com");
  fast_response res{http::status::ok, 11};
  const std::string long_value(cors::adapters::beast_fields::writer::inline_capacity, 'x');
  res.insert("X-Long", long_value);
  cors::adapters::apply(allowed_actual(policy, req), res);
  const auto [head, buffers] = head_buffers(res);
  CHECK(buffers == 1);
  CHECK(head.size() > cors::adapters::beast_fields::writer::inline_capacity);
  CHECK(head == "HTTP/1.1 200 OK\r\nX-Long: " + long_value + "\r\n" + std::string(res.policy_lines()) + "\r\n");
}

TEST_CASE("beast_fields: apply replaces the app's Access-Control headers and merges its Vary into one line") {
  const cors::policy policy = make_policy();
  const auto req = actual_request("https://app.example.com");
  fast_response res{http::status::ok, 11};
  res.insert(http::field::access_control_allow_origin, "*");
  res.insert("access-control-allow-METHODS", "DELETE");
  res.insert("X-App", "1");
  res.insert(http::field::vary, "Accept-Encoding");
  cors::adapters::apply(allowed_actual(policy, req), res);
  CHECK(count_access_control(res) == 0);  // none left among Beast's fields
  CHECK(values(res, "Vary").empty());     // merged into the block
  CHECK(values(res, "X-App") == std::vector<std::string>{"1"});
  CHECK(res.policy_lines() ==
        "Access-Control-Allow-Origin: https://app.example.com\r\n"
        "Access-Control-Allow-Credentials: true\r\n"
        "Access-Control-Expose-Headers: X-Total-Count\r\n"
        "Vary: Accept-Encoding, Origin\r\n");
  CHECK(serialized(res) == "HTTP/1.1 200 OK\r\nX-App: 1\r\n" + std::string(res.policy_lines()) + "\r\n");
}

TEST_CASE("beast_fields: a second apply replaces the first one's lines and merges its Vary") {
  cors::config cfg;
  cfg.origins = {"https://app.example.com"};
  cfg.methods = {"PUT"};
  cfg.max_age = std::chrono::seconds{600};
  const cors::policy preflight_policy = testing::policy_for(cfg);
  const cors::policy policy = make_policy();
  http::request<http::empty_body> preflight{http::verb::options, "/", 11};
  preflight.set(http::field::origin, "https://app.example.com");
  preflight.set("Access-Control-Request-Method", "PUT");
  const cors::decision first = preflight_policy.evaluate(cors::adapters::make_request_view(preflight));
  REQUIRE(first.grants_access());
  const auto req = actual_request("https://app.example.com");

  fast_response res{http::status::ok, 11};
  cors::adapters::apply(first, res);
  REQUIRE(res.policy_lines().find("Access-Control-Max-Age: 600\r\n") != std::string_view::npos);
  cors::adapters::apply(allowed_actual(policy, req), res);
  // The first Vary already names Origin: it stays as it is, where it is (as with http::fields).
  CHECK(res.policy_lines() ==
        "Vary: Origin, Access-Control-Request-Method, Access-Control-Request-Headers\r\n"
        "Access-Control-Allow-Origin: https://app.example.com\r\n"
        "Access-Control-Allow-Credentials: true\r\n"
        "Access-Control-Expose-Headers: X-Total-Count\r\n");

  // A refused request: the block keeps only Vary, the app's stale Access-Control line is gone.
  const auto evil = actual_request("https://evil.example");
  const cors::decision refused = policy.evaluate(cors::adapters::make_request_view(evil));
  REQUIRE(refused.refused());
  res.insert(http::field::access_control_allow_origin, "https://evil.example");
  cors::adapters::apply(refused, res);
  CHECK(count_access_control(res) == 0);
  CHECK(res.policy_lines() == "Vary: Origin, Access-Control-Request-Method, Access-Control-Request-Headers\r\n");
}

TEST_CASE("beast_fields: keep-alive and Content-Length work as with http::fields") {
  const cors::policy policy = make_policy();
  const auto req = actual_request("https://app.example.com");
  fast_response res{http::status::ok, 10};
  CHECK_FALSE(res.keep_alive());
  res.keep_alive(true);
  CHECK(res.keep_alive());
  res.body() = "hello";
  cors::adapters::apply(allowed_actual(policy, req), res);
  res.prepare_payload();
  CHECK(res.has_content_length());
  CHECK(res[http::field::content_length] == "5");
  CHECK(serialized(res) == "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 5\r\n" +
                               std::string(res.policy_lines()) + "\r\nhello");
  res.version(11);
  res.keep_alive(false);
  CHECK_FALSE(res.keep_alive());
  CHECK(serialized(res) == "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n" +
                               std::string(res.policy_lines()) + "\r\nhello");
  res.chunked(true);
  CHECK(res.chunked());
  CHECK_FALSE(res.has_content_length());
}

TEST_CASE("beast_fields: copies, moves, swap and clear carry or drop the policy's lines with the rest") {
  const cors::policy policy = make_policy();
  const auto req = actual_request("https://app.example.com");
  fast_response res{http::status::ok, 11};
  res.insert("X-App", "1");
  cors::adapters::apply(allowed_actual(policy, req), res);
  const std::string lines(res.policy_lines());
  REQUIRE_FALSE(lines.empty());
  const fast_response copy = res;
  CHECK(copy.policy_lines() == lines);
  CHECK(serialized(copy) == serialized(res));
  fast_response moved = std::move(res);
  CHECK(moved.policy_lines() == lines);
  fast_response other{http::status::ok, 11};
  swap(static_cast<cors::adapters::beast_fields&>(moved), static_cast<cors::adapters::beast_fields&>(other));
  CHECK(moved.policy_lines().empty());
  CHECK(moved.begin() == moved.end());
  CHECK(other.policy_lines() == lines);
  CHECK(values(other, "X-App") == std::vector<std::string>{"1"});
  other.clear();
  CHECK(other.policy_lines().empty());
  CHECK(other.begin() == other.end());
  CHECK(serialized(other) == "HTTP/1.1 200 OK\r\n\r\n");
}

TEST_CASE("beast_fields: make_response answers a preflight with them, and apply for http::fields is unchanged") {
  const cors::policy policy = make_policy();
  http::request<http::empty_body> req{http::verb::options, "/x", 11};
  req.set(http::field::origin, "https://app.example.com");
  req.set("Access-Control-Request-Method", "PUT");
  const cors::decision d = policy.evaluate(cors::adapters::make_request_view(req));
  REQUIRE(d.next_action() == cors::action::respond);
  const auto fast = cors::adapters::make_response<http::string_body, cors::adapters::beast_fields>(d, req);
  const auto plain = cors::adapters::make_response<http::string_body>(d, req);
  static_assert(std::is_same_v<std::decay_t<decltype(plain)>, http::response<http::string_body>>);
  CHECK(fast.result_int() == 204);
  CHECK(fast.begin() == fast.end());  // every line is the policy's, none Beast's
  std::string plain_lines;
  for (const auto& f : plain) plain_lines += std::string(f.name_string()) + ": " + std::string(f.value()) + "\r\n";
  CHECK(fast.policy_lines() == plain_lines);  // the same lines in the same order
  CHECK(serialized(fast) == serialized(plain));
}
