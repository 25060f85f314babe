// evaluate() allocates nothing: global operator new is replaced by a counting one, and every row of
// the decision matrix (and a few hostile inputs) is evaluated while counting.
#include <atomic>
#include <cstdlib>
#include <new>
#include <string>

#include "catch.hpp"
#include "decision_matrix.hpp"

namespace {
std::atomic<long> allocations{0};
}  // namespace

void* operator new(std::size_t n) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return operator new(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

TEST_CASE("the allocation counter sees allocations") {
  const long before = allocations.load();
  auto* s = new std::string(100, 'x');
  delete s;
  CHECK(allocations.load() - before >= 1);
}

TEST_CASE("evaluate() allocates nothing across the whole decision matrix") {
  const auto& rows = matrix::rows();
  const auto& policies = matrix::policies();
  REQUIRE(rows.size() >= 150);
  for (const auto& row : rows) {
    const cors::policy& policy = policies.at(row.config);
    const long before = allocations.load();
    const cors::request_view view = row.req.view();
    const cors::decision d = policy.evaluate(view);
    const long used = allocations.load() - before;
    CAPTURE(row.name, d.header_count());
    REQUIRE(used == 0);
  }
}

TEST_CASE("copying a policy and building request views allocate nothing per request") {
  const cors::policy& p = matrix::policies().at("basic");
  const long before = allocations.load();
  const cors::policy copy = p;  // shares the compiled state
  const auto d = copy.evaluate(cors::make_request_view("GET", {{"Origin", "https://a.example.org"}}));
  CHECK(allocations.load() - before == 0);
  CHECK(d.allowed());
}
