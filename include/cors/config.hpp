// What a user writes: a plain, owning description of the CORS policy. It is compiled once into an
// immutable `cors::policy`, which validates it.
#ifndef CORS_CONFIG_HPP
#define CORS_CONFIG_HPP

#include <atomic>
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace cors {

/// A copyable `bool(std::string_view origin)` callable, for `config::origin_predicate`: what
/// `std::function` would do, without `<functional>` (or `<memory>`) in every user's translation
/// unit. Copies share the callable, which must be safe to call from several threads at once.
class origin_matcher {
 public:
  origin_matcher() noexcept = default;
  origin_matcher(std::nullptr_t) noexcept {}  // NOLINT: `= nullptr` clears, as with std::function

  /// Wraps any callable `f` such that `f(origin)` converts to `bool`.
  template <class F, class D = std::decay_t<F>,
            class = std::enable_if_t<!std::is_same_v<D, origin_matcher> && !std::is_same_v<D, std::nullptr_t> &&
                                     std::is_invocable_r_v<bool, const D&, std::string_view>>>
  origin_matcher(F&& f)  // NOLINT: implicit, so a lambda can be assigned directly
      : state_(new holder<D>(std::forward<F>(f))) {}

  origin_matcher(const origin_matcher& other) noexcept : state_(other.state_) {
    if (state_ != nullptr) state_->refs.fetch_add(1, std::memory_order_relaxed);
  }
  origin_matcher(origin_matcher&& other) noexcept : state_(other.state_) { other.state_ = nullptr; }
  origin_matcher& operator=(origin_matcher other) noexcept {
    std::swap(state_, other.state_);
    return *this;
  }
  ~origin_matcher() {
    if (state_ != nullptr && state_->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete state_;
  }

  /// Is a callable set?
  [[nodiscard]] explicit operator bool() const noexcept { return state_ != nullptr; }

  /// Calls it; undefined when none is set. Exceptions propagate.
  [[nodiscard]] bool operator()(std::string_view origin) const { return state_->call(origin); }

 private:
  struct holder_base {
    holder_base() = default;
    holder_base(const holder_base&) = delete;
    holder_base& operator=(const holder_base&) = delete;
    virtual ~holder_base() = default;
    [[nodiscard]] virtual bool call(std::string_view origin) const = 0;
    std::atomic<std::size_t> refs{1};
  };
  template <class D>
  struct holder final : holder_base {
    template <class F>
    explicit holder(F&& f) : fn(std::forward<F>(f)) {}
    [[nodiscard]] bool call(std::string_view origin) const override { return static_cast<bool>(fn(origin)); }
    D fn;
  };

  holder_base* state_ = nullptr;
};

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

  /// Status of an answered preflight: 204 (default) or 200.
  int preflight_status = 204;

  /// Hand preflights to the application after computing their headers instead of answering
  /// them (the application must then answer with a 2xx status).
  bool preflight_passthrough = false;

  /// Answer actual requests from disallowed origins with 403 instead of handing them to the
  /// application without CORS headers. Same-origin requests are never refused: see
  /// `server_origins` and `Sec-Fetch-Site`.
  bool refuse_disallowed_requests = false;

  /// The server's own origins, exact (`https://api.example.com`). Browsers send `Origin` on
  /// same-origin `POST`, `PUT`, `DELETE`…; these are recognised as same-origin, as are requests
  /// with `Sec-Fetch-Site: same-origin`.
  std::vector<std::string> server_origins;

  /// Consulted for origins that no static pattern allows, e.g. a tenant table. Receives the
  /// request's serialized origin (already validated; never `null` or malformed). Must not throw;
  /// to keep `evaluate()` allocation-free, it must not allocate either.
  origin_matcher origin_predicate;

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
