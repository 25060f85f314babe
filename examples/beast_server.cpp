// A runnable Boost.Beast server with a CORS policy from the command line (see example_cli.hpp).
// Asynchronous, one io_context run by two threads, a strand per connection; keep-alive, bounded
// headers and bodies, idle connections time out. SIGINT/SIGTERM stop it cleanly; SIGHUP reloads
// the --config file.
#include <cors/adapters/beast.hpp>
#include <cors/adapters/beast_websocket.hpp>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <thread>
#include <utility>

#include "example_cli.hpp"

namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;

constexpr std::uint32_t max_header_bytes = 16 * 1024;
constexpr std::uint64_t max_body_bytes = 1024 * 1024;
constexpr auto idle_timeout = std::chrono::seconds(30);

struct server_state {
  const example::cors_state& cors;  // no router with --no-cors; the candidate and the counters
  int preflight_status;
  bool quiet;
  example::guards guards;
  std::string websocket_path;  // empty: no WebSocket
};

std::string_view sv(beast::string_view s) { return {s.data(), s.size()}; }

/// Every answer, with CORS or --no-cors: `beast_fields` keeps the policy's lines in one block and
/// writes the head as one buffer (Beast's `http::fields` costs an allocation and a buffer per line).
using response = http::response<http::string_body, cors::adapters::beast_fields>;

/// The demo application's answer written into `res`.
void answer_with_app(response& res, std::string_view method, std::string_view path, std::string_view cookie) {
  example::app_response answer;
  try {
    answer = example::app(method, path, cookie);
  } catch (const std::exception&) {
    answer.status = 500;
    answer.body = "error";
  }
  res.result(static_cast<unsigned>(answer.status));
  for (const auto& [name, value] : answer.headers) res.insert(beast::string_view(name.data(), name.size()), value);
  if (!answer.body.empty()) {
    res.set(http::field::content_type, "text/plain");
    res.body() = std::move(answer.body);
  }
}

/// The application, with the policy around it: answer now, or let the app answer and add headers.
response handle(const server_state& state, const http::request<http::string_body>& req) {
  std::string_view path = sv(req.target());
  path = path.substr(0, path.find('?'));
  response res;
  if (state.cors.live() == nullptr) {  // --no-cors: the application alone
    answer_with_app(res, sv(req.method_string()), path, sv(req[http::field::cookie]));
    res.version(req.version());
    res.keep_alive(req.keep_alive());
    if (res.result() != http::status::no_content) res.prepare_payload();
    if (!state.quiet) {
      example::log_request_without_cors(sv(req.method_string()), path, sv(req[http::field::origin]),
                                        static_cast<int>(res.result_int()));
    }
    return res;
  }

  const cors::request_view view = cors::adapters::make_request_view(req);
  res.version(req.version());
  res.keep_alive(req.keep_alive());
  // The guards answer first: a request they refuse never reaches the policy (not counted, not
  // compared with the report-only candidate). Then the metrics scrape, answered before CORS.
  if (const std::optional<std::string> why = state.guards.refusal(view)) {
    if (!state.quiet) example::log_guard(view.method, path, *why);
    res.result(http::status::forbidden);
    res.set(http::field::content_type, "text/plain");
    res.body() = "refused: " + *why;
    res.prepare_payload();
    return res;
  }
  if (state.cors.is_metrics_request(view.method, path)) {
    res.result(http::status::ok);
    res.set(http::field::content_type,
            beast::string_view(cors::prometheus_content_type.data(), cors::prometheus_content_type.size()));
    res.body() = state.cors.metrics();
    res.prepare_payload();
    return res;
  }
  const cors::decision d = state.cors.evaluate(view);
  if (d.next_action() == cors::action::respond) {
    res.result(static_cast<unsigned>(d.status()));
  } else {
    answer_with_app(res, view.method, path, sv(req[http::field::cookie]));
  }
  cors::adapters::apply(d, res);
  // RFC 9110 forbids Content-Length on a 204; the body is empty then.
  if (res.result() != http::status::no_content) res.prepare_payload();
  if (!state.quiet) example::log_request(view.method, path, view, d, static_cast<int>(res.result_int()));
  return res;
}

/// The echo WebSocket of `--websocket PATH`: every message comes back as it was sent.
class websocket_session : public std::enable_shared_from_this<websocket_session> {
 public:
  explicit websocket_session(beast::tcp_stream&& stream) : ws_(std::move(stream)) {}

  /// Accepts the upgrade `req`, which the policy has already let through.
  void start(http::request<http::string_body> req) {
    req_ = std::move(req);
    beast::get_lowest_layer(ws_).expires_never();
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.async_accept(req_, [self = shared_from_this()](beast::error_code ec) {
      if (!ec) self->read();
    });
  }

 private:
  void read() {
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return;
      self->ws_.text(self->ws_.got_text());
      self->ws_.async_write(self->buffer_.data(), [self](beast::error_code write_ec, std::size_t) {
        if (write_ec) return;
        self->buffer_.consume(self->buffer_.size());
        self->read();
      });
    });
  }

  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> req_;
};

