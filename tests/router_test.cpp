#include "cors/router.hpp"

#include "cors/detail/path_scan.hpp"

#include <algorithm>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "catch.hpp"

namespace {

cors::policy make_policy(std::string origin, bool credentials = false) {
  cors::config c;
  c.origins = {std::move(origin)};
  c.credentials = credentials;
  return cors::policy(c);
}

// A public API (any origin), a credentialed one for one origin, a private area without CORS.
struct fixture {
  cors::policy open = make_policy("*");
  cors::policy app = make_policy("https://app.example", true);
  cors::policy tenant = make_policy("https://tenant.example");
  cors::router r = cors::router(cors::router_config{{
                                                        {"", "/api/", open},
                                                        {"", "/api/private", std::nullopt},
                                                        {"", "/account", app},
                                                        {"tenant.example.com", "/api", tenant},
                                                    },
                                                    std::nullopt});
};

}  // namespace

TEST_CASE("router: the longest prefix wins, on segment boundaries", "[router]") {
  const fixture f;
  CHECK(f.r.size() == 4);
  CHECK(f.r.select("", "/api") == &*f.r.select("", "/api/"));
  CHECK(f.r.select("", "/api/v1/users")->allows_origin("https://any.example"));
  CHECK(f.r.select("", "/api/private") == nullptr);
  CHECK(f.r.select("", "/api/private/") == nullptr);
  CHECK(f.r.select("", "/api/private/keys") == nullptr);
  CHECK(f.r.select("", "/api/privateer") != nullptr);  // another segment: /api/ applies
  CHECK(f.r.select("", "/apiary") == nullptr);
  CHECK(f.r.select("", "/apikeys") == nullptr);
  CHECK(f.r.select("", "/ap") == nullptr);
  CHECK(f.r.select("", "/") == nullptr);
  CHECK(f.r.select("", "/account/settings")->allows_origin("https://app.example"));
  CHECK_FALSE(f.r.select("", "/account/settings")->allows_origin("https://any.example"));
}

TEST_CASE("router: a host's routes win on equal prefixes; other hosts get the host-less ones", "[router]") {
  const fixture f;
  const cors::policy* t = f.r.select("tenant.example.com", "/api/v1");
  REQUIRE(t != nullptr);
  CHECK(t->allows_origin("https://tenant.example"));
  CHECK_FALSE(t->allows_origin("https://other.example"));
  CHECK(f.r.select("TENANT.example.com", "/api/v1") == t);  // hosts compare case-insensitively
  // The host-less routes still apply to that host where they are longer.
  CHECK(f.r.select("tenant.example.com", "/api/private/x") == nullptr);
  CHECK(f.r.select("tenant.example.com", "/account")->allows_origin("https://app.example"));
  // Another host (or a port the route does not name) gets the host-less routes.
  CHECK(f.r.select("other.example.com", "/api/v1")->allows_origin("https://other.example"));
  CHECK(f.r.select("tenant.example.com:8443", "/api/v1")->allows_origin("https://other.example"));
}

TEST_CASE("router: the default policy applies where no route matches", "[router]") {
  const cors::policy fallback = make_policy("https://fallback.example");
  const cors::router r(cors::router_config{{{"", "/api", std::nullopt}}, fallback});
  CHECK(r.select("", "/api/x") == nullptr);
  REQUIRE(r.select("", "/other") != nullptr);
  CHECK(r.select("", "/other")->allows_origin("https://fallback.example"));
  // Without routes, no path can lead elsewhere: the default applies to every path.
  const cors::router only(cors::router_config{{}, fallback});
  CHECK(only.select("", "/a/../b") != nullptr);
  CHECK(only.select("", "//x;y") != nullptr);
  // A route for `/` is the default of its host.
  const cors::router root(cors::router_config{{{"a.example", "/", fallback}}, std::nullopt});
  CHECK(root.select("a.example", "/anything/at/all") != nullptr);
  CHECK(root.select("b.example", "/anything") == nullptr);
}

TEST_CASE("router: the query is ignored; its bytes never select a route", "[router]") {
  const fixture f;
  CHECK(f.r.select("", "/api/private?x=/api/") == nullptr);
  CHECK(f.r.select("", "/api?x") != nullptr);
  CHECK(f.r.select("", "/apiary?/api/") == nullptr);
  CHECK(f.r.select("", "/api/private/?") == nullptr);
}

