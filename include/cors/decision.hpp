// What the policy decided for one request: its kind, whether CORS access is granted and why, what
// to do next, and the exact response headers to write.
#ifndef CORS_DECISION_HPP
#define CORS_DECISION_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <new>
#include <string>  // std::forward_iterator_tag (also declared by <string_view>)
#include <string_view>
#include <type_traits>
#include <utility>

#include "detail/ascii.hpp"
#include "detail/macros.hpp"
#include "detail/words.hpp"
#include "request.hpp"
#include "response_header.hpp"

namespace cors {

/// How the Fetch Standard classifies a request.
/// @see https://fetch.spec.whatwg.org/#cors-request
/// @see https://fetch.spec.whatwg.org/#cors-preflight-request
enum class request_kind : std::uint8_t {
  not_cors,   ///< no `Origin` header
  actual,     ///< `Origin`, and not a preflight (an `OPTIONS` without ACRM is actual)
  preflight,  ///< `OPTIONS` with `Origin` and `Access-Control-Request-Method`
};

/// Why the policy decided as it did. Machine-readable; `to_string` gives a stable snake_case name.
enum class reason : std::uint8_t {
  allowed,                  ///< the origin (and for a preflight, method and headers) are allowed
  not_cors,                 ///< no `Origin`: CORS does not apply
  same_origin,              ///< not an allowed origin, but the server's own (`server_origins`, `Sec-Fetch-Site`)
  origin_malformed,         ///< `Origin` is not a serialized origin a browser would send
  origin_multiple,          ///< more than one `Origin` line
  origin_null_not_allowed,  ///< `Origin: null` without `dangerously_allow_null_origin`
  origin_not_allowed,       ///< a well-formed origin no pattern or predicate allows
  origin_predicate_failed,  ///< `origin_predicate` threw: the origin is refused
  method_malformed,         ///< `Access-Control-Request-Method` is not one method token
  method_not_allowed,       ///< the requested method is not allowed (`offending_value()` names it)
  headers_malformed,        ///< `Access-Control-Request-Headers` has an element that is not a token
  headers_too_large,        ///< `Access-Control-Request-Headers` exceeds `config::max_request_headers_bytes`
  header_not_allowed,       ///< a requested header is not allowed (`offending_value()` names it)
  headers_too_many_lines,   ///< more `Access-Control-Request-Headers` lines than `limits::max_request_headers_lines`
};

/// What the server should do with the request.
enum class action : std::uint8_t {
  forward,  ///< hand the request to the application, then add the headers to its response
  respond,  ///< answer now with `status()` and the headers, without the application
};

class decision;

namespace detail {
struct header_visit;

/// The header values a policy computes once, when it is built; decisions point to them.
struct response_values {
  std::string_view allow_methods;   ///< empty: no `Access-Control-Allow-Methods`
  std::string_view allow_headers;   ///< empty: no `Access-Control-Allow-Headers`
  std::string_view expose_headers;  ///< empty: no `Access-Control-Expose-Headers`
  std::string_view max_age;         ///< empty: no `Access-Control-Max-Age`
  std::string_view vary_preflight;  ///< `Vary` of a preflight's answer
};

/// `Access-Control-Request-Headers` lines echoed as `Access-Control-Allow-Headers` (`*` with
/// credentials, where `*` would be read as a header name): trimmed, empty ones dropped. A tagged
/// union, like `std::optional`: `count` is always initialised and says how many lines are live;
/// the storage behind it is written only in that rare case, so that constructing a decision stays
/// a few stores (zeroing 128 bytes on every request, as GCC does for an `std::optional` member,
/// costs more than deciding a typical request: measured in the CHANGELOG for 0.2.0).
class echoed_lines {
 public:
  static constexpr std::size_t capacity = limits::max_request_headers_lines;

