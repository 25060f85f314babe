// Focused properties of cors::policy beyond the decision matrix.
#include <cors/policy.hpp>

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "catch.hpp"
#include "policy_for.hpp"

TEST_CASE("`*.example.com` matches one or more labels below, never the apex or a look-alike") {
  const auto p = testing::policy_for({"https://*.example.com"});
  CHECK(p.allows_origin("https://a.example.com"));
  CHECK(p.allows_origin("https://a.b.c.example.com"));
  CHECK(p.allows_origin("https://xn--53h.example.com"));
  CHECK_FALSE(p.allows_origin("https://example.com"));
  CHECK_FALSE(p.allows_origin("https://badexample.com"));
  CHECK_FALSE(p.allows_origin("https://example.community"));
  CHECK_FALSE(p.allows_origin("https://a.example.com.evil.com"));
  CHECK_FALSE(p.allows_origin("http://a.example.com"));
  CHECK_FALSE(p.allows_origin("https://a.example.com:8443"));
  CHECK_FALSE(p.allows_origin("https://.example.com"));
}

TEST_CASE("wildcard patterns with ports and with any port") {
  const auto p = testing::policy_for({"https://*.example.com:8443", "https://*.dev.example.org:*"});
  CHECK(p.allows_origin("https://a.example.com:8443"));
  CHECK_FALSE(p.allows_origin("https://a.example.com"));
  CHECK_FALSE(p.allows_origin("https://a.example.com:8444"));
  CHECK(p.allows_origin("https://a.dev.example.org"));
  CHECK(p.allows_origin("https://a.dev.example.org:1"));
  CHECK_FALSE(p.allows_origin("https://dev.example.org:1"));
}

// Wildcard patterns are matched before the whole `Origin` is parsed (policy::matches_subdomain);
// whatever the pattern does not pin down must still be validated as parse_origin() would.
TEST_CASE("a wildcard match still refuses every malformed origin around the matching parent") {
  const auto p = testing::policy_for({"https://*.example.com", "https://*.example.org:*", "https://*.example.net:8443",
                                      "foo+bar.baz://*.example.com", "https://*.x1.example"});
  CHECK(p.allows_origin("foo+bar.baz://a.example.com"));
  CHECK(p.allows_origin("https://a-b.c0.example.com"));
  CHECK(p.allows_origin("https://a.x1.example"));
  const auto all_refused = [&p](std::initializer_list<const char*> origins) {
    for (const char* bad : origins) {
      INFO(bad);
      CHECK_FALSE(p.allows_origin(bad));
    }
  };
  // Labels in front of the parent.
  all_refused({"https://-a.example.com", "https://a-.example.com", "https://a..example.com", "https://.a.example.com",
               "https://A.example.com", "https://a_b.example.com", "https://a:b.example.com",
               "https://[::1].example.com", "https://a/b.example.com", "https://a b.example.com",
               "https://\xc3\xa9.example.com", "https://@a.example.com"});
  // Scheme and separator.
  all_refused({"https:/a.example.com", "https:a.example.com", "Https://a.example.com", "foo+bar.baz:/a.example.com",
               "https//a.example.com", "://a.example.com", "a.example.com"});
  // Ports: a pattern without one takes none, `:*` takes any canonical port but the default, a fixed
  // port only itself.
  CHECK(p.allows_origin("https://a.example.org"));
  CHECK(p.allows_origin("https://a.example.org:0"));
  CHECK(p.allows_origin("https://a.example.org:65535"));
  CHECK(p.allows_origin("https://a.example.net:8443"));
  all_refused({"https://a.example.com:8443", "https://a.example.com:", "https://a.example.org:",
               "https://a.example.org:443", "https://a.example.org:65536", "https://a.example.org:080",
               "https://a.example.org:123456", "https://a.example.org:1:2", "https://a.example.org::1",
               "https://a.example.org:1a", "https://a.example.net:08443", "https://a.example.net:84430",
               "https://a.example.net", "https://a.example.net:8443/", "https://a.example.com/",
               "https://a.example.com.", "https://a.example.com:x.example.com"});
  // Over-long values are refused before anything reads them.
  CHECK_FALSE(p.allows_origin("https://" + std::string(cors::max_origin_length, 'a') + ".example.com"));
  CHECK(p.allows_origin("https://" + std::string(63, 'a') + ".example.com"));
}

TEST_CASE("`host:*` matches every port, including the default one") {
  const auto p = testing::policy_for({"http://localhost:*"});
  CHECK(p.allows_origin("http://localhost"));
  CHECK(p.allows_origin("http://localhost:0"));
  CHECK(p.allows_origin("http://localhost:65535"));
  CHECK_FALSE(p.allows_origin("http://localhost:65536"));
  CHECK_FALSE(p.allows_origin("http://localhost:80"));  // never sent: default port
  CHECK_FALSE(p.allows_origin("https://localhost:3000"));
  CHECK_FALSE(p.allows_origin("http://localhost.evil.com:3000"));
  CHECK_FALSE(p.allows_origin("http://sub.localhost:3000"));
}

