// The request as the policy sees it: the method and the few headers CORS reads, as views into the
// server's own request object. Building one never allocates.
#ifndef CORS_REQUEST_HPP
#define CORS_REQUEST_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <new>
#include <string_view>

#include "detail/ascii.hpp"
#include "detail/macros.hpp"

namespace cors {

/// Bounds on what a request may make the policy look at, so the work per request is bounded
/// whatever a client sends. The byte bound of `Access-Control-Request-Headers` is configured per
/// policy (`config::max_request_headers_bytes`); the number of lines is what a `request_view`
/// holds. No bound on the number of names: within the byte bound, every list a browser can send
/// is read.
namespace limits {
/// Default of `config::max_request_headers_bytes`: total bytes of `Access-Control-Request-Headers`
/// (all lines). Browsers send lowercase names joined by `,`; 4 KiB is about 200 custom headers.
inline constexpr std::size_t default_max_request_headers_bytes = 4096;
/// Largest `config::max_request_headers_bytes` a policy accepts (64 KiB, beyond any server's
/// header-size limit).
inline constexpr std::size_t max_request_headers_bytes_ceiling = 64 * 1024;
/// Smallest `config::max_request_headers_bytes` a policy accepts.
inline constexpr std::size_t max_request_headers_bytes_floor = 256;
/// Lines of `Access-Control-Request-Headers` a `request_view` keeps (browsers send one;
/// intermediaries may split a list). More are refused with `reason::headers_too_many_lines`.
inline constexpr std::size_t max_request_headers_lines = 8;
}  // namespace limits

namespace detail {
/// The names `request_view::add_header` takes, as `matches_lower` compares them.
inline constexpr lower_name header_host = make_lower_name("host");
inline constexpr lower_name header_origin = make_lower_name("origin");
inline constexpr lower_name header_sec_fetch_site = make_lower_name("sec-fetch-site");
inline constexpr lower_name header_acr_method = make_lower_name("access-control-request-method");
inline constexpr lower_name header_acr_headers = make_lower_name("access-control-request-headers");
inline constexpr lower_name header_acr_private_network = make_lower_name("access-control-request-private-network");
}  // namespace detail

/// The lines of one request header, in order, without copying them. Counts every line it is
/// given, keeps the first `N`.
template <std::size_t N>
class header_lines {
  static_assert(N >= 1, "a header_lines keeps at least one line");

 public:
  // At run time the lines' storage is a tagged union, like `std::optional`: `count_` is always
  // initialised, the lines come to life with the first line added. A request view holds 48
  // string_views of which a request fills two or three: zeroing them all was as many
  // instructions (`rep stos`) as the rest of building RESTinio's view. In a constant evaluation
  // (C++17 cannot change a union's member there) they are live from the start.
  constexpr header_lines() noexcept
      : storage_(detail::constant_evaluated() ? storage(live_tag{}) : storage(empty_tag{})) {}

  /// Records one more line of this header.
  constexpr void add(std::string_view value) noexcept {
    if (count_ == 0 && !detail::constant_evaluated()) {
      ::new (static_cast<void*>(&storage_.lines)) std::array<std::string_view, N>{{value}};
    } else if (count_ < N) {
      storage_.lines[count_] = value;
    }
    if (count_ != SIZE_MAX) ++count_;
  }
  /// Was the header present at all?
  [[nodiscard]] constexpr bool present() const noexcept { return count_ != 0; }
  /// How many lines the request had (may exceed `N`).
  [[nodiscard]] constexpr std::size_t size() const noexcept { return count_; }
  /// Were there more lines than are kept?
  [[nodiscard]] constexpr bool overflowed() const noexcept { return count_ > N; }
  /// Line `i` (`i < min(size(), N)`), as given.
  [[nodiscard]] constexpr std::string_view operator[](std::size_t i) const noexcept { return storage_.lines[i]; }
  /// The first line, or an empty view.
  [[nodiscard]] constexpr std::string_view front() const noexcept {
    return count_ ? storage_.lines[0] : std::string_view{};
  }
  /// The kept lines (null for none: the storage is not live before the first line).
  [[nodiscard]] constexpr const std::string_view* begin() const noexcept {
    return count_ ? storage_.lines.data() : nullptr;
  }
  [[nodiscard]] constexpr const std::string_view* end() const noexcept {
    return count_ ? storage_.lines.data() + (count_ < N ? count_ : N) : nullptr;
  }

