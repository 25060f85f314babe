// Fuzzes the guards beyond CORS: the input is a request (first record: the method; second: the
// request-target; then `Name:value` header records), decided by a CSRF guard, a Host guard and the
// WebSocket check built from one fixed policy. Each decision must equal the one of a slow model
// below, written from the guards' documented rules with std::string and the reference origin
// parser of reference.hpp (no cors:: parsing or matching reused), and no check may allocate.
#include <cors/csrf.hpp>
#include <cors/host_guard.hpp>
#include <cors/websocket.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "alloc_counter.hpp"
#include "harness.hpp"
#include "invariants.hpp"
#include "reference.hpp"

namespace {

// The fixed configuration, as the model sees it.
const std::vector<std::string> cors_origins = {"https://app.example", "https://*.tenants.example", "http://localhost:*",
                                               "*"};
const std::vector<std::string> server_origins = {"https://api.example"};
const std::vector<std::string> extra_trusted = {"https://partner.example"};
struct exemption {
  std::string method, path;
  bool prefix;
};
const std::vector<exemption> exemptions = {{"POST", "/webhook", false}, {"POST", "/hooks", true}, {"PUT", "/f/", true}};
const std::vector<std::string> host_names = {"localhost", "127.0.0.1", "[::1]", "device.local"};
const std::string fixed_host_port_name = "box.local", fixed_host_port = "8080";

// ---- The model ----

/// Trusted: one of the exact lists, or a non-`*`, non-`null` CORS pattern that allows it.
bool model_trusts(const std::string& value) {
  const std::string o = ref::trim(value);
  for (const std::string& t : server_origins) {
    if (o == t) return true;
  }
  for (const std::string& t : extra_trusted) {
    if (o == t) return true;
  }
  const ref::origin parsed = ref::parse(o);
  if (!parsed.valid || parsed.is_null) return false;
  for (const std::string& pat : cors_origins) {
    if (pat != "*" && pat != "null" && ref::pattern_allows(pat, parsed)) return true;
  }
  return false;
}

/// Plain path: starts with `/`; split on `/`, no segment (before any `;`) is `.` or `..`, none
/// but the last is empty; no `%` or `\` anywhere.
bool model_plain(const std::string& path) {
  if (path.empty() || path[0] != '/') return false;
  if (path.find('%') != std::string::npos || path.find('\\') != std::string::npos) return false;
  const std::vector<std::string> segments = ref::split(path.substr(1), '/');
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const std::string name = segments[i].substr(0, segments[i].find(';'));
    if (name == "." || name == "..") return false;
    if (name.empty() && i + 1 < segments.size()) return false;
  }
  return true;
}

bool model_exempt(const std::string& method, const std::string& target) {
  std::string path = target.substr(0, target.find_first_of("?#"));
  if (!model_plain(path)) return false;
  for (const exemption& e : exemptions) {
    if (e.method != method) continue;
    if (path == e.path) return true;
    if (!e.prefix || path.rfind(e.path, 0) != 0 || path.size() == e.path.size()) continue;
    if (e.path.back() == '/' || path[e.path.size()] == '/') return true;
  }
  return false;
}

bool model_origin_is_host(const std::vector<std::string>& origins, const std::vector<std::string>& hosts) {
  if (origins.size() != 1 || hosts.size() != 1) return false;
  const ref::origin o = ref::parse(ref::trim(origins[0]));
  if (!o.valid || o.is_null) return false;
  const std::string authority = o.host + (o.port.empty() ? "" : ":" + o.port);
  return ref::lowercase(authority) == ref::lowercase(ref::trim(hosts[0]));
}

cors::csrf_reason model_csrf(const inv::raw_request& r, const std::string& target) {
  using c = cors::csrf_reason;
  const std::string method(r.method);
  if (method == "GET" || method == "HEAD" || method == "OPTIONS") return c::safe_method;
  const std::vector<std::string> sites = r.values("sec-fetch-site");
  const std::vector<std::string> origins = r.values("origin");
  const std::vector<std::string> hosts = r.values("host");
  const auto trusted_or = [&](c refusal) {
    if (origins.size() == 1 && model_trusts(origins[0])) return c::trusted_origin;
    if (model_exempt(method, target)) return c::exempt;
    return refusal;
  };
  if (!sites.empty()) {
    if (sites.size() == 1 && ref::trim(sites[0]) == "same-origin") return c::same_origin;
    if (sites.size() == 1 && ref::trim(sites[0]) == "none") return c::user_initiated;
    return trusted_or(c::cross_site);
  }
  if (origins.empty()) return c::no_origin;
  if (model_origin_is_host(origins, hosts)) return c::origin_matches_host;
  return trusted_or(c::origin_mismatch);
}

