// A runnable cpp-httplib server with a CORS policy from the command line (see example_cli.hpp).
// `cors::adapters::install` puts the live router before and after routing; the pre-routing step is
// then replaced by one that runs the guards, the metrics scrape and the counters (with the
// report-only candidate) before calling the adapter's. The routes know nothing about CORS.
// SIGINT/SIGTERM stop it cleanly, SIGHUP reloads the --config file.
#include <cors/adapters/httplib.hpp>

#include <pthread.h>
#include <csignal>
#include <cstdio>
#include <exception>
#include <optional>
#include <thread>

#include "example_cli.hpp"

int main(int argc, char** argv) {
  std::optional<example::options> opts = example::parse_command_line(argc, argv);
  if (!opts) return 2;
  if (!opts->websocket_path.empty()) {
    fmt::print(stderr, "{}: --websocket is not supported by this server (cpp-httplib has no WebSocket)\n", argv[0]);
    return 2;
  }
  // With --no-cors there is no router: no install(), no evaluate(), no CORS headers.
  example::cors_state cors{*opts};
  const example::guards guards{*opts, cors.policy()};

  // Signals go to a thread that waits for them; the server threads never see them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  httplib::Server server;
  // A connection holds a worker for as long as its client keeps sending, however slowly: cpp-httplib
  // 0.11 times out each read (5 s), not a whole request. 128 workers leave room for a browser's six
  // connections per host, a benchmark's clients and 50 clients trickling a byte every 100 ms
  // (tests/adapters/server_test.cpp); more slow clients than workers still stall it, which only an
  // asynchronous server (the Beast example: 30 s for a whole request) or a proxy in front avoids.
  server.new_task_queue = [] { return new httplib::ThreadPool(128); };
  server.set_read_timeout(5, 0);
  server.set_write_timeout(5, 0);
  server.set_keep_alive_max_count(1000);
  // httplib's workers notice a stop only between requests: a short idle timeout bounds how long
  // SIGTERM waits for idle keep-alive connections.
  server.set_keep_alive_timeout(2);
  // httplib writes a response's head and body separately: without TCP_NODELAY, Nagle's algorithm
  // and the client's delayed ACK add ~40 ms to every keep-alive exchange.
  server.set_tcp_nodelay(true);
  if (const cors::live_router* live = cors.live()) {
    cors::adapters::install(server, *live);
    // The guards run first, before CORS answers preflights and before routing; then the metrics
    // scrape; then CORS (this replaces the pre-routing handler install() set, then calls it).
    server.set_pre_routing_handler(
        [&cors, &guards, quiet = opts->quiet](const httplib::Request& req, httplib::Response& res) {
          const cors::request_view view = cors::adapters::make_request_view(req);
          if (const auto why = guards.refusal(view)) {
            if (!quiet) example::log_guard(req.method, req.path, *why);
            res.status = 403;
            res.set_content("refused: " + *why, "text/plain");
            // An unread request body would be parsed as the next request: close the connection.
            res.set_header("Connection", "close");
            return httplib::Server::HandlerResponse::Handled;
          }
          if (cors.is_metrics_request(req.method, req.path)) {
            res.status = 200;
            res.set_content(cors.metrics(), std::string(cors::prometheus_content_type));
            return httplib::Server::HandlerResponse::Handled;
          }
          // Counted and compared with the candidate once per request; the adapter keeps this
          // decision for its post-routing step, so the request is evaluated once.
          return cors::adapters::handle_pre_routing(cors.evaluate(view), req, res);
        });
  }

  const auto route = [](const httplib::Request& req, httplib::Response& res) {
    example::app_response answer = example::app(req.method, req.path, req.get_header_value("Cookie"));
    res.status = answer.status;
    for (const auto& [name, value] : answer.headers) res.headers.emplace(std::string(name), value);
    if (!answer.body.empty()) res.set_content(answer.body, "text/plain");
  };
  const char* any_path = R"(/.*)";
  server.Get(any_path, route);
  server.Post(any_path, route);
  server.Put(any_path, route);
  server.Patch(any_path, route);
  server.Delete(any_path, route);
  server.Options(any_path, route);
  server.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    res.status = 500;
    res.set_content("error", "text/plain");
  });
  if (!opts->quiet) {
    server.set_logger([live = cors.live()](const httplib::Request& req, const httplib::Response& res) {
      if (live == nullptr) {
        example::log_request_without_cors(req.method, req.path, req.get_header_value("Origin"), res.status);
        return;
      }
      const cors::request_view view = cors::adapters::make_request_view(req);
      example::log_request(req.method, req.path, view, live->evaluate(view), res.status);
    });
  }

  const int port = opts->port == 0 ? server.bind_to_any_port(opts->host.c_str())
                                   : (server.bind_to_port(opts->host.c_str(), opts->port) ? opts->port : -1);
  if (port < 0) {
    fmt::print(stderr, "{}: cannot listen on {}:{}\n", argv[0], opts->host, opts->port);
    return 1;
  }
  std::thread stopper{[&server, &cors, stop_signals] {
    int signal = 0;
    while (sigwait(&stop_signals, &signal) == 0 && signal == SIGHUP) cors.reload();
    server.stop();
  }};
  example::announce(opts->host, static_cast<unsigned short>(port));
  const bool ok = server.listen_after_bind();
  if (!ok) pthread_kill(stopper.native_handle(), SIGTERM);  // wake the waiting thread
  stopper.join();
  return ok ? 0 : 1;
}
