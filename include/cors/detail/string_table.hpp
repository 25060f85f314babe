// A read-only table from string keys to small integers, built once when a policy is compiled and
// probed without allocation on every request: a scanned array for a few keys, an open-addressing
// hash table for more, so that a lookup costs one hash of the key (eight bytes at a time) and,
// almost always, one key comparison, whatever the table's size.
#ifndef CORS_DETAIL_STRING_TABLE_HPP
#define CORS_DETAIL_STRING_TABLE_HPP

#include <array>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "ascii.hpp"
#include "macros.hpp"
#include "pod_vector.hpp"
#include "words.hpp"

namespace cors::detail {

[[nodiscard]] inline std::uint64_t mix(std::uint64_t h) noexcept {
  h ^= h >> 32;
  h *= 0xD6E8FEB86659FD93ULL;
  h ^= h >> 32;
  return h;
}

/// Hashes `s`, optionally as if it were ASCII-lowercased. Not cryptographic: the keys are the
/// server's own configuration, and a probe that collides only costs one extra comparison.
template <bool CaseInsensitive>
[[nodiscard]] CORS_DETAIL_ALWAYS_INLINE std::uint64_t hash_bytes(std::string_view s) noexcept {
  std::uint64_t h = 0x9E3779B97F4A7C15ULL ^ s.size();
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w = load_word(s.data() + i);
    if constexpr (CaseInsensitive) w = lower_word(w);
    h = (h ^ w) * 0xFF51AFD7ED558CCDULL;
    h ^= h >> 29;
  }
  if (i < s.size()) {
    // The last 1-7 bytes (loads may overlap bytes already hashed; the length is hashed too, so
    // that is fine).
    std::uint64_t w = s.size() >= 8 ? load_word(s.data() + s.size() - 8) : head_word(s);
    if constexpr (CaseInsensitive) w = lower_word(w);
    h = (h ^ w) * 0xFF51AFD7ED558CCDULL;
  }
  return mix(h);
}

/// A key and its value, as a string_table is built from them. (Every build-time list of keys in
/// the library is a list of this one type.)
struct table_entry {
  std::string_view key;
  std::uint32_t value = 0;
};

/// A key of a built string_table, with a word derived from it that a probe compares first: in a
/// short table fold(head_word(key)), in a hashed one the key's tag (0: an empty slot). One type
/// for both modes and both instantiations of string_table.
struct table_slot {
  std::uint64_t tag = 0;
  std::string_view key;
  std::uint32_t value = 0;
};

/// A read-only set of strings, each mapped to a small integer. Up to `linear_max` keys it is a
/// short array scanned by length and first word (a policy lists a few methods, headers and
/// origins: comparing two lengths is cheaper than hashing); beyond that, an open-addressing hash
/// table whose probes cost the same whatever its size.
template <bool CaseInsensitive>
class string_table {
 public:
  static constexpr std::uint32_t npos = 0xFFFFFFFFu;
  static constexpr std::size_t linear_max = 8;  // one bit per entry in an std::uint8_t

  string_table() = default;