  echoed_lines() noexcept : count_(0) {}  // NOLINT: storage_ is not live yet
  // Copies only live lines: a decision is copied where an adapter keeps it between two steps of a
  // request (detail::kept_decision), and copying the 128 bytes of lines that nearly every
  // decision leaves empty was most of that copy's cost.
  echoed_lines(const echoed_lines& other) noexcept : count_(other.count_) {  // NOLINT: as above
    if (count_ != 0) new (&storage_) storage(other.storage_);
  }
  echoed_lines& operator=(const echoed_lines& other) noexcept {
    if (this != &other && other.count_ != 0) new (&storage_) storage(other.storage_);  // trivially destructible
    count_ = other.count_;
    return *this;
  }
  ~echoed_lines() = default;
  [[nodiscard]] constexpr std::size_t size() const noexcept { return count_; }
  /// Line `i` (`i < size()`).
  [[nodiscard]] constexpr std::string_view operator[](std::size_t i) const noexcept { return storage_.lines[i]; }
  /// Appends a line (`size() < capacity`).
  void push_back(std::string_view line) noexcept {
    if (count_ == 0) new (&storage_) storage{};
    storage_.lines[count_++] = line;
  }

 private:
  struct storage {
    std::array<std::string_view, capacity> lines{};
  };
  union {
    storage storage_;  // live once the first line is pushed
  };
  std::uint8_t count_;
};
}  // namespace detail

/// The headers of a decision, in order: a forward range of `response_header` values. Borrows from
/// the decision, which must outlive it.
class header_range {
 public:
  class iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = response_header;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = response_header;

    constexpr iterator() noexcept = default;
    [[nodiscard]] response_header operator*() const noexcept;
    iterator& operator++() noexcept;
    iterator operator++(int) noexcept {
      iterator old = *this;
      ++*this;
      return old;
    }
    [[nodiscard]] friend constexpr bool operator==(const iterator& a, const iterator& b) noexcept {
      return a.id_ == b.id_ && a.line_ == b.line_;
    }
    [[nodiscard]] friend constexpr bool operator!=(const iterator& a, const iterator& b) noexcept { return !(a == b); }

   private:
    friend class header_range;
    constexpr iterator(const decision* d, unsigned id) noexcept : d_(d), id_(static_cast<std::uint8_t>(id)) {}
    const decision* d_ = nullptr;
    std::uint8_t id_ = 0;    // the current header's id; response_headers.size() at the end
    std::uint8_t line_ = 0;  // which echoed line, for an echoed Access-Control-Allow-Headers
  };

  [[nodiscard]] iterator begin() const noexcept;
  [[nodiscard]] iterator end() const noexcept { return iterator(d_, response_headers.size()); }
  [[nodiscard]] std::size_t size() const noexcept;
  [[nodiscard]] bool empty() const noexcept;
  /// Calls `f(response_header)` for each header, in the order of the range: what a range-`for`
  /// over it does, without an iterator's state (the adapters' `apply` writes through it).
  template <class F>
  void for_each(F&& f) const;

 private:
  friend class decision;
  explicit constexpr header_range(const decision* d) noexcept : d_(d) {}
  const decision* d_;
};

/// The policy's answer for one request: a small value (see `sizeof(cors::decision)`, 192 bytes on
/// 64-bit targets) whose header values are views into the policy (precomputed values) and into the
/// request (echoed `Origin`, method and header names). Both must outlive it; nothing else is
/// borrowed (not the `request_view`, which may be a temporary).
class decision {
 public:
  /// A non-CORS decision with no headers to write.
  decision() noexcept = default;

  /// not CORS, actual, or preflight.
  [[nodiscard]] constexpr request_kind kind() const noexcept { return kind_; }
  /// Why: see `cors::reason`.
  [[nodiscard]] constexpr reason why() const noexcept { return why_; }
  /// Does the response grant the requesting origin cross-origin access (`reason::allowed`)? False
  /// for refusals and also where CORS does not apply (`not_cors`, `same_origin`).
  [[nodiscard]] constexpr bool grants_access() const noexcept { return why_ == reason::allowed; }
  /// Was the origin, method or headers refused? False for `allowed`, `not_cors` and `same_origin`.
  [[nodiscard]] constexpr bool refused() const noexcept {
    return why_ != reason::allowed && why_ != reason::not_cors && why_ != reason::same_origin;
  }
  /// Forward to the application, or respond now.
  [[nodiscard]] constexpr action next_action() const noexcept { return action_; }
  /// The status to answer with when `next_action() == action::respond` (204 or 200 for an allowed
  /// preflight, 403 for a refused one); 0 when the application responds.
  [[nodiscard]] constexpr int status() const noexcept { return status_; }

