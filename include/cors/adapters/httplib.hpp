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
#include "../detail/kept_decision.hpp"
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
  // One pass over `res.headers` finds the policy's headers it already has (on a fresh response
  // none), so that only those are erased and `Vary` is read only if it is there.
  present_headers present;
  for (const auto& header : res.headers) present.add_named(header.first);
  detail::apply_with_ids(
      d, present,
      [&res](response_header_id id) {
        const std::string_view name = name_of(id);
        for (auto it = res.headers.begin(); it != res.headers.end();) {
          it = cors::detail::iequals(it->first, name) ? res.headers.erase(it) : std::next(it);
        }
      },
      [&res](const auto id, std::string_view value) {
        const std::string_view name = name_of(id);
        res.headers.emplace(std::piecewise_construct, std::forward_as_tuple(name.data(), name.size()),
                            std::forward_as_tuple(value.data(), value.size()));
      },
      [&res](auto&& f) {
        for (const auto& header : res.headers) {
          if (cors::detail::iequals(header.first, name_of(response_header_id::vary))) f(header.second);
        }
      });
}

namespace detail {
/// The decision this thread's pre-routing step made for the request it saw last, taken by the
/// post-routing step (keyed by the request's address: httplib makes one `Request` per request, on
/// the thread that runs both steps). httplib calls the post-routing handler also for the answers it
/// writes itself when it cannot read a request (400 for a header line over its 8 KB limit, 414,
/// 416, …), without routing it: the headers it had parsed until then may be partial (the first of
/// two `Origin` lines), so such an answer, which finds no decision kept for it, carries no
/// `Access-Control-Allow-*`.
inline thread_local cors::detail::kept_decision routed_decision;

[[nodiscard]] inline cors::detail::request_key key_of(const httplib::Request& req) noexcept { return {&req, 0, 0}; }

/// Does the request announce a body? httplib reads bodies after the pre-routing handler, so an
/// answer given there leaves the body unread on the connection.
[[nodiscard]] inline bool announces_body(const httplib::Request& req) noexcept {
  for (const auto& header : req.headers) {
    if (cors::detail::iequals(header.first, "Transfer-Encoding")) return true;
    if (cors::detail::iequals(header.first, "Content-Length") && header.second != "0") return true;
  }
  return false;
}

template <class Source>
void post_routing(const Source& p, const httplib::Request& req, httplib::Response& res) {
  cors::detail::kept_decision& kept = routed_decision;
  if (!kept.holds(key_of(req))) return;
  kept.forget();
  if (const decision* d = kept.still_valid()) {
    // httplib runs this handler on the pre-routing step's own answers too: those carry the headers
    // already.
    if (d->next_action() != action::respond) apply(*d, res);
    return;
  }
  // A `live` version the kept decision points into was replaced in between: decide again.
  const decision d = p.evaluate(make_request_view(req));
  if (d.next_action() != action::respond) apply(d, res);
}
}  // namespace detail

/// The pre-routing step of `install` with a decision `d` already made for `req` (by the policy,
/// router or `live` given to `install` or to `handle_post_routing`, e.g. from your own pre-routing
/// handler, which viewed the request for other reasons): answers the request if the policy answers
/// it itself (`d.next_action() == action::respond`: preflights unless `preflight_passthrough`,
/// refused actual requests with `refuse_disallowed_requests`) and returns `Handled`, so neither
/// routing nor any later handler sees it; otherwise returns `Unhandled`. Either way keeps `d` on
/// this thread for the post-routing step of the same request, which writes it without evaluating
/// again. `d` must stay valid until then: made with a policy or router that outlives the server,
/// or with a `live`'s current version (if this thread replaces that version in between, by
/// evaluating with a `live` after a reload, the post-routing step evaluates again). Call
/// `handle_post_routing` for every request whose pre-routing step ran (`install` does): httplib
/// makes each request on a thread at the same address, so a decision no post-routing step took
/// stays kept, and a request httplib then cannot read (it skips the pre-routing step and goes
/// straight to post-routing) would be taken for the one it was kept for. Throws only
/// `std::bad_alloc`.
/// @see https://fetch.spec.whatwg.org/#cors-preflight-fetch
[[nodiscard]] inline httplib::Server::HandlerResponse handle_pre_routing(const decision& d, const httplib::Request& req,
                                                                         httplib::Response& res) {
  detail::routed_decision.keep(detail::key_of(req), d);
  if (d.next_action() != action::respond) return httplib::Server::HandlerResponse::Unhandled;
  res.status = d.status();
  apply(d, res);
  // The unread body would be parsed as the next request on this connection: ask the client to
  // close it instead.
  if (detail::announces_body(req)) res.set_header("Connection", "close");
  return httplib::Server::HandlerResponse::Handled;
}

/// The pre-routing step of `install`: `handle_pre_routing(p.evaluate(make_request_view(req)), req,
/// res)`. Call it first from your own pre-routing handler if you need one. Throws only
/// `std::bad_alloc`.
[[nodiscard]] inline httplib::Server::HandlerResponse handle_pre_routing(const policy& p, const httplib::Request& req,
                                                                         httplib::Response& res) {
  return handle_pre_routing(p.evaluate(make_request_view(req)), req, res);
}

/// `handle_pre_routing` with the policy `r` selects for the request's `Host` and `req.path`.
[[nodiscard]] inline httplib::Server::HandlerResponse handle_pre_routing(const router& r, const httplib::Request& req,
                                                                         httplib::Response& res) {
  return handle_pre_routing(r.evaluate(make_request_view(req)), req, res);
}

/// `handle_pre_routing` with the version of `l` current for this request.
template <class T>
[[nodiscard]] httplib::Server::HandlerResponse handle_pre_routing(const live<T>& l, const httplib::Request& req,
                                                                  httplib::Response& res) {
  return handle_pre_routing(l.evaluate(make_request_view(req)), req, res);
}

/// The post-routing step of `install`: adds the decision the pre-routing step kept for `req` (see
/// `handle_pre_routing`) to whatever response the server is about to write for it (the
/// application's, a 404 of the router, an error or exception handler's; not the pre-routing step's
/// own answers, which have their headers), and none to the answers httplib writes itself for a
/// request it could not read (those never reach the pre-routing step: call `handle_pre_routing`
/// too). `p` decides again only if the kept decision is no longer valid (its `live` version was
/// replaced on this thread in between). Throws only `std::bad_alloc`.
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

namespace detail {
template <class Source>
void install(httplib::Server& server, Source p) {
  server.set_pre_routing_handler([p](const httplib::Request& req, httplib::Response& res) {
    return handle_pre_routing(p.evaluate(make_request_view(req)), req, res);
  });
  server.set_post_routing_handler(
      [p = std::move(p)](const httplib::Request& req, httplib::Response& res) { post_routing(p, req, res); });
}
}  // namespace detail

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
      [&l](const httplib::Request& req, httplib::Response& res) { return handle_pre_routing(l, req, res); });
  server.set_post_routing_handler(
      [&l](const httplib::Request& req, httplib::Response& res) { detail::post_routing(l, req, res); });
}

}  // namespace cors::adapters

#endif  // CORS_ADAPTERS_HTTPLIB_HPP
