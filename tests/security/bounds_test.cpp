// Regression suite: hostile Access-Control-Request-Headers (and other oversized input) is refused
// with bounded work and without allocating. Class of GHSA-mh55-gqvf-xfwm / GO-2024-2883 (rs/cors:
// heap allocations proportional to the commas of a preflight's ACRH).
//
// Work is bounded without timing anything: the request's bytes past the first few KiB sit behind a
// PROT_NONE guard, so reading them would crash the test; allocations are counted by a replaced
// operator new or a sanitizer hook (tests/alloc_counter.hpp; this file is its own executable
// for that reason).
#include <sys/mman.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "alloc_counter.hpp"
#include "support.hpp"

namespace {

/// `size` bytes filled by `fill`, of which only the first `readable` (rounded up to a page) and
/// the last page can be read: the middle is PROT_NONE, so reading it is a crash.
class guarded {
 public:
  guarded(std::size_t size, std::size_t readable, char (*fill)(std::size_t)) : size_(size) {
    const std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
    readable_ = (readable + page - 1) / page * page;
    mapped_ = (size + page - 1) / page * page + page;
    void* m = mmap(nullptr, mapped_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    REQUIRE(m != MAP_FAILED);
    base_ = static_cast<char*>(m);
    for (std::size_t i = 0; i < size; ++i) base_[i] = fill(i);
    // The page holding the last byte stays readable too (trimming OWS looks at both ends).
    const std::size_t tail = size == 0 ? 0 : (size - 1) / page * page;
    if (tail > readable_) REQUIRE(mprotect(base_ + readable_, tail - readable_, PROT_NONE) == 0);
  }
  ~guarded() { munmap(base_, mapped_); }
  guarded(const guarded&) = delete;
  guarded& operator=(const guarded&) = delete;
  [[nodiscard]] std::string_view view() const { return {base_, size_}; }

 private:
  char* base_ = nullptr;
  std::size_t size_ = 0;
  std::size_t readable_ = 0;
  std::size_t mapped_ = 0;
};

char commas(std::size_t) { return ','; }
char tokens(std::size_t i) { return i % 2 ? ',' : 'a'; }
char megabyte(std::size_t i) { return "x-custom-header-name,"[i % 21]; }

/// Evaluates a preflight whose ACRH is `acrh` (and optionally repeated on `lines` lines) against
/// every fixed policy; expects a refusal for the size, and zero allocations.
void refused_bounded(std::string_view acrh, int lines = 1, bool for_size = true) {
  for (const char* name : {"credentials", "any", "null", "refuse", "pna"}) {
    CAPTURE(name, acrh.size(), lines);
    const fixed::entry& e = sec::policy(name);
    cors::request_view v{};
    v.method = "OPTIONS";
    v.add_header("Origin", name == std::string_view("pna") ? "https://a.corp.example" : "https://app.example.com");
    v.add_header("Access-Control-Request-Method", "GET");
    for (int i = 0; i < lines; ++i) v.add_header("Access-Control-Request-Headers", acrh);
    cors::decision d;
    CHECK(alloc_counter::during([&] { d = e.policy.evaluate(v); }) == 0);
    // Policies without `*` headers may stop even earlier, at the first name they do not allow.
    CHECK((d.why() == cors::reason::headers_too_large || (!for_size && d.why() == cors::reason::header_not_allowed)));
    CHECK(d.refused());
    CHECK(d.header(cors::response_header_id::access_control_allow_headers).empty());
  }
}

}  // namespace

TEST_CASE("GHSA-mh55-gqvf-xfwm class: ACRH of 100 000 commas is refused without reading it or allocating") {
  // Only the first 4 KiB + a page may be read: the size check comes before any scan.
  const guarded acrh(100000, 8192, commas);
  refused_bounded(acrh.view());
}

TEST_CASE("GHSA-mh55-gqvf-xfwm class: ACRH of 100 000 tokens is refused without reading it or allocating") {
  const guarded acrh(200000, 8192, tokens);
  refused_bounded(acrh.view());
}

TEST_CASE("GHSA-mh55-gqvf-xfwm class: a 1 MB ACRH is refused without reading it or allocating") {
  const guarded acrh(1 << 20, 8192, megabyte);
  refused_bounded(acrh.view());
}

TEST_CASE("ACRH within the byte limit is read whatever its number of elements, without allocating") {
  // 4096 bytes of commas, and 4095 bytes of `a,a,...` (2048 names): the byte bound is the bound.
  for (const char* name : {"null", "any"}) {  // `*` headers: every name is allowed
    CAPTURE(name);
    const fixed::entry& e = sec::policy(name);
    for (const std::string& acrh : {std::string(4096, ','), [] {
                                      std::string names;
                                      while (names.size() < 4095) names += names.size() % 2 ? ',' : 'a';
                                      return names;
                                    }()}) {
      const inv::raw_request r = sec::preflight("https://app.example.com", "GET", acrh);
      const cors::request_view v = r.view();
      cors::decision d;
      CHECK(alloc_counter::during([&] { d = e.policy.evaluate(v); }) == 0);
      CHECK(sec::decide(e, r).grants_access());  // and every invariant holds
    }
  }
}

TEST_CASE("ACRH split over more lines than cors::limits allows is refused") {
  for (const int lines : {static_cast<int>(cors::limits::max_request_headers_lines) + 1, 100000}) {
    for (const char* name : {"credentials", "any", "null", "refuse", "pna"}) {
      CAPTURE(name, lines);
      const fixed::entry& e = sec::policy(name);
      cors::request_view v{};
      v.method = "OPTIONS";
      v.add_header("Origin", name == std::string_view("pna") ? "https://a.corp.example" : "https://app.example.com");
      v.add_header("Access-Control-Request-Method", "GET");
      for (int i = 0; i < lines; ++i) v.add_header("Access-Control-Request-Headers", "x-request-id");
      cors::decision d;
      CHECK(alloc_counter::during([&] { d = e.policy.evaluate(v); }) == 0);
      CHECK(d.why() == cors::reason::headers_too_many_lines);
      CHECK(d.refused());
    }
  }
}

TEST_CASE("limits are exact: at the limit passes, one over is refused") {
  const fixed::entry& e = sec::policy("null");  // `*` headers, credentials: echoes what passes
  auto run = [&](const std::string& acrh) {
    const inv::raw_request r = sec::preflight("https://app.example.com", "GET", acrh);
    return sec::decide(e, r);
  };
  // A browser lists every header the page set: 100 custom headers (~700 bytes) are read, as are
  // many more up to the byte bound.
  for (const std::size_t count : {std::size_t{64}, std::size_t{65}, std::size_t{100}, std::size_t{500}}) {
    std::string names;
    for (std::size_t i = 0; i < count; ++i) names += "x-h" + std::to_string(i) + ",";
    names.pop_back();
    CAPTURE(count, names.size());
    REQUIRE(names.size() <= cors::limits::default_max_request_headers_bytes);
    const cors::decision d = run(names);
    CHECK(d.grants_access());
    CHECK(d.header(cors::response_header_id::access_control_allow_headers) == names);
  }
  CHECK(run(std::string(1000, ',') + "x-a").grants_access());
  std::string big = "x-" + std::string(cors::limits::default_max_request_headers_bytes - 2, 'a');
  CHECK_FALSE(run(big).refused());
  CHECK(run(big + "a").why() == cors::reason::headers_too_large);
}

TEST_CASE("an over-long Origin is refused without reading past the cap or allocating") {
  const guarded origin(1 << 20, 4096, megabyte);
  for (const char* name : {"credentials", "null", "refuse", "pna"}) {
    const fixed::entry& e = sec::policy(name);
    cors::request_view v{};
    v.method = "GET";
    v.add_header("Origin", origin.view());
    cors::decision d;
    CHECK(alloc_counter::during([&] { d = e.policy.evaluate(v); }) == 0);
    CHECK(d.why() == cors::reason::origin_malformed);
  }
}
