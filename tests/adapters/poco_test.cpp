// The POCO adapter on in-memory requests and responses: views without copies (and what Poco's
// header parser hands the policy), apply replaces and merges, the factory answers preflights and
// refused requests itself and writes the CORS headers into whatever the application sends,
// however it set its own headers, including on its 404s, 500s and exceptions (reported to Poco's
// ErrorHandler as Poco reports them).
#include <cors/adapters/poco.hpp>
#include <cors/cors.hpp>
#include <cors/live.hpp>
#include <cors/router.hpp>

#include <Poco/ErrorHandler.h>
#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Timespan.h>

#include <functional>
#include <istream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "origin_cases.hpp"
#include "policy_for.hpp"

namespace {

using Poco::Net::HTTPResponse;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

/// A server response that records what it sends (the status line and headers Poco would write,
/// then the body) instead of writing to a socket.
class recording_response final : public HTTPServerResponse {
 public:
  void sendContinue() override { ++continues; }
  std::ostream& send() override {
    commit();
    return wire;
  }
  void sendFile(const std::string&, const std::string&) override { throw Poco::NotImplementedException("sendFile"); }
  void sendBuffer(const void* buffer, std::size_t length) override {
    setContentLength(static_cast<std::streamsize>(length));
    commit();
    wire.write(static_cast<const char*>(buffer), static_cast<std::streamsize>(length));
  }
  void redirect(const std::string& uri, HTTPStatus status = HTTP_FOUND) override {
    setStatusAndReason(status);
    set("Location", uri);
    setContentLength(0);
    commit();
  }
  void requireAuthentication(const std::string&) override { setStatusAndReason(HTTP_UNAUTHORIZED); }
  bool sent() const override { return sends != 0; }

  int sends = 0;
  int continues = 0;
  std::ostringstream wire;

 private:
  void commit() {
    ++sends;
    write(wire);
  }
};

/// A server request parsed by Poco's own parser from raw bytes (request line and header lines), or
/// built by hand; its response is the recording one, prepared as Poco's server connection
/// prepares it (version, keep-alive).
class test_request final : public HTTPServerRequest {
 public:
  explicit test_request(const std::string& head) {
    std::istringstream in(head);
    read(in);
    prepare_response();
  }
  test_request(const std::string& method, std::vector<std::pair<std::string, std::string>> headers) {
    setMethod(method);
    setURI("/items");
    setVersion(HTTP_1_1);
    for (const auto& [name, value] : headers) add(name, value);
    prepare_response();
  }

  std::istream& stream() override { return body_; }
  const Poco::Net::SocketAddress& clientAddress() const override { return address_; }
  const Poco::Net::SocketAddress& serverAddress() const override { return address_; }
  const Poco::Net::HTTPServerParams& serverParams() const override { return *params_; }
  HTTPServerResponse& response() const override { return response_; }
  bool secure() const override { return false; }

  mutable recording_response response_;

 private:
  void prepare_response() {
    response_.setVersion(getVersion());
    response_.setKeepAlive(getKeepAlive());
  }

  std::istringstream body_;
  Poco::Net::SocketAddress address_;
  Poco::Net::HTTPServerParams::Ptr params_ = new Poco::Net::HTTPServerParams;
};

/// The application: a handler running `body`, from a factory that counts its calls.
using app_body = std::function<void(HTTPServerRequest&, HTTPServerResponse&)>;

class app_handler final : public Poco::Net::HTTPRequestHandler {
 public:
  explicit app_handler(app_body body) : body_(std::move(body)) {}
  void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override { body_(request, response); }

 private:
  app_body body_;
};

class app_factory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit app_factory(app_body body, int* calls) : body_(std::move(body)), calls_(calls) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const HTTPServerRequest&) override {
    ++*calls_;
    return body_ ? new app_handler(body_) : nullptr;
  }

 private:
  app_body body_;
  int* calls_;
};

/// The application of the example servers, in short: 200 `ok` with its own headers.
void answer_ok(HTTPServerRequest&, HTTPServerResponse& res) {
  res.set("X-Total-Count", "42");
  res.setContentType("text/plain");
  res.sendBuffer("ok", 2);
}

cors::config make_config(bool refuse = false) {
  cors::config cfg;
  cfg.origins = {"https://app.example.com"};
  cfg.methods = {"PUT"};
  cfg.request_headers = {"X-Req"};
  cfg.exposed_headers = {"X-Total-Count"};
  cfg.credentials = true;
  cfg.max_age = std::chrono::seconds{600};
  cfg.refuse_disallowed_requests = refuse;
  return cfg;
}

/// Runs one request through the adapter's factory as Poco's server connection does: factory,
/// then the handler it returns. `app_calls` counts the application factory's calls.
void serve(const cors::policy& policy, test_request& req, app_body body, int& app_calls) {
  cors::adapters::poco_handler_factory factory(policy, new app_factory(std::move(body), &app_calls));
  const std::unique_ptr<Poco::Net::HTTPRequestHandler> handler(factory.createRequestHandler(req));
  REQUIRE(handler);
  handler->handleRequest(req, req.response_);
}