  /// The request's `Origin` (its first line, without surrounding whitespace), allowed or refused;
  /// empty for `not_cors`. A view into the request; untrusted bytes: escape before logging.
  [[nodiscard]] constexpr std::string_view request_origin() const noexcept CORS_LIFETIMEBOUND {
    return detail::trim_ows(origin_);
  }
  /// The offending value for `method_malformed`, `method_not_allowed`, `headers_malformed` and
  /// `header_not_allowed`; empty otherwise. A view into the request; escape before logging.
  [[nodiscard]] constexpr std::string_view offending_value() const noexcept CORS_LIFETIMEBOUND {
    switch (why_) {
      case reason::method_malformed:
      case reason::method_not_allowed:
      case reason::headers_malformed:
      case reason::header_not_allowed: return subject_;
      default: return {};
    }
  }

  /// The headers to write, in order. Each header's `rule()` says whether it replaces or is merged
  /// into the response's own (see `cors::write_rule`).
  [[nodiscard]] constexpr header_range headers() const noexcept CORS_LIFETIMEBOUND { return header_range(this); }
  /// The value of the first header `id`, or an empty view when the decision does not carry it.
  [[nodiscard]] constexpr std::string_view header(response_header_id id) const noexcept CORS_LIFETIMEBOUND {
    return has(id) ? value(id, 0) : std::string_view{};
  }

  /// `cors::same_response` (`cors/report_only.hpp`) reads the decision's state; declared here only.
  friend bool same_response(const decision& a, const decision& b) noexcept;

 private:
  friend class policy;
  friend class header_range;
  friend struct detail::header_visit;

  [[nodiscard]] constexpr bool has(response_header_id id) const noexcept {
    return (present_ >> static_cast<unsigned>(id) & 1u) != 0;
  }
  constexpr void add(response_header_id id) noexcept {
    present_ = static_cast<std::uint16_t>(present_ | 1u << static_cast<unsigned>(id));
  }
  /// How many lines header `id` takes (more than one only for echoed request headers).
  [[nodiscard]] constexpr unsigned lines(response_header_id id) const noexcept {
    return id == response_header_id::access_control_allow_headers && echoed_headers_.size() != 0
               ? static_cast<unsigned>(echoed_headers_.size())
               : 1u;
  }
  /// Line `line` of header `id`, which the decision carries.
  [[nodiscard]] constexpr std::string_view value(response_header_id id, unsigned line) const noexcept {
    switch (id) {
      case response_header_id::access_control_allow_origin: return any_origin_ ? std::string_view("*") : origin_;
      case response_header_id::access_control_allow_credentials: return "true";
      case response_header_id::access_control_allow_methods: return echo_method_ ? subject_ : values_->allow_methods;
      case response_header_id::access_control_allow_headers:
        return echoed_headers_.size() != 0 ? echoed_headers_[line] : values_->allow_headers;
      case response_header_id::access_control_allow_private_network: return "true";
      case response_header_id::access_control_max_age: return values_->max_age;
      case response_header_id::access_control_expose_headers: return values_->expose_headers;
      case response_header_id::timing_allow_origin: return any_origin_ ? std::string_view("*") : origin_;
      case response_header_id::vary: return kind_ == request_kind::preflight ? values_->vary_preflight : "Origin";
    }
    return {};
  }

  const detail::response_values* values_ = nullptr;
  std::string_view origin_;   // the request's Origin (trimmed, except under a constant `*`)
  std::string_view subject_;  // the requested method (echoed), or the offending value
  detail::echoed_lines echoed_headers_;
  std::uint16_t present_ = 0;  // bit i: the decision carries header `response_header_id(i)`
  std::uint16_t status_ = 0;
  request_kind kind_ = request_kind::not_cors;
  reason why_ = reason::not_cors;
  action action_ = action::forward;
  bool any_origin_ = false;   // `Access-Control-Allow-Origin: *`
  bool echo_method_ = false;  // `Access-Control-Allow-Methods` echoes the requested method
};

inline response_header header_range::iterator::operator*() const noexcept {
  const auto id = static_cast<response_header_id>(id_);
  return response_header{id, d_->value(id, line_)};
}

inline header_range::iterator& header_range::iterator::operator++() noexcept {
  if (line_ + 1u < d_->lines(static_cast<response_header_id>(id_))) {
    ++line_;
    return *this;
  }
  line_ = 0;
  const unsigned rest = static_cast<unsigned>(d_->present_) >> (id_ + 1u);
  id_ = rest == 0 ? static_cast<std::uint8_t>(response_headers.size())
                  : static_cast<std::uint8_t>(id_ + 1u + detail::lowest_bit(rest));
  return *this;
}

