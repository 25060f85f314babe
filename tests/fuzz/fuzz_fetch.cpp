// Fuzzes the Fetch Standard predicates of cors/fetch.hpp against plain restatements of the spec
// text and against their consistency properties (case-insensitive names, monotone preflight need).
// Input: a first record with the method, then `name:value` records (the author's headers).
#include <cors/fetch.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "harness.hpp"
#include "reference.hpp"

namespace {

bool unsafe_byte(unsigned char b) {
  if (b < 0x20) return b != 0x09;
  return std::string_view("\"():<>?@[\\]{}\x7f").find(static_cast<char>(b)) != std::string_view::npos;
}
bool any_unsafe(std::string_view v) {
  for (char c : v) {
    if (unsafe_byte(static_cast<unsigned char>(c))) return true;
  }
  return false;
}
bool http_ws(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string strip_digits_zeros(std::string s) {
  while (s.size() > 1 && s[0] == '0') s.erase(0, 1);
  return s;
}

/// #cors-safelisted-request-header, restated plainly.
bool safelisted_reference(std::string_view name, std::string_view value) {
  if (value.size() > 128) return false;
  const std::string n = ref::lowercase(name);
  if (n == "accept") return !any_unsafe(value);
  if (n == "accept-language" || n == "content-language") {
    for (char c : value) {
      if (!(ref::digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
            std::string_view(" *,-.;=").find(c) != std::string_view::npos)) {
        return false;
      }
    }
    return true;
  }
  if (n == "content-type") {
    if (any_unsafe(value)) return false;
    std::string v(value);
    while (!v.empty() && http_ws(v.front())) v.erase(0, 1);
    while (!v.empty() && http_ws(v.back())) v.pop_back();
    std::string essence = v.substr(0, v.find(';'));
    while (!essence.empty() && http_ws(essence.back())) essence.pop_back();
    essence = ref::lowercase(essence);
    return essence == "application/x-www-form-urlencoded" || essence == "multipart/form-data" ||
           essence == "text/plain";
  }
  if (n == "range") {
    if (value.size() < 6 || ref::lowercase(value.substr(0, 5)) != "bytes" || value[5] != '=') return false;
    const std::string rest(value.substr(6));
    const std::size_t dash = rest.find('-');
    if (dash == std::string::npos || dash == 0) return false;
    const std::string a = rest.substr(0, dash);
    const std::string b = rest.substr(dash + 1);
    for (char c : a + b) {
      if (!ref::digit(c)) return false;
    }
    if (b.empty()) return true;
    const std::string x = strip_digits_zeros(a);
    const std::string y = strip_digits_zeros(b);
    return x.size() < y.size() || (x.size() == y.size() && x <= y);
  }
  return false;
}

std::string upper(std::string_view s) {
  std::string u(s);
  for (char& c : u) c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
  return u;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace f = cors::fetch;
  const std::vector<std::string_view> recs = harness::records(data, size);
  const std::string context(reinterpret_cast<const char*>(data), size);
  const std::string_view method = recs.front();

  // Methods.
  CORS_FUZZ_CHECK(f::is_method(method) == ref::token(method), context);
  CORS_FUZZ_CHECK(f::is_cors_safelisted_method(method) == (method == "GET" || method == "HEAD" || method == "POST"),
                  context);
  const std::string_view norm = f::normalize_method(method);
  CORS_FUZZ_CHECK(ref::lowercase(norm) == ref::lowercase(method), context);
  CORS_FUZZ_CHECK(f::normalize_method(norm) == norm, context);
  const std::string um = upper(method);
  CORS_FUZZ_CHECK(f::is_forbidden_method(method) == (um == "CONNECT" || um == "TRACE" || um == "TRACK"), context);
  CORS_FUZZ_CHECK(!f::is_forbidden_method(method) || f::is_method(method), context);

  std::vector<f::header> headers;
  for (std::size_t i = 1; i < recs.size(); ++i) {
    const auto [name, value] = harness::name_value(recs[i]);
    headers.push_back({name, value});
    const bool safe = f::is_cors_safelisted_request_header(name, value);
    CORS_FUZZ_CHECK(safe == safelisted_reference(name, value), context);
    CORS_FUZZ_CHECK(!safe || value.size() <= 128, context);
    const std::string n = ref::lowercase(name);
    if (safe && (n == "accept" || n == "content-type")) CORS_FUZZ_CHECK(!any_unsafe(value), context);
    // Names compare byte-case-insensitively everywhere.
    const std::string un = upper(name);
    CORS_FUZZ_CHECK(f::is_cors_safelisted_request_header(un, value) == safe, context);
    CORS_FUZZ_CHECK(f::is_forbidden_request_header_name(un) == f::is_forbidden_request_header_name(name), context);
    CORS_FUZZ_CHECK(f::is_forbidden_request_header(un, value) == f::is_forbidden_request_header(name, value), context);
    CORS_FUZZ_CHECK(!f::is_forbidden_request_header_name(name) || f::is_forbidden_request_header(name, value), context);
    CORS_FUZZ_CHECK(f::is_header_name(name) == ref::token(name), context);
    CORS_FUZZ_CHECK(f::is_cors_non_wildcard_request_header_name(name) == (n == "authorization"), context);
    CORS_FUZZ_CHECK(f::is_forbidden_response_header_name(name) == (n == "set-cookie" || n == "set-cookie2"), context);
    const bool sec_or_proxy = n.rfind("sec-", 0) == 0 || n.rfind("proxy-", 0) == 0;
    CORS_FUZZ_CHECK(!sec_or_proxy || f::is_forbidden_request_header_name(name), context);
  }

  // needs_cors_preflight: the plain definition, and monotone in the header list.
  bool need_reference = !f::is_cors_safelisted_method(method);
  std::size_t total = 0;
  bool any_safe = false;
  bool previous = f::needs_cors_preflight(method, std::vector<f::header>{});
  CORS_FUZZ_CHECK(previous == !f::is_cors_safelisted_method(method), context);
  for (std::size_t k = 0; k < headers.size(); ++k) {
    const f::header& h = headers[k];
    if (!f::is_forbidden_request_header(h.name, h.value)) {
      if (safelisted_reference(h.name, h.value)) {
        any_safe = true;
        total += h.value.size();
      } else {
        need_reference = true;
      }
    }
    const std::vector<f::header> prefix(headers.begin(), headers.begin() + static_cast<std::ptrdiff_t>(k + 1));
    const bool now = f::needs_cors_preflight(method, prefix);
    CORS_FUZZ_CHECK(!previous || now, context);  // adding a header never removes the need
    CORS_FUZZ_CHECK(now == (need_reference || (any_safe && total > 1024)), context);
    previous = now;
  }
  return 0;
}
