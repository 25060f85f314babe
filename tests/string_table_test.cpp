// cors::detail::string_table: a short array scanned by length and first word up to linear_max
// keys, an open-addressing hash table beyond; both must answer as a plain search would.
#include <cors/detail/string_table.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "catch.hpp"

using cors::detail::iequals;
using cors::detail::string_table;

namespace {

char to_upper_for_test(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

using entries_t = cors::detail::pod_vector<cors::detail::table_entry>;

/// What a table built from `entries` must answer for `probe`: the first equal key's value.
template <bool CaseInsensitive>
std::uint32_t plain_search(const entries_t& entries, std::string_view probe) {
  for (const auto& [key, value] : entries) {
    if (CaseInsensitive ? iequals(key, probe) : key == probe) return value;
  }
  return string_table<CaseInsensitive>::npos;
}

/// find(), find_inlined() and contains() all agree with plain_search on every probe.
template <bool CaseInsensitive>
void check_against_plain_search(const entries_t& entries, const std::vector<std::string>& probes) {
  const string_table<CaseInsensitive> table(entries);
  for (const std::string& probe : probes) {
    const std::uint32_t want = plain_search<CaseInsensitive>(entries, probe);
    CAPTURE(CaseInsensitive, entries.size(), probe);
    REQUIRE(table.find(probe) == want);
    REQUIRE(table.find_inlined(probe) == want);
    REQUIRE(table.contains(probe) == (want != string_table<CaseInsensitive>::npos));
  }
}

}  // namespace

TEST_CASE("string tables find every key and nothing else") {
  std::vector<std::string> keys;
  for (int i = 0; i < 1000; ++i) keys.push_back("https://host" + std::to_string(i) + ".example");
  entries_t entries;
  for (std::size_t i = 0; i < keys.size(); ++i) entries.push_back({keys[i], static_cast<std::uint32_t>(i)});
  const string_table<false> table(entries);
  CHECK(table.size() == 1000);
  for (std::size_t i = 0; i < keys.size(); ++i) REQUIRE(table.find(keys[i]) == i);
  CHECK(table.find("https://host1000.example") == string_table<false>::npos);
  CHECK(table.find("HTTPS://host1.example") == string_table<false>::npos);

  const std::string a = "X-Request-Id";
  const string_table<true> ci({{a, 7}});
  CHECK(ci.find("x-request-id") == 7);
  CHECK(ci.find("X-REQUEST-ID") == 7);
  CHECK(ci.find("x-request-i") == string_table<true>::npos);
}

TEST_CASE("small string tables (scanned, not hashed) agree with a plain search") {
  // Up to string_table::linear_max keys the table is an array selected by length and first
  // word: check every table size on both sides of that limit, keys of every length class (under
  // 4, 4-7, exactly 8, over 8, 64 and over), keys sharing a length and differing only in the
  // first or the last byte, case folding, and a repeated key keeping its first value.
  std::vector<std::string> pool = {"a",
                                   "b",
                                   "ab",
                                   "x-a",
                                   "x-b",
                                   "X-C",
                                   "abcd",
                                   "abce",
                                   "bbcd",
                                   "abcdefg",
                                   "abcdefgh",
                                   "abcdefgi",
                                   "content-type",
                                   "content-typf",
                                   "dontent-type",
                                   std::string(64, 'k'),
                                   std::string(63, 'k') + "l",
                                   std::string(70, 'm'),
                                   "x-a"};
  std::vector<std::string> probes = pool;
  for (const std::string& k : pool) {
    std::string upper = k;
    for (char& c : upper) c = to_upper_for_test(c);
    probes.push_back(upper);
    probes.push_back(k + "z");
    if (k.size() > 1) probes.push_back(k.substr(1));
  }
  probes.emplace_back();
  for (std::size_t n = 0; n <= pool.size(); ++n) {
    entries_t entries;
    for (std::size_t i = 0; i < n; ++i) entries.push_back({pool[i], static_cast<std::uint32_t>(i)});
    const string_table<false> exact(entries);
    const string_table<true> folded(entries);
    for (const std::string& probe : probes) {
      std::uint32_t want_exact = string_table<false>::npos;
      std::uint32_t want_folded = string_table<true>::npos;
      for (std::size_t i = n; i-- > 0;) {
        if (pool[i] == probe) want_exact = static_cast<std::uint32_t>(i);
        if (iequals(pool[i], probe)) want_folded = static_cast<std::uint32_t>(i);
      }
      CAPTURE(n, probe);
      REQUIRE(exact.find(probe) == want_exact);
      REQUIRE(folded.find(probe) == want_folded);
    }
  }
}

TEST_CASE("string tables of 8 keys (scanned) and 9 keys (hashed) find every key and nothing else") {
  REQUIRE(string_table<false>::linear_max == 8);
  std::vector<std::string> keys;
  for (int i = 0; i < 9; ++i) keys.push_back("x-header-" + std::to_string(i));
  for (const std::size_t n : {std::size_t{7}, std::size_t{8}, std::size_t{9}, std::size_t{10}}) {
    std::vector<std::string> own = keys;
    while (own.size() < n) own.push_back("x-extra-" + std::to_string(own.size()));
    own.resize(n);
    entries_t entries;
    for (std::size_t i = 0; i < n; ++i) entries.push_back({own[i], static_cast<std::uint32_t>(100 + i)});
    std::vector<std::string> probes = own;
    for (const std::string& k : own) {
      std::string upper = k;
      for (char& c : upper) c = to_upper_for_test(c);
      probes.push_back(upper);
      probes.push_back(k + "0");
      probes.push_back(k.substr(0, k.size() - 1));
    }
    probes.push_back("x-header-" + std::to_string(n + 1));
    probes.emplace_back();
    const string_table<false> table(entries);
    CAPTURE(n);
    CHECK(table.size() == n);
    check_against_plain_search<false>(entries, probes);
    check_against_plain_search<true>(entries, probes);
  }
}

TEST_CASE("a repeated key keeps its first value and is counted once, scanned or hashed") {
  for (const std::size_t distinct : {std::size_t{3}, std::size_t{8}, std::size_t{9}, std::size_t{40}}) {
    std::vector<std::string> keys;
    for (std::size_t i = 0; i < distinct; ++i) keys.push_back("https://h" + std::to_string(i) + ".example");
    entries_t entries;
    for (std::size_t i = 0; i < distinct; ++i) entries.push_back({keys[i], static_cast<std::uint32_t>(i)});
    entries.push_back({keys.front(), 999u});  // same key again, another value
    const std::string upper_last = "HTTPS://H" + std::to_string(distinct - 1) + ".EXAMPLE";
    entries.push_back({upper_last, 998u});  // a repeat only when case is folded
    CAPTURE(distinct);
    const string_table<false> exact(entries);
    const string_table<true> folded(entries);
    CHECK(exact.size() == distinct + 1);
    CHECK(folded.size() == distinct);
    CHECK(exact.find(keys.front()) == 0);
    CHECK(folded.find(keys.front()) == 0);
    CHECK(exact.find(upper_last) == 998u);
    CHECK(folded.find(upper_last) == distinct - 1);
  }
}

TEST_CASE("string tables with keys of length 0, 7, 8, 9, 63, 64, 65 and 300, scanned and hashed") {
  const std::vector<std::string> lengths = {"",
                                            std::string(7, 'a'),
                                            std::string(8, 'a'),
                                            std::string(9, 'a'),
                                            std::string(63, 'a'),
                                            std::string(64, 'a'),
                                            std::string(65, 'a'),
                                            std::string(300, 'a'),
                                            std::string(63, 'a') + "B",
                                            "B" + std::string(63, 'a'),
                                            std::string(299, 'a') + "B"};
  std::vector<std::string> probes = lengths;
  for (const std::string& k : lengths) {
    probes.push_back(k + "a");
    if (!k.empty()) probes.push_back(k.substr(1));
    std::string upper = k;
    for (char& c : upper) c = to_upper_for_test(c);
    probes.push_back(upper);
  }
  // Every prefix of the list: sizes 1 to 11 cover both sides of linear_max.
  for (std::size_t n = 1; n <= lengths.size(); ++n) {
    entries_t entries;
    for (std::size_t i = 0; i < n; ++i) entries.push_back({lengths[i], static_cast<std::uint32_t>(i)});
    check_against_plain_search<false>(entries, probes);
    check_against_plain_search<true>(entries, probes);
  }
}

TEST_CASE("an empty string table finds nothing, not even the empty key") {
  const string_table<false> none;
  const string_table<true> none_folded(entries_t{});
  CHECK(none.size() == 0);
  CHECK(none.find("") == string_table<false>::npos);
  CHECK(none.find("a") == string_table<false>::npos);
  CHECK_FALSE(none_folded.contains(""));
}

TEST_CASE("a case-insensitive hashed table folds ASCII letters only") {
  std::vector<std::string> keys;
  for (int i = 0; i < 20; ++i) keys.push_back("X-Custom-" + std::to_string(i));
  keys.push_back("x-[bracket]");
  entries_t entries;
  for (std::size_t i = 0; i < keys.size(); ++i) entries.push_back({keys[i], static_cast<std::uint32_t>(i)});
  const string_table<true> table(entries);
  CHECK(table.find("x-custom-7") == 7);
  CHECK(table.find("X-CUSTOM-19") == 19);
  CHECK(table.find("X-[BRACKET]") == 20);
  CHECK(table.find("x-{bracket}") == string_table<true>::npos);  // 0x5B/0x7B differ by 0x20, not letters
  CHECK(table.find("x-custom-7 ") == string_table<true>::npos);
}
