// Boost.Beast WebSocket helper: refuse a cross-site WebSocket hijacking upgrade with 403 before
// `websocket::stream::accept()`, from the same policy as CORS. Needs only Boost.Beast.
#ifndef CORS_ADAPTERS_BEAST_WEBSOCKET_HPP
#define CORS_ADAPTERS_BEAST_WEBSOCKET_HPP

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include <optional>

#include "../policy.hpp"
#include "../websocket.hpp"
#include "beast.hpp"

namespace cors::adapters {

/// Decides an upgrade request: see `cors::check_websocket_upgrade`. Never throws or allocates.
template <class Body, class Fields>
[[nodiscard]] websocket_decision check_websocket_upgrade(
    const policy& p, const boost::beast::http::request<Body, Fields>& req) noexcept {
  return cors::check_websocket_upgrade(p, make_request_view(req));
}

/// For a WebSocket upgrade request (`websocket::is_upgrade(req)`) that `p` refuses, the answer to
/// write instead of accepting: 403, a short text body, `Connection: close`. Nothing for any
/// other request, which the caller accepts (or serves) as usual. Throws only `std::bad_alloc`.
///
///     if (auto refusal = cors::adapters::websocket_refusal(policy, req)) {
///       http::write(socket, *refusal);  // and close
///     } else {
///       ws.accept(req);
///     }
///
/// `ResponseFields` is the answer's Fields: `http::fields` by default, or `beast_fields`.
template <class ResponseFields = boost::beast::http::fields, class Body, class Fields>
[[nodiscard]] std::optional<boost::beast::http::response<boost::beast::http::string_body, ResponseFields>>
websocket_refusal(const policy& p, const boost::beast::http::request<Body, Fields>& req) {
  namespace http = boost::beast::http;
  if (!boost::beast::websocket::is_upgrade(req)) return std::nullopt;
  const websocket_decision d = check_websocket_upgrade(p, req);
  if (!d.refused()) return std::nullopt;
  http::response<http::string_body, ResponseFields> res{http::status::forbidden, req.version()};
  res.set(http::field::content_type, "text/plain");
  res.body() = "cross-origin WebSocket refused";
  res.keep_alive(false);
  res.prepare_payload();
  return res;
}

}  // namespace cors::adapters

#endif  // CORS_ADAPTERS_BEAST_WEBSOCKET_HPP