std::vector<std::string> values(const Poco::Net::NameValueCollection& headers, std::string_view name) {
  std::vector<std::string> out;
  for (const auto& [n, v] : headers) {
    if (cors::detail::iequals(n, name)) out.push_back(v);
  }
  return out;
}

std::size_t count_access_control(const Poco::Net::NameValueCollection& headers) {
  std::size_t n = 0;
  for (const auto& h : headers) n += cors::detail::istarts_with(h.first, "access-control-") ? 1 : 0;
  return n;
}

using lines = std::vector<std::string>;

}  // namespace

TEST_CASE("poco: the request view points into the request and keeps repeated lines") {
  test_request req("OPTIONS", {{"Origin", "https://app.example.com"},
                               {"Access-Control-Request-Headers", "x-a"},
                               {"Content-Type", "text/plain"},
                               {"access-control-request-headers", "x-b"}});
  const cors::request_view v = cors::adapters::make_request_view(req);
  CHECK(v.method == "OPTIONS");
  REQUIRE(v.origin.size() == 1);
  CHECK(v.origin.front().data() == req.find("Origin")->second.data());  // a view, not a copy
  REQUIRE(v.access_control_request_headers.size() == 2);
  CHECK(v.access_control_request_headers[0] == "x-a");
  CHECK(v.access_control_request_headers[1] == "x-b");
}

TEST_CASE("poco: lines parsed by Poco reach the policy as lines, every name whatever its case") {
  test_request req(
      "OPTIONS /x HTTP/1.1\r\n"
      "oRIGIN: https://app.example.com\r\n"
      "ACCESS-CONTROL-REQUEST-METHOD: PUT\r\n"
      "Access-Control-Request-Headers: x-req\r\n"
      "Accept: */*\r\n"
      "access-control-request-headers: x-other\r\n"
      "SEC-fetch-SITE: cross-site\r\n"
      "Access-Control-Request-Private-NETWORK: true\r\n"
      "Origin-X: ignored\r\n"
      "\r\n");
  const cors::request_view v = cors::adapters::make_request_view(req);
  CHECK(v.method == "OPTIONS");
  CHECK(v.origin.size() == 1);
  CHECK(v.access_control_request_method.front() == "PUT");
  REQUIRE(v.access_control_request_headers.size() == 2);
  CHECK(v.access_control_request_headers[0] == "x-req");
  CHECK(v.access_control_request_headers[1] == "x-other");
  CHECK(v.sec_fetch_site.front() == "cross-site");
  CHECK(v.access_control_request_private_network.front() == "true");

  test_request two_origins(
      "GET / HTTP/1.1\r\nOrigin: https://app.example.com\r\nOrigin: https://app.example.com\r\n\r\n");
  const cors::policy p = testing::policy_for(make_config());
  CHECK(p.evaluate(cors::adapters::make_request_view(two_origins)).why() == cors::reason::origin_multiple);
}

TEST_CASE("poco: Poco 1.11 decodes RFC 2047 words and trims trailing whitespace before the policy reads a value") {
  // What Poco's MessageHeader::read does to every value; a browser never sends encoded words, so
  // this only changes what a hand-made request means. Documented in the adapter and the README.
  test_request req(
      "GET / HTTP/1.1\r\n"
      "Origin: =?utf-8?q?https://app.example.com?=\r\n"
      "Access-Control-Request-Headers: x-a \t\r\n"
      "\r\n");
  const cors::request_view v = cors::adapters::make_request_view(req);
  CHECK(v.origin.front() == "https://app.example.com");
  CHECK(v.access_control_request_headers.front() == "x-a");
}

TEST_CASE("poco: CR, LF or NUL that Poco decodes from an RFC 2047 word is never echoed in a response header") {
  // The policy echoes the origin, the method and header names only when they are valid, so a
  // decoded line break cannot start a header line of its own. Checked on a policy that echoes all.
  cors::config cfg;
  cfg.origins = {"https://example.com"};
  cfg.methods = {"*"};
  cfg.request_headers = {"*"};
  cfg.credentials = true;
  const cors::policy policy = testing::policy_for(cfg);
  const std::vector<std::string> words = {
      "=?utf-8?q?=0D=0AX-Injected:=201?=", "=?utf-8?q?=0A?=", "=?utf-8?q?=00?=", "=?utf-8?b?DQpYLUluamVjdGVkOiAx?="};
  for (const std::string& word : words) {
    const std::vector<std::string> heads = {
        "GET / HTTP/1.1\r\nOrigin: https://example.com" + word + "\r\n\r\n",
        "OPTIONS / HTTP/1.1\r\nOrigin: https://example.com\r\nAccess-Control-Request-Method: PUT" + word + "\r\n\r\n",
        "OPTIONS / HTTP/1.1\r\nOrigin: https://example.com\r\nAccess-Control-Request-Method: PUT\r\n"
        "Access-Control-Request-Headers: x-a" +
            word + "\r\n\r\n",
    };
    for (const std::string& head : heads) {
      CAPTURE(head);
      test_request req(head);
      int app_calls = 0;
      serve(policy, req, answer_ok, app_calls);
      const std::string wire = req.response_.wire.str();
      CHECK(values(req.response_, "X-Injected").empty());
      for (const auto& [name, value] : req.response_) {
        CAPTURE(name, value);
        CHECK(value.find_first_of(std::string_view("\r\n\0", 3)) == std::string::npos);
      }
      CHECK(wire.find("\r\nX-Injected") == std::string::npos);
    }
  }
}

