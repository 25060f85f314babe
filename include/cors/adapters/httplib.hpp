// cpp-httplib adapter: `install` puts a policy on a `httplib::Server` in one call (preflights and
// refused requests answered before routing, headers added to every other response after it), plus
// `make_request_view` and `apply` for servers that wire the handlers themselves. Works with
// Debian's compiled httplib 0.11 and with upstream's header-only `httplib.h`.
#ifndef CORS_ADAPTERS_HTTPLIB_HPP
#define CORS_ADAPTERS_HTTPLIB_HPP

#include <httplib.h>

#include <iterator>

#include <string>
#include <string_view>
#include <tuple>
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

/// The request as the policy sees it, viewing `req`'s method, every header line (httplib
/// keeps repeated lines as separate entries) and `req.path` as the path (percent-decoded by
/// httplib, `+` kept, without the query, not normalised). Iterates rather than looks up, because httplib's
/// lookups take a `std::string` key and would allocate. Never allocates or throws. The view points
/// into `req`, which must outlive it and any decision made from it.
/// @see https://fetch.spec.whatwg.org/#cors-request
[[nodiscard]] inline request_view make_request_view(const httplib::Request& req CORS_LIFETIMEBOUND) noexcept {
  request_view v{};
  v.method = req.method;
  v.target = req.target;
  v.path = req.path;
  for (const auto& header : req.headers) v.add_header(header.first, header.second);
  return v;
}

/// Writes decision `d`'s headers into `res`: `Access-Control-*` headers replace any `res` has
/// (httplib's `set_header` appends, so they are erased first), `Vary` is merged into one line
/// (see `apply_with`). The values are copied into `res.headers`. Throws only `std::bad_alloc`.
inline void apply(const decision& d, httplib::Response& res) {
  // One pass over `res.headers` finds the policy's headers it already has, so erasing and reading
  // `Vary` walk the headers only for those.
  detail::present_headers present;
  for (const auto& header : res.headers) present.add_named(header.first);
  apply_with(
      d,
      [&res, &present](response_header_id id) {
        if (!present.has(id)) return;
        const std::string_view name = name_of(id);
        for (auto it = res.headers.begin(); it != res.headers.end();) {
          it = cors::detail::iequals(it->first, name) ? res.headers.erase(it) : std::next(it);
        }
      },
      [&res, &present](response_header_id id, std::string_view value) {
        present.add(id);
        const std::string_view name = name_of(id);
        res.headers.emplace(std::piecewise_construct, std::forward_as_tuple(name.data(), name.size()),
                            std::forward_as_tuple(value.data(), value.size()));
      },
      [&res, &present](auto&& f) {
        if (!present.has(response_header_id::vary)) return;
        for (const auto& header : res.headers) {
          if (cors::detail::iequals(header.first, name_of(response_header_id::vary))) f(header.second);
        }
      });
}

namespace detail {
/// The request this thread's pre-routing step saw last, cleared by the post-routing step. httplib
/// calls the post-routing handler also for the answers it writes itself when it cannot read a
/// request (400 for a header line over its 8 KB limit, 414, 416, …), without routing it: the
/// headers it had parsed until then may be partial (the first of two `Origin` lines), so such an
/// answer must carry no `Access-Control-Allow-*`. A request is only ever handled by one thread,
/// from its pre-routing handler to its post-routing handler.
inline thread_local const httplib::Request* routed_request = nullptr;

/// Does the request announce a body? httplib reads bodies after the pre-routing handler, so an
/// answer given there leaves the body unread on the connection.
[[nodiscard]] inline bool announces_body(const httplib::Request& req) noexcept {
  for (const auto& header : req.headers) {
    if (cors::detail::iequals(header.first, "Transfer-Encoding")) return true;
    if (cors::detail::iequals(header.first, "Content-Length") && header.second != "0") return true;
  }
  return false;
}
}  // namespace detail