TEST_CASE("exact origins match byte for byte") {
  const auto p =
      testing::policy_for({"https://foo.com", "https://bar.com", "http://[::1]:3000", "http://127.0.0.1:8080"});
  CHECK(p.allows_origin("https://foo.com"));
  CHECK(p.allows_origin("https://bar.com"));
  CHECK_FALSE(p.allows_origin("https://barfoo.com"));
  CHECK_FALSE(p.allows_origin("https://foobar.com"));
  CHECK_FALSE(p.allows_origin("https://foo.co"));
  CHECK_FALSE(p.allows_origin("https://FOO.com"));
  CHECK(p.allows_origin("http://[::1]:3000"));
  CHECK_FALSE(p.allows_origin("http://[0:0:0:0:0:0:0:1]:3000"));
  CHECK(p.allows_origin("http://127.0.0.1:8080"));
  CHECK_FALSE(p.allows_origin("http://127.0.0.01:8080"));
}

TEST_CASE("the origin predicate is consulted after the static patterns, with validated origins only") {
  cors::config c;
  c.origins = {"https://static.example"};
  std::vector<std::string>* seen = new std::vector<std::string>;
  c.origin_predicate = [seen](std::string_view o) {
    seen->emplace_back(o);
    return o == "https://tenant1.example";
  };
  {
    const cors::policy p = testing::policy_for(c);
    CHECK(p.allows_origin("https://static.example"));
    CHECK(p.allows_origin("https://tenant1.example"));
    CHECK_FALSE(p.allows_origin("https://tenant2.example"));
    CHECK_FALSE(p.allows_origin("null"));
    CHECK_FALSE(p.allows_origin("https://TENANT1.example"));
  }
  CHECK(*seen == std::vector<std::string>{"https://tenant1.example", "https://tenant2.example"});
  delete seen;
}

TEST_CASE("a policy outlives its config and copies share the compiled state") {
  std::optional<cors::policy> copy;
  {
    cors::config c;
    c.origins = {"https://app.example.com"};
    const cors::policy p = testing::policy_for(c);
    copy.emplace(p);
  }
  CHECK(copy->allows_origin("https://app.example.com"));
}

TEST_CASE("wildcard patterns sharing a parent domain keep every scheme and port, however many there are") {
  // Grouping patterns by suffix runs through a table that is a short array up to eight suffixes
  // and a hash table beyond: both sizes, each suffix listed under two schemes and ports.
  for (const int parents : {3, 40}) {
    std::vector<std::string> origins;
    for (int i = 0; i < parents; ++i) {
      origins.push_back("https://*.s" + std::to_string(i) + ".example");
      origins.push_back("wss://*.s" + std::to_string(i) + ".example:8443");
      origins.push_back("https://*.s" + std::to_string(i) + ".example");  // a repeat changes nothing
    }
    const auto p = testing::policy_for(origins);
    for (int i = 0; i < parents; ++i) {
      const std::string parent = ".s" + std::to_string(i) + ".example";
      CAPTURE(parents, parent);
      CHECK(p.allows_origin("https://a" + parent));
      CHECK(p.allows_origin("wss://a.b" + parent + ":8443"));
      CHECK_FALSE(p.allows_origin("wss://a" + parent));
      CHECK_FALSE(p.allows_origin("https://a" + parent + ":8443"));
      CHECK_FALSE(p.allows_origin("http://a" + parent));
    }
    CHECK_FALSE(p.allows_origin("https://a.s" + std::to_string(parents) + ".example"));
  }
}

TEST_CASE("configured text far larger than one storage chunk stays intact") {
  // The policy copies configured strings into 16 KiB chunks: thousands of origins span several,
  // and a list longer than a chunk gets one of its own.
  cors::config c;
  for (int i = 0; i < 3000; ++i) c.origins.push_back("https://origin-number-" + std::to_string(i) + ".example.com");
  std::string expected;
  for (int i = 0; i < 3000; ++i) {
    c.exposed_headers.push_back("X-Exposed-" + std::to_string(i));
    expected += (i == 0 ? "" : ", ") + c.exposed_headers.back();
  }
  REQUIRE(expected.size() > 16 * 1024);
  const cors::policy p = testing::policy_for(c);
  for (int i = 0; i < 3000; ++i) {
    const std::string origin = "https://origin-number-" + std::to_string(i) + ".example.com";
    CAPTURE(origin);
    REQUIRE(p.allows_origin(origin));
  }
  cors::request_view r{};
  r.method = "GET";
  r.origin.add("https://origin-number-2999.example.com");
  const cors::decision d = p.evaluate(r);
  CHECK(d.header("Access-Control-Expose-Headers") == expected);
  CHECK(d.header("Access-Control-Allow-Origin") == "https://origin-number-2999.example.com");
}
