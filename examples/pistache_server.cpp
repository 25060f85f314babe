// A runnable Pistache server with a CORS policy from the command line (see example_cli.hpp).
// A `Rest::Router` with the guards and the policy's middleware in front, two reactor threads,
// keep-alive, bounded requests, header, body and idle timeouts (Pistache's event loop, so a slow client holds no
// thread). SIGINT/SIGTERM stop it cleanly.
#include <cors/adapters/pistache.hpp>

#include <arpa/inet.h>
#include <pistache/endpoint.h>
#include <pistache/http.h>
#include <pistache/net.h>
#include <pistache/router.h>
#include <pthread.h>
#include <csignal>
#include <cstdio>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "example_cli.hpp"

namespace {

namespace http = Pistache::Http;
namespace rest = Pistache::Rest;

// Pistache 0.0.5 has no limit on a header line or on the header section, only on a whole request
// (headers and body in its parser's buffer): over it, it answers 413 itself, before the router and
// without CORS headers. 16 KiB is Beast's example's header limit; here it bounds the body too.
constexpr std::size_t max_request_bytes = 16 * 1024;
constexpr auto header_timeout = std::chrono::seconds(10);
constexpr auto body_timeout = std::chrono::seconds(30);
constexpr auto idle_timeout = std::chrono::seconds(30);
// Path depths routed explicitly (`/`, `/*`, `/*/*`, ...); deeper paths reach the not-found handler,
// which serves the same application.
constexpr int routed_depth = 6;

[[nodiscard]] bool is_ip_address(const std::string& host) {
  unsigned char buf[sizeof(in6_addr)];
  return ::inet_pton(AF_INET, host.c_str(), buf) == 1 || ::inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

/// Can Pistache 0.0.5 write this status? Its status line takes the reason phrase from a table and
/// has undefined behaviour for a code the table lacks (e.g. 299).
[[nodiscard]] bool has_reason_phrase(int status) {
  switch (status) {
#define CODE(value, name, str) case value:
    STATUS_CODES
#undef CODE
    return true;
    default: return false;
  }
}

/// HTTP/1.1 connections persist unless a side says otherwise (RFC 9112 #persistent-connections).
/// Pistache 0.0.5 answers `Connection: Close` to a request without a `Connection` header, yet
/// keeps the connection open: say what it does.
void keep_alive_by_default(const http::Request& req, http::ResponseWriter& response) {
  if (req.version() != http::Version::Http11 || req.headers().has<http::Header::Connection>()) return;
  response.headers().remove<http::Header::Connection>();
  response.headers().add<http::Header::Connection>(http::ConnectionControl::KeepAlive);
}

struct server_state {
  const cors::live_router* live;    // null with --no-cors
  const example::cors_state& cors;  // the candidate and the counters too
  bool quiet;
};

/// The demo application. The middleware has answered preflights and refused requests and written
/// the CORS headers into `response`; the app's own headers are added to them. `prepared`: the
/// middleware has already set `Connection` on `response` (a routed request; the router's
/// not-found handler gets a response the middleware never saw).
rest::Route::Result serve_app(const server_state& state, const rest::Request& req, http::ResponseWriter response,
                              bool prepared) {
  if (!prepared) keep_alive_by_default(req, response);
  const std::string_view method = http::methodString(req.method());
  const std::optional<http::Header::Raw> cookie = req.headers().tryGetRaw("Cookie");
  const std::string cookie_value = cookie ? cookie->value() : std::string();
  example::app_response answer;
  try {
    answer = example::app(method, req.resource(), cookie_value);
  } catch (const std::exception&) {
    answer = {};
    answer.status = 500;
    answer.body = "error";
  }
  if (!has_reason_phrase(answer.status)) {
    answer.body = fmt::format("status {} cannot be written by Pistache 0.0.5", answer.status);
    answer.status = 500;
  }
  for (const auto& [name, value] : answer.headers) {
    if (cors::detail::iequals(name, "Vary")) {
      // The middleware's `Vary: Origin` is there already; a second entry would be dropped.
      cors::adapters::merge_vary(response, value);
    } else if (cors::detail::iequals(name, "Set-Cookie")) {
      response.cookies().add(http::Cookie::fromString(value));
    } else {
      response.headers().add(std::make_shared<cors::adapters::pistache_text_header>(std::string(name), value));
    }
  }
  if (!answer.body.empty()) response.setMime(MIME(Text, Plain));
  response.send(static_cast<http::Code>(answer.status), answer.body);
  if (state.quiet) return rest::Route::Result::Ok;
  if (state.live == nullptr) {
    const std::optional<http::Header::Raw> origin = req.headers().tryGetRaw("Origin");
    example::log_request_without_cors(method, req.resource(), origin ? origin->value() : std::string(), answer.status);
  } else {
    const cors::adapters::pistache_request_headers headers(req);
    example::log_request(method, req.resource(), headers.view(), state.live->evaluate(headers.view()), answer.status);
  }
  return rest::Route::Result::Ok;
}

}  // namespace

int main(int argc, char** argv) {
  std::optional<example::options> opts = example::parse_command_line(argc, argv);
  if (!opts) return 2;
  if (!is_ip_address(opts->host)) {
    fmt::print(stderr, "{}: --host `{}` is not an IP address\n", argv[0], cors::detail::printable(opts->host));
    return 2;
  }
  if (!opts->websocket_path.empty()) {
    fmt::print(stderr, "{}: --websocket is not supported by this server (use the Beast example)\n", argv[0]);
    return 2;
  }
  // With --no-cors there is no router: no middleware, no evaluate(), no CORS headers.
  example::cors_state cors{*opts};
  const server_state state{cors.live(), cors, opts->quiet};
  const example::guards guards{*opts, cors.policy()};

  // Signals go to the main thread's sigwait(); the reactor threads, started later, inherit the mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  auto router = std::make_shared<rest::Router>();
  if (state.live != nullptr) {
    // `cors::adapters::install(*router, live)` in one call; spelled out here for the guards, which
    // answer first (before CORS and routing), the metrics scrape, the counters and the request log.
    router->addMiddleware([&state, &guards](http::Request& req, http::ResponseWriter& response) {
      keep_alive_by_default(req, response);
      const cors::adapters::pistache_request_headers headers(req);
      if (const std::optional<std::string> why = guards.refusal(headers.view())) {
        if (!state.quiet) example::log_guard(headers.view().method, req.resource(), *why);
        response.setMime(MIME(Text, Plain));
        response.send(http::Code::Forbidden, "refused: " + *why);
        return false;
      }
      if (state.cors.is_metrics_request(headers.view().method, req.resource())) {
        response.headers().add(std::make_shared<cors::adapters::pistache_text_header>(
            "Content-Type", std::string(cors::prometheus_content_type)));
        response.send(http::Code::Ok, state.cors.metrics());
        return false;
      }
      const cors::decision d = state.cors.evaluate(headers.view());
      if (!cors::adapters::answer_or_decorate(d, response)) return true;
      if (!state.quiet) example::log_request(headers.view().method, req.resource(), headers.view(), d, d.status());
      return false;
    });
  }
  // Routed requests have been through the middleware (with CORS); unrouted ones have not.
  const rest::Route::Handler routed_app = [&state](const rest::Request& req, http::ResponseWriter response) {
    return serve_app(state, req, std::move(response), state.live != nullptr);
  };
  const rest::Route::Handler app = [&state](const rest::Request& req, http::ResponseWriter response) {
    return serve_app(state, req, std::move(response), false);
  };
  // Every method Pistache knows gets the routes: its router looks a request's method up with
  // `operator[]`, which would insert into a map shared by the reactor threads for a method without
  // routes (a data race in Pistache 0.0.5).
  std::string resource;
  for (int depth = 0; depth <= routed_depth; ++depth) {
    const std::string path = depth == 0 ? "/" : resource;
#define METHOD(name, str) router->addRoute(http::Method::name, path, routed_app);
    HTTP_METHODS
#undef METHOD
    resource += "/*";
  }
  // The router answers unrouted paths on a response without the middleware's headers.
  router->addNotFoundHandler(state.live != nullptr ? cors::adapters::with_cors_headers(*state.live, app) : app);

  http::Endpoint endpoint{Pistache::Address(opts->host, Pistache::Port(opts->port))};
  try {
    endpoint.init(http::Endpoint::options()
                      .threads(2)
                      .flags(Pistache::Tcp::Options::ReuseAddr | Pistache::Tcp::Options::NoDelay)
                      .maxRequestSize(max_request_bytes)
                      .headerTimeout(header_timeout)
                      .bodyTimeout(body_timeout)
                      .keepaliveTimeout(idle_timeout));
    endpoint.setHandler(rest::Router::handler(router));
    endpoint.serveThreaded();  // binds, listens, starts the reactor threads
  } catch (const std::exception& e) {
    fmt::print(stderr, "{}: cannot listen on {}:{}: {}\n", argv[0], opts->host, opts->port, e.what());
    return 1;
  }
  example::announce(opts->host, static_cast<unsigned short>(endpoint.getPort()));

  int signal = 0;
  while (sigwait(&stop_signals, &signal) == 0 && signal == SIGHUP) cors.reload();
  endpoint.shutdown();
  return 0;
}
