// One table of origin edge cases, read by every layer: the request-side parser
// (origin_test.cpp), the config-side pattern parser (origin_pattern_test.cpp), the policy
// (policy_test.cpp), the adapters (adapters/beast_test.cpp, adapters/httplib_test.cpp,
// adapters/restinio_test.cpp) and the security suite (security/origin_bypass_test.cpp). Add a case
// here, not to a list in one of those files.
#ifndef CORS_TESTS_ORIGIN_CASES_HPP
#define CORS_TESTS_ORIGIN_CASES_HPP

#include <cors/errors.hpp>
#include <cors/origin.hpp>
#include <cors/origin_pattern.hpp>

#include <initializer_list>
#include <string>
#include <vector>

namespace origin_cases {

/// What parse_origin() says of a value sent as the `Origin` header (with the host kind when ok).
enum class origin_as { domain, ipv4, ipv6, null, malformed };

/// What parse_origin_pattern() says of it as a configured origin: a kind, or a refusal's code.
struct pattern_as {
  bool accepted = false;
  cors::origin_pattern_kind kind = cors::origin_pattern_kind::exact;
  bool any_port = false;
  cors::config_error_code error = {};

  static constexpr pattern_as refused(cors::config_error_code code) {
    return {false, cors::origin_pattern_kind::exact, false, code};
  }
};
namespace P {
inline constexpr pattern_as any{true, cors::origin_pattern_kind::any, false, {}};
inline constexpr pattern_as null{true, cors::origin_pattern_kind::null, false, {}};
inline constexpr pattern_as exact{true, cors::origin_pattern_kind::exact, false, {}};
inline constexpr pattern_as any_port{true, cors::origin_pattern_kind::any_port, true, {}};
inline constexpr pattern_as subdomains{true, cors::origin_pattern_kind::subdomains, false, {}};
inline constexpr pattern_as subdomains_any_port{true, cors::origin_pattern_kind::subdomains, true, {}};
constexpr pattern_as refused(cors::config_error_code code) { return pattern_as::refused(code); }
}  // namespace P

/// Scheme, host and port: of the origin when parse_origin() accepts it, else of the pattern (for
/// `*.` patterns the host is the parent domain); empty when neither has them.
struct parts {
  std::string scheme;
  std::string host;
  std::string port;
};

struct origin_case {
  std::string value;
  origin_as request;
  pattern_as pattern;
  parts split;
  std::string hint;  // part of the fix-it message when refused as a pattern ("" when not checked)
  std::string note;
};

/// Every origin edge case, each with both readings.
inline const std::vector<origin_case>& origins() {
  using O = origin_as;
  using E = cors::config_error_code;
  // Notes, one per group of rows.
  constexpr const char* browser = "serialized by a browser";
  constexpr const char* null_value = "`null` is its own value";
  constexpr const char* null_exact = "`null` is case-sensitive and exact";
  constexpr const char* never_sent = "never sent by a browser, never normalised";
  constexpr const char* ipv6_zeros = "IPv6 serializer: first longest zero run compressed";
  constexpr const char* pattern = "a valid config pattern";
  constexpr const char* refused = "a refused config pattern";
  static const std::vector<origin_case> all = {
      {"https://app.example.com", O::domain, P::exact, {"https", "app.example.com", ""}, "", browser},
      {"http://localhost:8080", O::domain, P::exact, {"http", "localhost", "8080"}, "", browser},
      {"http://127.0.0.1:3000", O::ipv4, P::exact, {"http", "127.0.0.1", "3000"}, "", browser},
      {"http://[::1]:3000", O::ipv6, P::exact, {"http", "[::1]", "3000"}, "", browser},
      {"https://[2001:db8::1]", O::ipv6, P::exact, {"https", "[2001:db8::1]", ""}, "", browser},
      {"https://[2001:db8:0:1:1:1:1:1]", O::ipv6, P::exact, {"https", "[2001:db8:0:1:1:1:1:1]", ""}, "", browser},
      {"https://[::ffff:c000:280]", O::ipv6, P::exact, {"https", "[::ffff:c000:280]", ""}, "", browser},
      {"https://xn--53h.example", O::domain, P::exact, {"https", "xn--53h.example", ""}, "", browser},
      {"http://a.example:0", O::domain, P::exact, {"http", "a.example", "0"}, "", browser},
      {"http://a.example:65535", O::domain, P::exact, {"http", "a.example", "65535"}, "", browser},
      {"http://a.example:443", O::domain, P::exact, {"http", "a.example", "443"}, "", browser},
      {"https://a.example:80", O::domain, P::exact, {"https", "a.example", "80"}, "", browser},
      {"chrome-extension://abcdefghijklmnop",
       O::domain,
       P::exact,
       {"chrome-extension", "abcdefghijklmnop", ""},
       "",
       browser},
      {"web+app.x-1://host", O::domain, P::exact, {"web+app.x-1", "host", ""}, "", browser},
      {"https://a-b.c0.example", O::domain, P::exact, {"https", "a-b.c0.example", ""}, "", browser},
      {"https://1.example", O::domain, P::exact, {"https", "1.example", ""}, "", browser},
      {"null", O::null, P::null, {}, "", null_value},
      {"Null", O::malformed, P::refused(E::origin_has_uppercase), {}, "", null_exact},
      {"NULL", O::malformed, P::refused(E::origin_has_uppercase), {}, "", null_exact},
      {"null ", O::malformed, P::refused(E::origin_missing_scheme), {}, "", null_exact},
      {"", O::malformed, P::refused(E::origin_missing_scheme), {}, "is empty; remove the empty entry", never_sent},
      {"https://", O::malformed, P::refused(E::origin_bad_host), {}, "has no host", never_sent},
      {"https:/a.example", O::malformed, P::refused(E::origin_missing_scheme), {}, "", never_sent},
      {"//a.example", O::malformed, P::refused(E::origin_missing_scheme), {}, "", never_sent},
      {"a.example", O::malformed, P::refused(E::origin_missing_scheme), {}, "", never_sent},
      {"HTTPS://a.example", O::malformed, P::refused(E::origin_has_uppercase), {}, "", never_sent},
      {"https://A.example", O::malformed, P::refused(E::origin_has_uppercase), {}, "", never_sent},
      {"https://a.example/", O::malformed, P::refused(E::origin_has_path), {}, "", never_sent},
      {"https://a.example/path", O::malformed, P::refused(E::origin_has_path), {}, "", never_sent},
      {"https://a.example?q", O::malformed, P::refused(E::origin_has_query_or_fragment), {}, "", never_sent},
      {"https://a.example#f", O::malformed, P::refused(E::origin_has_query_or_fragment), {}, "", never_sent},
      {"https://user@a.example", O::malformed, P::refused(E::origin_has_userinfo), {}, "", never_sent},
      {"https://user:pw@a.example", O::malformed, P::refused(E::origin_has_userinfo), {}, "", never_sent},
      {"https://a.example:443", O::malformed, P::refused(E::origin_default_port), {}, "", never_sent},
      {"http://a.example:80", O::malformed, P::refused(E::origin_default_port), {}, "", never_sent},
      {"wss://a.example:443", O::malformed, P::refused(E::origin_default_port), {}, "", never_sent},
      {"ws://a.example:80", O::malformed, P::refused(E::origin_default_port), {}, "", never_sent},
      {"ftp://a.example:21", O::malformed, P::refused(E::origin_default_port), {}, "", never_sent},
      {"https://a.example:", O::malformed, P::refused(E::origin_bad_port), {}, "", never_sent},
      {"https://a.example:08443", O::malformed, P::refused(E::origin_bad_port), {}, "", never_sent},
      {"https://a.example:65536", O::malformed, P::refused(E::origin_bad_port), {}, "", never_sent},
      {"https://a.example:123456", O::malformed, P::refused(E::origin_bad_port), {}, "", never_sent},
      {"https://a.example:-1", O::malformed, P::refused(E::origin_bad_port), {}, "", never_sent},
      {"https://a.example:8o", O::malformed, P::refused(E::origin_bad_port), {}, "", never_sent},
      {"https://a.example.", O::malformed, P::refused(E::origin_bad_host), {}, "", never_sent},
      {"https://.a.example", O::malformed, P::refused(E::origin_bad_host), {}, "", never_sent},
      {"https://a..example", O::malformed, P::refused(E::origin_bad_host), {}, "", never_sent},
      {"https://-a.example", O::malformed, P::refused(E::origin_bad_host), {}, "", never_sent},
      {"https://a-.example", O::malformed, P::refused(E::origin_bad_host), {}, "", never_sent},
      {"https://a_b.example", O::malformed, P::refused(E::origin_bad_host), {}, "invalid host", never_sent},
      {"https://a example", O::malformed, P::refused(E::origin_bad_host), {}, "", never_sent},
      {" https://a.example", O::malformed, P::refused(E::origin_bad_scheme), {}, "", never_sent},
      {"https://a.example\t", O::malformed, P::refused(E::origin_bad_host), {}, "", never_sent},
      {"https://a.example\r\n", O::malformed, P::refused(E::origin_bad_host), {}, "", never_sent},
      {"https:\\\\a.example", O::malformed, P::refused(E::origin_missing_scheme), {}, "", never_sent},
      {"https://a.example\\", O::malformed, P::refused(E::origin_bad_host), {}, "", never_sent},
      {"https://%61.example", O::malformed, P::refused(E::origin_bad_host), {}, "", never_sent},
      {"https://\xe2\x98\x95.example", O::malformed, P::refused(E::origin_has_non_ascii), {}, "punycode", never_sent},
      {"https://a.example,https://b.example", O::malformed, P::refused(E::origin_has_path), {}, "", never_sent},
      {"https://1.2.3.256", O::malformed, P::refused(E::origin_bad_host), {}, "invalid host", never_sent},
      {"https://01.2.3.4", O::malformed, P::refused(E::origin_bad_host), {}, "", never_sent},
      {"https://1.2.3", O::malformed, P::refused(E::origin_bad_host), {}, "", never_sent},
      {"https://1.2.3.4.5", O::malformed, P::refused(E::origin_bad_host), {}, "", never_sent},
      {"https://a.0x1f", O::malformed, P::refused(E::origin_bad_host), {}, "", never_sent},
      {"https://example.123", O::malformed, P::refused(E::origin_bad_host), {}, "", never_sent},
      {"https://[::1", O::malformed, P::refused(E::origin_bad_host), {}, "", never_sent},
      {"https://::1", O::malformed, P::refused(E::origin_bad_host), {}, "", never_sent},
      {"https://[::0:1]", O::malformed, P::refused(E::origin_bad_host), {}, "shortest form", never_sent},
      {"https://[0:0:0:0:0:0:0:1]", O::malformed, P::refused(E::origin_bad_host), {}, "", never_sent},
      {"https://[::FFFF:c000:280]", O::malformed, P::refused(E::origin_has_uppercase), {}, "", never_sent},
      {"https://[2001:db8::0:1]", O::malformed, P::refused(E::origin_bad_host), {}, "", never_sent},
      {"https://[2001:0db8::1]", O::malformed, P::refused(E::origin_bad_host), {}, "", never_sent},
      {"https://[::ffff:192.0.2.128]", O::malformed, P::refused(E::origin_bad_host), {}, "", never_sent},
      {"https://[1::1::1]", O::malformed, P::refused(E::origin_bad_host), {}, "", never_sent},
      {"https://[1:2:3:4:5:6:7:8:9]", O::malformed, P::refused(E::origin_bad_host), {}, "", never_sent},
      {"https://[1:2:3:4:5:6:7]", O::malformed, P::refused(E::origin_bad_host), {}, "", never_sent},
      {"https://[2001:db8:0:0:1:0:0:1]", O::malformed, P::refused(E::origin_bad_host), {}, "", never_sent},
      {"https://[::1]:", O::malformed, P::refused(E::origin_bad_port), {}, "", never_sent},
      {"1https://a.example", O::malformed, P::refused(E::origin_bad_scheme), {}, "", never_sent},
      {"ht tp://a.example", O::malformed, P::refused(E::origin_bad_scheme), {}, "", never_sent},
      {"https://a.example:443/", O::malformed, P::refused(E::origin_has_path), {}, "", never_sent},
      {"https://[2001:db8:0:0:1::1]", O::malformed, P::refused(E::origin_bad_host), {}, "", ipv6_zeros},
      {"https://[2001:db8::1:0:0:1]", O::ipv6, P::exact, {"https", "[2001:db8::1:0:0:1]", ""}, "", ipv6_zeros},
      {"https://[1:0:0:2::3]", O::ipv6, P::exact, {"https", "[1:0:0:2::3]", ""}, "", ipv6_zeros},
      {"https://[1::2:0:0:0:3]", O::malformed, P::refused(E::origin_bad_host), {}, "", ipv6_zeros},
      {"https://[1::2:0:0:3]", O::ipv6, P::exact, {"https", "[1::2:0:0:3]", ""}, "", ipv6_zeros},
      {"https://[::]", O::ipv6, P::exact, {"https", "[::]", ""}, "", ipv6_zeros},
      {"https://[1:0:1:1:1:1:1:1]", O::ipv6, P::exact, {"https", "[1:0:1:1:1:1:1:1]", ""}, "", ipv6_zeros},
      {"https://[1::1:1:1:1:1:1]", O::malformed, P::refused(E::origin_bad_host), {}, "", ipv6_zeros},
      {"*", O::malformed, P::any, {}, "", pattern},
      {"http://127.0.0.1", O::ipv4, P::exact, {"http", "127.0.0.1", ""}, "", pattern},
      {"http://localhost:*", O::malformed, P::any_port, {"http", "localhost", ""}, "", pattern},
      {"https://*.example.com", O::malformed, P::subdomains, {"https", "example.com", ""}, "", pattern},
      {"https://*.example.com:8443", O::malformed, P::subdomains, {"https", "example.com", "8443"}, "", pattern},
      {"https://*.example.com:*", O::malformed, P::subdomains_any_port, {"https", "example.com", ""}, "", pattern},
      {"http://*.localhost", O::malformed, P::subdomains, {"http", "localhost", ""}, "", pattern},
      {"chrome-extension://abcdef", O::domain, P::exact, {"chrome-extension", "abcdef", ""}, "", pattern},
      {"example.com", O::malformed, P::refused(E::origin_missing_scheme), {}, "`https://example.com`", refused},
      {"https://example.com/",
       O::malformed,
       P::refused(E::origin_has_path),
       {},
       "did you mean `https://example.com`?",
       refused},
      {"https://example.com/app",
       O::malformed,
       P::refused(E::origin_has_path),
       {},
       "did you mean `https://example.com`?",
       refused},
      {"https://example.com?x=1",
       O::malformed,
       P::refused(E::origin_has_query_or_fragment),
       {},
       "`https://example.com`",
       refused},
      {"https://example.com#top",
       O::malformed,
       P::refused(E::origin_has_query_or_fragment),
       {},
       "`https://example.com`",
       refused},
      {"https://user@example.com",
       O::malformed,
       P::refused(E::origin_has_userinfo),
       {},
       "only scheme, host and port",
       refused},
      {"https://Example.com",
       O::malformed,
       P::refused(E::origin_has_uppercase),
       {},
       "write `https://example.com`",
       refused},
      {"HTTPS://example.com",
       O::malformed,
       P::refused(E::origin_has_uppercase),
       {},
       "write `https://example.com`",
       refused},
      {"1https://example.com", O::malformed, P::refused(E::origin_bad_scheme), {}, "a scheme is", refused},
      {"https://example.com.", O::malformed, P::refused(E::origin_bad_host), {}, "trailing dot", refused},
      {"https://example.com:65536", O::malformed, P::refused(E::origin_bad_port), {}, "0 to 65535", refused},
      {"https://example.com:08443", O::malformed, P::refused(E::origin_bad_port), {}, "leading zeros", refused},
      {"https://example.com:", O::malformed, P::refused(E::origin_bad_port), {}, "0 to 65535", refused},
      {"https://example.com:443",
       O::malformed,
       P::refused(E::origin_default_port),
       {},
       "write `https://example.com`",
       refused},
      {"http://example.com:80",
       O::malformed,
       P::refused(E::origin_default_port),
       {},
       "write `http://example.com`",
       refused},
      {"https://*.com", O::malformed, P::refused(E::origin_wildcard_too_broad), {}, "`https://*.example.com`", refused},
      {"https://*", O::malformed, P::refused(E::origin_bad_wildcard), {}, "`scheme://*.example.com`", refused},
      {"https://a.*.example.com", O::malformed, P::refused(E::origin_bad_wildcard), {}, "whole leading label", refused},
      {"https://*example.com", O::malformed, P::refused(E::origin_bad_wildcard), {}, "whole leading label", refused},
      {"https://**.example.com", O::malformed, P::refused(E::origin_bad_wildcard), {}, "whole leading label", refused},
      {"*://example.com", O::malformed, P::refused(E::origin_bad_scheme), {}, "a scheme is", refused},
      {"https://*.1.2.3.4", O::malformed, P::refused(E::origin_bad_wildcard), {}, "IP addresses", refused},
      {"https://*.*.example.com", O::malformed, P::refused(E::origin_bad_host), {}, "after `*.`", refused},
      {"https://example.com:8*", O::malformed, P::refused(E::origin_bad_port), {}, "`*` for any port", refused},
      {" https://example.com",
       O::malformed,
       P::refused(E::origin_bad_scheme),
       {},
       "has leading white space; write `https://example.com`",
       refused},
  };
  return all;
}

/// A policy allowing exactly `patterns` allows `origin` (or not).
struct match_case {
  std::vector<std::string> patterns;
  std::string origin;
  bool matches;
  std::string note;
};

inline const std::vector<match_case>& matches() {
  static const std::vector<match_case> all = [] {
    std::vector<match_case> m;
    const auto add = [&m](const std::vector<std::string>& patterns, bool matches, const std::string& note,
                          std::initializer_list<const char*> origins) {
      for (const char* o : origins) m.push_back({patterns, o, matches, note});
    };
    // `*.example.com`: one or more labels below, never the apex or a look-alike.
    const std::vector<std::string> sub = {"https://*.example.com"};
    add(sub, true, "one or more labels below the parent",
        {"https://a.example.com", "https://a.b.c.example.com", "https://xn--53h.example.com"});
    add(sub, false, "the apex, a look-alike, another scheme or port, an empty label",
        {"https://example.com", "https://badexample.com", "https://example.community", "https://a.example.com.evil.com",
         "http://a.example.com", "https://a.example.com:8443", "https://.example.com"});

    // Wildcard patterns with a port and with any port.
    const std::vector<std::string> ports = {"https://*.example.com:8443", "https://*.dev.example.org:*"};
    add(ports, true, "a fixed port, or any port",
        {"https://a.example.com:8443", "https://a.dev.example.org", "https://a.dev.example.org:1"});
    add(ports, false, "another port, or the apex with any port",
        {"https://a.example.com", "https://a.example.com:8444", "https://dev.example.org:1"});

    // Wildcard patterns are matched before the whole `Origin` is parsed: whatever the pattern does
    // not pin down must still be validated as parse_origin() would.
    const std::vector<std::string> around = {"https://*.example.com", "https://*.example.org:*",
                                             "https://*.example.net:8443", "foo+bar.baz://*.example.com",
                                             "https://*.x1.example"};
    add(around, true, "labels, scheme and port around a matching parent",
        {"foo+bar.baz://a.example.com", "https://a-b.c0.example.com", "https://a.x1.example", "https://a.example.org",
         "https://a.example.org:0", "https://a.example.org:65535", "https://a.example.net:8443"});
    add(around, false, "malformed labels in front of a matching parent",
        {"https://-a.example.com", "https://a-.example.com", "https://a..example.com", "https://.a.example.com",
         "https://A.example.com", "https://a_b.example.com", "https://a:b.example.com", "https://[::1].example.com",
         "https://a/b.example.com", "https://a b.example.com", "https://\xc3\xa9.example.com",
         "https://@a.example.com"});
    add(around, false, "malformed scheme or separator before a matching parent",
        {"https:/a.example.com", "https:a.example.com", "Https://a.example.com", "foo+bar.baz:/a.example.com",
         "https//a.example.com", "://a.example.com", "a.example.com"});
    add(around, false, "a port the pattern does not take, or a malformed one",
        {"https://a.example.com:8443", "https://a.example.com:", "https://a.example.org:", "https://a.example.org:443",
         "https://a.example.org:65536", "https://a.example.org:080", "https://a.example.org:123456",
         "https://a.example.org:1:2", "https://a.example.org::1", "https://a.example.org:1a",
         "https://a.example.net:08443", "https://a.example.net:84430", "https://a.example.net",
         "https://a.example.net:8443/", "https://a.example.com/", "https://a.example.com.",
         "https://a.example.com:x.example.com"});

    // `host:*` matches every port, including the default one.
    const std::vector<std::string> any_port = {"http://localhost:*"};
    add(any_port, true, "any canonical port, the default one too",
        {"http://localhost", "http://localhost:0", "http://localhost:65535"});
    add(any_port, false, "a malformed port, the default port written out, another scheme or host",
        {"http://localhost:65536", "http://localhost:80", "https://localhost:3000", "http://localhost.evil.com:3000",
         "http://sub.localhost:3000"});

    // Exact origins match byte for byte.
    const std::vector<std::string> exact = {"https://foo.com", "https://bar.com", "http://[::1]:3000",
                                            "http://127.0.0.1:8080"};
    add(exact, true, "byte for byte",
        {"https://foo.com", "https://bar.com", "http://[::1]:3000", "http://127.0.0.1:8080"});
    add(exact, false, "merged, truncated, uppercase or non-canonical forms",
        {"https://barfoo.com", "https://foobar.com", "https://foo.co", "https://FOO.com",
         "http://[0:0:0:0:0:0:0:1]:3000", "http://127.0.0.01:8080"});
    return m;
  }();
  return all;
}

}  // namespace origin_cases

#endif  // CORS_TESTS_ORIGIN_CASES_HPP