TEST_CASE("poco: apply replaces stale Access-Control headers and merges Vary into one line") {
  const cors::policy policy = testing::policy_for(make_config());
  test_request req("GET", {{"Origin", "https://app.example.com"}});
  HTTPResponse res;
  res.add("Access-Control-Allow-Origin", "*");
  res.add("access-control-allow-origin", "https://stale.example");
  res.add("Access-Control-Allow-Methods", "DELETE");
  res.set("Vary", "Accept-Encoding");
  const cors::decision d = policy.evaluate(cors::adapters::make_request_view(req));
  cors::adapters::apply(d, res);
  CHECK(values(res, "Access-Control-Allow-Origin") == lines{"https://app.example.com"});
  CHECK(values(res, "Access-Control-Allow-Credentials") == lines{"true"});
  CHECK(values(res, "Access-Control-Expose-Headers") == lines{"X-Total-Count"});
  CHECK(values(res, "Access-Control-Allow-Methods").empty());
  CHECK(values(res, "Vary") == lines{"Accept-Encoding, Origin"});
  cors::adapters::apply(d, res);  // applying twice gives the same headers
  CHECK(count_access_control(res) == 3);
  CHECK(values(res, "Vary") == lines{"Accept-Encoding, Origin"});
}

TEST_CASE("poco: a refused request gets no Access-Control header, even one the app set") {
  const cors::policy policy = testing::policy_for(make_config());
  test_request req("GET", {{"Origin", "https://evil.example"}});
  int app_calls = 0;
  serve(
      policy, req,
      [](HTTPServerRequest& rq, HTTPServerResponse& res) {
        res.set("Access-Control-Allow-Origin", "https://evil.example");
        res.set("Access-Control-Allow-Credentials", "true");
        answer_ok(rq, res);
      },
      app_calls);
  CHECK(app_calls == 1);
  CHECK(req.response_.sends == 1);
  CHECK(req.response_.getStatus() == HTTPResponse::HTTP_OK);
  CHECK(count_access_control(req.response_) == 0);
  CHECK(values(req.response_, "Vary") == lines{"Origin"});
}

TEST_CASE("poco: the factory answers an allowed preflight itself, without asking the application") {
  const cors::policy policy = testing::policy_for(make_config());
  test_request req("OPTIONS", {{"Origin", "https://app.example.com"},
                               {"Access-Control-Request-Method", "PUT"},
                               {"Access-Control-Request-Headers", "x-req"}});
  int app_calls = 0;
  serve(policy, req, answer_ok, app_calls);
  CHECK(app_calls == 0);
  const recording_response& res = req.response_;
  CHECK(res.sends == 1);
  CHECK(res.getStatus() == HTTPResponse::HTTP_NO_CONTENT);
  CHECK(res.getReason() == "No Content");
  CHECK(values(res, "Access-Control-Allow-Origin") == lines{"https://app.example.com"});
  CHECK(values(res, "Access-Control-Allow-Methods") == lines{"PUT"});
  CHECK(values(res, "Access-Control-Allow-Headers") == lines{"X-Req"});
  CHECK(values(res, "Access-Control-Max-Age") == lines{"600"});
  CHECK(values(res, "Vary") == lines{"Origin, Access-Control-Request-Method, Access-Control-Request-Headers"});
  CHECK(values(res, "Content-Length").empty());  // RFC 9110: never on a 204
  CHECK(res.getKeepAlive());
}

TEST_CASE("poco: the factory refuses a preflight with 403 and keeps Poco from inviting the body") {
  const cors::policy policy = testing::policy_for(make_config());
  test_request req(
      "OPTIONS",
      {{"Origin", "https://app.example.com"}, {"Access-Control-Request-Method", "DELETE"}, {"Expect", "100-continue"}});
  int app_calls = 0;
  cors::adapters::poco_handler_factory factory(policy, new app_factory(answer_ok, &app_calls));
  const std::unique_ptr<Poco::Net::HTTPRequestHandler> handler(factory.createRequestHandler(req));
  CHECK(app_calls == 0);
  // Poco's connection sends `100 Continue` only while request.response()'s status is 200.
  CHECK(req.response_.getStatus() == HTTPResponse::HTTP_FORBIDDEN);
  handler->handleRequest(req, req.response_);
  CHECK(req.response_.getStatus() == HTTPResponse::HTTP_FORBIDDEN);
  CHECK(count_access_control(req.response_) == 0);
  CHECK(values(req.response_, "Content-Length") == lines{"0"});
}