inline header_range::iterator header_range::begin() const noexcept {
  const unsigned present = d_->present_;
  return iterator(d_, present == 0 ? response_headers.size() : detail::lowest_bit(present));
}

inline std::size_t header_range::size() const noexcept {
  std::size_t n = 0;
  for (const response_header_spec& h : response_headers) {
    if (d_->has(h.id)) n += d_->lines(h.id);
  }
  return n;
}

inline bool header_range::empty() const noexcept { return d_->present_ == 0; }

namespace detail {
/// Visits a decision's headers with each id as a compile-time constant: one test of `present_` per
/// id of the table, unrolled, and each value read straight from its member. A loop over the set
/// bits that dispatches on the id at run time (`value`'s switch, `lines`) cost RESTinio's `apply`
/// about 135 instructions for an actual request's 4 headers; the callee, inlined per id, can also
/// fold what it looks up by id (name, rule).
struct header_visit {
  /// Calls `f(std::integral_constant<response_header_id, id>, std::string_view value)` for each
  /// header line of `d`, in the order of `header_range`.
  template <class F>
  static CORS_DETAIL_ALWAYS_INLINE void each(const decision& d, F&& f) {
    // Read once: `f` writes into a response the compiler cannot tell apart from `d`.
    const unsigned present = d.present_;
    if (present == 0) return;
    each(d, present, f, std::make_index_sequence<response_headers.size()>{});
  }

 private:
  template <class F, std::size_t... I>
  static CORS_DETAIL_ALWAYS_INLINE void each(const decision& d, unsigned present, F& f, std::index_sequence<I...>) {
    (one<static_cast<response_header_id>(I)>(d, present, f), ...);
  }
  template <response_header_id Id, class F>
  static CORS_DETAIL_ALWAYS_INLINE void one(const decision& d, unsigned present, F& f) {
    if ((present >> static_cast<unsigned>(Id) & 1u) == 0) return;
    constexpr std::integral_constant<response_header_id, Id> id{};
    if constexpr (Id == response_header_id::access_control_allow_headers) {
      if (const std::size_t n = d.echoed_headers_.size(); n != 0) {
        for (std::size_t line = 0; line < n; ++line) f(id, d.echoed_headers_[line]);
        return;
      }
    }
    f(id, d.value(Id, 0));
  }
};
}  // namespace detail

template <class F>
void header_range::for_each(F&& f) const {
  // `auto`: one instantiation per id, each inlined where it is called.
  detail::header_visit::each(*d_, [&f](const auto id, const std::string_view value) { f(response_header{id, value}); });
}

/// Stable snake_case name of a request kind.
[[nodiscard]] constexpr std::string_view to_string(request_kind k) noexcept {
  switch (k) {
    case request_kind::not_cors: return "not_cors";
    case request_kind::actual: return "actual";
    case request_kind::preflight: return "preflight";
  }
  return "unknown";
}

/// Stable snake_case name of a reason.
[[nodiscard]] constexpr std::string_view to_string(reason r) noexcept {
  switch (r) {
    case reason::allowed: return "allowed";
    case reason::not_cors: return "not_cors";
    case reason::same_origin: return "same_origin";
    case reason::origin_malformed: return "origin_malformed";
    case reason::origin_multiple: return "origin_multiple";
    case reason::origin_null_not_allowed: return "origin_null_not_allowed";
    case reason::origin_not_allowed: return "origin_not_allowed";
    case reason::origin_predicate_failed: return "origin_predicate_failed";
    case reason::method_malformed: return "method_malformed";
    case reason::method_not_allowed: return "method_not_allowed";
    case reason::headers_malformed: return "headers_malformed";
    case reason::headers_too_large: return "headers_too_large";
    case reason::header_not_allowed: return "header_not_allowed";
    case reason::headers_too_many_lines: return "headers_too_many_lines";
  }
  return "unknown";
}

/// Stable name of an action.
[[nodiscard]] constexpr std::string_view to_string(action a) noexcept {
  return a == action::respond ? "respond" : "forward";
}

}  // namespace cors

#endif  // CORS_DECISION_HPP
