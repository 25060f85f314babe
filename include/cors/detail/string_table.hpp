// A read-only open-addressing hash table from string keys to small integers, built once when a
// policy is compiled and probed without allocation on every request. Lookups cost one hash of the
// key (eight bytes at a time) and, almost always, one key comparison, whatever the table's size.
#ifndef CORS_DETAIL_STRING_TABLE_HPP
#define CORS_DETAIL_STRING_TABLE_HPP

#include <cstdint>
#include <cstring>
#include <string_view>
#include <utility>
#include <vector>

#include "ascii.hpp"

namespace cors::detail {

/// Lowercases the ASCII letters of eight bytes at once; other bytes are left alone.
[[nodiscard]] inline std::uint64_t lower_word(std::uint64_t x) noexcept {
  constexpr std::uint64_t ones = 0x0101010101010101ULL;
  const std::uint64_t heptets = x & (0x7F * ones);
  const std::uint64_t above_z = heptets + (0x7F - 'Z') * ones;  // high bit set where byte > 'Z'
  const std::uint64_t from_a = heptets + (0x80 - 'A') * ones;   // high bit set where byte >= 'A'
  const std::uint64_t ascii = ~x & (0x80 * ones);
  const std::uint64_t upper = ascii & (from_a ^ above_z);
  return x | (upper >> 2);
}

[[nodiscard]] inline std::uint64_t mix(std::uint64_t h) noexcept {
  h ^= h >> 32;
  h *= 0xD6E8FEB86659FD93ULL;
  h ^= h >> 32;
  return h;
}

/// Hashes `s`, optionally as if it were ASCII-lowercased. Not cryptographic: the keys are the
/// server's own configuration, and a probe that collides only costs one extra comparison.
template <bool CaseInsensitive>
[[nodiscard]] inline std::uint64_t hash_bytes(std::string_view s) noexcept {
  std::uint64_t h = 0x9E3779B97F4A7C15ULL ^ s.size();
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    if constexpr (CaseInsensitive) w = lower_word(w);
    h = (h ^ w) * 0xFF51AFD7ED558CCDULL;
    h ^= h >> 29;
  }
  if (i < s.size()) {
    std::uint64_t w = 0;
    std::memcpy(&w, s.data() + i, s.size() - i);
    if constexpr (CaseInsensitive) w = lower_word(w);
    h = (h ^ w) * 0xFF51AFD7ED558CCDULL;
  }
  return mix(h);
}

template <bool CaseInsensitive>
class string_table {
 public:
  static constexpr std::uint32_t npos = 0xFFFFFFFFu;

  string_table() = default;

  /// Builds the table; keys must outlive it (they are views into the compiled policy's storage).
  /// A repeated key keeps its first value.
  explicit string_table(const std::vector<std::pair<std::string_view, std::uint32_t>>& entries) {
    std::size_t capacity = 8;
    while (capacity < entries.size() * 2) capacity *= 2;
    slots_.assign(capacity, slot{});
    mask_ = capacity - 1;
    for (const auto& [key, value] : entries) {
      const std::uint64_t h = hash_bytes<CaseInsensitive>(key);
      std::size_t i = h & mask_;
      bool duplicate = false;
      while (slots_[i].used) {
        if (slots_[i].hash == h && equal(slots_[i].key, key)) {
          duplicate = true;
          break;
        }
        i = (i + 1) & mask_;
      }
      if (duplicate) continue;
      slots_[i] = slot{h, key, value, true};
      ++size_;
    }
  }

  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }

  /// Returns the value stored for `key`, or `npos`.
  [[nodiscard]] std::uint32_t find(std::string_view key) const noexcept {
    if (size_ == 0) return npos;
    const std::uint64_t h = hash_bytes<CaseInsensitive>(key);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      const slot& s = slots_[i];
      if (!s.used) return npos;
      if (s.hash == h && equal(s.key, key)) return s.value;
    }
  }

  [[nodiscard]] bool contains(std::string_view key) const noexcept { return find(key) != npos; }

 private:
  struct slot {
    std::uint64_t hash = 0;
    std::string_view key;
    std::uint32_t value = 0;
    bool used = false;
  };

  [[nodiscard]] static bool equal(std::string_view a, std::string_view b) noexcept {
    if constexpr (CaseInsensitive) {
      return iequals(a, b);
    } else {
      return a == b;
    }
  }

  std::vector<slot> slots_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

}  // namespace cors::detail

#endif  // CORS_DETAIL_STRING_TABLE_HPP
