// A runnable RESTinio server with a CORS policy from the command line (see example_cli.hpp).
// A sync_chain of two handlers: the guards, the metrics scrape, then the policy (through
// cors::adapters::respond) answer refusals, scrapes and preflights; the application answers the
// rest and applies the decision the chain kept (cors::adapters::respond_or_keep, then
// cors::adapters::live_sync_chain_handler::decide) to its response. One
// io_context on a small thread pool (RESTinio's default traits put each connection on a strand);
// keep-alive, bounded requests, read and write time limits. SIGINT/SIGTERM stop it cleanly; SIGHUP
// reloads the --config file.
#include <cors/adapters/restinio.hpp>

#include <restinio/all.hpp>
#include <restinio/sync_chain/fixed_size.hpp>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "example_cli.hpp"

namespace {

struct traits : restinio::default_traits_t {
  using request_handler_t = restinio::sync_chain::fixed_size_chain_t<2>;
};

constexpr std::size_t threads = 4;

std::string_view sv(restinio::string_view_t s) { return {s.data(), s.size()}; }

/// RESTinio builds a status line from a code and a reason phrase; these are the demo's codes.
restinio::http_status_line_t status_line(int status) {
  switch (status) {
    case 200: return restinio::status_ok();
    case 204: return restinio::status_no_content();
    case 400: return restinio::status_bad_request();
    case 403: return restinio::status_forbidden();
    case 404: return restinio::status_not_found();
    case 500: return restinio::status_internal_server_error();
    default: break;
  }
  return restinio::http_status_line_t{restinio::http_status_code_t{static_cast<std::uint16_t>(status)}, ""};
}

}  // namespace