  /// Builds the table; keys must outlive it (they are views into the compiled policy's storage).
  /// A repeated key keeps its first value.
  explicit string_table(const pod_vector<table_entry>& entries) {
    if (entries.size() <= linear_max) {
      for (const auto& [key, value] : entries) {
        bool duplicate = false;
        for (std::size_t i = 0; i < size_; ++i) duplicate = duplicate || equal(linear_[i].key, key);
        if (duplicate) continue;
        const auto bit = static_cast<std::uint8_t>(1u << size_);
        if (key.size() < by_length_.size()) {
          by_length_[key.size()] = static_cast<std::uint8_t>(by_length_[key.size()] | bit);
        } else {
          long_keys_ = static_cast<std::uint8_t>(long_keys_ | bit);
        }
        linear_[size_++] = table_slot{fold(head_word(key)), key, value};
      }
      return;
    }
    std::size_t capacity = 8;
    while (capacity < entries.size() * 2) capacity *= 2;
    slots_ = pod_vector<table_slot>(capacity, table_slot{});
    mask_ = capacity - 1;
    for (const auto& [key, value] : entries) {
      const std::uint64_t h = hash_bytes<CaseInsensitive>(key);
      std::size_t i = h & mask_;
      bool duplicate = false;
      while (slots_[i].tag != 0) {
        if (slots_[i].tag == tag_of(h) && equal(slots_[i].key, key)) {
          duplicate = true;
          break;
        }
        i = (i + 1) & mask_;
      }
      if (duplicate) continue;
      slots_[i] = table_slot{tag_of(h), key, value};
      ++size_;
    }
  }

  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }

  /// Returns the value stored for `key`, or `npos`. Kept small so that it inlines into its
  /// caller: the common miss of a small table (no entry of the key's length) then costs two loads
  /// and a branch, not a function call that saves the registers the probe loops need.
  [[nodiscard]] CORS_DETAIL_ALWAYS_INLINE std::uint32_t find(std::string_view key) const noexcept {
    return slots_.empty() ? find_small(key) : find_hashed(key);
  }

  [[nodiscard]] CORS_DETAIL_ALWAYS_INLINE bool contains(std::string_view key) const noexcept {
    return find(key) != npos;
  }

  /// `find` with the hash probe inlined into the caller, for a loop whose every step is a lookup
  /// in one table (the wildcard matcher): there a call per lookup costs more than the probe.
  [[nodiscard]] CORS_DETAIL_ALWAYS_INLINE std::uint32_t find_inlined(std::string_view key) const noexcept {
    return slots_.empty() ? find_small(key) : probe(key);
  }

 private:
  /// The hash with its top bit set, so that no key's tag is 0, the mark of an empty slot: a probe
  /// step then tests one word for both "this key?" and "end of the run?". (The slot index comes
  /// from the low bits, which the tag keeps.)
  [[nodiscard]] static constexpr std::uint64_t tag_of(std::uint64_t h) noexcept { return h | (std::uint64_t{1} << 63); }

  /// Linear mode: a key whose length no entry has is not even read.
  [[nodiscard]] CORS_DETAIL_ALWAYS_INLINE std::uint32_t find_small(std::string_view key) const noexcept {
    const std::size_t n = key.size();
    const unsigned mask = n < by_length_.size() ? by_length_[n] : long_keys_;
    return mask == 0 ? npos : find_linear(key, mask);
  }

  /// Linear mode: only the entries in `mask` (not 0: those of the key's length) are compared,
  /// first by their first word. The loop steps from one set bit to the next, not over every
  /// entry: a policy's one header of a length is often not its first.
  [[nodiscard]] std::uint32_t find_linear(std::string_view key, unsigned mask) const noexcept {
    const std::size_t n = key.size();
    const std::uint64_t head = fold(head_word(key));
    do {
      const table_slot& e = linear_[lowest_bit(mask)];
      // Same size: implied by the mask below 64 bytes, not among the long keys.
      if (e.tag == head && e.key.size() == n && (n <= 8 || equal_after_head<CaseInsensitive>(e.key, key))) {
        return e.value;
      }
      mask &= mask - 1;
    } while (mask != 0);
    return npos;
  }

  [[nodiscard]] CORS_DETAIL_NOINLINE std::uint32_t find_hashed(std::string_view key) const noexcept {
    return probe(key);
  }

  [[nodiscard]] CORS_DETAIL_ALWAYS_INLINE std::uint32_t probe(std::string_view key) const noexcept {
    const std::uint64_t h = hash_bytes<CaseInsensitive>(key);
    const std::uint64_t tag = tag_of(h);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      const table_slot& s = slots_[i];
      if (s.tag == tag) {
        // Case-sensitive keys (origins, route prefixes) compare in a few inlined words: a call
        // costs more than the comparison. The case-insensitive comparison stays a call: inlined,
        // it added instructions to the preflight scenarios' header lookups.
        if (CaseInsensitive ? equal(s.key, key) : equal_bytes<false>(s.key, key)) return s.value;
      } else if (s.tag == 0) {
        return npos;
      }
    }
  }

  [[nodiscard]] static bool equal(std::string_view a, std::string_view b) noexcept {
    return equal_bytes<CaseInsensitive>(a, b);
  }
  [[nodiscard]] static std::uint64_t fold(std::uint64_t w) noexcept { return fold_word<CaseInsensitive>(w); }

  std::array<table_slot, linear_max> linear_{};  // tag: fold(head_word(key))
  std::array<std::uint8_t, 64> by_length_{};     // bit i set: linear_[i] has this length
  std::uint8_t long_keys_ = 0;                   // bit i set: linear_[i] is 64 bytes or longer
  pod_vector<table_slot> slots_;                 // tag: tag_of(hash of key); empty in linear mode
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

}  // namespace cors::detail

#endif  // CORS_DETAIL_STRING_TABLE_HPP
