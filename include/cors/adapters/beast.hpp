// Boost.Beast adapter: a request view over `http::request` without copying, `apply` for
// `http::response`, a complete answer for decisions the policy answers itself (preflights,
// refused requests), and `beast_fields`, a Fields type that stores the policy's lines in one block
// and writes the whole head as one buffer. Needs only Boost.Beast (header-only) and the core.
#ifndef CORS_ADAPTERS_BEAST_HPP
#define CORS_ADAPTERS_BEAST_HPP

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/fields.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/verb.hpp>

#include <cstddef>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

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
  detail::apply_with_ids(
      d, present_headers::all(),
      [&res, &present](response_header_id id) {
        if (!present.has(id)) return;
        const boost::beast::http::field f = detail::field_of(id);
        if (f != boost::beast::http::field::unknown) {
          res.erase(f);
        } else {
          res.erase(detail::to_beast(name_of(id)));
        }
      },
      [&res, &present](const auto id, std::string_view value) {
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

/// Beast's `http::fields` plus one contiguous block for a CORS policy's header lines, and a
/// `writer` that serialises the whole head (start line, every field, the block, the final CRLF)
/// as one buffer. Use it as a response's Fields, `http::response<Body, cors::adapters::beast_fields>`,
/// when the per-line cost of `http::fields` matters: Beast allocates a node and inserts it into a
/// list and a tree for each line, and its writer hands every line to the socket as a buffer of its
/// own; `apply` for such a response appends the policy's lines to the block instead (one string,
/// reserved once), and the head goes out as one buffer whoever wrote its lines.
///
/// Everything `http::fields` does it does (it is one): the application's lines are Beast's,
/// found, replaced and erased as usual; keep-alive, `Content-Length` and chunked work as with
/// `http::fields`. Limits: the policy's lines are not Beast fields, so `find`, `operator[]`,
/// `count` and iteration over the response do not see them (read them with `policy_lines()` or
/// `for_each_policy_line`); `clear()` and `swap` cover them, and a copy or move carries them.
/// The writer copies the head once per serialisation (into the writer, on the heap only for heads
/// longer than `writer::inline_capacity` bytes).
class beast_fields : public boost::beast::http::fields {
 public:
  class writer;

  beast_fields() = default;
  /// Takes over `other`'s lines, with no policy lines.
  explicit beast_fields(boost::beast::http::fields&& other) noexcept : boost::beast::http::fields(std::move(other)) {}

  /// The policy's lines exactly as they are sent, each `Name: value\r\n`; empty before `apply`.
  /// The view is valid until the next `apply`, `clear()` or `clear_policy_lines()`.
  [[nodiscard]] std::string_view policy_lines() const noexcept { return block_; }

  /// Calls `f(std::string_view name, std::string_view value)` for each of the policy's lines, in
  /// the order they are sent. Never throws itself.
  template <class F>
  void for_each_policy_line(F&& f) const {
    for (std::size_t pos = 0; pos < block_.size();) {
      const std::size_t colon = block_.find(':', pos);
      const std::size_t end = block_.find("\r\n", colon);
      f(std::string_view(block_).substr(pos, colon - pos), std::string_view(block_).substr(colon + 2, end - colon - 2));
      pos = end + 2;
    }
  }

  /// Removes the policy's lines.
  void clear_policy_lines() noexcept {
    block_.clear();
    in_block_ = present_headers{};
  }

  /// Removes every line, Beast's and the policy's.
  void clear() {
    boost::beast::http::fields::clear();
    clear_policy_lines();
  }

  void swap(beast_fields& other) {
    boost::beast::http::fields::swap(other);
    block_.swap(other.block_);
    std::swap(in_block_, other.in_block_);
  }
  friend void swap(beast_fields& a, beast_fields& b) { a.swap(b); }

 private:
  template <class Body>
  friend void apply(const decision& d, boost::beast::http::response<Body, beast_fields>& res);

  void apply_decision(const decision& d);
  void append_policy_line(response_header_id id, std::string_view value) {
    const std::string_view name = name_of(id);
    block_.append(name.data(), name.size()).append(": ", 2).append(value.data(), value.size()).append("\r\n", 2);
    in_block_.add(id);
  }
  /// Removes the block's lines of `id` (a second `apply` on one response; rare).
  void erase_policy_lines(response_header_id id) noexcept;

  std::string block_;         // the policy's lines, `Name: value\r\n` each
  present_headers in_block_;  // which headers the block has
};

/// Serialises a `beast_fields` head as one buffer (Beast's Fields `writer` concept: constructed
/// from the fields and the start line's parts, `get()` the buffers). Copies the head; valid while
/// the fields are unchanged and the writer is not moved (as Beast's own writer).
class beast_fields::writer {
 public:
  /// Heads up to this many bytes are copied into the writer itself; longer ones to the heap.
  static constexpr std::size_t inline_capacity = 512;
  using const_buffers_type = boost::asio::const_buffer;

  /// A request's head: `METHOD target HTTP/x.y`, the fields, an empty line.
  writer(const beast_fields& f, unsigned version, boost::beast::http::verb method) {
    const boost::beast::string_view m =
        method == boost::beast::http::verb::unknown ? f.get_method_impl() : boost::beast::http::to_string(method);
    const boost::beast::string_view target = f.get_target_impl();
    char* out = start(f, m.size() + 1 + target.size() + 11);
    out = put(out, m.data(), m.size());
    *out++ = ' ';
    out = put(out, target.data(), target.size());
    *out++ = ' ';
    out = put_version(out, version);
    *out++ = '\r';
    *out++ = '\n';
    finish(f, out);
  }

  /// A response's head: `HTTP/x.y NNN reason`, the fields, an empty line.
  writer(const beast_fields& f, unsigned version, unsigned status) {
    boost::beast::string_view reason = f.get_reason_impl();
    if (reason.empty()) reason = boost::beast::http::obsolete_reason(static_cast<boost::beast::http::status>(status));
    char* out = start(f, 13 + reason.size() + 2);
    out = put_version(out, version);
    const char code[] = {' ', static_cast<char>('0' + status / 100), static_cast<char>('0' + status / 10 % 10),
                         static_cast<char>('0' + status % 10), ' '};
    out = put(out, code, sizeof code);
    out = put(out, reason.data(), reason.size());
    *out++ = '\r';
    *out++ = '\n';
    finish(f, out);
  }

  /// Trailer fields (chunked encoding): the fields and an empty line.
  explicit writer(const beast_fields& f) { finish(f, start(f, 0)); }

  [[nodiscard]] const_buffers_type get() const noexcept { return {heap_ ? heap_.get() : inline_, size_}; }

 private:
  /// Room for a head of `start_line` bytes, the fields, the block and the final CRLF; the first byte.
  char* start(const beast_fields& f, std::size_t start_line) {
    std::size_t n = start_line + f.block_.size() + 2;
    for (const auto& line : f) n += line.name_string().size() + line.value().size() + 4;
    size_ = n;
    if (n <= inline_capacity) return inline_;
    heap_.reset(new char[n]);
    return heap_.get();
  }
  static char* put(char* out, const char* s, std::size_t n) noexcept {
    if (n != 0) std::memcpy(out, s, n);
    return out + n;
  }
  /// Writes `HTTP/x.y` (Beast's version is 10 * major + minor).
  static char* put_version(char* out, unsigned version) noexcept {
    const char text[] = {
        'H', 'T', 'T', 'P', '/', static_cast<char>('0' + version / 10), '.', static_cast<char>('0' + version % 10)};
    return put(out, text, sizeof text);
  }
  /// Writes the fields, the block and the final CRLF from `out`.
  static void finish(const beast_fields& f, char* out) noexcept {
    for (const auto& line : f) {
      const boost::beast::string_view name = line.name_string();
      const boost::beast::string_view value = line.value();
      if (value.data() == name.data() + name.size() + 2) {
        // Beast stores a line as `name: value\r\n` in one piece: one copy.
        out = put(out, name.data(), name.size() + 2 + value.size() + 2);
      } else {
        out = put(out, name.data(), name.size());
        *out++ = ':';
        *out++ = ' ';
        out = put(out, value.data(), value.size());
        *out++ = '\r';
        *out++ = '\n';
      }
    }
    out = put(out, f.block_.data(), f.block_.size());
    *out++ = '\r';
    *out = '\n';
  }

  std::size_t size_ = 0;
  std::unique_ptr<char[]> heap_;
  char inline_[inline_capacity];
};

inline void beast_fields::erase_policy_lines(response_header_id id) noexcept {
  const std::string_view name = name_of(id);
  std::size_t kept = 0;
  for (std::size_t pos = 0; pos < block_.size();) {
    const std::size_t next = block_.find("\r\n", pos) + 2;
    const bool match = block_.compare(pos, name.size(), name.data(), name.size()) == 0 &&
                       block_.size() > pos + name.size() && block_[pos + name.size()] == ':';
    if (!match) {
      block_.replace(kept, next - pos, block_, pos, next - pos);
      kept += next - pos;
    }
    pos = next;
  }
  block_.resize(kept);
  present_headers left;
  for_each_policy_line([&left](std::string_view line_name, std::string_view) { left.add_named(line_name); });
  in_block_ = left;
}

inline void beast_fields::apply_decision(const decision& d) {
  using boost::beast::http::field;
  // The application's lines: the one pass of the plain `apply`. The block's: known as written.
  present_headers in_fields;
  for (const auto& f : *this) in_fields.add_named(detail::to_std(f.name_string()));
  present_headers present = in_fields;
  for (unsigned rest = in_block_.bits(); rest != 0; rest &= rest - 1u) {
    present.add(static_cast<response_header_id>(cors::detail::lowest_bit(rest)));
  }
  std::size_t need = 0;
  d.headers().for_each([&need](const response_header h) { need += h.name().size() + h.value.size() + 4; });
  block_.reserve(block_.size() + need);
  detail::apply_with_ids(
      d, present,
      [this, &in_fields](response_header_id id) {
        if (in_fields.has(id)) {
          const field f = detail::field_of(id);
          if (f != field::unknown) {
            erase(f);
          } else {
            erase(detail::to_beast(name_of(id)));
          }
        }
        if (in_block_.has(id)) erase_policy_lines(id);
      },
      [this](const auto id, std::string_view value) { append_policy_line(id, value); },
      [this, &in_fields](auto&& f) {
        if (in_fields.has(response_header_id::vary)) {
          const auto range = equal_range(field::vary);
          for (auto it = range.first; it != range.second; ++it) f(detail::to_std(it->value()));
        }
        if (in_block_.has(response_header_id::vary)) {
          for_each_policy_line([&f](std::string_view name, std::string_view value) {
            if (name == name_of(response_header_id::vary)) f(value);
          });
        }
      });
}

/// `apply` for a response whose Fields are `beast_fields`: the same rules (an `Access-Control-*`
/// line the application set is erased, a `Vary` it set is merged into one line, written in the
/// block), the decision's lines appended to the block. Copies the values, so the request and policy
/// may go away afterwards; one allocation at most (the block's, reserved once). Throws only
/// `std::bad_alloc`.
template <class Body>
void apply(const decision& d, boost::beast::http::response<Body, beast_fields>& res) {
  static_cast<beast_fields&>(res).apply_decision(d);
}

/// The complete answer to a request the policy answers itself (`d.next_action() == action::respond`:
/// an allowed preflight, 204 or 200, or a refused one, 403): status, decision headers, an empty
/// body, and `req`'s HTTP version and keep-alive. `ResponseBody` is the body type of the response
/// (`http::empty_body` by default; pass the one your handler returns, e.g. `http::string_body`),
/// `ResponseFields` its Fields (`http::fields` by default, or `beast_fields`).
/// Throws only `std::bad_alloc`.
/// @see https://fetch.spec.whatwg.org/#cors-preflight-fetch
template <class ResponseBody = boost::beast::http::empty_body, class ResponseFields = boost::beast::http::fields,
          class Body, class Fields>
[[nodiscard]] boost::beast::http::response<ResponseBody, ResponseFields> make_response(
    const decision& d, const boost::beast::http::request<Body, Fields>& req) {
  boost::beast::http::response<ResponseBody, ResponseFields> res{static_cast<boost::beast::http::status>(d.status()),
                                                                 req.version()};
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
