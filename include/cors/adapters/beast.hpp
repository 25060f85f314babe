// Boost.Beast adapter: a request view over `http::request` without copying, `apply` for
// `http::response`, and a complete answer for decisions the policy answers itself (preflights,
// refused requests). Needs only Boost.Beast (header-only) and the core.
#ifndef CORS_ADAPTERS_BEAST_HPP
#define CORS_ADAPTERS_BEAST_HPP

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/status.hpp>

#include <string_view>

#include "../decision.hpp"
#include "../detail/macros.hpp"
#include "../request.hpp"
#include "../response_header.hpp"
#include "generic.hpp"

namespace cors::adapters {

namespace detail {
[[nodiscard]] inline std::string_view to_std(boost::beast::string_view s) noexcept { return {s.data(), s.size()}; }
[[nodiscard]] inline boost::beast::string_view to_beast(std::string_view s) noexcept { return {s.data(), s.size()}; }

/// Beast's `field` for a header the policy writes. Inserting by `field` skips Beast's lookup of
/// the name in its table of known fields (a hash over the name's bytes).
[[nodiscard]] constexpr boost::beast::http::field field_of(response_header_id id) noexcept {
  using boost::beast::http::field;
  switch (id) {
    case response_header_id::access_control_allow_origin: return field::access_control_allow_origin;
    case response_header_id::access_control_allow_credentials: return field::access_control_allow_credentials;
    case response_header_id::access_control_allow_methods: return field::access_control_allow_methods;
    case response_header_id::access_control_allow_headers: return field::access_control_allow_headers;
    case response_header_id::access_control_max_age: return field::access_control_max_age;
    case response_header_id::access_control_expose_headers: return field::access_control_expose_headers;
    case response_header_id::vary: return field::vary;
    case response_header_id::access_control_allow_private_network:  // Beast has no field for these
    case response_header_id::timing_allow_origin: break;
  }
  return field::unknown;
}
}  // namespace detail

/// The request as the policy sees it, viewing `req`'s method, every header line in order
/// (repeated lines kept, as the policy needs to see them) and `target()` as the path (raw: not
/// decoded, not normalised, with the query; a `cors::router` ignores the query). Never allocates
/// or throws. The view points into `req`, which must outlive it and any decision made from it.
/// @see https://fetch.spec.whatwg.org/#cors-request
template <class Body, class Fields>
[[nodiscard]] request_view make_request_view(
    const boost::beast::http::request<Body, Fields>& req CORS_LIFETIMEBOUND) noexcept {
  using boost::beast::http::field;
  request_view v{};
  v.method = detail::to_std(req.method_string());
  v.target = detail::to_std(req.target());
  v.path = detail::to_std(req.target());
  for (const auto& f : req) {
    // Beast has already matched each name (case-insensitively) against the headers it knows:
    // the four it knows here need no second comparison. Every other line goes through
    // add_header(), which also catches `Sec-Fetch-Site` and `Access-Control-Request-Private-Network`
    // whether or not this Boost version has a `field` for them.
    switch (f.name()) {
      case field::origin: v.origin.add(detail::to_std(f.value())); break;
      case field::host: v.host.add(detail::to_std(f.value())); break;
      case field::access_control_request_method: v.access_control_request_method.add(detail::to_std(f.value())); break;
      case field::access_control_request_headers:
        v.access_control_request_headers.add(detail::to_std(f.value()));
        break;
      default: v.add_header(detail::to_std(f.name_string()), detail::to_std(f.value())); break;
    }
  }
  return v;
}

/// Writes decision `d`'s headers into `res`: `Access-Control-*` headers replace any `res` has
/// (and stale ones are removed), `Vary` is merged into one line (see `apply_with`). Copies the
/// values into `res`'s field storage, so the request and policy may go away afterwards; adds no
/// allocation of its own except when an existing `Vary` must be extended. Throws only
/// `std::bad_alloc` (from Beast's field storage).
template <class Body, class Fields>
void apply(const decision& d, boost::beast::http::response<Body, Fields>& res) {
  // One pass over `res` finds the policy's headers it already has (none on a fresh response), so
  // erasing and reading `Vary` cost a lookup only for those.
  detail::present_headers present;
  for (const auto& f : res) present.add_named(detail::to_std(f.name_string()));
  apply_with(
      d,
      [&res, &present](response_header_id id) {
        if (!present.has(id)) return;
        const boost::beast::http::field f = detail::field_of(id);
        if (f != boost::beast::http::field::unknown) {
          res.erase(f);
        } else {
          res.erase(detail::to_beast(name_of(id)));
        }
      },
      [&res, &present](response_header_id id, std::string_view value) {
        present.add(id);
        const boost::beast::http::field f = detail::field_of(id);
        if (f != boost::beast::http::field::unknown) {
          res.insert(f, detail::to_beast(value));
        } else {
          res.insert(detail::to_beast(name_of(id)), detail::to_beast(value));
        }
      },
      [&res, &present](auto&& f) {
        if (!present.has(response_header_id::vary)) return;
        const auto range = res.equal_range(boost::beast::http::field::vary);
        for (auto it = range.first; it != range.second; ++it) f(detail::to_std(it->value()));
      });
}

/// The complete answer to a request the policy answers itself (`d.next_action() == action::respond`:
/// an allowed preflight, 204 or 200, or a refused one, 403): status, decision headers, an empty
/// body, and `req`'s HTTP version and keep-alive. `ResponseBody` is the body type of the response
/// (`http::empty_body` by default; pass the one your handler returns, e.g. `http::string_body`).
/// Throws only `std::bad_alloc`.
/// @see https://fetch.spec.whatwg.org/#cors-preflight-fetch
template <class ResponseBody = boost::beast::http::empty_body, class Body, class Fields>
[[nodiscard]] boost::beast::http::response<ResponseBody> make_response(
    const decision& d, const boost::beast::http::request<Body, Fields>& req) {
  boost::beast::http::response<ResponseBody> res{static_cast<boost::beast::http::status>(d.status()), req.version()};
  res.keep_alive(req.keep_alive());
  apply(d, res);
  // #section-8.6 of RFC 9110: "A server MUST NOT send a Content-Length header field in any
  // response with a status code of 1xx (Informational) or 204 (No Content)."
  if (res.result() != boost::beast::http::status::no_content) res.prepare_payload();
  return res;
}

/// Decides `req` with `r` (`r.evaluate(make_request_view(req))`): `policy` or `router`, or any
/// type with that `evaluate`. Never throws; the decision points into `r` and `req`.
template <class Source, class Body, class Fields>
[[nodiscard]] decision evaluate(const Source& r, const boost::beast::http::request<Body, Fields>& req) noexcept {
  return r.evaluate(make_request_view(req));
}

}  // namespace cors::adapters

#endif  // CORS_ADAPTERS_BEAST_HPP
