// The configured origins as one set: exact origins, `scheme://host:*` origins and
// `scheme://*.parent[:port]` patterns, each in the table that answers it in constant time, behind
// one call, `match(origin)`. Built once from validated patterns when a policy is compiled.
#ifndef CORS_DETAIL_ORIGIN_SET_HPP
#define CORS_DETAIL_ORIGIN_SET_HPP

#include <array>
#include <cstdint>
#include <string_view>

#include "../origin.hpp"
#include "../origin_pattern.hpp"
#include "arena.hpp"
#include "macros.hpp"
#include "string_table.hpp"

namespace cors::detail {

/// What a set says of a request's `Origin` value.
enum class origin_match : std::uint8_t {
  listed,     ///< a configured pattern (or `*`, or `null` where allowed) covers it
  unlisted,   ///< a well-formed serialized origin that no pattern covers
  null,       ///< `null`, not allowed
  malformed,  ///< not what a browser sends
};

/// A `scheme://*.parent[:port]` pattern, reached through the table of parent-domain suffixes.
/// The patterns of one parent domain are adjacent in `origin_set::rules_`, the last one marked.
struct subdomain_rule {
  subdomain_rule() = default;
  subdomain_rule(std::string_view scheme_, std::string_view port_, bool any_port_) noexcept
      : scheme(scheme_),
        scheme_head(head_word(scheme_)),
        port_head(head_word(port_)),
        port_size(static_cast<std::uint8_t>(port_.size())),
        any_port(any_port_) {}

  /// Does an origin with this scheme and port match? `scheme_word` and `port_word` are their
  /// head_word()s, computed once for all the rules tried. (A port has at most 5 digits, so its
  /// head word is all of it.)
  [[nodiscard]] bool matches(std::string_view scheme_, std::uint64_t scheme_word, std::string_view port,
                             std::uint64_t port_word) const noexcept {
    return scheme_head == scheme_word && scheme.size() == scheme_.size() &&
           (scheme.size() <= 8 || equal_after_head<false>(scheme, scheme_)) &&
           (any_port || (port_head == port_word && port_size == port.size()));
  }

  std::string_view scheme;
  std::uint64_t scheme_head = 0;  // derived from scheme, compared first (one word)
  std::uint64_t port_head = 0;    // 0 and port_size 0: the default port
  std::uint8_t port_size = 0;
  bool any_port = false;
  bool last = true;  // the last pattern of its parent domain
};

class origin_set {
 public:
  origin_set() = default;

  /// Collects the patterns of a set, one at a time, as the configuration is checked.
  class builder {
   public:
    /// Adds a pattern that `parse_origin_pattern` accepted; its strings are interned in `storage`,
    /// which the finished set's views point into. `allow_null`: whether a `null` pattern counts.
    void add(const origin_pattern& pat, bool allow_null, string_arena& storage) {
      switch (pat.kind) {
        case origin_pattern_kind::any: any_ = true; break;
        case origin_pattern_kind::null: allow_null_ = allow_null; break;
        case origin_pattern_kind::exact: {
          const std::array<std::string_view, 5> parts = pat.origin_parts();
          exact_.push_back({storage.intern_all(parts.data(), parts.size()), 0});
          break;
        }
        case origin_pattern_kind::any_port:
          any_port_.push_back({storage.intern({pat.scheme, "://", pat.host}), 0});
          break;
        case origin_pattern_kind::subdomains:
          suffixes_.push_back({storage.intern({".", pat.host}), static_cast<std::uint32_t>(rules_.size())});
          rules_.push_back(subdomain_rule{storage.intern({pat.scheme}), storage.intern({pat.port}), pat.any_port});
          break;
      }
    }

   private:
    friend class origin_set;
    bool any_ = false;
    bool allow_null_ = false;
    pod_vector<table_entry> exact_;
    pod_vector<table_entry> any_port_;
    pod_vector<table_entry> suffixes_;  // of the `*.` patterns: `.parent` -> the pattern's rule
    pod_vector<subdomain_rule> rules_;  // of the `*.` patterns, in their order
  };

  /// The set of the patterns `b` collected.
  explicit origin_set(const builder& b)
      : any_(b.any_), allow_null_(b.allow_null_), exact_(b.exact_), any_port_(b.any_port_) {
    group_by_suffix(b.suffixes_, b.rules_);
  }

  /// Does the set cover `origin`, the trimmed value of a request's one `Origin` line? Exact
  /// origins are looked up byte for byte before anything is parsed (each is a value parse_origin()
  /// accepts: `parse_origin_pattern` checks it); wildcard patterns are tried before the value is
  /// parsed as a whole, validating only what a matching pattern leaves open.
  ///
  /// `Named` leaves out what no pattern names: `*` and `null` never match (for the guards, which
  /// trust an origin only when the configuration names it; see `policy::names_origin`).
  template <bool Named = false>
  [[nodiscard]] CORS_DETAIL_ALWAYS_INLINE origin_match match(std::string_view origin) const noexcept {
    // (Hashing and matching must not read an arbitrarily long value.)
    if (origin.size() > max_origin_length) return origin_match::malformed;
    if (exact_.contains(origin)) return origin_match::listed;
    if (!suffixes_.empty() && matches_subdomain(origin)) return origin_match::listed;
    const parsed_origin parsed = parse_origin(origin);
    if (parsed.status == origin_status::null) {
      return allow_null_ && !Named ? origin_match::listed : origin_match::null;
    }
    if (parsed.status != origin_status::ok) return origin_match::malformed;
    if (any_ && !Named) return origin_match::listed;
    const origin_view& o = parsed.origin;
    if (!any_port_.empty() && any_port_.contains(o.serialized.substr(0, o.scheme.size() + 3 + o.host.size()))) {
      return origin_match::listed;
    }
    return origin_match::unlisted;
  }

