// Fuzzes config validation: arbitrary origin patterns, methods and headers either build a policy
// or throw cors::invalid_config (nothing else), every message starts with `cors: ` and holds no
// control byte, validate() reports the same problems, and a policy that builds behaves as the
// reference model of its own configuration says.
//
// Input: a first record of flag letters (c credentials, n dangerously_allow_null_origin,
// i dangerously_allow_insecure_origins_with_credentials, p private_network, t passthrough,
// r refuse, 2 status 200, x status 302, a max_age 600, A max_age -1, B max_age 86401), then
// records `o:<origin>`, `m:<method>`, `h:<request header>`, `e:<exposed header>`, `s:<server origin>`.
#include <cors/fmt.hpp>
#include <cors/policy.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "harness.hpp"
#include "invariants.hpp"
#include "policies.hpp"

namespace {

void check_message(std::string_view msg, const std::string& context) {
  CORS_FUZZ_CHECK(msg.substr(0, 6) == "cors: ", context);
  for (char ch : msg) {
    const auto c = static_cast<unsigned char>(ch);
    CORS_FUZZ_CHECK(c >= 0x20 && c != 0x7F, context);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::vector<std::string_view> recs = harness::records(data, size);
  const std::string context(reinterpret_cast<const char*>(data), size);
  cors::config c;
  const std::string_view flags = recs.front();
  auto flag = [&](char f) { return flags.find(f) != std::string_view::npos; };
  c.credentials = flag('c');
  c.dangerously_allow_null_origin = flag('n');
  c.dangerously_allow_insecure_origins_with_credentials = flag('i');
  c.private_network = flag('p');
  c.preflight_passthrough = flag('t');
  c.refuse_disallowed_requests = flag('r');
  if (flag('2')) c.preflight_status = 200;
  if (flag('x')) c.preflight_status = 302;
  if (flag('a')) c.max_age = std::chrono::seconds{600};
  if (flag('A')) c.max_age = std::chrono::seconds{-1};
  if (flag('B')) c.max_age = std::chrono::seconds{86401};
  for (std::size_t i = 1; i < recs.size(); ++i) {
    const auto [field, value] = harness::name_value(recs[i]);
    const std::string v(value);
    if (field == "o") c.origins.push_back(v);
    if (field == "m") c.methods.push_back(v);
    if (field == "h") c.request_headers.push_back(v);
    if (field == "e") c.exposed_headers.push_back(v);
    if (field == "s") c.server_origins.push_back(v);
  }

  const std::vector<cors::config_error> listed = cors::validate(c);
  std::optional<cors::policy> built;
  try {
    built.emplace(c);
  } catch (const cors::invalid_config& e) {
    CORS_FUZZ_CHECK(!e.errors().empty(), context);
    CORS_FUZZ_CHECK(e.errors().size() == listed.size(), context);
    std::string joined;
    for (std::size_t i = 0; i < listed.size(); ++i) {
      const cors::config_error& err = e.errors()[i];
      CORS_FUZZ_CHECK(err.code == listed[i].code && err.message == listed[i].message, context);
      CORS_FUZZ_CHECK(cors::to_string(err.code) != "unknown", context);
      check_message(err.message, context);
      // The fmt formatter prints the same escaped text (log injection through config values).
      check_message(fmt::format("{}", err), context);
      if (!joined.empty()) joined += '\n';
      joined += err.message;
    }
    CORS_FUZZ_CHECK(joined == e.what(), context);
    return 0;
  } catch (...) {
    harness::fail("policy constructor threw something other than cors::invalid_config", context);
  }
  CORS_FUZZ_CHECK(listed.empty(), context);

  // A policy that builds: never `*` with credentials, and it decides as its reference model says.
  const ref::model m = ref::model_of(c);
  for (const std::string& o : c.origins) {
    CORS_FUZZ_CHECK(!(o == "*" && c.credentials), context);
    CORS_FUZZ_CHECK(!(o == "null" && !c.dangerously_allow_null_origin), context);
  }
  std::vector<std::string> probes = c.origins;
  for (const std::string& o : c.origins) {
    // Neighbours of each pattern: a subdomain instance, the pattern with a port, and look-alikes.
    std::string inst = o;
    const std::size_t star = inst.find('*');
    if (star != std::string::npos) inst.replace(star, 1, "a");
    probes.push_back(inst);
    probes.push_back(inst + "1");
    probes.push_back(inst + ":8443");
    probes.push_back(inst + ".evil.example");
    if (inst.size() > 8) probes.push_back(inst.substr(0, inst.size() - 1));
  }
  const std::string methods_line = c.methods.empty() ? std::string("PUT") : c.methods.front();
  std::string headers_line;
  for (const std::string& h : c.request_headers) headers_line += (headers_line.empty() ? "" : ",") + h;
  for (const std::string& o : probes) {
    const inv::raw_request get{"GET", {{"Origin", o}}};
    const std::string g = inv::violation(m, get, built->evaluate(get.view()));
    if (!g.empty()) harness::fail("GET " + o + ": " + g, context);
    inv::raw_request pf{"OPTIONS", {{"Origin", o}, {"Access-Control-Request-Method", methods_line}}};
    if (!headers_line.empty()) pf.lines.push_back({"Access-Control-Request-Headers", headers_line});
    pf.lines.push_back({"Access-Control-Request-Private-Network", "true"});
    const std::string p = inv::violation(m, pf, built->evaluate(pf.view()));
    if (!p.empty()) harness::fail("preflight " + o + ": " + p, context);
  }
  return 0;
}
