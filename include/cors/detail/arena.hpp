// Where a compiled policy keeps its strings: configured origins, method and header names, joined
// header values. Every view the policy hands out points in here.
#ifndef CORS_DETAIL_ARENA_HPP
#define CORS_DETAIL_ARENA_HPP

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <new>
#include <string_view>

#include "pod_vector.hpp"

namespace cors::detail {

/// Append-only string storage whose views stay valid for its lifetime: chunks are filled in turn
/// and never reallocated (the chunk list holds pointers to them). One allocation per few hundred
/// strings rather than one per string: 10 000 origins are 10 000
/// strings. Not copyable: a compiled policy owns one and is shared, not copied.
class string_arena {
 public:
  static constexpr std::size_t chunk_size = 16 * 1024;

  string_arena() = default;
  string_arena(const string_arena&) = delete;
  string_arena& operator=(const string_arena&) = delete;
  ~string_arena() {
    for (char* chunk : chunks_) std::free(chunk);
  }

  /// Keeps a copy of the concatenation of `parts` and returns a view of it.
  std::string_view intern(std::initializer_list<std::string_view> parts) {
    return intern_all(parts.begin(), parts.size());
  }

  /// The same for the `count` views at `parts`.
  std::string_view intern_all(const std::string_view* parts, std::size_t count) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < count; ++i) n += parts[i].size();
    if (chunks_.empty() || capacity_ - used_ < n) {
      const std::size_t size = n > chunk_size ? n : chunk_size;
      chunks_.push_back(nullptr);  // first, so that a failure to grow the list cannot leak a chunk
      chunks_.back() = static_cast<char*>(std::malloc(size));
      used_ = 0;
      capacity_ = chunks_.back() == nullptr ? 0 : size;
      if (capacity_ == 0) throw std::bad_alloc();
    }
    char* const first = chunks_.back() + used_;
    char* out = first;
    for (std::size_t i = 0; i < count; ++i) {
      if (!parts[i].empty()) std::memcpy(out, parts[i].data(), parts[i].size());
      out += parts[i].size();
    }
    used_ += n;
    return std::string_view(first, n);
  }

 private:
  pod_vector<char*> chunks_;  // each from std::malloc
  std::size_t capacity_ = 0;  // bytes in chunks_.back()
  std::size_t used_ = 0;      // bytes used in chunks_.back()
};

}  // namespace cors::detail

#endif  // CORS_DETAIL_ARENA_HPP
