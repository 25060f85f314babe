// A slow, plain reference model of what a policy should decide, written independently of the
// library (no cors:: parsing or matching is reused): the fuzzers and the security suite compare
// every decision with it. Clarity over speed; std::string everywhere.
#ifndef CORS_TESTS_FUZZ_REFERENCE_HPP
#define CORS_TESTS_FUZZ_REFERENCE_HPP

#include <arpa/inet.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace ref {

inline bool is_ows(char c) { return c == ' ' || c == '\t'; }

/// Strips spaces and tabs from both ends.
inline std::string trim(std::string_view s) {
  std::string out(s);
  while (!out.empty() && is_ows(out.front())) out.erase(out.begin());
  while (!out.empty() && is_ows(out.back())) out.pop_back();
  return out;
}

inline bool lower_letter(char c) { return c >= 'a' && c <= 'z'; }
inline bool digit(char c) { return c >= '0' && c <= '9'; }
inline bool hexdigit(char c) { return digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

inline char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

inline std::string lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower(c);
  return out;
}

/// RFC 9110 tchar.
inline bool tchar(char c) {
  if (digit(c) || lower_letter(c) || (c >= 'A' && c <= 'Z')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

inline bool token(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!tchar(c)) return false;
  }
  return true;
}

inline std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> parts;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      parts.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  parts.push_back(cur);
  return parts;
}