// flask-cors CVE-2020-25032 and rack-cors CVE-2019-18978: path traversal reached a resource
// through a prefix that grants more. Dot segments, raw or escaped, and escaped slashes get no
// CORS at all, whatever a later normaliser makes of them.
TEST_CASE("router: advisory CVE-2020-25032 / CVE-2019-18978, path traversal gets no CORS", "[router][security]") {
  const fixture f;
  for (const std::string_view path :
       {"/api/../private", "/api/../account", "/api/./private", "/api/..", "/api/.", "/api/%2e%2e/private",
        "/api/%2E%2E/private", "/api/.%2e/private", "/api/%2e/x", "/api%2fprivate", "/api%2Fx", "/api/%5c..%5cx",
        "/api\\..\\private", "/api/%", "/api/%2", "/api/%zz"}) {
    INFO(path);
    CHECK(f.r.select("", path) == nullptr);
  }
  // A dot inside a segment is just a byte, and other escapes stay as they are.
  CHECK(f.r.select("", "/api/v1.2/..x") != nullptr);
  CHECK(f.r.select("", "/api/a%20b") != nullptr);
}

// flask-cors CVE-2024-6844: `+` in a path was turned into a space before matching.
TEST_CASE("router: advisory CVE-2024-6844, `+` is a plus, never a space", "[router][security]") {
  const cors::policy p = make_policy("https://a.example");
  const cors::router r(cors::router_config{{{"", "/a+b", p}}, std::nullopt});
  CHECK(r.select("", "/a+b/x") == &*r.select("", "/a+b"));
  CHECK(r.select("", "/a b/x") == nullptr);
  CHECK(r.select("", "/a%20b/x") == nullptr);
  CHECK(r.select("", "/a%2bb/x") == nullptr);  // an escaped `+` is another path (RFC 3986 reserved)
}

// flask-cors CVE-2024-6866: paths matched case-insensitively.
TEST_CASE("router: advisory CVE-2024-6866, paths are case-sensitive", "[router][security]") {
  const fixture f;
  CHECK(f.r.select("", "/API/") == nullptr);
  CHECK(f.r.select("", "/Api/v1") == nullptr);
  CHECK(f.r.select("", "/ACCOUNT") == nullptr);
  CHECK(f.r.select("", "/api/PRIVATE") != nullptr);  // not the private route: /api/ applies
}

// flask-cors CVE-2024-6839: a less specific pattern won over a more specific one.
TEST_CASE("router: advisory CVE-2024-6839, the most specific prefix wins whatever the order", "[router][security]") {
  const cors::policy open = make_policy("*");
  const cors::policy strict = make_policy("https://app.example", true);
  for (const bool open_first : {true, false}) {
    cors::router_config cfg;
    if (open_first) cfg.routes.push_back({"", "/api", open});
    cfg.routes.push_back({"", "/api/admin", strict});
    if (!open_first) cfg.routes.push_back({"", "/api", open});
    const cors::router r(cfg);
    CHECK_FALSE(r.select("", "/api/admin/users")->allows_origin("https://evil.example"));
    CHECK(r.select("", "/api/users")->allows_origin("https://evil.example"));
  }
}

TEST_CASE("router: empty segments, `;` and `#` get no CORS", "[router][security]") {
  const fixture f;
  for (const std::string_view path : {"//api", "//api/v1", "/api//private", "/api;x=1", "/api/private;x=1/", "/api#x",
                                      "/api/#/private", "", "*", "api", "http://h/api"}) {
    INFO(path);
    CHECK(f.r.select("", path) == nullptr);
  }
}

TEST_CASE("router: evaluate uses the request's Host and path", "[router]") {
  const fixture f;
  cors::request_view v =
      cors::make_request_view("GET", {{"Origin", "https://tenant.example"}, {"Host", "tenant.example.com"}});
  v.path = "/api/v1?q=1";
  CHECK(f.r.evaluate(v).grants_access());
  v.path = "/api/private";
  const cors::decision none = f.r.evaluate(v);
  CHECK(none.kind() == cors::request_kind::not_cors);
  CHECK(none.headers().empty());
  CHECK(none.next_action() == cors::action::forward);
  // Two Host lines: which one a framework routes on is unknown; no CORS.
  v = cors::make_request_view(
      "GET", {{"Origin", "https://tenant.example"}, {"Host", "tenant.example.com"}, {"Host", "other.example"}});
  v.path = "/api/v1";
  CHECK(f.r.select(v) == nullptr);
}