TEST_CASE("poco: with refuse_disallowed_requests a refused request is answered 403, closing a connection with a body") {
  const cors::policy policy = testing::policy_for(make_config(true));
  test_request req("POST", {{"Origin", "https://evil.example"}, {"Content-Length", "5"}});
  int app_calls = 0;
  serve(policy, req, answer_ok, app_calls);
  CHECK(app_calls == 0);
  CHECK(req.response_.getStatus() == HTTPResponse::HTTP_FORBIDDEN);
  CHECK(count_access_control(req.response_) == 0);
  CHECK_FALSE(req.response_.getKeepAlive());  // the unread body must not be read as a request

  test_request get("GET", {{"Origin", "https://app.example.com"}});
  serve(policy, get, answer_ok, app_calls);
  CHECK(app_calls == 1);
  CHECK(get.response_.getStatus() == HTTPResponse::HTTP_OK);
  CHECK(get.response_.wire.str().find("\r\n\r\nok") != std::string::npos);
}

TEST_CASE("poco: whatever the application does to its headers before sending, the CORS headers are right") {
  const cors::policy policy = testing::policy_for(make_config());
  struct row {
    const char* name;
    app_body app;
  };
  const std::vector<row> rows = {
      {"Vary set with set()",
       [](HTTPServerRequest& rq, HTTPServerResponse& res) {
         res.set("Vary", "Accept-Encoding");
         answer_ok(rq, res);
       }},
      {"Vary added with add()",
       [](HTTPServerRequest& rq, HTTPServerResponse& res) {
         res.add("Vary", "Accept-Encoding");
         answer_ok(rq, res);
       }},
      {"a stale Access-Control-Allow-Origin set twice",
       [](HTTPServerRequest& rq, HTTPServerResponse& res) {
         res.add("Access-Control-Allow-Origin", "*");
         res.add("Access-Control-Allow-Origin", "https://stale.example");
         res.set("Vary", "Accept-Encoding");
         answer_ok(rq, res);
       }},
      {"every header erased",
       [](HTTPServerRequest& rq, HTTPServerResponse& res) {
         res.clear();
         res.set("Vary", "Accept-Encoding");
         answer_ok(rq, res);
       }},
  };
  for (const row& r : rows) {
    INFO(r.name);
    test_request req("GET", {{"Origin", "https://app.example.com"}});
    int app_calls = 0;
    serve(policy, req, r.app, app_calls);
    const recording_response& res = req.response_;
    CHECK(res.sends == 1);
    CHECK(values(res, "Access-Control-Allow-Origin") == lines{"https://app.example.com"});
    CHECK(values(res, "Access-Control-Allow-Credentials") == lines{"true"});
    CHECK(values(res, "Access-Control-Expose-Headers") == lines{"X-Total-Count"});
    CHECK(values(res, "Vary") == lines{"Accept-Encoding, Origin"});
    CHECK(values(res, "X-Total-Count") == lines{"42"});
    CHECK(res.wire.str().find("Access-Control-Allow-Origin: https://app.example.com\r\n") != std::string::npos);
  }
}

TEST_CASE("poco: the application's 404, redirect, 401 and streamed answers carry the CORS headers") {
  const cors::policy policy = testing::policy_for(make_config());
  const std::vector<std::pair<const char*, app_body>> rows = {
      {"404 by send()",
       [](HTTPServerRequest&, HTTPServerResponse& res) {
         res.setStatusAndReason(HTTPResponse::HTTP_NOT_FOUND);
         res.setContentLength(9);
         res.send() << "not found";
       }},
      {"redirect()", [](HTTPServerRequest&, HTTPServerResponse& res) { res.redirect("/elsewhere"); }},
      {"requireAuthentication() then send()",
       [](HTTPServerRequest&, HTTPServerResponse& res) {
         res.requireAuthentication("demo");
         res.setContentLength(0);
         res.send();
       }},
  };
  for (const auto& [name, app] : rows) {
    INFO(name);
    test_request req("GET", {{"Origin", "https://app.example.com"}});
    int app_calls = 0;
    serve(policy, req, app, app_calls);
    CHECK(req.response_.sends == 1);
    CHECK(req.response_.getStatus() != HTTPResponse::HTTP_OK);
    CHECK(values(req.response_, "Access-Control-Allow-Origin") == lines{"https://app.example.com"});
    CHECK(values(req.response_, "Vary") == lines{"Origin"});
  }
}

namespace {
/// Poco's ErrorHandler replaced while it lives: counts what the adapter hands it.
class counting_error_handler final : public Poco::ErrorHandler {
 public:
  counting_error_handler() : previous_(Poco::ErrorHandler::set(this)) {}
  counting_error_handler(const counting_error_handler&) = delete;
  counting_error_handler& operator=(const counting_error_handler&) = delete;
  ~counting_error_handler() override { Poco::ErrorHandler::set(previous_); }
  void exception(const Poco::Exception& e) override { messages.push_back("poco: " + e.displayText()); }
  void exception(const std::exception& e) override { messages.push_back(std::string("std: ") + e.what()); }
  void exception() override { messages.push_back("unknown"); }

  std::vector<std::string> messages;

 private:
  Poco::ErrorHandler* previous_;
};
}  // namespace

