// POCO adapter (Poco::Net's HTTPServer, 1.11 as in Debian 12): `poco_handler_factory` wraps the
// application's request-handler factory, answers preflights and refused requests itself and
// writes the CORS headers into every other response when the application sends it; plus
// `make_request_view`, `apply` and `send_response` for servers that wire their handlers
// themselves. Needs only Poco::Net (and Poco::Foundation) and the core.
#ifndef CORS_ADAPTERS_POCO_HPP
#define CORS_ADAPTERS_POCO_HPP

#include <Poco/ErrorHandler.h>
#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Timestamp.h>

#include <array>
#include <cstddef>
#include <exception>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>

#include "../decision.hpp"
#include "../detail/ascii.hpp"
#include "../detail/macros.hpp"
#include "../live.hpp"
#include "../policy.hpp"
#include "../request.hpp"
#include "../response_header.hpp"
#include "../router.hpp"
#include "generic.hpp"

namespace cors::adapters {

/// The request as the policy sees it, viewing `req`'s method, its request-target (as `target` and
/// as the `path` a router matches: Poco keeps the URI as the client sent it, not decoded, not
/// normalised, with its query) and every header line. Poco keeps
/// each line as its own entry (a `ListMap`: lines of one name next to each other, in the order
/// they came), so repeated lines reach the policy as repeats. What the policy sees is what Poco
/// made of the bytes: `MessageHeader::read` joins folded lines, trims trailing whitespace and
/// decodes RFC 2047 encoded words (`=?utf-8?q?…?=`) in every value, which a browser never sends.
/// Never allocates or throws. The view points into `req`'s strings: `req` must outlive it and
/// any decision made from it, and no header may be added to `req` meanwhile (the entries live in
/// a `std::vector` that would move them).
/// @see https://fetch.spec.whatwg.org/#cors-request
[[nodiscard]] inline request_view make_request_view(const Poco::Net::HTTPRequest& req CORS_LIFETIMEBOUND) noexcept {
  request_view v{};
  v.method = req.getMethod();
  v.target = req.getURI();
  v.path = v.target;
  for (const auto& field : req) v.add_header(field.first, field.second);
  return v;
}

namespace detail {
/// Does `header` have a line named `name` (case-insensitively)? Iterates rather than calls
/// `has()`, which takes a `std::string` and would allocate.
[[nodiscard]] inline bool has_field(const Poco::Net::NameValueCollection& header, std::string_view name) noexcept {
  for (const auto& field : header) {
    if (cors::detail::iequals(field.first, name)) return true;
  }
  return false;
}

/// Does the request announce a body? An answer given without the application leaves it unread on
/// the connection, where Poco would parse it as the next request.
[[nodiscard]] inline bool announces_body(const Poco::Net::HTTPRequest& req) noexcept {
  for (const auto& field : req) {
    if (cors::detail::iequals(field.first, "Transfer-Encoding")) return true;
    if (cors::detail::iequals(field.first, "Content-Length") && field.second != "0") return true;
  }
  return false;
}

/// The policy's headers `header` has, from one pass over its lines.
[[nodiscard]] inline present_headers present_in(const Poco::Net::NameValueCollection& header) noexcept {
  present_headers present;
  for (const auto& field : header) present.add_named(field.first);
  return present;
}
}  // namespace detail

/// Writes decision `d`'s headers into `res`: `Access-Control-*` headers replace any `res` has
/// (Poco's `set` changes only the first line of a name, so every line is erased first), `Vary` is
/// merged into one line (see `apply_with`). The values are copied into `res`. Allocates only for
/// the lines it writes. Throws only `std::bad_alloc`.
inline void apply(const decision& d, Poco::Net::HTTPResponse& res) {
  // One pass over `res` finds the policy's headers it already has (none on most responses), so
  // erasing and reading `Vary` scan the fields (Poco compares each name case-insensitively) only
  // for those.
  detail::apply_with_ids(
      d, detail::present_in(res),
      [&res](response_header_id id) {
        const std::string& name = detail::name_string(id);
        // NameValueCollection::erase removes one run of lines with the name; add() keeps them in
        // one run, so this loops once.
        while (detail::has_field(res, name)) res.erase(name);
      },
      [&res](const auto id, std::string_view value) { res.add(detail::name_string(id), std::string(value)); },
      [&res](auto&& f) {
        for (const auto& field : res) {
          if (cors::detail::iequals(field.first, name_of(response_header_id::vary))) f(std::string_view(field.second));
        }
      });
}

namespace detail {
/// Sends an empty answer with `status` and `d`'s headers through Poco's `send()`. A `204` has no
/// `Content-Length` (RFC 9110 #section-8.6); any other status says `Content-Length: 0`. When the
/// request announced a body, which nobody reads, the connection is closed after the answer.
inline void send_empty(const decision& d, int status, const Poco::Net::HTTPRequest& req,
                       Poco::Net::HTTPServerResponse& res) {
  res.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
  apply(d, res);
  if (announces_body(req)) res.setKeepAlive(false);
  if (status != Poco::Net::HTTPResponse::HTTP_NO_CONTENT) res.setContentLength(0);
  res.send().flush();
}

/// The connection's socket when `res` is Poco's own response to `req` (what its server connection
/// passes to a handler), not sent yet; otherwise null: another response (a wrapper's, a test's)
/// must be sent through its own `send()`.
[[nodiscard]] inline Poco::Net::StreamSocket* own_socket(Poco::Net::HTTPServerRequest& req,
                                                         const Poco::Net::HTTPServerResponse& res) {
  auto* const impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&req);
  if (impl == nullptr || &impl->response() != &res || res.sent()) return nullptr;
  return &impl->socket();
}

/// Has `res` no line the direct write would have to replace: none of the policy's headers, no
/// `Content-Length`, no `Transfer-Encoding`? (Poco's server starts a response with `Date`,
/// `Server` and `Connection` only.)
[[nodiscard]] inline bool has_only_plain_lines(const Poco::Net::HTTPResponse& res) noexcept {
  present_headers present;
  for (const auto& field : res) {
    present.add_named(field.first);
    if (cors::detail::iequals(field.first, "Content-Length") ||
        cors::detail::iequals(field.first, "Transfer-Encoding")) {
      return false;
    }
  }
  return present.bits() == 0;
}

inline void append_line(std::string& out, std::string_view name, std::string_view value) {
  out.append(name).append(": ").append(value).append("\r\n");
}

/// Writes all of `bytes` to `socket` (a blocking socket's `send` may take only part).
inline void send_all(Poco::Net::StreamSocket& socket, std::string_view bytes) {
  while (!bytes.empty()) {
    const int n = socket.sendBytes(bytes.data(), static_cast<int>(bytes.size()));
    if (n <= 0) throw Poco::IOException("cors: the connection took no bytes of the answer");
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

/// The empty answer of `send_empty`, written as Poco's `send()` would write it (status line with
/// `res`'s version and reason, `res`'s lines, `d`'s headers, `Content-Length: 0` unless `204`)
/// with one `sendBytes`, without the two header streams, the counting pass and the body stream
/// Poco's `send()` allocates. `res` keeps its status and its own lines; the CORS lines go only to
/// the socket. `res` must have only plain lines (`has_only_plain_lines`).
inline void write_empty(const decision& d, int status, const Poco::Net::HTTPResponse& res,
                        Poco::Net::StreamSocket& socket) {
  std::string head;
  head.reserve(512);
  head.append(res.getVersion()).push_back(' ');
  head.push_back(static_cast<char>('0' + status / 100 % 10));
  head.push_back(static_cast<char>('0' + status / 10 % 10));
  head.push_back(static_cast<char>('0' + status % 10));
  head.append(" ").append(res.getReason()).append("\r\n");
  for (const auto& field : res) append_line(head, field.first, field.second);
  // A response without the policy's headers: every one of `d`'s is appended as it is. One append
  // for all ids, not an `auto` one per id: that left `append_line` out of line (+32 a preflight).
  detail::apply_with_ids(
      d, present_headers{}, [](response_header_id) {},
      [&head](response_header_id id, std::string_view value) { append_line(head, name_of(id), value); }, [](auto&&) {});
  if (status != Poco::Net::HTTPResponse::HTTP_NO_CONTENT) head.append("Content-Length: 0\r\n");
  head.append("\r\n");
  send_all(socket, head);
}

/// `send_empty`, written straight to the connection when `res` is Poco's own fresh response to
/// `req`; through `res.send()` otherwise.
inline void send_empty(const decision& d, int status, Poco::Net::HTTPServerRequest& req,
                       Poco::Net::HTTPServerResponse& res) {
  Poco::Net::StreamSocket* const socket = own_socket(req, res);
  if (socket == nullptr || !has_only_plain_lines(res)) {
    send_empty(d, status, static_cast<const Poco::Net::HTTPRequest&>(req), res);
    return;
  }
  res.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
  // Poco's connection reads the keep-alive decision from `res` after the handler.
  if (announces_body(req)) res.setKeepAlive(false);
  write_empty(d, status, res, *socket);
}
}  // namespace detail

/// Sends the complete answer to a request the policy answers itself (`d.next_action() ==
/// action::respond`: an allowed preflight, 204 or 200, or a refused request, 403): status,
/// decision headers, an empty body. Call it before the response has been sent; Poco commits the
/// status and headers in `send()`. Throws what Poco's `send()` throws, and `std::bad_alloc`.
/// @see https://fetch.spec.whatwg.org/#cors-preflight-fetch
inline void send_response(const decision& d, const Poco::Net::HTTPRequest& req, Poco::Net::HTTPServerResponse& res) {
  detail::send_empty(d, d.status(), req, res);
}

/// `send_response` for a request handler's own arguments. When `res` is Poco's own response to
/// `req` (`req.response()`, as Poco's server passes it) and holds only Poco's lines (no
/// `Access-Control-*`, `Vary`, `Content-Length` or `Transfer-Encoding` set before), the status
/// line and headers are written to the connection with one `sendBytes`, bypassing `res.send()`:
/// afterwards `res` has the status and keep-alive decision Poco's connection reads, but not the
/// CORS lines, and `res.sent()` stays false, so nothing may be sent on `res` after it. Otherwise
/// as the overload above. Throws what Poco's socket or `send()` throws, and `std::bad_alloc`.
inline void send_response(const decision& d, Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& res) {
  detail::send_empty(d, d.status(), req, res);
}

namespace detail {
/// The response the application's handler writes to. It holds the status and headers the
/// application sets (starting from the server's own: `Date`, `Server`, `Connection`, moved out of
/// the server's response, which has no header lines while the handler runs) and, when the
/// application sends (`send`, `sendBuffer`, `sendFile`, `redirect`), writes the decision's headers
/// into them (replacing and merging as `apply` does, so nothing the application set or erased
/// before can stand), moves them back into the server's response with its status and sends that:
/// every line reaches the wire once, none is copied. After sending, this object has no header
/// lines (the server's response has them). Everything else (`sent()`, `sendContinue()`) is the
/// server's response's.
class deferred_response final : public Poco::Net::HTTPServerResponse {
 public:
  /// `real` and `d` must outlive this object.
  deferred_response(Poco::Net::HTTPServerResponse& real, const decision& d) : real_(real), decision_(d) {
    setVersion(real.getVersion());
    setStatusAndReason(real.getStatus(), real.getReason());
    lines(*this).swap(lines(real));
  }

  void sendContinue() override { real_.sendContinue(); }
  std::ostream& send() override {
    commit();
    return real_.send();
  }
  void sendFile(const std::string& path, const std::string& media_type) override {
    commit();
    real_.sendFile(path, media_type);
  }
  void sendBuffer(const void* buffer, std::size_t length) override {
    commit();
    real_.sendBuffer(buffer, length);
  }
  void redirect(const std::string& uri, HTTPStatus redirect_status = HTTP_FOUND) override {
    commit();
    real_.redirect(uri, redirect_status);
  }
  /// As Poco documents it: status 401 and `WWW-Authenticate: Basic realm="…"`; nothing is sent.
  void requireAuthentication(const std::string& realm) override {
    setStatusAndReason(HTTP_UNAUTHORIZED);
    set("WWW-Authenticate", "Basic realm=\"" + realm + "\"");
  }
  bool sent() const override { return real_.sent(); }

 private:
  static Poco::Net::NameValueCollection& lines(Poco::Net::HTTPResponse& r) noexcept { return r; }

  void commit() {
    apply(decision_, *this);
    real_.setVersion(getVersion());
    real_.setStatusAndReason(getStatus(), getReason());
    // What anything wrote into the server's response meanwhile is dropped, as a copy would.
    lines(real_).clear();
    lines(real_).swap(lines(*this));
  }

  Poco::Net::HTTPServerResponse& real_;
  const decision& decision_;
};

/// Empties `res` back to what Poco's server connection writes into a fresh response (version,
/// `Date`, `Server`, `Connection`), for an error answer after the application may have changed it.
inline void reset_response(const Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& res,
                           bool keep_alive) {
  res.clear();
  res.setVersion(req.getVersion());
  res.setDate(Poco::Timestamp());
  const std::string& server = req.serverParams().getSoftwareVersion();
  if (!server.empty()) res.set("Server", server);
  res.setKeepAlive(keep_alive);
}

/// Hands `error` to Poco's `ErrorHandler`, as Poco's server does with an exception that leaves a
/// connection's handler.
inline void report(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const Poco::Exception& e) {
    Poco::ErrorHandler::handle(e);
  } catch (const std::exception& e) {
    Poco::ErrorHandler::handle(e);
  } catch (...) {
    Poco::ErrorHandler::handle();
  }
}

/// The handler `poco_handler_factory` returns for one request: the application's handler behind a
/// `deferred_response`, or (when the policy answers, or the application cannot) an empty answer
/// with a status. Holds the decision made from that request, which Poco passes again to
/// `handleRequest`.
class poco_handler final : public Poco::Net::HTTPRequestHandler {
 public:
  /// Forwards to `app` (not null). `pin` keeps alive what the decision points into (a live
  /// policy's or router's version of this request), or is null.
  poco_handler(const decision& d, std::shared_ptr<const void> pin,
               std::unique_ptr<Poco::Net::HTTPRequestHandler> app) noexcept
      : decision_(d), pin_(std::move(pin)), app_(std::move(app)) {}
  /// Answers `status` without the application, then reports `error` if there is one.
  poco_handler(const decision& d, std::shared_ptr<const void> pin, int status,
               std::exception_ptr error = nullptr) noexcept
      : decision_(d), pin_(std::move(pin)), status_(status), error_(std::move(error)) {}

  void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
    if (!app_) {
      send_empty(decision_, status_, request, response);
      if (error_) report(error_);
      return;
    }
    const bool keep_alive = response.getKeepAlive();  // as Poco's connection prepared it
    deferred_response deferred(response, decision_);
    try {
      app_->handleRequest(request, deferred);
    } catch (...) {
      // Once anything was sent, the exception goes on to Poco, which ends the connection.
      if (response.sent()) throw;
      // Otherwise Poco would answer a Poco::Exception with a 500 without CORS headers and nothing
      // at all to any other exception, and end the connection: a 500 the page can read instead,
      // keeping the connection, then the exception to Poco's ErrorHandler as Poco would.
      const std::exception_ptr error = std::current_exception();
      reset_response(request, response, keep_alive);
      send_empty(decision_, Poco::Net::HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, request, response);
      report(error);
    }
  }

 private:
  decision decision_;
  std::shared_ptr<const void> pin_;
  std::unique_ptr<Poco::Net::HTTPRequestHandler> app_;
  int status_ = 0;
  std::exception_ptr error_;
};

/// What a factory evaluates with: a `policy` or a `router`, held by value (copies share their
/// compiled state).
template <class Source>
struct poco_source {
  Source source;
  [[nodiscard]] decision evaluate(const request_view& v, std::shared_ptr<const void>& /*pin*/) const noexcept {
    return source.evaluate(v);
  }
};

/// A `live` policy or router, by pointer: each request pins the version it was decided with, which
/// Poco's handler (run later, possibly after a reload) keeps alive with the decision.
template <class T>
struct poco_source<const live<T>*> {
  const live<T>* source;
  [[nodiscard]] decision evaluate(const request_view& v, std::shared_ptr<const void>& pin) const noexcept {
    std::shared_ptr<const T> version = source->load();
    const decision d = version->evaluate(v);
    pin = std::move(version);
    return d;
  }
};
}  // namespace detail