TEST_CASE("router: invalid routes are all reported", "[router]") {
  const cors::policy p = make_policy("https://a.example");
  const cors::router_result r = cors::router::make(cors::router_config{
      {{"", "api", p}, {"", "/a/../b", p}, {"", "/a%2f", p}, {"bad host", "/x", p}, {"", "/x", p}, {"", "/x/", p}},
      std::nullopt});
  REQUIRE_FALSE(r);
  REQUIRE(r.errors().size() == 5);
  CHECK(r.errors()[0].code == cors::config_error_code::route_path_prefix_invalid);
  CHECK(r.errors()[1].code == cors::config_error_code::route_path_prefix_invalid);
  CHECK(r.errors()[2].code == cors::config_error_code::route_path_prefix_invalid);
  CHECK(r.errors()[3].code == cors::config_error_code::route_host_invalid);
  CHECK(r.errors()[4].code == cors::config_error_code::route_duplicate);
  CHECK_THROWS_AS(cors::router(cors::router_config{{{"", "", p}}, std::nullopt}), cors::invalid_config);
}

TEST_CASE("router: a thousand routes, each found by its own path", "[router]") {
  const cors::policy p = make_policy("https://a.example");
  cors::router_config cfg;
  for (int i = 0; i < 1000; ++i) cfg.routes.push_back({"", "/t" + std::to_string(i) + "/api", p});
  cfg.routes.push_back({"", "/t7/api/none", std::nullopt});
  const cors::router r(cfg);
  for (int i = 0; i < 1000; ++i) CHECK(r.select("", "/t" + std::to_string(i) + "/api/x") != nullptr);
  CHECK(r.select("", "/t1000/api") == nullptr);
  CHECK(r.select("", "/t7/api/none/x") == nullptr);
  CHECK(r.select("", "/t7") == nullptr);
}

TEST_CASE("origin_predicate_with_request sees the request's host and path", "[router]") {
  cors::config c;
  std::string seen;
  c.origin_predicate_with_request = [&seen](std::string_view origin, std::string_view host, std::string_view path) {
    seen = std::string(origin) + " " + std::string(host) + " " + std::string(path);
    return host == "t1.example.com" && origin == "https://t1.example";
  };
  const cors::policy p(c);
  cors::request_view v = cors::make_request_view("GET", {{"Origin", "https://t1.example"}, {"Host", "t1.example.com"}});
  v.path = "/x?y";
  CHECK(p.evaluate(v).grants_access());
  CHECK(seen == "https://t1.example t1.example.com /x");
  v = cors::make_request_view("GET", {{"Origin", "https://t1.example"}, {"Host", "t2.example.com"}});
  CHECK_FALSE(p.evaluate(v).grants_access());
  // With both predicates, either one allows.
  c.origin_predicate = [](std::string_view origin) { return origin == "https://plain.example"; };
  const cors::policy both(c);
  CHECK(both.evaluate(cors::make_request_view("GET", {{"Origin", "https://plain.example"}})).grants_access());
  CHECK_FALSE(both.evaluate(cors::make_request_view("GET", {{"Origin", "https://t1.example"}})).grants_access());
}

