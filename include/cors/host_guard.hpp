// `cors::host_guard`: for a server meant to be reached by name only (a local daemon, a device, a
// development server), refuses every request whose `Host` is not a name it knows, before the
// application runs. This is the defence against DNS rebinding: a page on `attacker.example` whose
// name now resolves to 127.0.0.1 is same-origin with itself, so neither CORS nor the CSRF guard
// sees anything cross-origin, but its requests still say `Host: attacker.example`.
// @see https://www.rfc-editor.org/rfc/rfc9110#name-host-and-authority
#ifndef CORS_HOST_GUARD_HPP
#define CORS_HOST_GUARD_HPP

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "detail/arena.hpp"
#include "detail/ascii.hpp"
#include "detail/authority.hpp"
#include "detail/escape.hpp"
#include "guard_errors.hpp"
#include "request.hpp"

namespace cors {

/// Why the Host guard passed or refused a request. `to_string` gives a stable snake_case name.
enum class host_reason : std::uint8_t {
  allowed,           ///< `Host` is an allowed name (and port, where the name was given with one)
  host_missing,      ///< no `Host` header (HTTP/1.0 clients; HTTP/1.1 requires it)
  host_multiple,     ///< more than one `Host` line (RFC 9112 says to answer 400)
  host_malformed,    ///< not `host[:port]` with a port 0 … 65535
  host_not_allowed,  ///< a well-formed `Host` that is not an allowed name
};

/// Stable snake_case name of a Host guard reason.
[[nodiscard]] constexpr std::string_view to_string(host_reason r) noexcept {
  switch (r) {
    case host_reason::allowed: return "allowed";
    case host_reason::host_missing: return "host_missing";
    case host_reason::host_multiple: return "host_multiple";
    case host_reason::host_malformed: return "host_malformed";
    case host_reason::host_not_allowed: return "host_not_allowed";
  }
  return "unknown";
}

/// The Host guard's answer for one request.
class host_decision {
 public:
  constexpr host_decision() noexcept = default;
  constexpr explicit host_decision(host_reason why) noexcept : why_(why) {}

  [[nodiscard]] constexpr host_reason why() const noexcept { return why_; }
  /// Was the request refused? Then answer `status()` without running the application.
  [[nodiscard]] constexpr bool refused() const noexcept { return why_ != host_reason::allowed; }
  /// 403 for a refused request (nothing of the application is revealed to a rebinding page), 0
  /// otherwise.
  [[nodiscard]] constexpr int status() const noexcept { return refused() ? 403 : 0; }

 private:
  host_reason why_ = host_reason::allowed;
};

/// What a user writes for a Host guard.
struct host_guard_config {
  /// Allow the loopback names `localhost`, `127.0.0.1` and `[::1]`, with any port.
  bool loopback = true;
  /// More names: `printer.local` (any port) or `printer.local:8080` (only that port). A domain
  /// name, an IPv4 address or a bracketed IPv6 address; compared ASCII case-insensitively, a
  /// trailing dot is another name.
  std::vector<std::string> names;
};

/// Refuses requests whose `Host` is not an allowed name. Immutable, safe to share between
/// threads; copies share the compiled names.
class host_guard {
 public:
  /// Throws `cors::invalid_guard_config` listing every name that is not `host[:port]` (and
  /// `std::bad_alloc`).
  explicit host_guard(const host_guard_config& cfg = {}) : s_(compile(cfg)) {}

  /// Decides one request from its `Host` lines. Never throws, never allocates; work is linear in
  /// the number of names.
  [[nodiscard]] host_decision check(const request_view& req) const noexcept {
    if (!req.host.present()) return host_decision(host_reason::host_missing);
    if (req.host.size() != 1) return host_decision(host_reason::host_multiple);
    return host_decision(check_host(req.host.front()));
  }

  /// The same for one `Host` value.
  [[nodiscard]] host_reason check_host(std::string_view value) const noexcept {
    const detail::host_authority a = detail::split_host(detail::trim_ows(value));
    if (!a.ok) return host_reason::host_malformed;
    for (const name& n : s_->names) {
      if (detail::iequals(n.host, a.host) && (n.any_port || n.port == a.port)) return host_reason::allowed;
    }
    return host_reason::host_not_allowed;
  }

 private:
  struct name {
    std::string_view host;
    std::string_view port;
    bool any_port = true;
  };
  struct state {
    detail::string_arena storage;
    std::vector<name> names;
  };

  /// A domain (letters, digits, `-`, `.`), an IPv4 address, or `[` IPv6 `]`: enough to refuse a
  /// typo; the request side only ever compares.
  [[nodiscard]] static bool is_host_name(std::string_view host) noexcept {
    if (host.front() == '[') {
      for (const char c : host.substr(1, host.size() - 2)) {
        if (!detail::is_digit(c) && !(detail::to_lower(c) >= 'a' && detail::to_lower(c) <= 'f') && c != ':' &&
            c != '.') {
          return false;
        }
      }
      return host.back() == ']';
    }
    for (const char c : host) {
      if (!detail::is_digit(c) && !detail::is_alpha(c) && c != '-' && c != '.') return false;
    }
    return true;
  }

  static std::shared_ptr<const state> compile(const host_guard_config& cfg) {
    auto s = std::make_shared<state>();
    if (cfg.loopback) {
      for (const std::string_view host : {"localhost", "127.0.0.1", "[::1]"}) s->names.push_back({host, {}, true});
    }
    std::vector<std::string> problems;
    for (const std::string& text : cfg.names) {
      const detail::host_authority a = detail::split_host(text);
      if (!a.ok || !is_host_name(a.host)) {
        problems.push_back(detail::concat({"cors: allowed host `", detail::printable(text),
                                           "` is not a host name with an optional port, such as `printer.local` "
                                           "or `printer.local:8080`"}));
        continue;
      }
      s->names.push_back({s->storage.intern({a.host}), s->storage.intern({a.port}), a.port.empty()});
    }
    if (!problems.empty()) throw invalid_guard_config(std::move(problems));
    return s;
  }

  std::shared_ptr<const state> s_;
};

}  // namespace cors

#endif  // CORS_HOST_GUARD_HPP