int main(int argc, char** argv) {
  std::optional<example::options> opts = example::parse_command_line(argc, argv);
  if (!opts) return 2;
  asio::error_code ec;
  const asio::ip::address address = asio::ip::make_address(opts->host, ec);
  if (ec) {
    fmt::print(stderr, "{}: --host `{}` is not an IP address\n", argv[0], cors::detail::printable(opts->host));
    return 2;
  }
  if (!opts->websocket_path.empty()) {
    fmt::print(stderr, "{}: --websocket is not supported by this server (use the Beast example)\n", argv[0]);
    return 2;
  }
  // With --no-cors there is no router: no evaluate(), no CORS headers, the application alone.
  // Both outlive the server (declared before it), which holds the handlers that refer to them.
  example::cors_state cors{*opts};
  const example::guards guards{*opts, cors.policy()};
  using cors_handler_type = cors::adapters::live_sync_chain_handler<cors::router>;
  const std::optional<cors_handler_type> cors_handler =
      cors.live() != nullptr ? std::optional<cors_handler_type>{std::in_place, cors.live()} : std::nullopt;
  const bool quiet = opts->quiet;

  // Requests the guards refuse, scrapes of --metrics-path, and requests the policy answers itself:
  // answered by the guards, here, or the adapter, and logged here. The adapter's handler is
  // `respond_or_keep(decide(view), req)`; the state's decision (counted, and compared with the
  // report-only candidate) takes decide()'s place, so that each request is counted once.
  auto policy_answers = [&cors, &guards, quiet](const restinio::request_handle_t& req) {
    if (cors.live() == nullptr) return restinio::request_not_handled();
    const cors::request_view view = cors::adapters::make_request_view(*req);
    const std::string_view path = sv(req->header().path());
    if (const std::optional<std::string> why = guards.refusal(view)) {
      if (!quiet) example::log_guard(view.method, path, *why);
      return req->create_response(status_line(403))
          .append_header(restinio::http_field::content_type, "text/plain")
          .set_body("refused: " + *why)
          .done();
    }
    if (cors.is_metrics_request(view.method, path)) {
      return req->create_response(status_line(200))
          .append_header(restinio::http_field::content_type, std::string(cors::prometheus_content_type))
          .set_body(cors.metrics())
          .done();
    }
    // Kept for the application's handler (cors_handler->decide), which does not evaluate again.
    const cors::decision d = cors.evaluate(view);
    const restinio::request_handling_status_t handled = cors::adapters::respond_or_keep(d, req);
    if (handled == restinio::request_accepted() && !quiet) example::log_request(view.method, path, view, d, d.status());
    return handled;
  };
  // Everything else: the application, then the decision's headers on its response.
  auto application = [cors_handler, quiet](const restinio::request_handle_t& req) {
    const std::string_view method = req->header().method().c_str();
    const std::string_view path = sv(req->header().path());
    const auto cookie = req->header().opt_value_of(restinio::http_field::cookie);
    example::app_response answer;
    try {
      answer = example::app(method, path, cookie ? sv(*cookie) : std::string_view{});
    } catch (const std::exception&) {
      answer = {};
      answer.status = 500;
      answer.body = "error";
    }
    auto res = req->create_response(status_line(answer.status));
    for (const auto& [name, value] : answer.headers) res.append_header(std::string(name), value);
    if (!answer.body.empty()) {
      res.append_header(restinio::http_field::content_type, "text/plain");
      res.set_body(std::move(answer.body));
    }
    if (!cors_handler) {
      if (!quiet) {
        const auto origin = req->header().opt_value_of(restinio::http_field::origin);
        example::log_request_without_cors(method, path, origin ? sv(*origin) : std::string_view{}, answer.status);
      }
      return res.done();
    }
    const cors::decision d = cors_handler->decide(*req);
    cors::adapters::apply(d, res);
    if (!quiet) example::log_request(method, path, cors::adapters::make_request_view(*req), d, answer.status);
    return res.done();
  };

  std::atomic<unsigned short> port{0};
  auto settings = restinio::server_settings_t<traits>{}
                      .address(address)
                      .protocol(address.is_v6() ? asio::ip::tcp::v6() : asio::ip::tcp::v4())
                      .port(opts->port)
                      // A client that sends nothing for this long is dropped, so idle or slow
                      // connections do not pile up; a response must be written within 5 s.
                      .read_next_http_message_timelimit(std::chrono::seconds(30))
                      .write_http_response_timelimit(std::chrono::seconds(5))
                      .handle_request_timeout(std::chrono::seconds(5))
                      .incoming_http_msg_limits(restinio::incoming_http_msg_limits_t{}
                                                    .max_url_size(8 * 1024)
                                                    .max_field_name_size(1024)
                                                    .max_field_value_size(16 * 1024)
                                                    .max_field_count(100)
                                                    .max_body_size(1024 * 1024))
                      // The port the system picked for --port 0.
                      .acceptor_post_bind_hook(
                          [&port](asio::ip::tcp::acceptor& acceptor) { port = acceptor.local_endpoint().port(); })
                      .request_handler(std::move(policy_answers), std::move(application));

  asio::io_context ioc;
  restinio::http_server_t<traits> server{restinio::external_io_context(ioc), std::move(settings)};

  int exit_code = 0;
  asio::signal_set signals{ioc, SIGINT, SIGTERM};
  signals.async_wait([&server, &ioc](const asio::error_code& error, int) {
    if (error) return;
    server.close_async([&ioc] { ioc.stop(); }, [&ioc](std::exception_ptr) { ioc.stop(); });
  });
  // SIGHUP reloads the --config file, as often as it comes.
  asio::signal_set hangups{ioc, SIGHUP};
  std::function<void(const asio::error_code&, int)> on_hangup = [&](const asio::error_code& error, int) {
    if (error) return;
    cors.reload();
    hangups.async_wait(on_hangup);
  };
  hangups.async_wait(on_hangup);
  server.open_async([&opts, &port] { example::announce(opts->host, port); },
                    [&](std::exception_ptr error) {
                      try {
                        std::rethrow_exception(error);
                      } catch (const std::exception& e) {
                        fmt::print(stderr, "{}: cannot listen on {}:{}: {}\n", argv[0], opts->host, opts->port,
                                   e.what());
                      }
                      exit_code = 1;
                      ioc.stop();
                    });

  std::vector<std::thread> pool;
  for (std::size_t i = 1; i < threads; ++i) pool.emplace_back([&ioc] { ioc.run(); });
  ioc.run();
  for (std::thread& t : pool) t.join();
  return exit_code;
}
