// Where a compiled policy keeps its strings: configured origins, method and header names, joined
// header values. Every view the policy hands out points in here.
#ifndef CORS_DETAIL_ARENA_HPP
#define CORS_DETAIL_ARENA_HPP

#include <cstddef>
#include <cstring>
#include <initializer_list>
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
  std::string_view intern(std::initializer_list<std::string_view> parts) {
    return intern_all(parts.begin(), parts.size());
  }

  /// The same for the `count` views at `parts`.
  std::string_view intern_all(const std::string_view* parts, std::size_t count) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < count; ++i) n += parts[i].size();
    if (chunks_.empty() || chunks_.back().size() - used_ < n) {
      chunks_.emplace_back(n > chunk_size ? n : chunk_size);
      used_ = 0;
    }
    char* const first = chunks_.back().data() + used_;
    char* out = first;
    for (std::size_t i = 0; i < count; ++i) {
      if (!parts[i].empty()) std::memcpy(out, parts[i].data(), parts[i].size());
      out += parts[i].size();
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
