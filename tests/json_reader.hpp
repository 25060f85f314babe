// A strict JSON reader (RFC 8259) for the tests of the library's JSON renderings and of cors-check's
// `--json`: it accepts exactly one value with nothing after it, and throws `std::runtime_error` naming
// the offset of anything else (a raw control byte in a string, a bad escape, a trailing comma).
// Test-only: the library writes JSON and never reads it.
#ifndef CORS_TESTS_JSON_READER_HPP
#define CORS_TESTS_JSON_READER_HPP

#include <cstddef>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace test_json {

struct value {
  enum class type { null, boolean, number, string, array, object };
  type t = type::null;
  bool b = false;
  std::string text;  // a string's decoded value, or a number as written
  std::vector<value> items;
  std::map<std::string, value> members;

  [[nodiscard]] const value& at(const std::string& key) const {
    if (t != type::object) throw std::runtime_error("json: not an object, looking up `" + key + "`");
    const auto it = members.find(key);
    if (it == members.end()) throw std::runtime_error("json: no member `" + key + "`");
    return it->second;
  }
  [[nodiscard]] bool contains(const std::string& key) const { return t == type::object && members.count(key) != 0; }
  [[nodiscard]] const value& operator[](std::size_t i) const {
    if (t != type::array || i >= items.size()) throw std::runtime_error("json: no array element " + std::to_string(i));
    return items[i];
  }
  [[nodiscard]] std::size_t size() const {
    if (t == type::array) return items.size();
    if (t == type::object) return members.size();
    throw std::runtime_error("json: size() of a scalar");
  }
  [[nodiscard]] bool as_bool() const {
    if (t != type::boolean) throw std::runtime_error("json: not a boolean");
    return b;
  }
  [[nodiscard]] const std::string& as_string() const {
    if (t != type::string) throw std::runtime_error("json: not a string");
    return text;
  }
};

class reader {
 public:
  explicit reader(std::string_view s) : s_(s) {}

  value document() {
    value v = parse_value(0);
    skip_ws();
    if (i_ != s_.size()) fail("text after the value");
    return v;
  }

 private:
  std::string_view s_;
  std::size_t i_ = 0;

  [[noreturn]] void fail(const char* what) const {
    throw std::runtime_error("json: " + std::string(what) + " at offset " + std::to_string(i_));
  }
  void skip_ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) ++i_;
  }
  bool eat(char c) {
    skip_ws();
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  void expect(char c) {
    if (!eat(c)) fail("unexpected byte");
  }
  void literal(std::string_view word) {
    if (s_.substr(i_, word.size()) != word) fail("bad literal");
    i_ += word.size();
  }

  static void append_utf8(std::string& out, unsigned cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  unsigned hex4() {
    if (s_.size() - i_ < 4) fail("short \\u escape");
    unsigned v = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = s_[i_++];
      v <<= 4;
      if (c >= '0' && c <= '9') {
        v |= static_cast<unsigned>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        v |= static_cast<unsigned>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        v |= static_cast<unsigned>(c - 'A' + 10);
      } else {
        fail("bad hex digit in \\u escape");
      }
    }
    return v;
  }
  std::string parse_string() {
    expect('"');
    std::string out;
    for (;;) {
      if (i_ >= s_.size()) fail("unterminated string");
      const char c = s_[i_++];
      if (c == '"') return out;
      if (static_cast<unsigned char>(c) < 0x20) fail("raw control byte in a string");
      if (c != '\\') {
        out += c;
        continue;
      }
      if (i_ >= s_.size()) fail("unterminated escape");
      switch (s_[i_++]) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          unsigned cp = hex4();
          if (cp >= 0xD800 && cp < 0xDC00) {
            if (s_.substr(i_, 2) != "\\u") fail("lone high surrogate");
            i_ += 2;
            const unsigned lo = hex4();
            if (lo < 0xDC00 || lo >= 0xE000) fail("bad low surrogate");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          } else if (cp >= 0xDC00 && cp < 0xE000) {
            fail("lone low surrogate");
          }
          append_utf8(out, cp);
          break;
        }
        default: fail("bad escape");
      }
    }
  }
  std::string parse_number() {
    const std::size_t start = i_;
    const auto digits = [&] {
      const std::size_t from = i_;
      while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
      if (i_ == from) fail("digit expected");
    };
    if (s_[i_] == '-') ++i_;
    if (i_ < s_.size() && s_[i_] == '0') {
      ++i_;
    } else {
      digits();
    }
    if (i_ < s_.size() && s_[i_] == '.') {
      ++i_;
      digits();
    }
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      ++i_;
      if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
      digits();
    }
    return std::string(s_.substr(start, i_ - start));
  }
  value parse_value(int depth) {
    if (depth > 64) fail("nested too deeply");
    skip_ws();
    if (i_ >= s_.size()) fail("value expected");
    value v;
    const char c = s_[i_];
    if (c == '{') {
      v.t = value::type::object;
      ++i_;
      if (eat('}')) return v;
      do {
        skip_ws();
        std::string key = parse_string();
        expect(':');
        if (!v.members.emplace(std::move(key), parse_value(depth + 1)).second) fail("duplicate member");
      } while (eat(','));
      expect('}');
    } else if (c == '[') {
      v.t = value::type::array;
      ++i_;
      if (eat(']')) return v;
      do {
        v.items.push_back(parse_value(depth + 1));
      } while (eat(','));
      expect(']');
    } else if (c == '"') {
      v.t = value::type::string;
      v.text = parse_string();
    } else if (c == 't' || c == 'f') {
      v.t = value::type::boolean;
      v.b = c == 't';
      literal(v.b ? "true" : "false");
    } else if (c == 'n') {
      literal("null");
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      v.t = value::type::number;
      v.text = parse_number();
    } else {
      fail("value expected");
    }
    return v;
  }
};

/// Parses `s` as one JSON document; throws `std::runtime_error` if it is not exactly one.
[[nodiscard]] inline value parse(std::string_view s) { return reader(s).document(); }

}  // namespace test_json

#endif  // CORS_TESTS_JSON_READER_HPP