TEST_CASE("poco: an exception before anything was sent becomes a 500 with the CORS headers, reported to Poco") {
  const cors::policy policy = testing::policy_for(make_config());
  counting_error_handler errors;
  test_request req("GET", {{"Origin", "https://app.example.com"}});
  int app_calls = 0;
  serve(
      policy, req,
      [](HTTPServerRequest&, HTTPServerResponse& res) {
        res.set("Content-Length", "1000");  // changed, then abandoned
        res.set("X-Half-Done", "1");
        throw std::runtime_error("the application threw");
      },
      app_calls);
  const recording_response& res = req.response_;
  CHECK(res.sends == 1);
  CHECK(res.getStatus() == HTTPResponse::HTTP_INTERNAL_SERVER_ERROR);
  CHECK(values(res, "Access-Control-Allow-Origin") == lines{"https://app.example.com"});
  CHECK(values(res, "Vary") == lines{"Origin"});
  CHECK(values(res, "X-Half-Done").empty());
  CHECK(values(res, "Content-Length") == lines{"0"});
  CHECK(res.getKeepAlive());  // the request had no body: the connection stays in step
  CHECK(errors.messages == lines{"std: the application threw"});

  test_request post("POST", {{"Origin", "https://app.example.com"}, {"Content-Length", "3"}});
  serve(
      policy, post, [](HTTPServerRequest&, HTTPServerResponse&) { throw Poco::DataException("bad body"); }, app_calls);
  CHECK(post.response_.getStatus() == HTTPResponse::HTTP_INTERNAL_SERVER_ERROR);
  CHECK(values(post.response_, "Access-Control-Allow-Origin") == lines{"https://app.example.com"});
  CHECK_FALSE(post.response_.getKeepAlive());  // the body may be half read
  CHECK(errors.messages.size() == 2);
  CHECK(errors.messages.back().rfind("poco: ", 0) == 0);
}

TEST_CASE("poco: a send that fails before writing (sendFile of a missing file) becomes a clean 500") {
  // The headers were already copied into the server's response when sendFile() threw: the 500
  // starts again from the server's own headers, without the application's.
  const cors::policy policy = testing::policy_for(make_config());
  counting_error_handler errors;
  test_request req("GET", {{"Origin", "https://app.example.com"}});
  int app_calls = 0;
  serve(
      policy, req,
      [](HTTPServerRequest&, HTTPServerResponse& res) {
        res.set("X-Half-Done", "1");
        res.sendFile("/nonexistent/file.txt", "text/plain");
      },
      app_calls);
  const recording_response& res = req.response_;
  CHECK(res.getStatus() == HTTPResponse::HTTP_INTERNAL_SERVER_ERROR);
  CHECK(values(res, "X-Half-Done").empty());
  CHECK(values(res, "Access-Control-Allow-Origin") == lines{"https://app.example.com"});
  CHECK(res.getKeepAlive());
  CHECK(errors.messages.size() == 1);
}

TEST_CASE("poco: an exception after the application sent is left to Poco, with nothing sent twice") {
  const cors::policy policy = testing::policy_for(make_config());
  counting_error_handler errors;
  test_request req("GET", {{"Origin", "https://app.example.com"}});
  int app_calls = 0;
  CHECK_THROWS_AS(serve(
                      policy, req,
                      [](HTTPServerRequest& rq, HTTPServerResponse& res) {
                        answer_ok(rq, res);
                        throw Poco::IOException("the client went away");
                      },
                      app_calls),
                  Poco::IOException);
  CHECK(req.response_.sends == 1);
  CHECK(req.response_.getStatus() == HTTPResponse::HTTP_OK);
  CHECK(errors.messages.empty());  // Poco reports it
}

TEST_CASE("poco: no handler from the application's factory is a 501 with the CORS headers") {
  const cors::policy policy = testing::policy_for(make_config());
  test_request req("GET", {{"Origin", "https://app.example.com"}});
  int app_calls = 0;
  serve(policy, req, nullptr, app_calls);
  CHECK(app_calls == 1);
  CHECK(req.response_.getStatus() == HTTPResponse::HTTP_NOT_IMPLEMENTED);
  CHECK(values(req.response_, "Access-Control-Allow-Origin") == lines{"https://app.example.com"});
}

TEST_CASE("poco: an exception from the application's factory is a 500 with the CORS headers, reported to Poco") {
  class throwing_factory final : public Poco::Net::HTTPRequestHandlerFactory {
   public:
    Poco::Net::HTTPRequestHandler* createRequestHandler(const HTTPServerRequest&) override {
      throw Poco::NotFoundException("no route");
    }
  };
  const cors::policy policy = testing::policy_for(make_config());
  counting_error_handler errors;
  test_request req("GET", {{"Origin", "https://app.example.com"}});
  cors::adapters::poco_handler_factory factory(policy, new throwing_factory);
  const std::unique_ptr<Poco::Net::HTTPRequestHandler> handler(factory.createRequestHandler(req));
  REQUIRE(handler);
  handler->handleRequest(req, req.response_);
  CHECK(req.response_.getStatus() == HTTPResponse::HTTP_INTERNAL_SERVER_ERROR);
  CHECK(values(req.response_, "Access-Control-Allow-Origin") == lines{"https://app.example.com"});
  CHECK(errors.messages == lines{"poco: Not found: no route"});
}

