// A runnable cpp-httplib server with a CORS policy from the command line (see example_cli.hpp).
// The policy is installed before and after routing (`cors::adapters::install` in one call, spelled
// out here for the counters, the report-only candidate and the metrics path); the routes know
// nothing about CORS. SIGINT/SIGTERM stop it cleanly.
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
  const example::cors_runtime runtime{*opts};
  const cors::policy& policy = runtime.policy();

  // Signals go to a thread that waits for them; the server threads never see them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
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
  server.set_pre_routing_handler([&runtime](const httplib::Request& req, httplib::Response& res) {
    if (runtime.is_metrics_request(req.method, req.path)) {
      res.status = 200;
      res.set_content(runtime.metrics(), std::string(cors::prometheus_content_type));
      return httplib::Server::HandlerResponse::Handled;
    }
    // Counted and compared with the candidate once per request; handle_pre_routing decides again.
    (void)runtime.evaluate(cors::adapters::make_request_view(req));
    return cors::adapters::handle_pre_routing(runtime.policy(), req, res);
  });
  server.set_post_routing_handler([&runtime](const httplib::Request& req, httplib::Response& res) {
    cors::adapters::handle_post_routing(runtime.policy(), req, res);
  });

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
    server.set_logger([&policy](const httplib::Request& req, const httplib::Response& res) {
      const cors::request_view view = cors::adapters::make_request_view(req);
      example::log_request(req.method, req.path, view, policy.evaluate(view), res.status);
    });
  }

  const int port = opts->port == 0 ? server.bind_to_any_port(opts->host.c_str())
                                   : (server.bind_to_port(opts->host.c_str(), opts->port) ? opts->port : -1);
  if (port < 0) {
    fmt::print(stderr, "{}: cannot listen on {}:{}\n", argv[0], opts->host, opts->port);
    return 1;
  }
  std::thread stopper{[&server, stop_signals] {
    int signal = 0;
    sigwait(&stop_signals, &signal);
    server.stop();
  }};
  example::announce(opts->host, static_cast<unsigned short>(port));
  const bool ok = server.listen_after_bind();
  if (!ok) pthread_kill(stopper.native_handle(), SIGTERM);  // wake the waiting thread
  stopper.join();
  return ok ? 0 : 1;
}