class session : public std::enable_shared_from_this<session> {
 public:
  session(tcp::socket&& socket, const server_state& state) : stream_(std::move(socket)), state_(state) {}

  void start() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read(); });
  }

 private:
  void read() {
    parser_.emplace();
    parser_->header_limit(max_header_bytes);
    parser_->body_limit(max_body_bytes);
    stream_.expires_after(idle_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (ec == http::error::header_limit || ec == http::error::body_limit) {
      return write_error(ec == http::error::header_limit ? http::status::request_header_fields_too_large
                                                         : http::status::payload_too_large);
    }
    if (ec) return close();  // end of stream, timeout, malformed request
    request_ = parser_->release();
    if (!state_.websocket_path.empty() && websocket::is_upgrade(request_) &&
        sv(request_.target()).substr(0, sv(request_.target()).find('?')) == state_.websocket_path) {
      return upgrade();
    }
    try {
      response_ = handle(state_, request_);
    } catch (const std::exception&) {
      return close();
    }
    write();
  }

  /// `--websocket PATH`: the guards and the policy's origin check before accept(), then the echo.
  void upgrade() {
    const cors::request_view view = cors::adapters::make_request_view(request_);
    std::optional<std::string> why = state_.guards.refusal(view);
    std::optional<response> refusal;
    if (why) {
      refusal.emplace(http::status::forbidden, request_.version());
      refusal->set(http::field::content_type, "text/plain");
      refusal->body() = "refused: " + *why;
      refusal->keep_alive(false);
      refusal->prepare_payload();
    } else {
      refusal = cors::adapters::websocket_refusal<cors::adapters::beast_fields>(*state_.cors.policy(), request_);
      if (refusal) why = fmt::format("{}", cors::adapters::check_websocket_upgrade(*state_.cors.policy(), request_));
    }
    if (!state_.quiet) {
      example::log_guard(
          view.method, sv(request_.target()),
          why ? *why : fmt::format("{}", cors::adapters::check_websocket_upgrade(*state_.cors.policy(), request_)));
    }
    if (refusal) {
      response_ = std::move(*refusal);
      return write();
    }
    std::make_shared<websocket_session>(std::move(stream_))->start(std::move(request_));
  }

  void write_error(http::status status) {
    response_ = {};
    response_.result(status);
    response_.keep_alive(false);
    response_.prepare_payload();
    write();
  }

  void write() {
    http::async_write(stream_, response_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec || !self->response_.keep_alive()) return self->close();
      self->read();
    });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::request<http::string_body> request_;  // outlives the decision's views while handling
  response response_;
  const server_state& state_;
};

class listener : public std::enable_shared_from_this<listener> {
 public:
  listener(net::io_context& ioc, tcp::acceptor&& acceptor, const server_state& state)
      : ioc_(ioc), acceptor_(std::move(acceptor)), state_(state) {}

  void accept() {
    acceptor_.async_accept(net::make_strand(ioc_), [self = shared_from_this()](beast::error_code ec, tcp::socket s) {
      if (!ec) std::make_shared<session>(std::move(s), self->state_)->start();
      if (self->acceptor_.is_open()) self->accept();
    });
  }

 private:
  net::io_context& ioc_;
  tcp::acceptor acceptor_;
  const server_state& state_;
};

}  // namespace

int main(int argc, char** argv) {
  std::optional<example::options> opts = example::parse_command_line(argc, argv);
  if (!opts) return 2;
  beast::error_code ec;
  const net::ip::address address = net::ip::make_address(opts->host, ec);
  if (ec) {
    fmt::print(stderr, "{}: --host `{}` is not an IP address\n", argv[0], cors::detail::printable(opts->host));
    return 2;
  }
  example::cors_state cors{*opts};
  const server_state state{cors, opts->config.preflight_status, opts->quiet, example::guards{*opts, cors.policy()},
                           opts->websocket_path};

  net::io_context ioc{2};
  tcp::acceptor acceptor{ioc};
  const tcp::endpoint endpoint{address, opts->port};
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    fmt::print(stderr, "{}: cannot listen on {}:{}: {}\n", argv[0], opts->host, opts->port, ec.message());
    return 1;
  }
  const unsigned short port = acceptor.local_endpoint().port();
  std::make_shared<listener>(ioc, std::move(acceptor), state)->accept();

  net::signal_set signals{ioc, SIGINT, SIGTERM};
  signals.async_wait([&ioc](beast::error_code, int) { ioc.stop(); });
  // SIGHUP reloads the --config file, as often as it comes.
  net::signal_set hangups{ioc, SIGHUP};
  std::function<void(beast::error_code, int)> on_hangup = [&](beast::error_code ec, int) {
    if (ec) return;
    cors.reload();
    hangups.async_wait(on_hangup);
  };
  hangups.async_wait(on_hangup);

  example::announce(opts->host, port);
  std::thread second{[&ioc] { ioc.run(); }};
  ioc.run();
  second.join();
  return 0;
}
