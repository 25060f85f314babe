// RESTinio adapter (0.6.13 and later, tested with Debian's 0.6.16): `sync_chain_handler` goes first
// in a `restinio::sync_chain` and answers the requests the policy answers itself (preflights,
// refused requests); `apply` writes a decision into a response builder the application made, and
// `make_request_view` views a request's header without copying. Needs only RESTinio (header-only,
// on standalone Asio, fmt and http-parser) and the core.
//
// RESTinio's handlers build and send their responses themselves (`req->create_response()` ...
// `done()`, possibly later and on another thread), so no hook sees an application's response
// before it is written: the application calls `apply` on it, with the decision
// `sync_chain_handler::decide` gives it (the one the chain's first handler made and kept for the
// request, so that each request is viewed and evaluated once).
#ifndef CORS_ADAPTERS_RESTINIO_HPP
#define CORS_ADAPTERS_RESTINIO_HPP

#include <restinio/http_headers.hpp>
#include <restinio/message_builders.hpp>
#include <restinio/request_handler.hpp>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
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

namespace detail {
/// For each of RESTinio's field ids (`http_field_t` is one byte), whether `request_view::add_header`
/// would take a line of that name. Built at compile time from the installed RESTinio's own table of
/// names (`RESTINIO_HTTP_FIELDS_MAP`), so an id a later version adds for a header CORS reads is
/// taken too; a name RESTinio has no id for (`field_unspecified`) is always offered.
struct fields_cors_reads {
  std::array<bool, 256> reads{};
};
[[nodiscard]] constexpr fields_cors_reads make_fields_cors_reads() noexcept {
  static_assert(sizeof(::restinio::http_field_t) == 1, "http_field_t indexes a 256-entry table");
  struct named_field {
    ::restinio::http_field_t id;
    std::string_view name;
  };
#define CORS_DETAIL_RESTINIO_FIELD(id, name) named_field{::restinio::http_field_t::id, #name},
  constexpr named_field fields[] = {RESTINIO_HTTP_FIELDS_MAP(CORS_DETAIL_RESTINIO_FIELD)};
#undef CORS_DETAIL_RESTINIO_FIELD
  fields_cors_reads t{};
  for (const named_field& f : fields) {
    request_view v{};
    t.reads[static_cast<std::uint8_t>(f.id)] = v.add_header(f.name, {});
  }
  t.reads[static_cast<std::uint8_t>(::restinio::http_field_t::field_unspecified)] = true;
  return t;
}
inline constexpr fields_cors_reads field_cors_reads = make_fields_cors_reads();
}  // namespace detail

/// The request as the policy sees it, viewing `header`'s method, its request-target (`target`) and
/// path (`path()`, what a router matches: as the client sent it, not decoded, not normalised,
/// without the query), and every header line in order. RESTinio keeps repeated lines as separate
/// fields, so the policy sees them as repeats. Never
/// allocates or throws. The view points into `header` (the method name into RESTinio's static
/// table), which must outlive it and any decision made from it.
/// @see https://fetch.spec.whatwg.org/#cors-request
[[nodiscard]] inline request_view make_request_view(
    const ::restinio::http_request_header_t& header CORS_LIFETIMEBOUND) noexcept {
  using ::restinio::http_field_t;
  request_view v{};
  v.method = header.method().c_str();
  v.target = header.request_target();
  const auto path = header.path();
  v.path = std::string_view(path.data(), path.size());
  for (const ::restinio::http_header_field_t& field : header) {
    // RESTinio has matched each name (case-insensitively) against the fields it knows: a known
    // field CORS does not read is skipped, the four it reads need no second comparison. Every other
    // line goes through add_header(), which also catches `Sec-Fetch-Site` and
    // `Access-Control-Request-Private-Network` whether or not this RESTinio version has an id for them.
    const http_field_t id = field.field_id();
    if (!detail::field_cors_reads.reads[static_cast<std::uint8_t>(id)]) continue;  // Cookie, Accept, …
    const std::string& value = field.value();
    switch (id) {
      case http_field_t::origin: v.origin.add(value); break;
      case http_field_t::host: v.host.add(value); break;
      case http_field_t::access_control_request_method: v.access_control_request_method.add(value); break;
      case http_field_t::access_control_request_headers: v.access_control_request_headers.add(value); break;
      default: v.add_header(field.name(), value); break;
    }
  }
  return v;
}

/// The request view of `req` (see above): it points into `req`'s header, which lives as long as
/// the request object (RESTinio hands it out as a `std::shared_ptr`; keep that alive while the
/// view or a decision made from it is used). Never allocates or throws.
template <class ExtraData>
[[nodiscard]] request_view make_request_view(
    const ::restinio::generic_request_t<ExtraData>& req CORS_LIFETIMEBOUND) noexcept {
  return make_request_view(req.header());
}