TEST_CASE("poco: with preflight_passthrough the application answers the preflight, with the headers") {
  cors::config cfg = make_config();
  cfg.preflight_passthrough = true;
  const cors::policy policy = testing::policy_for(cfg);
  test_request req("OPTIONS", {{"Origin", "https://app.example.com"}, {"Access-Control-Request-Method", "PUT"}});
  int app_calls = 0;
  serve(
      policy, req,
      [](HTTPServerRequest&, HTTPServerResponse& res) {
        res.setStatusAndReason(HTTPResponse::HTTP_NO_CONTENT);
        res.set("X-Method", "OPTIONS");
        res.send();
      },
      app_calls);
  CHECK(app_calls == 1);
  CHECK(req.response_.getStatus() == HTTPResponse::HTTP_NO_CONTENT);
  CHECK(values(req.response_, "Access-Control-Allow-Methods") == lines{"PUT"});
  CHECK(values(req.response_, "X-Method") == lines{"OPTIONS"});
}

TEST_CASE("poco: every origin edge case of tests/origin_cases.hpp, through the factory") {
  // The same table as the parsers and the policy read: an allowed value is echoed byte for byte,
  // any other gets no Access-Control-Allow-Origin; the application answers every one of these GETs.
  const origin_cases::match_case m = GENERATE(from_range(origin_cases::matches()));
  CAPTURE(m.origin, m.note);
  const cors::policy p = testing::policy_for(m.patterns);
  test_request req("GET", {{"Origin", m.origin}});
  int app_calls = 0;
  serve(p, req, answer_ok, app_calls);
  CHECK(app_calls == 1);
  const lines acao = values(req.response_, "Access-Control-Allow-Origin");
  if (m.matches) {
    CHECK(acao == lines{m.origin});
  } else {
    CHECK(acao.empty());
  }
  CHECK(values(req.response_, "Vary") == lines{"Origin"});
}

TEST_CASE("poco: the view's target and path are the raw request URI; a router's factory selects by them") {
  const cors::policy app_policy = testing::policy_for(make_config());
  const cors::router r(
      cors::router_config{{{"", "/api", app_policy}, {"", "/api/private", std::nullopt}}, std::nullopt});
  const auto run = [&r](const std::string& uri) {
    test_request req("GET " + uri + " HTTP/1.1\r\nHost: api.test\r\nOrigin: https://app.example.com\r\n\r\n");
    const cors::request_view v = cors::adapters::make_request_view(req);
    CHECK(v.target == uri);
    CHECK(v.path == uri);
    int app_calls = 0;
    cors::adapters::poco_router_handler_factory factory(r, new app_factory(answer_ok, &app_calls));
    const std::unique_ptr<Poco::Net::HTTPRequestHandler> handler(factory.createRequestHandler(req));
    REQUIRE(handler);
    handler->handleRequest(req, req.response_);
    CHECK(app_calls == 1);  // a GET: the application answers, with or without CORS
    return values(req.response_, "Access-Control-Allow-Origin");
  };
  CHECK(run("/api/items?x=1") == lines{"https://app.example.com"});
  CHECK(run("/api/private/x").empty());       // a route without a policy: no CORS
  CHECK(run("/api/%2e%2e/private").empty());  // a path a normaliser could move: no CORS
  CHECK(run("/apiary").empty());              // segment boundaries only
}

TEST_CASE("poco: a live factory decides with the version current per request and keeps it alive until the answer") {
  cors::config other = make_config();
  other.origins = {"https://other.example.com"};
  cors::live_policy live{testing::policy_for(make_config())};
  int app_calls = 0;
  cors::adapters::poco_live_handler_factory<cors::policy> factory(&live, new app_factory(answer_ok, &app_calls));
  const auto handler_for = [&factory](test_request& req) {
    return std::unique_ptr<Poco::Net::HTTPRequestHandler>(factory.createRequestHandler(req));
  };
  test_request before("GET", {{"Origin", "https://app.example.com"}});
  const std::unique_ptr<Poco::Net::HTTPRequestHandler> h1 = handler_for(before);
  // Swapped between the factory's decision and the handler's answer: the answer is the decision's,
  // from a version nothing else holds any more (AddressSanitizer would see a dangling view).
  live.store(testing::policy_for(other));
  h1->handleRequest(before, before.response_);
  CHECK(values(before.response_, "Access-Control-Allow-Origin") == lines{"https://app.example.com"});
  test_request after("GET", {{"Origin", "https://app.example.com"}});
  handler_for(after)->handleRequest(after, after.response_);
  CHECK(values(after.response_, "Access-Control-Allow-Origin").empty());
  test_request other_origin("GET", {{"Origin", "https://other.example.com"}});
  handler_for(other_origin)->handleRequest(other_origin, other_origin.response_);
  CHECK(values(other_origin.response_, "Access-Control-Allow-Origin") == lines{"https://other.example.com"});
  CHECK(app_calls == 3);
}

