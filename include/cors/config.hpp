// What a user writes: a plain, owning description of the CORS policy. It is compiled once into an
// immutable `cors::policy`, which validates it.
#ifndef CORS_CONFIG_HPP
#define CORS_CONFIG_HPP

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cors {

/// The CORS policy as configured. Every field is checked when a `cors::policy` is built from it;
/// see `cors::validate` and the README's configuration reference.
struct config {
  /// Allowed origins: `https://app.example.com` (exact), `*` (any origin, never with credentials),
  /// `https://*.example.com` (one or more labels below example.com, never example.com itself),
  /// `http://localhost:*` (any port). Scheme and host lowercase, no path, no default port.
  /// @see https://fetch.spec.whatwg.org/#origin-header
  std::vector<std::string> origins;

  /// Methods a preflight may ask for, case-sensitive (`patch` and `PATCH` differ; the six names
  /// browsers normalize, `delete` `get` `head` `options` `post` `put`, are uppercased). `GET`,
  /// `HEAD` and `POST` are always allowed. `*` allows any method.
  /// @see https://fetch.spec.whatwg.org/#concept-method-normalize
  std::vector<std::string> methods;

  /// Request headers a preflight may ask for, case-insensitive. `*` allows any header except
  /// `Authorization`, which must be listed by name.
  /// @see https://fetch.spec.whatwg.org/#cors-non-wildcard-request-header-name
  std::vector<std::string> request_headers;

  /// Response headers scripts may read beyond the CORS-safelisted ones. `*` means all of them,
  /// only without credentials.
  /// @see https://fetch.spec.whatwg.org/#http-access-control-expose-headers
  std::vector<std::string> exposed_headers;

  /// Send `Access-Control-Allow-Credentials: true`, letting `credentials: "include"` requests
  /// read responses. The request's origin is then always echoed, never `*`.
  bool credentials = false;

  /// `Access-Control-Max-Age` on successful preflights, 0 … 86400 seconds. Absent: no header,
  /// and browsers cache the preflight for 5 seconds. Chromium caps it at 7200, Firefox at 86400.
  std::optional<std::chrono::seconds> max_age;

  /// Legacy Private Network Access: answer `Access-Control-Request-Private-Network: true` on an
  /// allowed preflight with `Access-Control-Allow-Private-Network: true`. The draft is frozen;
  /// Chromium never enforced it and replaced it in version 142 by a Local Network Access
  /// permission that no response header can grant.
  bool private_network = false;

  /// Most bytes of `Access-Control-Request-Headers` (all lines together) a preflight may send,
  /// 256 … 65536; a longer list is refused with `reason::headers_too_large` before it is read.
  /// This bounds the work per preflight. There is no bound on the number of names.
  std::size_t max_request_headers_bytes = 4096;
  /// Send `Timing-Allow-Origin` with the same value as `Access-Control-Allow-Origin` (the request's
  /// origin, or `*`), so that Resource Timing details are shared with exactly the origins that may
  /// read the response. Only where `Access-Control-Allow-Origin` is sent: never on a preflight
  /// answer, and never to a request without `Origin` unless the policy answers `*` to everyone.
  /// @see https://w3c.github.io/resource-timing/#sec-timing-allow-origin
  bool timing_allow_origin = false;

  /// Status of an answered preflight: 204 (default) or 200.
  int preflight_status = 204;

  /// Hand preflights to the application after computing their headers instead of answering
  /// them (the application must then answer with a 2xx status).
  bool preflight_passthrough = false;

  /// Answer actual requests from disallowed origins with 403 instead of handing them to the
  /// application without CORS headers. Same-origin requests are never refused: see
  /// `server_origins` and `Sec-Fetch-Site`.
  bool refuse_disallowed_requests = false;

  /// Debug mode, for finding why a browser refuses a preflight. A preflight refused for its method
  /// (`reason::method_not_allowed`) or one of its headers (`reason::header_not_allowed`), from an
  /// allowed origin, is answered with the preflight status and the headers the browser checks
  /// before the one that fails (`Access-Control-Allow-Origin`, `…-Credentials`, and for a header
  /// refusal `…-Methods` and an explicit `…-Headers` list), so that the console names the method or
  /// header instead of a missing `Access-Control-Allow-Origin`. The refused method or header is never
  /// listed, so the browser still fails the preflight and never sends the actual request; `why()`
  /// is unchanged. Every other refusal is answered as without debug. Off by default: the answer
  /// tells an allowed origin which methods and headers the policy allows.
  bool debug = false;

  /// The server's own origins, exact (`https://api.example.com`). Browsers send `Origin` on
  /// same-origin `POST`, `PUT`, `DELETE`…; these are recognised as same-origin, as are requests
  /// with `Sec-Fetch-Site: same-origin`.
  std::vector<std::string> server_origins;

  /// Consulted for origins that no static pattern allows, e.g. a tenant table. Receives the
  /// request's serialized origin (already validated; never `null` or malformed) and is called
  /// from any number of threads at once. It should not throw: if it does, `evaluate()` (which is
  /// `noexcept`) catches the exception and refuses the origin with `reason::origin_predicate_failed`.
  /// To keep `evaluate()` allocation-free, it must not allocate either.
  std::function<bool(std::string_view origin)> origin_predicate;

  /// Like `origin_predicate`, for servers that decide by the tenant addressed: also receives the
  /// request's `Host` (empty unless the request has exactly one) and path (`request_view::path`
  /// without its query; empty if the adapter gives none). Consulted after `origin_predicate` said
  /// no; the same rules apply (any thread, should neither throw nor allocate).
  std::function<bool(std::string_view origin, std::string_view host, std::string_view path)>
      origin_predicate_with_request;

  /// Allow the `null` origin (listed as `null` in `origins`). Dangerous: sandboxed iframes,
  /// `data:` and `file:` documents and cross-origin redirects all share it, so any site can
  /// produce it.
  bool dangerously_allow_null_origin = false;

  /// Allow `credentials` together with `http://` origins that are not loopback. Dangerous: a
  /// network attacker can impersonate such an origin and read credentialed responses.
  bool dangerously_allow_insecure_origins_with_credentials = false;
};

}  // namespace cors

#endif  // CORS_CONFIG_HPP
