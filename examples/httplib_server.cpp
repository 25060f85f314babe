// A runnable cpp-httplib server with a CORS policy from the command line (see example_cli.hpp).
// One call installs the policy; the routes know nothing about CORS. SIGINT/SIGTERM stop it cleanly.
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
  // With --no-cors there is no policy: no install(), no evaluate(), no CORS headers.
  const bool no_cors = opts->no_cors;
  const std::optional<cors::policy> policy =
      no_cors ? std::nullopt : std::optional<cors::policy>{std::in_place, opts->config};
  const int preflight_status = opts->config.preflight_status;

  // Signals go to a thread that waits for them; the server threads never see them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  httplib::Server server;
  // Enough workers for a browser's six connections per host and a benchmark's clients at once.
  server.new_task_queue = [] { return new httplib::ThreadPool(16); };
  server.set_keep_alive_max_count(1000);
  // httplib's workers notice a stop only between requests: a short idle timeout bounds how long
  // SIGTERM waits for idle keep-alive connections.
  server.set_keep_alive_timeout(2);
  // httplib writes a response's head and body separately: without TCP_NODELAY, Nagle's algorithm
  // and the client's delayed ACK add ~40 ms to every keep-alive exchange.
  server.set_tcp_nodelay(true);
  if (policy) cors::adapters::install(server, *policy);

  const auto route = [no_cors, preflight_status](const httplib::Request& req, httplib::Response& res) {
    // Only an OPTIONS request can be a preflight: other requests need no view of their headers.
    const bool preflight =
        !no_cors && req.method == "OPTIONS" && example::is_preflight(cors::adapters::make_request_view(req));
    example::app_response answer =
        example::app(req.method, req.path, req.get_header_value("Cookie"), preflight, preflight_status);
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
      if (!policy) {
        example::log_request_without_cors(req.method, req.path, req.get_header_value("Origin"), res.status);
        return;
      }
      const cors::request_view view = cors::adapters::make_request_view(req);
      example::log_request(req.method, req.path, view, policy->evaluate(view), res.status);
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
