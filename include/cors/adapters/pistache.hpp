// Pistache adapter (Debian's libpistache 0.0.5): a `Rest::Router` middleware that answers
// preflights and refused requests before routing and puts the CORS headers on every routed
// response, a not-found handler that does the same for the router's 404, and `apply` for handlers
// that write their responses themselves. Needs only Pistache and the core.
//
// What Pistache 0.0.5 imposes, and how this adapter deals with it:
// - A header collection keeps one entry per name, and `add` silently keeps the entry it already
//   has: `apply` removes every entry of a header before adding its own, and joins a header the
//   decision gives on several lines into one comma-separated line.
// - `Header::Raw` entries are parsed from requests but never written into responses: every header
//   written here is a `Header::Header` object (`pistache_text_header` for those Pistache has no
//   class for).
// - A request keeps only the first line of a repeated header: the policy cannot see a second
//   `Origin` or `Access-Control-Request-Headers` line.
// - Header values are only returned by copy: `pistache_request_headers` copies the few the policy
//   reads, and the request view points into it.
// - The router hands its middlewares a copy of the response writer and uses the original for its
//   own 404 and 405 answers: `install` also sets a not-found handler that adds the headers; the
//   router's 405 (a path routed for other methods only) carries none.
#ifndef CORS_ADAPTERS_PISTACHE_HPP
#define CORS_ADAPTERS_PISTACHE_HPP

#include <pistache/http.h>
#include <pistache/http_header.h>
#include <pistache/http_headers.h>
#include <pistache/router.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>

#include "../decision.hpp"
#include "../detail/macros.hpp"
#include "../live.hpp"
#include "../policy.hpp"
#include "../request.hpp"
#include "../response_header.hpp"
#include "../router.hpp"
#include "generic.hpp"

namespace cors::adapters {

/// A response header line whose name and value are given at run time. Pistache 0.0.5 writes only
/// `Header::Header` objects into a response and has a class for few names; this one serves any
/// other (`Vary`, `Access-Control-Allow-Credentials`, an application's `X-Total-Count`). Add it
/// with `response.headers().add(std::make_shared<pistache_text_header>(name, value))`; like every
/// Pistache header it is ignored when the response has one of that name already. Its `hash()`
/// matches no header class, so `Header::header_cast` to a header class yields null, never a wrong
/// type; `Collection::get<H>()` casts without checking, so do not ask it for a class of your own
/// under a name this type holds. Throws only `std::bad_alloc`.
class pistache_text_header final : public Pistache::Http::Header::Header {
 public:
  pistache_text_header(std::string name, std::string value)
      : owned_name_(std::move(name)), name_(owned_name_.c_str()), value_(std::move(value)) {}
  /// Selects the constructor that keeps a pointer to the name instead of a copy.
  struct static_name_tag {};
  /// A header named by `static_name`, which must outlive it (a string literal, a static string):
  /// nothing copies the name, which the adapter's own headers, written on every response, need.
  pistache_text_header(static_name_tag, const char* static_name, std::string value)
      : name_(static_name), value_(std::move(value)) {}
  // `name_` may point into `owned_name_`: a copy would point into the original.
  pistache_text_header(const pistache_text_header&) = delete;
  pistache_text_header& operator=(const pistache_text_header&) = delete;

  [[nodiscard]] const char* name() const override { return name_; }
  void parseRaw(const char* str, std::size_t len) override { value_.assign(str, len); }
  void write(std::ostream& os) const override { os << value_; }
#ifdef SAFE_HEADER_CAST
  [[nodiscard]] std::uint64_t hash() const override { return Pistache::Http::Header::detail::hash("cors:text-header"); }
#endif
  /// The value, as it is written.
  [[nodiscard]] const std::string& value() const noexcept { return value_; }