  /// Does the set hold `*`?
  [[nodiscard]] bool any() const noexcept { return any_; }

 private:
  /// Longest host the wildcard matcher considers; longer request origins are malformed anyway.
  static constexpr std::size_t max_host_length = max_origin_length;

  /// Is `origin` (at most max_origin_length bytes) a serialized origin that a `scheme://*.parent`
  /// pattern allows? The value is split as parse_origin() splits it (skip_scheme, split_port); when
  /// a pattern's parent domain, scheme and port match, what is left to check is what parse_origin()
  /// would check of the rest: the labels in front of the parent (the parent is a valid domain from
  /// the configuration that does not end in a number) and, for a `:*` pattern, the port. False for
  /// anything malformed.
  ///
  /// `*.parent` matches hosts with one or more labels before `.parent`: try only the suffix
  /// lengths some pattern has (shortest first), each where it starts at a label boundary, and
  /// never the whole host (so never the apex).
  [[nodiscard]] CORS_DETAIL_NOINLINE bool matches_subdomain(std::string_view origin) const noexcept {
    const char* const first = origin.data();
    const char* const last = first + origin.size();
    const char* const host = skip_scheme(first, last);
    if (host == nullptr) return false;
    std::string_view port;
    const char* const host_end = split_port(host, last, port);
    const std::string_view scheme(first, static_cast<std::size_t>(host - 3 - first));
    const auto n = static_cast<std::size_t>(host_end - host);
    for (std::size_t word = 0; word < suffix_lengths_.size() && word * 64 < n; ++word) {
      for (std::uint64_t bits = suffix_lengths_[word]; bits != 0; bits &= bits - 1) {
        const std::size_t len = word * 64 + lowest_bit(bits);
        if (len >= n) return false;
        const char* const suffix = host_end - len;
        if (*suffix != '.') continue;
        const std::uint32_t at = suffixes_.find_inlined(std::string_view(suffix, len));
        if (at == string_table<false>::npos) continue;
        // The labels in front of the parent: `*( domain-label "." ) domain-label`.
        const char* label = nullptr;
        if (scan_domain_labels(host, suffix, label) != suffix) return false;
        const std::uint64_t scheme_word = head_word(scheme);
        const std::uint64_t port_word = head_word(port);
        for (const subdomain_rule* rule = &rules_[at];; ++rule) {
          if (rule->matches(scheme, scheme_word, port, port_word)) {
            // A fixed port is the configured one, canonical; any other is checked as parse_origin() does.
            return !rule->any_port || port.empty() || is_serialized_port(port, scheme);
          }
          if (rule->last) break;
        }
      }
    }
    return false;
  }

  /// Lays the wildcard rules out grouped by parent-domain suffix. A table of every pattern's
  /// suffix, where a repeated suffix keeps its first pattern's position, gives each pattern its
  /// group in one lookup (scanning the suffixes seen so far would be quadratic in their number);
  /// the groups are then laid out one after another (a counting sort), in the order their suffixes
  /// first appear. `suffixes[i]` is the suffix of `rules[i]`, its value i.
  void group_by_suffix(const pod_vector<table_entry>& suffixes, const pod_vector<subdomain_rule>& rules) {
    constexpr std::uint32_t npos = string_table<false>::npos;
    const std::size_t n = rules.size();
    const string_table<false> first_with(suffixes);
    pod_vector<table_entry> groups;               // by group: its suffix -> where its rules start
    pod_vector<std::uint32_t> group_at(n, npos);  // by first pattern of a group: the group
    pod_vector<std::uint32_t> group_of(n, 0);     // by pattern
    pod_vector<std::uint32_t> next(n, 0);         // by group: its size, then where its next rule goes
    for (std::size_t i = 0; i < n; ++i) {
      std::uint32_t& g = group_at[first_with.find(suffixes[i].key)];
      if (g == npos) {
        g = static_cast<std::uint32_t>(groups.size());
        groups.push_back({suffixes[i].key, 0});
        const std::size_t len = suffixes[i].key.size();
        if (len <= max_host_length) suffix_lengths_[len / 64] |= std::uint64_t{1} << (len % 64);
      }
      group_of[i] = g;
      ++next[g];
    }
    for (std::uint32_t g = 0, start = 0; g < groups.size(); ++g) {
      groups[g].value = start;
      start += next[g];
      next[g] = groups[g].value;
    }
    rules_ = pod_vector<subdomain_rule>(n, subdomain_rule{});
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint32_t g = group_of[i];
      subdomain_rule& r = rules_[next[g]++];
      r = rules[i];
      r.last = next[g] == (g + 1 < groups.size() ? groups[g + 1].value : n);
    }
    suffixes_ = string_table<false>(groups);
  }

  bool any_ = false;
  bool allow_null_ = false;
  string_table<false> exact_;     // serialized origins
  string_table<false> any_port_;  // `scheme://host`
  string_table<false> suffixes_;  // `.example.com` -> its first rule in rules_
  pod_vector<subdomain_rule> rules_;
  std::array<std::uint64_t, max_host_length / 64 + 1> suffix_lengths_{};  // bit n: some suffix is n bytes long
};

}  // namespace cors::detail

#endif  // CORS_DETAIL_ORIGIN_SET_HPP