namespace {
/// Poco's own HTTPServer on a loopback port with the adapter's factory around `body`: the
/// connection, the response and its socket are Poco's, as in a real server.
class real_server {
 public:
  real_server(const cors::policy& policy, app_body body)
      : socket_(Poco::Net::SocketAddress("127.0.0.1", 0)),
        server_(new cors::adapters::poco_handler_factory(policy, new app_factory(std::move(body), &app_calls)), socket_,
                make_params()) {
    server_.start();
  }
  real_server(const real_server&) = delete;
  real_server& operator=(const real_server&) = delete;
  ~real_server() { server_.stopAll(true); }

  [[nodiscard]] Poco::Net::StreamSocket connect() const {
    Poco::Net::StreamSocket s(Poco::Net::SocketAddress("127.0.0.1", socket_.address().port()));
    s.setReceiveTimeout(Poco::Timespan(5, 0));
    return s;
  }

  int app_calls = 0;

 private:
  static Poco::Net::HTTPServerParams::Ptr make_params() {
    Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
    params->setKeepAlive(true);
    params->setMaxKeepAliveRequests(100);
    params->setKeepAliveTimeout(Poco::Timespan(30, 0));
    return params;
  }

  Poco::Net::ServerSocket socket_;
  Poco::Net::HTTPServer server_;
};

/// One answer read off the wire: its head (status line and header lines) and body.
struct wire_answer {
  std::string status_line;
  std::vector<std::pair<std::string, std::string>> fields;
  std::string body;

  [[nodiscard]] lines values(std::string_view name) const {
    lines out;
    for (const auto& [n, v] : fields) {
      if (cors::detail::iequals(n, name)) out.push_back(v);
    }
    return out;
  }
};

/// Reads one answer from `s` (its body by Content-Length; none without one), keeping what
/// follows in `rest`. Fails the test on a timeout or a closed connection.
wire_answer read_answer(Poco::Net::StreamSocket& s, std::string& rest) {
  char buf[4096];
  std::size_t end = std::string::npos;
  while ((end = rest.find("\r\n\r\n")) == std::string::npos) {
    const int n = s.receiveBytes(buf, sizeof buf);
    REQUIRE(n > 0);
    rest.append(buf, static_cast<std::size_t>(n));
  }
  wire_answer a;
  std::istringstream head(rest.substr(0, end + 2));
  std::string line;
  std::getline(head, a.status_line);
  a.status_line.pop_back();  // '\r'
  while (std::getline(head, line) && !line.empty()) {
    line.pop_back();
    const std::size_t colon = line.find(": ");
    REQUIRE(colon != std::string::npos);
    a.fields.emplace_back(line.substr(0, colon), line.substr(colon + 2));
  }
  rest.erase(0, end + 4);
  const lines length = a.values("Content-Length");
  const std::size_t size = length.empty() ? 0 : std::stoul(length.front());
  while (rest.size() < size) {
    const int n = s.receiveBytes(buf, sizeof buf);
    REQUIRE(n > 0);
    rest.append(buf, static_cast<std::size_t>(n));
  }
  a.body = rest.substr(0, size);
  rest.erase(0, size);
  return a;
}

/// Does the server close `s` (nothing more to read) within `wait`?
bool closes(Poco::Net::StreamSocket& s, Poco::Timespan wait = Poco::Timespan(5, 0)) {
  s.setReceiveTimeout(wait);
  char c = 0;
  try {
    return s.receiveBytes(&c, 1) == 0;
  } catch (const Poco::TimeoutException&) {
    return false;  // still open
  }
}

const std::string preflight_head =
    "OPTIONS /items HTTP/1.1\r\nHost: api.test\r\nOrigin: https://app.example.com\r\n"
    "Access-Control-Request-Method: PUT\r\nAccess-Control-Request-Headers: x-req\r\n\r\n";
}  // namespace

TEST_CASE("poco: on Poco's own server, preflights written straight to the socket keep the connection alive") {
  const cors::policy policy = testing::policy_for(make_config());
  real_server server(policy, answer_ok);
  Poco::Net::StreamSocket s = server.connect();
  std::string rest;
  const std::string refused =
      "OPTIONS /items HTTP/1.1\r\nHost: api.test\r\nOrigin: https://app.example.com\r\n"
      "Access-Control-Request-Method: DELETE\r\n\r\n";
  const std::string actual = "GET /items HTTP/1.1\r\nHost: api.test\r\nOrigin: https://app.example.com\r\n\r\n";
  // Pipelined: every answer must end exactly where the next begins.
  const std::string all = preflight_head + preflight_head + refused + actual + preflight_head;
  s.sendBytes(all.data(), static_cast<int>(all.size()));
  for (int i = 0; i < 2; ++i) {
    INFO("preflight " << i);
    const wire_answer a = read_answer(s, rest);
    CHECK(a.status_line == "HTTP/1.1 204 No Content");
    CHECK(a.values("Content-Length").empty());  // RFC 9110: never on a 204
    CHECK(a.values("Connection") == lines{"Keep-Alive"});
    CHECK(a.values("Date").size() == 1);
    CHECK(a.values("Access-Control-Allow-Origin") == lines{"https://app.example.com"});
    CHECK(a.values("Access-Control-Allow-Methods") == lines{"PUT"});
    CHECK(a.values("Access-Control-Allow-Headers") == lines{"X-Req"});
    CHECK(a.values("Access-Control-Max-Age") == lines{"600"});
    CHECK(a.values("Vary") == lines{"Origin, Access-Control-Request-Method, Access-Control-Request-Headers"});
    CHECK(a.fields.size() == 8);  // Date, Connection and the six CORS lines, each once
  }
  const wire_answer no = read_answer(s, rest);
  CHECK(no.status_line == "HTTP/1.1 403 Forbidden");
  CHECK(no.values("Content-Length") == lines{"0"});
  CHECK(no.values("Connection") == lines{"Keep-Alive"});
  for (const auto& [name, value] : no.fields) CHECK_FALSE(cors::detail::istarts_with(name, "access-control-"));
  const wire_answer ok = read_answer(s, rest);
  CHECK(ok.status_line == "HTTP/1.1 200 OK");
  CHECK(ok.body == "ok");
  const wire_answer again = read_answer(s, rest);
  CHECK(again.status_line == "HTTP/1.1 204 No Content");
  CHECK(rest.empty());
  CHECK(server.app_calls == 1);
  CHECK_FALSE(closes(s, Poco::Timespan(0, 300 * 1000)));  // the keep-alive timeout is 30 s
}

