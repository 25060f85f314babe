// A runnable POCO (Poco::Net::HTTPServer) server with a CORS policy from the command line (see
// example_cli.hpp). The policy wraps the application's request-handler factory, deciding (and
// counting) once per request; the metrics scrape, then the guards, wrap that; the handlers know
// nothing about CORS. A thread pool serves keep-alive
// connections; reads and writes time out, and idle connections give their thread back, so a few slow clients cannot
// hold the others up. SIGINT/SIGTERM stop it cleanly.
#include <cors/adapters/poco.hpp>

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/ThreadPool.h>
#include <Poco/Timespan.h>
#include <pthread.h>

#include <csignal>
#include <cstdio>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "example_cli.hpp"

namespace {

using Poco::Net::HTTPRequestHandler;
using Poco::Net::HTTPResponse;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

constexpr std::streamsize max_body_bytes = 1024 * 1024;

/// The request target's path, without the query.
std::string_view path_of(const HTTPServerRequest& req) {
  const std::string_view target = req.getURI();
  return target.substr(0, target.find('?'));
}

/// The first `Cookie` line, or an empty view (NameValueCollection::get would return a reference to
/// a temporary default).
std::string_view cookie_of(const HTTPServerRequest& req) {
  const auto it = req.find("Cookie");
  return it == req.end() ? std::string_view{} : std::string_view(it->second);
}

/// The demo application (example::app) as a Poco handler.
class app_handler final : public HTTPRequestHandler {
 public:
  void handleRequest(HTTPServerRequest& req, HTTPServerResponse& res) override {
    // Read a body that is announced, up to a limit, so that the connection stays in step. A
    // request with neither Content-Length nor Transfer-Encoding has none (RFC 9112 #section-6.3),
    // although Poco would read one until the connection closes.
    if (req.hasContentLength() || req.getChunkedTransferEncoding()) {
      std::istream& body = req.stream();
      body.ignore(max_body_bytes + 1);
      if (body.gcount() > max_body_bytes) {
        res.setStatusAndReason(HTTPResponse::HTTP_REQUEST_ENTITY_TOO_LARGE);
        res.setKeepAlive(false);
        res.setContentLength(0);
        res.send();
        return;
      }
    }
    const example::app_response answer = example::app(req.getMethod(), path_of(req), cookie_of(req));
    res.setStatusAndReason(static_cast<HTTPResponse::HTTPStatus>(answer.status));
    for (const auto& [name, value] : answer.headers) res.add(std::string(name), value);
    if (answer.status == HTTPResponse::HTTP_NO_CONTENT || answer.status == HTTPResponse::HTTP_NOT_MODIFIED) {
      res.send();  // RFC 9110 forbids Content-Length on a 204
      return;
    }
    if (!answer.body.empty()) res.setContentType("text/plain");
    res.sendBuffer(answer.body.data(), answer.body.size());
  }
};

class app_factory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  HTTPRequestHandler* createRequestHandler(const HTTPServerRequest&) override { return new app_handler; }
};

/// Logs every request once its answer is written, whoever wrote it (the adapter or the app).
/// `live` is null with --no-cors.
class logging_handler final : public HTTPRequestHandler {
 public:
  logging_handler(const cors::live_router* live, HTTPRequestHandler* inner) : live_(live), inner_(inner) {}

  void handleRequest(HTTPServerRequest& req, HTTPServerResponse& res) override {
    try {
      inner_->handleRequest(req, res);
    } catch (...) {
      log(req, res);
      throw;
    }
    log(req, res);
  }

 private:
  void log(const HTTPServerRequest& req, const HTTPServerResponse& res) const {
    const int status = static_cast<int>(res.getStatus());
    if (live_ == nullptr) {
      const auto origin = req.find("Origin");
      example::log_request_without_cors(req.getMethod(), path_of(req),
                                        origin == req.end() ? std::string_view{} : std::string_view(origin->second),
                                        status);
      return;
    }
    const cors::request_view view = cors::adapters::make_request_view(req);
    example::log_request(view.method, path_of(req), view, live_->evaluate(view), status);
  }

