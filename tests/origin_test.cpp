// Request-side `Origin` grammar: https://fetch.spec.whatwg.org/#origin-header, with what the URL
// serializer guarantees (no default port, canonical IPv4/IPv6, lowercase).
#include <cors/origin.hpp>

#include <set>
#include <string>
#include <vector>

#include "catch.hpp"
#include "origin_cases.hpp"

using cors::origin_status;
using cors::parse_origin;

TEST_CASE("parse_origin reads every origin edge case as the table says") {
  // tests/origin_cases.hpp: serialized origins a browser sends are well-formed, `null` is its own
  // value and case-sensitive, values no browser sends are malformed and never normalised, and
  // the IPv6 serializer compresses the first longest zero run.
  const origin_cases::origin_case c = GENERATE(from_range(origin_cases::origins()));
  CAPTURE(c.value, c.note);
  const auto r = parse_origin(c.value);
  switch (c.request) {
    case origin_cases::origin_as::malformed: CHECK(r.status == origin_status::malformed); break;
    case origin_cases::origin_as::null: CHECK(r.status == origin_status::null); break;
    default:
      REQUIRE(r.status == origin_status::ok);
      CHECK(r.origin.serialized == c.value);
      CHECK(r.origin.scheme == c.split.scheme);
      CHECK(r.origin.host == c.split.host);
      CHECK(r.origin.port == c.split.port);
      CHECK(r.origin.kind == (c.request == origin_cases::origin_as::ipv6   ? cors::host_kind::ipv6
                              : c.request == origin_cases::origin_as::ipv4 ? cors::host_kind::ipv4
                                                                           : cors::host_kind::domain));
  }
}

TEST_CASE("the origin edge-case table lists each value once and every reading") {
  std::set<std::string> seen;
  std::set<int> readings;
  for (const origin_cases::origin_case& c : origin_cases::origins()) {
    CAPTURE(c.value);
    CHECK(seen.insert(c.value).second);
    readings.insert(static_cast<int>(c.request));
  }
  CHECK(readings.size() == 5);  // domain, ipv4, ipv6, null, malformed
}

TEST_CASE("the length cap: max_origin_length bytes pass, one more is malformed") {
  const std::string prefix = "https://";
  std::string host;
  while (prefix.size() + host.size() + 3 <= cors::max_origin_length) host += "a.";
  host += std::string(cors::max_origin_length - prefix.size() - host.size(), 'a');
  const std::string at_limit = prefix + host;
  REQUIRE(at_limit.size() == cors::max_origin_length);
  CHECK(parse_origin(at_limit).status == origin_status::ok);
  CHECK(parse_origin(at_limit + "a").status == origin_status::malformed);
}

TEST_CASE("default ports of special schemes") {
  // https://url.spec.whatwg.org/#default-port
  CHECK(cors::default_port("http") == "80");
  CHECK(cors::default_port("https") == "443");
  CHECK(cors::default_port("ws") == "80");
  CHECK(cors::default_port("wss") == "443");
  CHECK(cors::default_port("ftp") == "21");
  CHECK(cors::default_port("chrome-extension").empty());
}

TEST_CASE("classify16 (SSE2 where available) classifies every byte value in every lane as classify16_bytes") {
  std::size_t checked = 0;
  for (unsigned value = 0; value < 256; ++value) {
    for (unsigned lane = 0; lane < 16; ++lane) {
      char block[16];
      for (unsigned i = 0; i < 16; ++i) block[i] = static_cast<char>((value + 7 * i) & 0xFF);  // neighbours vary too
      block[lane] = static_cast<char>(value);
      const cors::detail::host_byte_masks fast = cors::detail::classify16(block);
      const cors::detail::host_byte_masks plain = cors::detail::classify16_bytes(block);
      CAPTURE(value, lane);
      CHECK(fast.host == plain.host);
      CHECK(fast.dot == plain.dot);
      CHECK(fast.dash == plain.dash);
      ++checked;
    }
  }
  CHECK(checked == 256 * 16);
  // The masks mean what they say.
  const char text[] = "ab-.9Z/:\x80.--a0z.";
  const cors::detail::host_byte_masks m = cors::detail::classify16(text);
  CHECK(m.host == 0b1111'1110'0001'1111u);
  CHECK(m.dot == 0b1000'0010'0000'1000u);
  CHECK(m.dash == 0b0000'1100'0000'0100u);
}

TEST_CASE("the sixteen-bytes-at-a-time host scanner agrees with the byte-by-byte one") {
  // parse_origin() uses scan_domain_labels_masked() where SSE2 is available; here it is compared
  // with scan_domain_labels() (the plain reading of the grammar) on every host of up to 63 bytes
  // built from a few seeds by one edit, at every alignment against the 16-byte blocks.
  using cors::detail::scan_domain_labels;
  using cors::detail::scan_domain_labels_masked;
  const std::string pad(16, '/');  // the masked scanner may read the sixteen bytes before `last`
  const std::string bytes = std::string("az09-.:/A_ ") + '\0' + "\x80\xff";
  std::size_t compared = 0;
  std::size_t accepted = 0;
  const std::vector<std::string> seeds{
      "a",
      "example.com",
      "a-b.c0.example",
      "xn--53h.example:443",
      "a.b.c.d.e.f.g.h.i.j.k",
      std::string(15, 'x') + "." + std::string(15, 'y') + "." + std::string(15, 'z') + ".com",
      std::string(62, 'q')};
  for (const std::string& seed : seeds) {
    for (std::size_t i = 0; i <= seed.size(); ++i) {
      std::vector<std::string> hosts{seed};
      if (i < seed.size()) hosts.push_back(seed.substr(0, i) + seed.substr(i + 1));
      for (const char b : bytes) {
        hosts.push_back(seed.substr(0, i) + b + seed.substr(i));
        if (i < seed.size()) hosts.push_back(seed.substr(0, i) + b + seed.substr(i + 1));
      }
      for (const std::string& host : hosts) {
        if (host.size() >= 64) continue;
        const std::string value = pad + host;
        const char* const begin = value.data() + pad.size();
        const char* const end = value.data() + value.size();
        const char* label_a = nullptr;
        const char* label_b = nullptr;
        const char* const a = scan_domain_labels(begin, end, label_a);
        const char* const b = scan_domain_labels_masked(begin, end, label_b);
        CAPTURE(host);
        CHECK(a == b);
        if (a != nullptr && b != nullptr) CHECK(label_a == label_b);
        ++compared;
        accepted += a != nullptr ? 1 : 0;
      }
    }
  }
  CHECK(compared > 5000);
  CHECK(accepted > 1000);
}
