// Fuzzes policy::evaluate(): the input is a request (first record: the method; then `Name:value`
// header records, any name, any number of lines), evaluated against each fixed policy of
// policies.hpp. Every decision must satisfy the invariants of invariants.hpp, and evaluate() must
// not allocate (counted by a replaced operator new, or the sanitizer's allocation hook under
// AddressSanitizer, only around the call).
#include <cors/fmt.hpp>
#include <cors/origin.hpp>
#include <cors/policy.hpp>

#include <cstdint>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "harness.hpp"
#include "invariants.hpp"
#include "policies.hpp"

namespace {
thread_local bool counting = false;
thread_local long allocations = 0;
}  // namespace

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CORS_FUZZ_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define CORS_FUZZ_ASAN 1
#endif

#if defined(CORS_FUZZ_ASAN)
// Under AddressSanitizer (libFuzzer builds) the sanitizer owns operator new; its allocation hook
// sees every malloc and operator new instead.
#include <sanitizer/allocator_interface.h>
namespace {
void on_malloc(const volatile void*, std::size_t) {
  if (counting) ++allocations;
}
void on_free(const volatile void*) {}
[[maybe_unused]] const int hooks_installed = __sanitizer_install_malloc_and_free_hooks(on_malloc, on_free);
}  // namespace
#else
void* operator new(std::size_t n) {
  if (counting) ++allocations;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return operator new(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
#endif

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::vector<fixed::entry> policies = fixed::make();
  static const bool counter_works = [] {  // the counter must see a real allocation
    allocations = 0;
    counting = true;
    std::string* volatile probe = new std::string(100, 'x');
    delete probe;
    counting = false;
    return allocations > 0;
  }();
  CORS_FUZZ_CHECK(counter_works, "the allocation counter saw nothing");
  const std::vector<std::string_view> recs = harness::records(data, size);
  inv::raw_request r;
  r.method = recs.front();
  for (std::size_t i = 1; i < recs.size(); ++i) {
    const auto [name, value] = harness::name_value(recs[i]);
    r.lines.push_back({name, value});
  }
  const std::string context(reinterpret_cast<const char*>(data), size);

  // The request-side origin parser agrees with the plain reference parser on every Origin line.
  for (const std::string& o : r.values("origin")) {
    const std::string trimmed = ref::trim(o);
    const cors::parsed_origin lib = cors::parse_origin(trimmed);
    const ref::origin plain = ref::parse(trimmed);
    CORS_FUZZ_CHECK((lib.status == cors::origin_status::ok) == (plain.valid && !plain.is_null), context);
    CORS_FUZZ_CHECK((lib.status == cors::origin_status::null) == plain.is_null, context);
    if (lib.status == cors::origin_status::ok) {
      CORS_FUZZ_CHECK(lib.origin.serialized == trimmed, context);
      CORS_FUZZ_CHECK(lib.origin.scheme == plain.scheme && lib.origin.host == plain.host &&
                          lib.origin.port == plain.port,
                      context);
      CORS_FUZZ_CHECK((lib.origin.kind == cors::host_kind::domain) == plain.is_domain, context);
    }
  }

  for (const fixed::entry& e : policies) {
    const cors::request_view v = r.view();
    allocations = 0;
    counting = true;
    const cors::decision d = e.policy.evaluate(v);
    counting = false;
    CORS_FUZZ_CHECK(allocations == 0, context);
    const std::string broken = inv::violation(e.model, r, d);
    if (!broken.empty()) harness::fail(std::string(e.name) + ": " + broken, context);
    // Diagnostics escape request bytes: one line per header, no CR, NUL or ESC (log injection).
    const std::string logged = fmt::format("{:h}", d);
    std::size_t newlines = 0;
    for (char c : logged) {
      newlines += c == '\n';
      CORS_FUZZ_CHECK(c != '\r' && c != '\0' && c != '\x1b', context);
    }
    CORS_FUZZ_CHECK(newlines == d.header_count(), context);
    const std::vector<std::string> origins = r.values("origin");
    if (origins.size() == 1 && !e.model.constant_any()) {
      CORS_FUZZ_CHECK(e.policy.allows_origin(origins[0]) == e.model.allows(ref::parse(ref::trim(origins[0]))),
                      context);
    }
  }
  return 0;
}