  const cors::live_router* live_;
  std::unique_ptr<HTTPRequestHandler> inner_;
};

class logging_factory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  logging_factory(const cors::live_router* live, Poco::Net::HTTPRequestHandlerFactory::Ptr inner)
      : live_(live), inner_(std::move(inner)) {}
  HTTPRequestHandler* createRequestHandler(const HTTPServerRequest& req) override {
    return new logging_handler(live_, inner_->createRequestHandler(req));
  }

 private:
  const cors::live_router* live_;
  Poco::Net::HTTPRequestHandlerFactory::Ptr inner_;
};

/// A guard's 403 (`--csrf`, `--allowed-host`), answered before CORS and the application.
class refusal_handler final : public HTTPRequestHandler {
 public:
  refusal_handler(std::string why, bool quiet) : why_(std::move(why)), quiet_(quiet) {}

  void handleRequest(HTTPServerRequest& req, HTTPServerResponse& res) override {
    if (!quiet_) example::log_guard(req.getMethod(), path_of(req), why_);
    res.setStatusAndReason(HTTPResponse::HTTP_FORBIDDEN);
    // Poco does not skip an unread request body: it would be parsed as the next request.
    if (req.getChunkedTransferEncoding() || (req.hasContentLength() && req.getContentLength64() > 0)) {
      res.setKeepAlive(false);
    }
    res.setContentType("text/plain");
    const std::string body = "refused: " + why_;
    res.sendBuffer(body.data(), body.size());
  }

 private:
  std::string why_;
  bool quiet_;
};

/// The guards in front of `inner` (the policy's factory): a refused request never reaches it.
class guard_factory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  guard_factory(const example::guards& guards, bool quiet, Poco::Net::HTTPRequestHandlerFactory::Ptr inner)
      : guards_(guards), quiet_(quiet), inner_(std::move(inner)) {}
  HTTPRequestHandler* createRequestHandler(const HTTPServerRequest& req) override {
    if (std::optional<std::string> why =
            guards_.any() ? guards_.refusal(cors::adapters::make_request_view(req)) : std::nullopt) {
      return new refusal_handler(std::move(*why), quiet_);
    }
    return inner_->createRequestHandler(req);
  }

 private:
  const example::guards& guards_;
  bool quiet_;
  Poco::Net::HTTPRequestHandlerFactory::Ptr inner_;
};

/// The decision counters in the Prometheus text format, for a scrape of `--metrics-path`.
class metrics_handler final : public HTTPRequestHandler {
 public:
  explicit metrics_handler(std::string body) : body_(std::move(body)) {}

  void handleRequest(HTTPServerRequest& req, HTTPServerResponse& res) override {
    res.setStatusAndReason(HTTPResponse::HTTP_OK);
    // Poco does not skip an unread request body: it would be parsed as the next request.
    if (req.getChunkedTransferEncoding() || (req.hasContentLength() && req.getContentLength64() > 0)) {
      res.setKeepAlive(false);
    }
    res.setContentType(std::string(cors::prometheus_content_type));
    res.sendBuffer(body_.data(), body_.size());
  }

 private:
  std::string body_;
};

/// In front of `inner` (the policy's factory): answers a scrape of `--metrics-path` itself
/// (uncounted); every other request goes on to `inner`.
class metrics_factory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  metrics_factory(const example::cors_state& cors, Poco::Net::HTTPRequestHandlerFactory::Ptr inner)
      : cors_(cors), inner_(std::move(inner)) {}
  HTTPRequestHandler* createRequestHandler(const HTTPServerRequest& req) override {
    if (cors_.is_metrics_request(req.getMethod(), path_of(req))) return new metrics_handler(cors_.metrics());
    return inner_->createRequestHandler(req);
  }

 private:
  const example::cors_state& cors_;
  Poco::Net::HTTPRequestHandlerFactory::Ptr inner_;
};