namespace detail {
template <class Source>
[[nodiscard]] httplib::Server::HandlerResponse pre_routing(const Source& p, const httplib::Request& req,
                                                           httplib::Response& res) {
  routed_request = &req;
  const decision d = p.evaluate(make_request_view(req));
  if (d.next_action() != action::respond) return httplib::Server::HandlerResponse::Unhandled;
  res.status = d.status();
  apply(d, res);
  // The unread body would be parsed as the next request on this connection: ask the client to
  // close it instead.
  if (announces_body(req)) res.set_header("Connection", "close");
  return httplib::Server::HandlerResponse::Handled;
}

template <class Source>
void post_routing(const Source& p, const httplib::Request& req, httplib::Response& res) {
  const bool routed = routed_request == &req;
  routed_request = nullptr;
  if (!routed) return;
  const decision d = p.evaluate(make_request_view(req));
  // httplib runs this handler on the pre-routing step's own answers too: those carry the headers
  // already.
  if (d.next_action() == action::respond) return;
  apply(d, res);
}

template <class Source>
void install(httplib::Server& server, Source p) {
  server.set_pre_routing_handler(
      [p](const httplib::Request& req, httplib::Response& res) { return pre_routing(p, req, res); });
  server.set_post_routing_handler(
      [p = std::move(p)](const httplib::Request& req, httplib::Response& res) { post_routing(p, req, res); });
}
}  // namespace detail

/// The pre-routing step of `install`: answers a request the policy answers itself (preflights
/// unless `preflight_passthrough`; refused actual requests with `refuse_disallowed_requests`) and
/// returns `Handled`, so neither routing nor any later handler sees it; otherwise returns
/// `Unhandled`. Call it first from your own pre-routing handler if you need one. Throws only
/// `std::bad_alloc`.
/// @see https://fetch.spec.whatwg.org/#cors-preflight-fetch
[[nodiscard]] inline httplib::Server::HandlerResponse handle_pre_routing(const policy& p, const httplib::Request& req,
                                                                         httplib::Response& res) {
  return detail::pre_routing(p, req, res);
}

/// `handle_pre_routing` with the policy `r` selects for the request's `Host` and `req.path`.
[[nodiscard]] inline httplib::Server::HandlerResponse handle_pre_routing(const router& r, const httplib::Request& req,
                                                                         httplib::Response& res) {
  return detail::pre_routing(r, req, res);
}

/// `handle_pre_routing` with the version of `l` current for this request.
template <class T>
[[nodiscard]] httplib::Server::HandlerResponse handle_pre_routing(const live<T>& l, const httplib::Request& req,
                                                                  httplib::Response& res) {
  return detail::pre_routing(l, req, res);
}

/// The post-routing step of `install`: adds the decision's headers to whatever response the server
/// is about to write for a request that reached routing (the application's, a 404 of the router,
/// an error or exception handler's), and none to the answers httplib writes itself for a request
/// it could not read (those never reach the pre-routing step: call `handle_pre_routing` too).
/// Re-evaluating is cheap and allocation-free; applying twice gives the same headers. Throws only
/// `std::bad_alloc`.
inline void handle_post_routing(const policy& p, const httplib::Request& req, httplib::Response& res) {
  detail::post_routing(p, req, res);
}

/// `handle_post_routing` with the policy `r` selects.
inline void handle_post_routing(const router& r, const httplib::Request& req, httplib::Response& res) {
  detail::post_routing(r, req, res);
}

/// `handle_post_routing` with the version of `l` current for this request.
template <class T>
void handle_post_routing(const live<T>& l, const httplib::Request& req, httplib::Response& res) {
  detail::post_routing(l, req, res);
}

/// Installs `p` on `server` through its pre-routing handler (answers preflights before routing
/// and before any authentication an application does in its routes, so no `OPTIONS` route is
/// needed) and its post-routing handler (CORS headers on every other response, including 404s,
/// 500s and exception-handler answers). Replaces handlers set before; to combine them with your
/// own, call `handle_pre_routing` and `handle_post_routing` from yours. Throws only
/// `std::bad_alloc`.
inline void install(httplib::Server& server, policy p) { detail::install(server, std::move(p)); }

/// `install` with a router: each request gets the policy `r` selects for its `Host` and
/// `req.path` (percent-decoded by httplib), or no CORS. Throws only `std::bad_alloc`.
inline void install(httplib::Server& server, router r) { detail::install(server, std::move(r)); }

/// `install` with a policy or router replaced at run time: each request gets the version current
/// when it is evaluated. `l` must outlive `server`. Throws only `std::bad_alloc`.
template <class T>
void install(httplib::Server& server, const live<T>& l) {
  server.set_pre_routing_handler(
      [&l](const httplib::Request& req, httplib::Response& res) { return detail::pre_routing(l, req, res); });
  server.set_post_routing_handler(
      [&l](const httplib::Request& req, httplib::Response& res) { detail::post_routing(l, req, res); });
}

}  // namespace cors::adapters

#endif  // CORS_ADAPTERS_HTTPLIB_HPP