 private:
  std::string owned_name_;
  const char* name_;
  std::string value_;
};

namespace detail {

/// A header object for one of the policy's headers: Pistache's own class where it has one (so
/// `headers().get<Header::AccessControlAllowOrigin>()` finds the type it expects), a
/// `pistache_text_header` otherwise.
[[nodiscard]] inline std::shared_ptr<Pistache::Http::Header::Header> pistache_header_of(response_header_id id,
                                                                                        std::string value) {
  namespace header = Pistache::Http::Header;
  // Pistache's constructors copy a `const std::string&`; its `setUri` takes the value by move.
  const auto typed = [&value](auto h) {
    h->setUri(std::move(value));
    return h;
  };
  switch (id) {
    case response_header_id::access_control_allow_origin:
      return typed(std::make_shared<header::AccessControlAllowOrigin>());
    case response_header_id::access_control_allow_methods:
      return typed(std::make_shared<header::AccessControlAllowMethods>());
    case response_header_id::access_control_allow_headers:
      return typed(std::make_shared<header::AccessControlAllowHeaders>());
    case response_header_id::access_control_expose_headers:
      return typed(std::make_shared<header::AccessControlExposeHeaders>());
    default: break;
  }
  return std::make_shared<pistache_text_header>(pistache_text_header::static_name_tag{}, name_string(id).c_str(),
                                                std::move(value));
}

/// The value of header `h` as Pistache would write it.
[[nodiscard]] inline std::string pistache_value_of(const Pistache::Http::Header::Header& h) {
  std::ostringstream os;
  h.write(os);
  return std::move(os).str();
}

/// `Host` as `Header::Host::write` writes it (the host, then `:port` unless the port is 0; a
/// `Host` without a port was parsed as port 80), without the `std::ostringstream`.
[[nodiscard]] inline std::string pistache_host_value(const Pistache::Http::Header::Host& h) {
  std::string out = h.host();
  const auto port = static_cast<std::uint16_t>(h.port());
  if (port != 0) out.append(":").append(std::to_string(port));
  return out;
}

}  // namespace detail

/// Copies of the request headers the policy reads (`Origin`, `Access-Control-Request-*`,
/// `Sec-Fetch-Site`), with a `request_view` over them and the request's method. Pistache returns
/// header values only by copy, so a view cannot point into the request itself. Pistache keeps
/// only the first line of a repeated header, so each header has at most one line here. Copies only
/// the headers present among those five (requests without `Origin` usually have none), plus `Host`
/// (the line as sent, else the typed header as Pistache writes it) and the path, `resource()` (not decoded, without the
/// query; the Rest router merges `//` and drops a trailing `/` when it routes). Neither copyable nor movable, because
/// the view points into it; it must outlive the view and any decision made from it. Throws only `std::bad_alloc`.
/// @see https://fetch.spec.whatwg.org/#cors-request
class pistache_request_headers {
 public:
  explicit pistache_request_headers(const Pistache::Http::Request& req) {
    view_.method = Pistache::Http::methodString(req.method());
    // Only the values the view keeps are copied (`Raw::value` returns a copy), each into a
    // string that stays where it is.
    std::size_t n = 0;
    for (const auto& [name, raw] : req.headers().rawList()) {
      if (n == values_.size()) break;  // the map holds each name once: six at most
      if (!request_view::reads_header(name)) continue;
      values_[n] = raw.value();
      view_.add_header(name, values_[n]);
      ++n;
    }
    view_.path = req.resource();
    if (!view_.host.present()) {
      // Pistache also parses `Host` into its own header class; the raw line is read first.
      if (const auto host = req.headers().tryGet<Pistache::Http::Header::Host>()) {
        host_ = detail::pistache_host_value(*host);
        view_.host.add(host_);
      }
    }
  }
  pistache_request_headers(const pistache_request_headers&) = delete;
  pistache_request_headers& operator=(const pistache_request_headers&) = delete;

  /// The request as the policy sees it; points into `*this`.
  [[nodiscard]] const request_view& view() const noexcept CORS_LIFETIMEBOUND { return view_; }