/// What the policy's factory decides with: the live router, each decision counted and compared
/// with the report-only candidate's (`example::cors_state::evaluate`), once per request. Its
/// decision is `live_router::evaluate`'s, valid until this thread evaluates again: Poco runs the
/// handler on the thread that created it, and nothing evaluates in between.
struct counted_source {
  const example::cors_state* cors;
  [[nodiscard]] cors::decision evaluate(const cors::request_view& v) const noexcept { return cors->evaluate(v); }
};

}  // namespace

int main(int argc, char** argv) {
  std::optional<example::options> opts = example::parse_command_line(argc, argv);
  if (!opts) return 2;
  Poco::Net::IPAddress address;
  if (!Poco::Net::IPAddress::tryParse(opts->host, address)) {
    fmt::print(stderr, "{}: --host `{}` is not an IP address\n", argv[0], cors::detail::printable(opts->host));
    return 2;
  }
  if (!opts->websocket_path.empty()) {
    fmt::print(stderr, "{}: --websocket is not supported by this server (use the Beast example)\n", argv[0]);
    return 2;
  }
  // With --no-cors there is no router: no evaluate(), no CORS headers, the application alone.
  example::cors_state cors{*opts};
  const cors::live_router* const live = cors.live();
  const example::guards guards{*opts, cors.policy()};

  // Signals go to the main thread, which waits for them; the server's threads (started below,
  // inheriting this mask) never see them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  Poco::Net::ServerSocket socket;
  try {
    // SO_REUSEADDR, not SO_REUSEPORT (Poco's two-argument bind sets both): a second server on the
    // same port must fail, not share it.
    socket.bind(Poco::Net::SocketAddress(address, opts->port), true, false);
    socket.listen(128);
  } catch (const Poco::Exception& e) {
    fmt::print(stderr, "{}: cannot listen on {}:{}: {}\n", argv[0], opts->host, opts->port, e.displayText());
    return 1;
  }

  Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
  // A thread per connection, held for as long as its client keeps sending, however slowly (Poco's
  // timeout is per read, not per request): 128 threads leave room for a browser's six connections
  // per host, a benchmark's clients and 50 clients trickling a byte every 100 ms
  // (tests/adapters/server_test.cpp); more connections wait in the queue, and more slow clients
  // than threads would stall it, which a proxy in front avoids.
  params->setMaxThreads(128);
  params->setMaxQueued(256);
  params->setKeepAlive(true);
  params->setMaxKeepAliveRequests(1000);
  // An idle keep-alive connection gives its thread back after 2 s; a client that stalls in the
  // middle of a request or response is dropped after 5 s.
  params->setKeepAliveTimeout(Poco::Timespan(2, 0));
  params->setTimeout(Poco::Timespan(5, 0));
  Poco::ThreadPool pool(2, 130);  // the connections' threads, and headroom

  Poco::Net::HTTPRequestHandlerFactory::Ptr app = new app_factory;
  Poco::Net::HTTPRequestHandlerFactory::Ptr factory = app;
  if (live != nullptr) {
    // `poco_live_handler_factory<cors::router>(live, app)` would do, without the counters.
    factory = new cors::adapters::basic_poco_handler_factory<counted_source>(counted_source{&cors}, app);
  }
  if (!opts->quiet) factory = new logging_factory(live, factory);
  // The metrics scrape and the counters come after the guards: a refused request is not counted.
  if (live != nullptr) factory = new metrics_factory(cors, factory);
  // The guards answer first; their refusals are logged by log_guard, not by the request log.
  if (live != nullptr) factory = new guard_factory(guards, opts->quiet, factory);
  Poco::Net::HTTPServer server(factory, pool, socket, params);
  server.start();
  example::announce(opts->host, socket.address().port());

  int signal = 0;
  // SIGHUP reloads the --config file, as often as it comes.
  while (sigwait(&stop_signals, &signal) == 0 && signal == SIGHUP) cors.reload();
  // Stops accepting, then ends every open connection (idle keep-alive ones included).
  server.stopAll(true);
  pool.joinAll();
  return 0;
}