namespace {

// The router's rules written the obvious way, one byte and one route at a time: the reference
// the mask-based select() is compared with.
struct reference_route {
  std::string host;
  std::string prefix;  // as router stores it: no trailing `/`, `/` as ""
  const cors::policy* policy;
};

bool reference_is_kept_escape(std::string_view path, std::size_t i) {
  const auto hex = [](char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  if (i + 2 >= path.size() || hex(path[i + 1]) < 0 || hex(path[i + 2]) < 0) return false;
  const char c = static_cast<char>(hex(path[i + 1]) * 16 + hex(path[i + 2]));
  const bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                          c == '.' || c == '_' || c == '~';
  return !unreserved && c != '/' && c != '\\';
}

const cors::policy* reference_select(const std::vector<reference_route>& routes, const cors::policy* fallback,
                                     std::string_view host, std::string_view path) {
  if (path.empty() || path[0] != '/') return nullptr;
  const std::string_view p = path.substr(0, path.find('?'));
  for (std::size_t i = 0; i < p.size(); ++i) {
    const char c = p[i];
    if (c == '\\' || c == ';' || c == '#') return nullptr;
    if (c == '%' && !reference_is_kept_escape(path, i)) return nullptr;
    if (c != '/') continue;
    const std::string_view segment = p.substr(i + 1, p.find('/', i + 1) - (i + 1));
    if (segment == "." || segment == "..") return nullptr;
    if (i + 1 < p.size() && segment.empty()) return nullptr;  // `//`
  }
  const reference_route* best = nullptr;
  for (const reference_route& r : routes) {
    if (!r.host.empty() && r.host != host) continue;
    const bool matches = p == r.prefix || (p.substr(0, r.prefix.size()) == r.prefix && p[r.prefix.size()] == '/');
    if (!matches) continue;
    if (best == nullptr || r.prefix.size() > best->prefix.size() ||
        (r.prefix.size() == best->prefix.size() && !r.host.empty())) {
      best = &r;
    }
  }
  return best != nullptr ? best->policy : fallback;
}

struct differential_fixture {
  cors::policy a = make_policy("https://a.example");
  cors::policy b = make_policy("https://b.example");
  cors::policy c = make_policy("https://c.example");
  cors::policy d = make_policy("https://d.example");
  cors::policy fallback = make_policy("https://fallback.example");
  std::string long_prefix = "/a/" + std::string(70, 'a');
  cors::router r = cors::router(cors::router_config{{
                                                        {"", "/a", a},
                                                        {"", "/a/b/", b},
                                                        {"", "/a.b", c},
                                                        {"", "/b/a", std::nullopt},
                                                        {"", "/a/b/a/b/a", d},
                                                        {"", long_prefix, c},
                                                        {"h", "/a/b", a},
                                                        {"h", "/b", d},
                                                    },
                                                    fallback});
  std::vector<reference_route> reference;
  differential_fixture() {
    // The compiled router holds copies of the policies: take its pointers from unambiguous paths.
    reference = {{"", "/a", r.select("", "/a")},
                 {"", "/a/b", r.select("", "/a/b")},
                 {"", "/a.b", r.select("", "/a.b")},
                 {"", "/b/a", nullptr},
                 {"", "/a/b/a/b/a", r.select("", "/a/b/a/b/a")},
                 {"", long_prefix, r.select("", long_prefix)},
                 {"h", "/a/b", r.select("h", "/a/b")},
                 {"h", "/b", r.select("h", "/b")}};
  }
  void check(std::string_view host, std::string_view path) const {
    INFO("host " << host << " path " << path);
    CHECK(r.select(host, path) == reference_select(reference, r.default_policy(), host, path));
  }
};

}  // namespace

TEST_CASE("router: select agrees with a byte-at-a-time reference on generated paths", "[router][security]") {
  const differential_fixture f;
  REQUIRE(f.reference[0].policy != f.reference[1].policy);
  REQUIRE(f.reference[1].policy != nullptr);
  // Every rule's byte at every offset of paths of 1 to 80 bytes (the masks cover 64; longer paths
  // take the byte loop), on a base path that has segments of every length a route has.
  const std::string base = "/a/b/a/b/a/" + std::string(75, 'a');
  for (std::size_t length = 1; length <= 80; ++length) {
    const std::string path = base.substr(0, length);
    f.check("", path);
    f.check("h", path);
    for (std::size_t at = 0; at < length; ++at) {
      for (const std::string_view insert : {"/",  ".", "..", "?",  "%",   "%2e", "%2F",  "%41", "%20",  "%zz",
                                            "\\", ";", "#",  "/.", "/..", "/./", "/../", "//",  "?/..", "+"}) {
        std::string p = path;
        p.insert(at, insert);
        f.check("", p);
        p = path;
        p.replace(at, std::min(insert.size(), length - at), insert);
        f.check("", p);
        f.check("h", p);
      }
    }
  }
  // Random paths over the bytes the rules look at (a fixed seed: the same paths on every run).
  std::mt19937 random(15);
  const std::string_view alphabet = "//////aaab..%%2eEfF5c?\\;#+";
  for (int i = 0; i < 200000; ++i) {
    const std::size_t length = 1 + random() % 90;
    std::string p(length, 'a');
    for (char& ch : p) ch = alphabet[random() % alphabet.size()];
    if (random() % 4 != 0) p[0] = '/';
    f.check(random() % 2 != 0 ? "h" : "", p);
  }
}

TEST_CASE("router: the SSE2 path classification agrees with the byte loop", "[router]") {
  std::mt19937 random(64);
  const std::string_view alphabet = "/.?%\\;#a\x80\xff";
  for (int i = 0; i < 20000; ++i) {
    const std::size_t n = random() % 65;
    // Exactly n bytes on the heap: a read past them is an AddressSanitizer error.
    const std::unique_ptr<char[]> bytes(new char[n == 0 ? 1 : n]);
    for (std::size_t k = 0; k < n; ++k) bytes[k] = alphabet[random() % alphabet.size()];
    const cors::detail::path_masks fast = cors::detail::classify_path(bytes.get(), n);
    const cors::detail::path_masks slow = cors::detail::classify_path_bytes(bytes.get(), n);
    INFO("n " << n << " bytes " << std::string_view(bytes.get(), n));
    CHECK(fast.slash == slow.slash);
    CHECK(fast.dot == slow.dot);
    CHECK(fast.special == slow.special);
  }
}
