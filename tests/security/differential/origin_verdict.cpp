// Prints the library's verdict on each input for the differential test against the WHATWG URL
// parser (differential.mjs). Reads one hex-encoded input per line on stdin; writes
// `<request verdict>\t<pattern verdict>` per line: the request side is `ok`, `null` or `malformed`
// (cors::parse_origin); the pattern side is `exact`, `any_port`, `subdomains`, `any`, `null` or
// the first config_error_code (cors::parse_origin_pattern).
#include <cors/origin.hpp>
#include <cors/origin_pattern.hpp>

#include <iostream>
#include <string>

namespace {

int nibble(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string_view kind_name(cors::origin_pattern_kind k) {
  switch (k) {
    case cors::origin_pattern_kind::any: return "any";
    case cors::origin_pattern_kind::null: return "null";
    case cors::origin_pattern_kind::exact: return "exact";
    case cors::origin_pattern_kind::any_port: return "any_port";
    case cors::origin_pattern_kind::subdomains: return "subdomains";
  }
  return "unknown";
}

}  // namespace

int main() {
  std::string line;
  while (std::getline(std::cin, line)) {
    std::string input;
    for (std::size_t i = 0; i + 1 < line.size(); i += 2) {
      const int hi = nibble(line[i]);
      const int lo = nibble(line[i + 1]);
      if (hi < 0 || lo < 0) {
        std::cerr << "origin_verdict: bad hex line\n";
        return 2;
      }
      input += static_cast<char>(hi * 16 + lo);
    }
    const cors::parsed_origin req = cors::parse_origin(input);
    const char* r = req.status == cors::origin_status::ok     ? "ok"
                    : req.status == cors::origin_status::null ? "null"
                                                              : "malformed";
    const cors::origin_pattern_result pat = cors::parse_origin_pattern(input);
    std::cout << r << '\t'
              << (pat.errors.empty() ? kind_name(pat.pattern.kind) : cors::to_string(pat.errors.front().code)) << '\n';
  }
  return 0;
}