/// A decimal without leading zeros, at most `digits` digits; -1 otherwise.
inline long number(const std::string& s, std::size_t digits) {
  if (s.empty() || s.size() > digits) return -1;
  if (s.size() > 1 && s[0] == '0') return -1;
  long v = 0;
  for (char c : s) {
    if (!digit(c)) return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

inline std::string default_port_of(const std::string& scheme) {
  if (scheme == "http" || scheme == "ws") return "80";
  if (scheme == "https" || scheme == "wss") return "443";
  if (scheme == "ftp") return "21";
  return "";
}

/// The URL Standard's IPv6 serializer, written from the spec text over libc's parse.
inline std::string ipv6_serialize(const unsigned char bytes[16]) {
  unsigned pieces[8];
  for (int i = 0; i < 8; ++i) pieces[i] = (bytes[2 * i] << 8) | bytes[2 * i + 1];
  int best_start = -1;
  int best_len = 1;
  for (int i = 0; i < 8; ++i) {
    int len = 0;
    while (i + len < 8 && pieces[i + len] == 0) ++len;
    if (len > best_len) {
      best_len = len;
      best_start = i;
    }
  }
  std::string out;
  for (int i = 0; i < 8; ++i) {
    if (i == best_start) {
      out += (i == 0) ? "::" : ":";
      i += best_len - 1;
      continue;
    }
    char buf[8];
    std::snprintf(buf, sizeof buf, "%x", pieces[i]);
    out += buf;
    if (i != 7) out += ":";
  }
  return out;
}

inline bool canonical_ipv6(const std::string& inner) {
  if (inner.find('.') != std::string::npos) return false;  // embedded IPv4 is never serialized
  unsigned char bytes[16];
  if (inet_pton(AF_INET6, inner.c_str(), bytes) != 1) return false;
  return ipv6_serialize(bytes) == inner;
}

inline bool canonical_ipv4(const std::string& host) {
  const std::vector<std::string> parts = split(host, '.');
  if (parts.size() != 4) return false;
  for (const std::string& p : parts) {
    const long v = number(p, 3);
    if (v < 0 || v > 255) return false;
  }
  return true;
}

/// A lowercase LDH domain whose last label does not look like a number (the URL parser would have
/// read the host as IPv4).
inline bool canonical_domain(const std::string& host) {
  const std::vector<std::string> labels = split(host, '.');
  for (const std::string& l : labels) {
    if (l.empty() || l.front() == '-' || l.back() == '-') return false;
    for (char c : l) {
      if (!(lower_letter(c) || digit(c) || c == '-')) return false;
    }
  }
  const std::string& last = labels.back();
  bool all_digits = true;
  for (char c : last) all_digits = all_digits && digit(c);
  if (all_digits) return false;
  if (last.size() >= 2 && last[0] == '0' && last[1] == 'x') {
    bool hex = true;
    for (std::size_t i = 2; i < last.size(); ++i) hex = hex && hexdigit(last[i]);
    if (hex) return false;
  }
  return true;
}

struct origin {
  bool valid = false;
  bool is_null = false;
  bool is_domain = false;
  std::string scheme, host, port;  // host keeps IPv6 brackets; port empty when absent
};

/// Is `s` exactly what a browser's origin serializer produces (or `null`)? Same documented length
/// cap as the library (512 bytes).
inline origin parse(std::string_view s) {
  origin o;
  if (s == "null") {
    o.valid = o.is_null = true;
    return o;
  }
  if (s.size() > 512) return o;
  const std::size_t sep = s.find("://");
  if (sep == std::string_view::npos || sep == 0) return o;
  o.scheme = std::string(s.substr(0, sep));
  if (!lower_letter(o.scheme[0])) return o;
  for (char c : o.scheme) {
    if (!(lower_letter(c) || digit(c) || c == '+' || c == '-' || c == '.')) return o;
  }
  std::string rest(s.substr(sep + 3));
  std::string after;
  if (!rest.empty() && rest[0] == '[') {
    const std::size_t close = rest.find(']');
    if (close == std::string::npos) return o;
    o.host = rest.substr(0, close + 1);
    after = rest.substr(close + 1);
    if (!canonical_ipv6(o.host.substr(1, o.host.size() - 2))) return o;
  } else {
    const std::size_t colon = rest.find(':');
    o.host = rest.substr(0, colon);
    after = colon == std::string::npos ? "" : rest.substr(colon);
    if (canonical_ipv4(o.host)) {
      // fine
    } else if (canonical_domain(o.host)) {
      o.is_domain = true;
    } else {
      return o;
    }
  }
  if (!after.empty()) {
    if (after[0] != ':') return o;
    o.port = after.substr(1);
    const long p = number(o.port, 5);
    if (p < 0 || p > 65535 || o.port == default_port_of(o.scheme)) return o;
  }
  o.valid = true;
  return o;
}

inline bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// Does configured pattern `pat` (assumed valid) allow the parsed request origin `o`?
inline bool pattern_allows(const std::string& pat, const origin& o) {
  if (pat == "*") return true;
  if (pat == "null") return o.is_null;
  if (o.is_null) return false;
  const std::size_t sep = pat.find("://");
  const std::string scheme = pat.substr(0, sep);
  std::string hostport = pat.substr(sep + 3);
  std::string host = hostport;
  std::string port;
  bool has_port = false;
  const std::size_t bracket = hostport.find(']');
  const std::size_t colon = hostport.find(':', bracket == std::string::npos ? 0 : bracket);
  if (colon != std::string::npos) {
    host = hostport.substr(0, colon);
    port = hostport.substr(colon + 1);
    has_port = true;
  }
  if (scheme != o.scheme) return false;
  if (has_port && port != "*" && port != o.port) return false;
  if (!has_port && !o.port.empty()) return false;
  if (host.rfind("*.", 0) == 0) {
    const std::string parent = host.substr(1);  // ".example.com"
    return o.is_domain && o.host.size() > parent.size() && ends_with(o.host, parent);
  }
  return host == o.host;
}

/// The parts of a config the reference needs.
struct model {
  std::vector<std::string> origins;
  bool credentials = false;
  bool any_method = false;
  std::vector<std::string> methods;  // already normalized as a browser would send them
  bool any_header = false;
  std::vector<std::string> headers;  // lowercase
  bool private_network = false;
  bool passthrough = false;
  bool refuse = false;
  int preflight_status = 204;
  std::vector<std::string> server_origins;
  bool (*predicate)(const origin&) = nullptr;  // mirrors config::origin_predicate

  bool constant_any() const {
    for (const std::string& p : origins) {
      if (p == "*") return !credentials;
    }
    return false;
  }
  bool allows(const origin& o) const {
    if (!o.valid) return false;
    for (const std::string& p : origins) {
      if (pattern_allows(p, o)) return true;
    }
    return !o.is_null && predicate != nullptr && predicate(o);
  }
  bool method_allowed(const std::string& m) const {
    if (m == "GET" || m == "HEAD" || m == "POST" || any_method) return true;
    for (const std::string& x : methods) {
      if (x == m) return true;
    }
    return false;
  }
  bool header_allowed(const std::string& name) const {
    const std::string l = lowercase(name);
    for (const std::string& x : headers) {
      if (x == l) return true;
    }
    return any_header && l != "authorization";
  }
  /// Would a preflight with these ACRH lines pass? Applies the documented bounds: 8 lines and
  /// 4096 bytes (the default `max_request_headers_bytes`); any number of names and empty elements.
  bool headers_allowed(const std::vector<std::string>& lines) const {
    if (lines.size() > 8) return false;
    std::size_t bytes = 0;
    for (const std::string& l : lines) bytes += l.size();
    if (bytes > 4096) return false;
    for (const std::string& l : lines) {
      for (const std::string& part : split(l, ',')) {
        const std::string name = trim(part);
        if (name.empty()) continue;
        if (!token(name) || !header_allowed(name)) return false;
      }
    }
    return true;
  }
};

}  // namespace ref

#endif  // CORS_TESTS_FUZZ_REFERENCE_HPP