/// `host[:port]`, port 1-5 digits <= 65535, host `[...]` or without `:`, `[`, `]`, non-empty.
cors::host_reason model_host(const std::vector<std::string>& hosts) {
  using h = cors::host_reason;
  if (hosts.empty()) return h::host_missing;
  if (hosts.size() > 1) return h::host_multiple;
  const std::string v = ref::trim(hosts[0]);
  std::string host = v, port;
  bool has_port = false;
  if (!v.empty() && v[0] == '[') {
    const std::size_t close = v.find(']');
    if (close == std::string::npos) return h::host_malformed;
    host = v.substr(0, close + 1);
    const std::string rest = v.substr(close + 1);
    if (!rest.empty()) {
      if (rest[0] != ':') return h::host_malformed;
      port = rest.substr(1);
      has_port = true;
    }
    const std::string inside = host.substr(1, host.size() - 2);
    if (inside.empty() || inside.find_first_of("[]") != std::string::npos) return h::host_malformed;
  } else {
    const std::size_t colon = v.find(':');
    if (colon != std::string::npos) {
      host = v.substr(0, colon);
      port = v.substr(colon + 1);
      has_port = true;
    }
    if (host.empty() || host.find_first_of("[]") != std::string::npos) return h::host_malformed;
  }
  if (has_port) {
    if (port.empty() || port.size() > 5) return h::host_malformed;
    for (char ch : port) {
      if (!ref::digit(ch)) return h::host_malformed;
    }
    if (std::stol(port) > 65535) return h::host_malformed;
  }
  const std::string lower = ref::lowercase(host);
  for (const std::string& n : host_names) {
    if (lower == n) return h::allowed;
  }
  if (lower == fixed_host_port_name && port == fixed_host_port) return h::allowed;
  return h::host_not_allowed;
}

cors::websocket_reason model_websocket(const inv::raw_request& r) {
  using w = cors::websocket_reason;
  const std::vector<std::string> origins = r.values("origin");
  if (origins.empty()) return w::no_origin;
  if (origins.size() > 1) return w::origin_multiple;
  // The WebSocket check trusts the policy only, not the CSRF guard's extra origins.
  const std::string o = ref::trim(origins[0]);
  bool named = false;
  for (const std::string& t : server_origins) named = named || o == t;
  const ref::origin parsed = ref::parse(o);
  if (parsed.valid && !parsed.is_null) {
    for (const std::string& pat : cors_origins) named = named || (pat != "*" && ref::pattern_allows(pat, parsed));
  }
  if (named) return w::allowed_origin;
  if (model_origin_is_host(origins, r.values("host"))) return w::same_origin;
  return w::origin_not_allowed;
}

struct fixture {
  cors::policy policy;
  cors::csrf_guard csrf;
  cors::host_guard hosts;

  static cors::config cors_config() {
    cors::config c;
    c.origins = cors_origins;
    c.server_origins = server_origins;
    return c;
  }
  static cors::csrf_config csrf_config() {
    cors::csrf_config c;
    c.trusted_origins = extra_trusted;
    for (const exemption& e : exemptions) c.exemptions.push_back({e.method, e.path, e.prefix});
    return c;
  }
  fixture()
      : policy(cors_config()),
        csrf(policy, csrf_config()),
        hosts(cors::host_guard_config{true, {"device.local", fixed_host_port_name + ":" + fixed_host_port}}) {}
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const fixture f;
  const std::vector<std::string_view> recs = harness::records(data, size);
  inv::raw_request r;
  r.method = recs.front();
  const std::string_view target = recs.size() > 1 ? recs[1] : std::string_view{};
  for (std::size_t i = 2; i < recs.size(); ++i) {
    const auto [name, value] = harness::name_value(recs[i]);
    r.lines.push_back({name, value});
  }
  const std::string context(reinterpret_cast<const char*>(data), size);
  cors::request_view v = r.view();
  v.target = target;

  cors::csrf_decision c;
  cors::host_decision h;
  cors::websocket_decision w;
  const long allocations = alloc_counter::during([&] {
    c = f.csrf.check(v);
    h = f.hosts.check(v);
    w = cors::check_websocket_upgrade(f.policy, v);
  });
  CORS_FUZZ_CHECK(allocations == 0, context);
  CORS_FUZZ_CHECK(c.why() == model_csrf(r, std::string(target)), context);
  CORS_FUZZ_CHECK(c.refused() == (c.status() == 403), context);
  CORS_FUZZ_CHECK(h.why() == model_host(r.values("host")), context);
  CORS_FUZZ_CHECK(w.why() == model_websocket(r), context);
  return 0;
}