 private:
  struct empty_tag {};
  struct live_tag {};
  union storage {
    constexpr explicit storage(empty_tag) noexcept : none() {}
    constexpr explicit storage(live_tag) noexcept : lines{} {}
    empty_tag none;
    std::array<std::string_view, N> lines;  // live once count_ != 0 (and always in a constant evaluation)
  };
  storage storage_;
  std::size_t count_ = 0;
};

/// A non-owning view of what CORS and the guards read from a request: the method, the
/// request-target, the framework's path, and the `Origin`, `Access-Control-Request-Method`,
/// `Access-Control-Request-Headers`, `Access-Control-Request-Private-Network`, `Sec-Fetch-Site` and
/// `Host` headers, each possibly on several lines. Views point into the server's request; it must
/// outlive the view and the decision.
struct request_view {
  // The `{}` of the three views are what keeps `request_view v{}` a few stores: without them GCC 12
  // zero-fills the whole view (384 bytes, `rep stos`), lines' storage included.
  std::string_view method{};
  /// The request-target as the client sent it (`/path?query`), not decoded; only the guards'
  /// path exemptions read it (`cors::csrf_guard`). Empty when the adapter does not set it.
  std::string_view target{};
  header_lines<2> origin;
  header_lines<2> access_control_request_method;
  header_lines<limits::max_request_headers_lines> access_control_request_headers;
  header_lines<2> access_control_request_private_network;
  header_lines<2> sec_fetch_site;
  // Last, so that the fields evaluate() reads keep their offsets.
  /// The path the framework routes on, as the adapter gets it (see the README's adapter table for
  /// whether it is decoded); may include a `?query`, which a router ignores. Empty if unknown.
  std::string_view path{};
  /// `Host`: read by `cors::csrf_guard`, `cors::host_guard`, a router's host routes and
  /// `origin_predicate_with_request`, never by `evaluate()` itself.
  header_lines<2> host;

 private:
  // Defined before its callers: clang 14 cannot constant-evaluate a member template whose use
  // precedes its definition in the class.
  /// Calls `f` with the member (a pointer to member) that keeps the lines of header `name`, if
  /// one does; returns whether one did. The one place that maps names to members.
  template <class F>
  CORS_DETAIL_ALWAYS_INLINE static constexpr bool with_lines_of(std::string_view name, F f) noexcept {
    // Cheap dispatch on length first: most header names are none of these. Then one OR and one
    // comparison per word against the name's words, constants here (see detail::matches_lower).
    switch (name.size()) {
      case 4:
        if (detail::matches_lower<detail::header_host>(name)) return f(&request_view::host), true;
        break;
      case 6:
        if (detail::matches_lower<detail::header_origin>(name)) return f(&request_view::origin), true;
        break;
      case 14:
        if (detail::matches_lower<detail::header_sec_fetch_site>(name)) return f(&request_view::sec_fetch_site), true;
        break;
      case 29:
        if (detail::matches_lower<detail::header_acr_method>(name)) {
          return f(&request_view::access_control_request_method), true;
        }
        break;
      case 30:
        if (detail::matches_lower<detail::header_acr_headers>(name)) {
          return f(&request_view::access_control_request_headers), true;
        }
        break;
      case 38:
        if (detail::matches_lower<detail::header_acr_private_network>(name)) {
          return f(&request_view::access_control_request_private_network), true;
        }
        break;
      default: break;
    }
    return false;
  }

 public:
  /// Offers one header line; records it when CORS reads that header (the name compares
  /// case-insensitively) and returns whether it did. Adapters call it for every header line.
  constexpr bool add_header(std::string_view name, std::string_view value) noexcept {
    return with_lines_of(name, [this, value](auto member) { (this->*member).add(value); });
  }

  /// Would `add_header(name, …)` record the line? For a framework that hands out header values
  /// only as copies: it asks first, and copies only the values the view keeps.
  [[nodiscard]] static constexpr bool reads_header(std::string_view name) noexcept {
    return with_lines_of(name, [](auto) {});
  }
};

/// Builds a request view from a method and (name, value) header pairs; for tests and servers
/// whose headers are at hand as a list.
struct header_pair {
  std::string_view name;
  std::string_view value;
};

template <class Headers>
[[nodiscard]] constexpr request_view make_request_view(std::string_view method, const Headers& headers) noexcept {
  request_view v{};
  v.method = method;
  for (const auto& h : headers) v.add_header(h.name, h.value);
  return v;
}

[[nodiscard]] constexpr request_view make_request_view(std::string_view method,
                                                       std::initializer_list<header_pair> headers) noexcept {
  return make_request_view<std::initializer_list<header_pair>>(method, headers);
}

}  // namespace cors

#endif  // CORS_REQUEST_HPP