/// The application's `HTTPRequestHandlerFactory` with a policy around it; give it to
/// `Poco::Net::HTTPServer` in place of the application's factory. Per request it evaluates the
/// policy, then:
/// - answers preflights (unless `preflight_passthrough`) and, with `refuse_disallowed_requests`,
///   refused actual requests itself (`send_response`), without asking the application's factory:
///   before routing and any authentication the application does; no `OPTIONS` route is needed;
/// - otherwise asks the application's factory for a handler and gives it a response that writes
///   the CORS headers when the application sends (see `detail::deferred_response`): on every
///   status, including 404s and 500s, replacing stale `Access-Control-*` lines the application set
///   and merging `Vary` with the application's, however and whenever it set them;
/// - answers `501` with the CORS headers when the application's factory returns no handler (Poco
///   itself would answer `501` without them), and `500` with them when the factory or the handler
///   throws before anything was sent (Poco would answer a `Poco::Exception` with a `500` without
///   them and any other exception not at all, closing the connection); the exception then goes to
///   `Poco::ErrorHandler`, as Poco would hand it, and the connection is kept unless the request
///   announced a body. An exception after the application sent goes on to Poco unchanged.
/// Thread-safe as the application's factory is: the policy is immutable. The application must
/// write to the response `handleRequest` receives; `request.response()` is Poco's own, which the
/// adapter writes only when it answers itself.
///
/// `Source` is what decides: `policy` (`poco_handler_factory`), `router` (each request gets the
/// policy the router selects for its `Host` and request-target, or no CORS:
/// `poco_router_handler_factory`), `const live<T>*` for a policy or router replaced at run time
/// (`poco_live_handler_factory<T>`; the `live` must outlive the server), or any copyable type with
/// `decision evaluate(const request_view&) const noexcept` whose decisions stay valid until the
/// request's handler has answered on the same thread (e.g. one that counts decisions around a
/// `live<T>::evaluate`, which stays valid until that thread's next `evaluate`).
///
/// Answers the policy gives itself (preflights, refusals, the `501` and `500` above) go out with
/// one `sendBytes` on the connection, not through `response.send()` (see `send_response`):
/// afterwards Poco's response has the status and keep-alive decision but not the CORS lines, and
/// its `sent()` is false. A handler wrapped around this factory's (a logger) must not send again.
template <class Source>
class basic_poco_handler_factory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  /// `app` must not be null. Throws nothing.
  basic_poco_handler_factory(Source source, Poco::Net::HTTPRequestHandlerFactory::Ptr app) noexcept
      : source_{std::move(source)}, app_(std::move(app)) {}

  /// Throws only `std::bad_alloc`.
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest& request) override {
    std::shared_ptr<const void> pin;
    const decision d = source_.evaluate(make_request_view(request), pin);
    if (d.next_action() == action::respond) {
      // A status other than 200 keeps Poco from sending `100 Continue` to `Expect: 100-continue`:
      // the body is not wanted.
      request.response().setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(d.status()));
      return new detail::poco_handler(d, std::move(pin), d.status());
    }
    std::unique_ptr<Poco::Net::HTTPRequestHandler> app;
    try {
      app.reset(app_->createRequestHandler(request));
    } catch (...) {
      return new detail::poco_handler(d, std::move(pin), Poco::Net::HTTPResponse::HTTP_INTERNAL_SERVER_ERROR,
                                      std::current_exception());
    }
    if (!app) return new detail::poco_handler(d, std::move(pin), Poco::Net::HTTPResponse::HTTP_NOT_IMPLEMENTED);
    return new detail::poco_handler(d, std::move(pin), std::move(app));
  }

 private:
  detail::poco_source<Source> source_;
  Poco::Net::HTTPRequestHandlerFactory::Ptr app_;
};

/// The factory with one policy for every request.
using poco_handler_factory = basic_poco_handler_factory<policy>;
/// The factory with the policy a `router` selects per request.
using poco_router_handler_factory = basic_poco_handler_factory<router>;
/// The factory with a policy or router replaced at run time (`live<policy>` or `live<router>`).
template <class T>
using poco_live_handler_factory = basic_poco_handler_factory<const live<T>*>;

}  // namespace cors::adapters

#endif  // CORS_ADAPTERS_POCO_HPP
