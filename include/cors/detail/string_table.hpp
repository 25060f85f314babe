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
    // The last 1-7 bytes, read with fixed-size loads (a variable-length memcpy is a library
    // call). Loads may overlap bytes already hashed; the length is hashed too, so that is fine.
    const char* p = s.data();
    const std::size_t n = s.size();
    std::uint64_t w;
    if (n >= 8) {
      std::memcpy(&w, p + n - 8, 8);
    } else if (n >= 4) {
      std::uint32_t lo;
      std::uint32_t hi;
      std::memcpy(&lo, p, 4);
      std::memcpy(&hi, p + n - 4, 4);
      w = lo | (std::uint64_t{hi} << 32);
    } else {
      w = std::uint64_t{static_cast<unsigned char>(p[0])} | std::uint64_t{static_cast<unsigned char>(p[n / 2])} << 8 |
          std::uint64_t{static_cast<unsigned char>(p[n - 1])} << 16;
    }
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

  /// `a == b` (or `iequals(a, b)`), eight bytes at a time and without a library call: keys are
  /// short, so the call to memcmp would cost more than the comparison.
  [[nodiscard]] static bool equal(std::string_view a, std::string_view b) noexcept {
    const std::size_t n = a.size();
    if (n != b.size()) return false;
    if (n < 8) {
      for (std::size_t i = 0; i < n; ++i) {
        if (fold(a[i]) != fold(b[i])) return false;
      }
      return true;
    }
    // Whole words, then the last eight bytes (overlapping the previous word when n % 8 != 0).
    for (std::size_t i = 0; i + 8 < n; i += 8) {
      if (fold(load(a.data() + i)) != fold(load(b.data() + i))) return false;
    }
    return fold(load(a.data() + n - 8)) == fold(load(b.data() + n - 8));
  }

  [[nodiscard]] static std::uint64_t load(const char* p) noexcept {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    return w;
  }
  [[nodiscard]] static char fold(char c) noexcept { return CaseInsensitive ? to_lower(c) : c; }
  [[nodiscard]] static std::uint64_t fold(std::uint64_t w) noexcept { return CaseInsensitive ? lower_word(w) : w; }

  std::vector<slot> slots_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

}  // namespace cors::detail

#endif  // CORS_DETAIL_STRING_TABLE_HPP