 private:
  std::array<std::string, 6> values_;
  std::string host_;
  request_view view_{};
};

/// Writes decision `d`'s headers into `headers`: every `Access-Control-*` entry is removed first
/// and the decision's added (Pistache's `add` would keep an existing one), a header the decision
/// gives several times is written as one comma-joined line, and `Vary` is merged into one line
/// (see `apply_with`). Throws only `std::bad_alloc`.
inline void apply(const decision& d, Pistache::Http::Header::Collection& headers) {
  // The headers this call has written and not erased since: after the erasing, only these can be
  // in `headers`, so only for them does a second line look the first one up.
  unsigned written = 0;
  const auto bit = [](response_header_id id) { return 1u << static_cast<unsigned>(id); };
  // One pass over the typed and the raw headers finds the policy's headers `headers` already has
  // (none on a fresh response): each `remove` lowercases a copy of the name and looks it up in
  // both maps, which the other names need not pay.
  present_headers present;
  for (const std::shared_ptr<Pistache::Http::Header::Header>& h : headers.list()) present.add_named(h->name());
  for (const auto& raw : headers.rawList()) present.add_named(raw.first);
  detail::apply_with_ids(
      d, present,
      [&headers, &written, &bit](response_header_id id) {
        written &= ~bit(id);
        // `remove` takes one entry of the name (a typed one first, then a raw one).
        while (headers.remove(detail::name_string(id))) {
        }
      },
      [&headers, &written, &bit](const auto id, std::string_view value) {
        const std::string& name = detail::name_string(id);
        std::string line(value);
        const bool again = (written & bit(id)) != 0;
        written |= bit(id);
        if (const auto existing = again ? headers.tryGet(name) : nullptr) {
          // Only the decision's own earlier line can be here (the names were removed first):
          // Pistache writes one line per name, so the list continues on it.
          line = detail::pistache_value_of(*existing).append(", ").append(value);
          headers.remove(name);
        }
        headers.add(detail::pistache_header_of(id, std::move(line)));
      },
      [&headers](auto&& f) {
        if (const auto vary = headers.tryGet(detail::name_string(response_header_id::vary))) {
          const std::string value = detail::pistache_value_of(*vary);
          f(std::string_view(value));
        }
      });
}

/// `apply(d, response.headers())`.
inline void apply(const decision& d, Pistache::Http::ResponseWriter& response) { apply(d, response.headers()); }

/// Merges `tokens` (a `Vary` value such as `Accept-Encoding`) into the `Vary` line of `response`,
/// for handlers behind the middleware: it has already written `Vary: Origin`, and a second `Vary`
/// added with `headers().add` would be dropped without a word. The line lists `tokens` first, then
/// the tokens already there that they lack (the order the other adapters give: the application's,
/// then the policy's); `Vary: *` on either side gives `Vary: *`. Throws only `std::bad_alloc`.
/// @see https://fetch.spec.whatwg.org/#cors-protocol-and-http-caches
inline void merge_vary(Pistache::Http::ResponseWriter& response, std::string_view tokens) {
  Pistache::Http::Header::Collection& headers = response.headers();
  const std::string& name = detail::name_string(response_header_id::vary);
  const auto vary = headers.tryGet(name);
  if (!vary) {
    headers.add(std::make_shared<pistache_text_header>(pistache_text_header::static_name_tag{}, name.c_str(),
                                                       std::string(tokens)));
    return;
  }
  const std::string existing = detail::pistache_value_of(*vary);
  const auto existing_line = [&existing](auto&& f) { f(std::string_view(existing)); };
  if (cors::detail::vary_satisfied(existing_line, tokens)) return;
  const auto tokens_line = [tokens](auto&& f) { f(tokens); };
  std::string merged =
      cors::detail::vary_contains(tokens, "*") ? std::string("*") : cors::detail::vary_merged(tokens_line, existing);
  while (headers.remove(name)) {
  }
  headers.add(
      std::make_shared<pistache_text_header>(pistache_text_header::static_name_tag{}, name.c_str(), std::move(merged)));
}

/// Applies `d` to `response` and, when the policy answers the request itself
/// (`d.next_action() == action::respond`: a preflight, or a request refused with
/// `refuse_disallowed_requests`), sends the answer (`d.status()`, no body). Returns whether it
/// sent it. Throws only `std::bad_alloc`.
/// @see https://fetch.spec.whatwg.org/#cors-preflight-fetch
inline bool answer_or_decorate(const decision& d, Pistache::Http::ResponseWriter& response) {
  apply(d, response);
  if (d.next_action() != action::respond) return false;
  response.send(static_cast<Pistache::Http::Code>(d.status()));
  return true;
}

namespace detail {
template <class Source>
[[nodiscard]] Pistache::Rest::Route::Middleware middleware(Source p) {
  return [p = std::move(p)](Pistache::Http::Request& req, Pistache::Http::ResponseWriter& response) {
    const pistache_request_headers headers(req);
    return !answer_or_decorate(p.evaluate(headers.view()), response);
  };
}

template <class Source>
[[nodiscard]] Pistache::Rest::Route::Handler with_cors_headers(Source p, Pistache::Rest::Route::Handler handler) {
  return [p = std::move(p), handler = std::move(handler)](const Pistache::Rest::Request& req,
                                                          Pistache::Http::ResponseWriter response) {
    {
      const pistache_request_headers headers(req);
      apply(p.evaluate(headers.view()), response);
    }
    return handler(req, std::move(response));
  };
}

template <class Source>
void install(Pistache::Rest::Router& router, const Source& p) {
  router.addMiddleware(middleware(p));
  router.addNotFoundHandler(
      with_cors_headers(p, [](const Pistache::Rest::Request&, Pistache::Http::ResponseWriter response) {
        response.send(Pistache::Http::Code::Not_Found, "Could not find a matching route");
        return Pistache::Rest::Route::Result::Ok;
      }));
}
}  // namespace detail

/// A router middleware for `p` (`router.addMiddleware(cors::adapters::middleware(p))`): answers
/// preflights (also on paths without an `OPTIONS` route) and refused requests, stopping the
/// chain, and writes the CORS headers into the response every later middleware and the route's
/// handler get. Such a handler's own `Access-Control-*` headers are then ignored by Pistache (the
/// policy owns them); its own `Vary` must go through `merge_vary`. Throws only `std::bad_alloc`.
[[nodiscard]] inline Pistache::Rest::Route::Middleware middleware(policy p) { return detail::middleware(std::move(p)); }

/// `middleware` with the policy `r` selects for the request's `Host` and `resource()`.
[[nodiscard]] inline Pistache::Rest::Route::Middleware middleware(cors::router r) {
  return detail::middleware(std::move(r));
}

/// Wraps a handler that the router calls with its original response writer (the not-found
/// handler, custom handlers), which carries none of the middleware's headers: `handler` gets a
/// response with the CORS headers already applied. Throws what `handler` throws.
[[nodiscard]] inline Pistache::Rest::Route::Handler with_cors_headers(policy p,
                                                                      Pistache::Rest::Route::Handler handler) {
  return detail::with_cors_headers(std::move(p), std::move(handler));
}

/// `with_cors_headers` with the policy `r` selects.
[[nodiscard]] inline Pistache::Rest::Route::Handler with_cors_headers(cors::router r,
                                                                      Pistache::Rest::Route::Handler handler) {
  return detail::with_cors_headers(std::move(r), std::move(handler));
}

/// Installs `p` on `router`: `middleware(p)` and a not-found handler that answers `404` with the
/// CORS headers (replacing one set before; to keep your own, set
/// `with_cors_headers(p, yours)` after this call). The router's `405` for a path routed only for
/// other methods is sent on a response the router made itself and carries no CORS headers.
/// Throws only `std::bad_alloc`.
inline void install(Pistache::Rest::Router& router, const policy& p) { detail::install(router, p); }

/// `install` with a `cors::router`: each request gets the policy `r` selects for its `Host` and
/// `resource()`, or no CORS. Throws only `std::bad_alloc`.
inline void install(Pistache::Rest::Router& router, const cors::router& r) { detail::install(router, r); }

namespace detail {
/// A `live<T>` by reference, copyable into the router's handlers.
template <class T>
struct live_ref {
  const live<T>* l;
  [[nodiscard]] decision evaluate(const request_view& req) const noexcept { return l->evaluate(req); }
};
}  // namespace detail

/// `middleware` with a policy or router replaced at run time; `l` must outlive the middleware.
template <class T>
[[nodiscard]] Pistache::Rest::Route::Middleware middleware(const live<T>& l) {
  return detail::middleware(detail::live_ref<T>{&l});
}

/// `with_cors_headers` with a policy or router replaced at run time; `l` must outlive the handler.
template <class T>
[[nodiscard]] Pistache::Rest::Route::Handler with_cors_headers(const live<T>& l,
                                                               Pistache::Rest::Route::Handler handler) {
  return detail::with_cors_headers(detail::live_ref<T>{&l}, std::move(handler));
}

/// `install` with a policy or router replaced at run time; `l` must outlive `router`. Throws only
/// `std::bad_alloc`.
template <class T>
void install(Pistache::Rest::Router& router, const live<T>& l) {
  detail::install(router, detail::live_ref<T>{&l});
}

}  // namespace cors::adapters

#endif  // CORS_ADAPTERS_PISTACHE_HPP
