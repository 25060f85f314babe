// Where a compiled policy keeps its strings: configured origins, method and header names, joined
// header values. Every view the policy hands out points in here.
#ifndef CORS_DETAIL_ARENA_HPP
#define CORS_DETAIL_ARENA_HPP

#include <array>
#include <cstddef>
#include <cstring>
#include <string_view>
#include <vector>

namespace cors::detail {

/// Append-only string storage whose views stay valid for its lifetime: chunks are filled in turn
/// and never reallocated (moving a chunk, as the chunk list grows, keeps its buffer in place). One
/// allocation per few hundred strings rather than one per string: 10 000 origins are 10 000
/// strings. Not copyable: a compiled policy owns one and is shared, not copied.
class string_arena {
 public:
  static constexpr std::size_t chunk_size = 16 * 1024;

  string_arena() = default;
  string_arena(const string_arena&) = delete;
  string_arena& operator=(const string_arena&) = delete;

  /// Keeps a copy of the concatenation of `parts` and returns a view of it.
  template <class... Parts>
  std::string_view intern(const Parts&... parts) {
    return intern_all(std::array<std::string_view, sizeof...(Parts)>{std::string_view(parts)...});
  }

  /// The same for a range of string views.
  template <class Views>
  std::string_view intern_all(const Views& parts) {
    std::size_t n = 0;
    for (const std::string_view v : parts) n += v.size();
    if (chunks_.empty() || chunks_.back().size() - used_ < n) {
      chunks_.emplace_back(n > chunk_size ? n : chunk_size);
      used_ = 0;
    }
    char* const first = chunks_.back().data() + used_;
    char* out = first;
    for (const std::string_view v : parts) {
      if (!v.empty()) std::memcpy(out, v.data(), v.size());
      out += v.size();
    }
    used_ += n;
    return std::string_view(first, n);
  }

 private:
  std::vector<std::vector<char>> chunks_;
  std::size_t used_ = 0;  // bytes used in chunks_.back()
};

}  // namespace cors::detail

#endif  // CORS_DETAIL_ARENA_HPP
