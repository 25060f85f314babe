// The build-time containers of a compiled policy: pod_vector (its tables' entries) and
// string_arena (its strings), whose views must stay valid as they grow.
#include <cors/detail/arena.hpp>
#include <cors/detail/pod_vector.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "catch.hpp"

namespace {

using cors::detail::pod_vector;
using cors::detail::string_arena;

struct entry {
  std::uint32_t key = 0;
  std::uint64_t value = 0;
};

std::vector<std::uint32_t> keys(const pod_vector<entry>& v) {
  std::vector<std::uint32_t> out;
  for (const entry& e : v) out.push_back(e.key);
  return out;
}

}  // namespace

TEST_CASE("pod_vector keeps every pushed element in order as it grows") {
  pod_vector<entry> v;
  CHECK(v.empty());
  CHECK(v.begin() == v.end());
  std::vector<std::uint32_t> want;
  for (std::uint32_t i = 0; i < 1000; ++i) {
    v.push_back({i, std::uint64_t{i} * 3});
    want.push_back(i);
    REQUIRE(v.size() == i + 1);
    REQUIRE(v.back().key == i);
  }
  CHECK(keys(v) == want);
  for (std::size_t i = 0; i < v.size(); ++i) CHECK(v[i].value == i * 3);
}

TEST_CASE("pod_vector copies, moves and assigns") {
  const pod_vector<entry> three{{1, 10}, {2, 20}, {3, 30}};
  REQUIRE(keys(three) == std::vector<std::uint32_t>{1, 2, 3});

  pod_vector<entry> copy(three);
  copy.push_back({4, 40});
  CHECK(keys(copy) == std::vector<std::uint32_t>{1, 2, 3, 4});
  CHECK(keys(three) == std::vector<std::uint32_t>{1, 2, 3});  // the original is untouched

  pod_vector<entry> moved(std::move(copy));
  CHECK(keys(moved) == std::vector<std::uint32_t>{1, 2, 3, 4});
  CHECK(copy.empty());  // NOLINT(bugprone-use-after-move): a moved-from pod_vector is empty

  pod_vector<entry> assigned;
  assigned = three;
  CHECK(keys(assigned) == std::vector<std::uint32_t>{1, 2, 3});
  assigned = pod_vector<entry>{};
  CHECK(assigned.empty());

  const pod_vector<std::uint32_t> filled(5, 7u);
  CHECK(std::vector<std::uint32_t>(filled.begin(), filled.end()) == std::vector<std::uint32_t>(5, 7u));
  const pod_vector<std::uint32_t> none(0, 7u);
  CHECK(none.empty());
}

TEST_CASE("string_arena views stay valid while chunks are added") {
  string_arena arena;
  std::vector<std::pair<std::string_view, std::string>> kept;
  // Enough strings for several chunks, one of them larger than a chunk.
  for (int i = 0; i < 3000; ++i) {
    const std::string s = "https://host-" + std::to_string(i) + ".example";
    kept.emplace_back(arena.intern({"https://", s.substr(8)}), s);
  }
  const std::string big(string_arena::chunk_size * 2 + 5, 'x');
  const std::string_view big_view = arena.intern({big});
  kept.emplace_back(arena.intern({}), "");
  for (const auto& [view, text] : kept) REQUIRE(view == text);
  CHECK(big_view == big);
}