namespace detail {
/// RESTinio's id for a header the policy writes, or `field_unspecified`. Writing and removing by
/// id skips RESTinio's case-insensitive search of its table of known names (`string_to_field`)
/// and its name comparisons.
[[nodiscard]] constexpr ::restinio::http_field_t field_of(response_header_id id) noexcept {
  using ::restinio::http_field_t;
  switch (id) {
    case response_header_id::access_control_allow_origin: return http_field_t::access_control_allow_origin;
    case response_header_id::access_control_allow_credentials: return http_field_t::access_control_allow_credentials;
    case response_header_id::access_control_allow_methods: return http_field_t::access_control_allow_methods;
    case response_header_id::access_control_allow_headers: return http_field_t::access_control_allow_headers;
    case response_header_id::access_control_max_age: return http_field_t::access_control_max_age;
    case response_header_id::vary: return http_field_t::vary;
    case response_header_id::access_control_allow_private_network:  // RESTinio 0.6 has no id for these
    case response_header_id::access_control_expose_headers:
    case response_header_id::timing_allow_origin: break;
  }
  return http_field_t::field_unspecified;
}

/// For each of RESTinio's ids (`http_field_t` is one byte), 1 + the policy's header `field_of`
/// maps to it, or 0: a response's fields are told apart by one table load.
struct response_headers_by_field {
  std::array<std::uint8_t, 256> one_plus_id{};
};
[[nodiscard]] constexpr response_headers_by_field make_response_headers_by_field() noexcept {
  static_assert(sizeof(::restinio::http_field_t) == 1, "http_field_t indexes a 256-entry table");
  response_headers_by_field t{};
  for (const response_header_spec& spec : response_headers) {
    const ::restinio::http_field_t f = field_of(spec.id);
    if (f != ::restinio::http_field_t::field_unspecified) {
      t.one_plus_id[static_cast<std::uint8_t>(f)] = static_cast<std::uint8_t>(1u + static_cast<unsigned>(spec.id));
    }
  }
  return t;
}
inline constexpr response_headers_by_field response_header_by_field = make_response_headers_by_field();
}  // namespace detail

/// Writes decision `d`'s headers into `fields` (a response header): `Access-Control-*` headers
/// replace every line `fields` has of them (RESTinio's `append_header` and `add_field` append a
/// line, `set_field` replaces only the first, so all are removed first), `Vary` is merged into
/// one line (see `apply_with`). The values are copied. Throws only `std::bad_alloc`.
inline void apply(const decision& d, ::restinio::http_header_fields_t& fields) {
  using ::restinio::http_field_t;
  // One pass over `fields` finds the policy's headers it already has (on a fresh response none),
  // so that only those are removed and `Vary` is read only if it is there. A field RESTinio has an
  // id for is told by the id; any other by its name.
  present_headers present;
  for (const ::restinio::http_header_field_t& field : fields) {
    const unsigned one_plus_id =
        detail::response_header_by_field.one_plus_id[static_cast<std::uint8_t>(field.field_id())];
    if (one_plus_id != 0) {
      present.add(static_cast<response_header_id>(one_plus_id - 1u));
    } else {
      present.add_named(field.name());  // also a name that a later RESTinio knows and this table not
    }
  }
  detail::apply_with_ids(
      d, present,
      [&fields](response_header_id id) {
        // RESTinio gives every field whose name it knows that name's id, whoever added it.
        const http_field_t f = detail::field_of(id);
        if (f != http_field_t::field_unspecified) {
          fields.remove_all_of(f);
        } else {
          const std::string_view name = name_of(id);
          fields.remove_all_of(::restinio::string_view_t(name.data(), name.size()));
        }
      },
      [&fields](const auto id, std::string_view value) {
        const http_field_t f = detail::field_of(id);
        if (f != http_field_t::field_unspecified) {
          fields.add_field(f, std::string(value));
        } else {
          fields.add_field(std::string(name_of(id)), std::string(value));
        }
      },
      [&fields](auto&& f) {
        for (const ::restinio::http_header_field_t& field : fields) {
          if (field.field_id() == http_field_t::vary) f(field.value());
        }
      });
}

/// Writes decision `d`'s headers into the response `res` is building (any output type), as
/// above. Call it after the application has set its own headers and before `done()`. Throws
/// only `std::bad_alloc`.
template <class Output>
void apply(const decision& d, ::restinio::response_builder_t<Output>& res) {
  apply(d, static_cast<::restinio::http_header_fields_t&>(res.header()));
}

namespace detail {
/// The status line of a status the policy answers with (204, 200, 403).
[[nodiscard]] inline ::restinio::http_status_line_t status_line_of(int status) {
  switch (status) {
    case 200: return ::restinio::status_ok();
    case 204: return ::restinio::status_no_content();
    case 403: return ::restinio::status_forbidden();
    default: break;
  }
  return ::restinio::http_status_line_t{::restinio::http_status_code_t{static_cast<std::uint16_t>(status)}, ""};
}
}  // namespace detail

