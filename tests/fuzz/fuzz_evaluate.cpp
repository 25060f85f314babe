// Fuzzes policy::evaluate(): the input is a request (first record: the method; then `Name:value`
// header records, any name, any number of lines), evaluated against each fixed policy of
// policies.hpp. Every decision must satisfy the invariants of invariants.hpp, and evaluate() must
// not allocate (counted around the call only, see alloc_counter.hpp).
#include <cors/fmt.hpp>
#include <cors/origin.hpp>
#include <cors/policy.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "alloc_counter.hpp"
#include "harness.hpp"
#include "invariants.hpp"
#include "policies.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::vector<fixed::entry> policies = fixed::make();
  static const bool counter_works = alloc_counter::during([] {  // must see a real allocation
                                      std::string* volatile probe = new std::string(100, 'x');
                                      delete probe;
                                    }) > 0;
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
      CORS_FUZZ_CHECK(
          lib.origin.scheme == plain.scheme && lib.origin.host == plain.host && lib.origin.port == plain.port, context);
      CORS_FUZZ_CHECK((lib.origin.kind == cors::host_kind::domain) == plain.is_domain, context);
    }
  }

  for (const fixed::entry& e : policies) {
    const cors::request_view v = r.view();
    cors::decision d;
    const long allocations = alloc_counter::during([&] { d = e.policy.evaluate(v); });
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
    CORS_FUZZ_CHECK(newlines == d.headers().size(), context);
    const std::vector<std::string> origins = r.values("origin");
    if (origins.size() == 1 && !e.model.constant_any()) {
      CORS_FUZZ_CHECK(e.policy.allows_origin(origins[0]) == e.model.allows(ref::parse(ref::trim(origins[0]))), context);
    }
  }
  return 0;
}