TEST_CASE("poco: on Poco's own server, a direct answer keeps the HTTP version and closes when it must") {
  const cors::policy policy = testing::policy_for(make_config());
  real_server server(policy, answer_ok);
  {
    Poco::Net::StreamSocket s = server.connect();
    const std::string head =
        "OPTIONS /items HTTP/1.0\r\nOrigin: https://app.example.com\r\nAccess-Control-Request-Method: PUT\r\n\r\n";
    s.sendBytes(head.data(), static_cast<int>(head.size()));
    std::string rest;
    const wire_answer a = read_answer(s, rest);
    CHECK(a.status_line == "HTTP/1.0 204 No Content");
    CHECK(a.values("Connection") == lines{"Close"});
    CHECK(closes(s));
  }
  {
    // A preflight announcing a body nobody reads: the answer closes the connection.
    Poco::Net::StreamSocket s = server.connect();
    const std::string head =
        "OPTIONS /items HTTP/1.1\r\nOrigin: https://app.example.com\r\nAccess-Control-Request-Method: PUT\r\n"
        "Content-Length: 5\r\n\r\nGET /";
    s.sendBytes(head.data(), static_cast<int>(head.size()));
    std::string rest;
    const wire_answer a = read_answer(s, rest);
    CHECK(a.status_line == "HTTP/1.1 204 No Content");
    CHECK(a.values("Connection") == lines{"Close"});
    CHECK(closes(s));
  }
  CHECK(server.app_calls == 0);
}

TEST_CASE("poco: on Poco's own server, the application's lines and the CORS lines arrive exactly once") {
  const cors::policy policy = testing::policy_for(make_config());
  std::size_t lines_while_handling = 99;
  std::size_t lines_after_send = 99;
  bool had_date = false;
  // Runs on the server's thread: it records, the test thread checks (Catch2's checks are not
  // thread-safe).
  real_server server(policy, [&](HTTPServerRequest& rq, HTTPServerResponse& res) {
    // The server's lines were moved into the application's response, not copied.
    lines_while_handling = static_cast<const Poco::Net::NameValueCollection&>(rq.response()).size();
    had_date = res.has("Date");
    res.add("Vary", "Accept-Encoding");
    answer_ok(rq, res);
    lines_after_send = static_cast<const Poco::Net::NameValueCollection&>(res).size();
  });
  Poco::Net::StreamSocket s = server.connect();
  std::string rest;
  const std::string actual = "GET /items HTTP/1.1\r\nHost: api.test\r\nOrigin: https://app.example.com\r\n\r\n";
  for (int i = 0; i < 3; ++i) {
    INFO("request " << i);
    s.sendBytes(actual.data(), static_cast<int>(actual.size()));
    const wire_answer a = read_answer(s, rest);
    CHECK(a.status_line == "HTTP/1.1 200 OK");
    CHECK(a.body == "ok");
    CHECK(a.values("Date").size() == 1);
    CHECK(a.values("Connection") == lines{"Keep-Alive"});
    CHECK(a.values("X-Total-Count") == lines{"42"});
    CHECK(a.values("Content-Type") == lines{"text/plain"});
    CHECK(a.values("Content-Length") == lines{"2"});
    CHECK(a.values("Access-Control-Allow-Origin") == lines{"https://app.example.com"});
    CHECK(a.values("Access-Control-Allow-Credentials") == lines{"true"});
    CHECK(a.values("Access-Control-Expose-Headers") == lines{"X-Total-Count"});
    CHECK(a.values("Vary") == lines{"Accept-Encoding, Origin"});
    CHECK(a.fields.size() == 9);  // Date, Connection, three of the app's, four CORS lines
  }
  CHECK(had_date);
  CHECK(lines_while_handling == 0);
  CHECK(lines_after_send == 0);  // they moved on into the server's response
  CHECK(server.app_calls == 3);
}