/// Answers `req` with `d` when the policy answers it itself (`d.next_action() == action::respond`:
/// an allowed preflight, 204 or 200, or a refused request, 403): status, the decision's headers, an
/// empty body, the request's keep-alive. Returns `accepted` then, `not_handled` otherwise (nothing
/// is sent, the request is left to the application). RESTinio writes `Content-Length: 0` also on
/// a 204, which RFC 9110 §8.6 forbids and clients ignore. Throws what RESTinio's response builder
/// throws.
/// @see https://fetch.spec.whatwg.org/#cors-preflight-fetch
template <class ExtraData>
::restinio::request_handling_status_t respond(const decision& d,
                                              const ::restinio::generic_request_handle_t<ExtraData>& req) {
  if (d.next_action() != action::respond) return ::restinio::request_not_handled();
  auto res = req->create_response(detail::status_line_of(d.status()));
  apply(d, res);
  return res.done();
}

namespace detail {
/// The decision `respond_or_keep` kept on this thread for a later handler of the same request's
/// chain (a `sync_chain` runs its handlers one after the other on one thread), taken by
/// `basic_sync_chain_handler::decide`.
inline thread_local cors::detail::kept_decision chain_decision;

template <class ExtraData>
[[nodiscard]] cors::detail::request_key key_of(const ::restinio::generic_request_t<ExtraData>& req) noexcept {
  return {&req, static_cast<std::uint64_t>(req.connection_id()), static_cast<std::uint64_t>(req.request_id())};
}
}  // namespace detail

/// `respond(d, req)`, and when the policy does not answer `req` itself, keeps `d` on this thread
/// for the next handlers of the chain: their `basic_sync_chain_handler::decide(*req)` returns it
/// instead of viewing and evaluating the request again. `d` is the decision for `req` of the
/// handler's policy, router or `live` (as `decide` would make it), made on this thread just before;
/// it must stay valid until the later handler takes it: made with a policy or router that outlives
/// the server, or with a `live`'s current version (if this thread replaces that version in between,
/// by evaluating with a `live` after a reload, `decide` evaluates again). Throws what `respond`
/// throws.
/// @see https://fetch.spec.whatwg.org/#cors-preflight-fetch
template <class ExtraData>
::restinio::request_handling_status_t respond_or_keep(const decision& d,
                                                      const ::restinio::generic_request_handle_t<ExtraData>& req) {
  if (d.next_action() == action::respond) return respond(d, req);
  detail::chain_decision.keep(detail::key_of(*req), d);
  return ::restinio::request_not_handled();
}

/// A handler for a `restinio::sync_chain` (`fixed_size_chain_t` or `growable_size_chain_t`), to put
/// first in the chain: answers the requests the policy answers itself (preflights unless
/// `preflight_passthrough`, refused requests with `refuse_disallowed_requests`; see `respond`) and
/// returns `not_handled` for every other request, which the next handlers answer; they call
/// `apply(decide(*req), res)` before `done()`, which takes the decision this handler kept (see
/// `respond_or_keep`). Works with any extra-data type. Holds a copy of the policy (copies share the
/// compiled policy), so it may be moved into the chain; decisions point into that shared policy.
/// Throws only what `respond` throws.
///
/// `Source` is what decides: `policy` (`sync_chain_handler`), `router` (the policy it selects for
/// the request's `Host` and path, or no CORS: `router_sync_chain_handler`), or `const live<T>*`
/// for a policy or router replaced at run time (`live_sync_chain_handler<T>`; the `live` must
/// outlive the server; a decision is then valid until this thread's next evaluation with a `live`,
/// so the application must apply it before it hands the request to another thread).
template <class Source>
class basic_sync_chain_handler {
 public:
  explicit basic_sync_chain_handler(Source s) noexcept : policy_(std::move(s)) {}

  template <class ExtraData>
  ::restinio::request_handling_status_t operator()(const ::restinio::generic_request_handle_t<ExtraData>& req) const {
    return respond_or_keep(decide(make_request_view(*req)), req);
  }

  /// The decision for `req`: the one `respond_or_keep` kept for this very request on this thread
  /// (taken: asked again, this evaluates), or else the policy's (allocation-free; the same decision
  /// each time it is asked, unless a `live` was replaced in between). Borrows from `req` and from
  /// the policy (see `cors::decision`).
  template <class ExtraData>
  [[nodiscard]] decision decide(const ::restinio::generic_request_t<ExtraData>& req CORS_LIFETIMEBOUND) const noexcept {
    cors::detail::kept_decision& kept = detail::chain_decision;
    if (kept.holds(detail::key_of(req))) {
      kept.forget();
      if (const decision* d = kept.still_valid()) return *d;
    }
    return decide(make_request_view(req));
  }

  /// The policy's decision for a request view (see `make_request_view`); never a kept one.
  [[nodiscard]] decision decide(const request_view& v) const noexcept {
    if constexpr (std::is_pointer_v<Source>) {
      return policy_->evaluate(v);
    } else {
      return policy_.evaluate(v);
    }
  }

 private:
  Source policy_;
};

/// The handler with one policy for every request.
using sync_chain_handler = basic_sync_chain_handler<policy>;
/// The handler with the policy a `router` selects per request.
using router_sync_chain_handler = basic_sync_chain_handler<router>;
/// The handler with a policy or router replaced at run time (`live<policy>` or `live<router>`).
template <class T>
using live_sync_chain_handler = basic_sync_chain_handler<const live<T>*>;

}  // namespace cors::adapters

#endif  // CORS_ADAPTERS_RESTINIO_HPP
