// cors-check: what a cors-policy policy answers to one request, and why. The policy comes from the
// example servers' flags (examples/example_cli.hpp), the request from flags or from a raw HTTP/1.1
// request head on stdin (as `curl -v` or a browser's devtools show it). Exit status: 0 allowed
// (or not a CORS request, or same-origin), 1 refused (or, with --lint, findings), 2 bad input or an
// invalid policy. Modes are one function each (check, lint); later ones (--fetch, --check-response
// with the browser model) are added the same way.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <cors/explain.hpp>
#include <cors/fetch.hpp>

#include "../examples/example_cli.hpp"

namespace {

constexpr std::string_view usage =
    "usage: cors-check POLICY REQUEST [--json] [--no-color]\n"
    "       cors-check POLICY --lint [--json]\n"
    "POLICY: the example servers' flags: --origin PATTERN (repeatable), --method, --header, --expose,\n"
    "  --credentials, --max-age, --private-network, --preflight-status, --passthrough, --refuse,\n"
    "  --server-origin, --max-request-headers-bytes, --dangerously-allow-* (see cors-example-* --help)\n"
    "REQUEST, one of:\n"
    "  --request-origin ORIGIN [--request-method METHOD] [-H 'Name: value']...\n"
    "                         an actual request (GET unless --request-method), with these header lines\n"
    "  --preflight METHOD --request-origin ORIGIN [-H 'Access-Control-Request-Headers: a,b']...\n"
    "                         the preflight a browser sends before METHOD\n"
    "  --raw                  a raw request head on stdin (`curl -v` lines with `> ` are fine)\n"
    "  --lint                 no request: report legal but risky settings of the policy, each with its fix\n"
    "  --json                 one JSON object on stdout\n"
    "  --no-color             no colour (also: NO_COLOR set, or stdout not a terminal)\n"
    "  --version, --help\n"
    "exit status: 0 allowed (or not CORS, or same-origin; --lint: no finding), 1 refused (--lint: findings),\n"
    "2 bad input or invalid policy\n";

/// A request as the tool owns it: the method and the header lines, in order.
struct owned_request {
  std::string method = "GET";
  std::vector<std::pair<std::string, std::string>> lines;

  [[nodiscard]] cors::request_view view() const noexcept {
    cors::request_view v{};
    v.method = method;
    for (const auto& [name, value] : lines) v.add_header(name, value);
    return v;
  }
};

/// `Name: value` split at the first colon, both trimmed; nothing when there is no colon or no name.
std::optional<std::pair<std::string, std::string>> split_header(std::string_view line) {
  const std::size_t colon = line.find(':', line.empty() || line.front() != ':' ? 0 : 1);  // `:method: GET`
  if (colon == std::string_view::npos) return std::nullopt;
  const std::string_view name = cors::detail::trim_http_whitespace(line.substr(0, colon));
  if (name.empty() || name.find_first_of(" \t") != std::string_view::npos) return std::nullopt;
  return std::pair{std::string(name), std::string(cors::detail::trim_http_whitespace(line.substr(colon + 1)))};
}

/// Parses a request head as people paste it: `curl -v`'s `> ` prefixes and CRLF or LF line ends are
/// accepted, leading blank lines skipped, the head ends at the first blank line after it starts.
/// The request line (`OPTIONS /path HTTP/1.1`) is optional when an HTTP/2 `:method` pseudo-header
/// says the method (devtools); other pseudo-headers are ignored. Header lines are kept in order,
/// repeats and all; an obsolete folded line continues the previous value. Problems go to `problems`.
owned_request parse_raw(std::string_view text, std::vector<std::string>& problems) {
  owned_request req;
  bool started = false;
  bool have_method = false;
  std::size_t number = 0;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.substr(0, 2) == "> ") line.remove_prefix(2);
    if (line == ">") line = {};
    if (line.empty()) {
      if (started) break;
      continue;
    }
    const bool first = !started;
    started = true;
    if (first && line.front() != ':') {
      // A request line: METHOD SP request-target SP HTTP-version.
      const std::size_t sp = line.find(' ');
      const std::size_t colon = line.find(':');
      if (sp != std::string_view::npos && (colon == std::string_view::npos || sp < colon)) {
        const std::string_view method = line.substr(0, sp);
        if (!cors::fetch::is_method(method)) {
          problems.push_back(
              fmt::format("cors-check: --raw line {}: `{}` is not a request line (METHOD /path HTTP/1.1)", number,
                          cors::printable(line, 128)));
        }
        req.method = std::string(method);
        have_method = true;
        continue;
      }
    }
    if ((line.front() == ' ' || line.front() == '\t') && !req.lines.empty()) {
      req.lines.back().second += ' ';
      req.lines.back().second += cors::detail::trim_http_whitespace(line);
      continue;
    }
    auto header = split_header(line);
    if (!header) {
      problems.push_back(fmt::format("cors-check: --raw line {}: `{}` is not a header line (Name: value)", number,
                                     cors::printable(line, 128)));
      continue;
    }
    if (header->first.front() == ':') {
      if (header->first == ":method") {
        req.method = header->second;
        have_method = true;
      }
      continue;
    }
    req.lines.push_back(std::move(*header));
  }
  if (!started) problems.emplace_back("cors-check: --raw: no request head on stdin");
  if (started && !have_method) problems.emplace_back("cors-check: --raw: no request line and no `:method`");
  return req;
}

bool use_color(bool disabled) {
  if (disabled) return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && *no_color != '\0') return false;  // https://no-color.org
  return isatty(STDOUT_FILENO) == 1;
}

/// The text rendering, with `pass`/`FAIL` and the decision coloured on a terminal.
std::string colorize(std::string text) {
  const auto paint = [&text](std::string_view what, std::string_view code) {
    const std::string painted = fmt::format("\x1b[{}m{}\x1b[0m", code, what);
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + painted.size())) {
      text.replace(at, what.size(), painted);
    }
  };
  paint("  pass  ", "32");
  paint("  FAIL  ", "1;31");
  paint(" refused (", "1;31");
  paint(" allowed (", "1;32");
  paint("fix:", "1;33");
  return text;
}

int check(const cors::config& cfg, const owned_request& req, bool json, bool color) {
  const cors::request_view view = req.view();
  const cors::explanation e = cors::explain(cfg, view);
  if (json) {
    fmt::print("{}\n", cors::to_json(e));
  } else {
    const std::string text = cors::to_text(e);
    fmt::print("{}", color ? colorize(text) : text);
  }
  return e.refused() ? 1 : 0;
}

/// A legal but risky setting, and its fix.
struct finding {
  std::string code;
  std::string message;
  std::string fix;
};

/// Response-only header names that people list as request headers (a page sending
/// `Access-Control-Allow-Origin` on its request is the classic mix-up).
bool is_response_only_header(std::string_view name) {
  for (const std::string_view n :
       {"access-control-allow-origin", "access-control-allow-credentials", "access-control-allow-methods",
        "access-control-allow-headers", "access-control-expose-headers", "access-control-max-age",
        "access-control-allow-private-network", "set-cookie", "www-authenticate", "location", "vary", "server",
        "strict-transport-security", "content-security-policy", "x-frame-options", "retry-after", "etag",
        "last-modified"}) {
    if (cors::detail::iequals(name, n)) return true;
  }
  return false;
}

std::vector<finding> lint(const cors::config& cfg) {
  std::vector<finding> out;
  const auto q = [](std::string_view s) { return cors::detail::backquoted(s); };
  std::size_t listed = 0;
  for (const std::string& text : cfg.origins) {
    const cors::origin_pattern_result r = cors::parse_origin_pattern(text);
    if (!r.errors.empty()) continue;
    const cors::origin_pattern& p = r.pattern;
    if (p.kind == cors::origin_pattern_kind::any || p.kind == cors::origin_pattern_kind::null) continue;
    ++listed;
    if (p.scheme == "ws" || p.scheme == "wss") {
      out.push_back({"websocket_scheme_origin",
                     fmt::format("origin {} will never match: browsers never send a `{}://` Origin (a WebSocket "
                                 "handshake carries the page's origin)",
                                 q(text), p.scheme),
                     fmt::format("write the page's origin, e.g. `{}://{}`", p.scheme == "wss" ? "https" : "http",
                                 cors::printable(text.substr(text.find("://") + 3)))});
    }
    if (cfg.credentials && p.scheme == "http" && cors::detail::is_loopback_host(p.host, p.host_type)) {
      out.push_back({"credentials_with_loopback_http",
                     fmt::format("origin {} with credentials: any program on the user's machine that serves "
                                 "a page there reads credentialed responses",
                                 q(text)),
                     "keep loopback origins to development configurations"});
    }
    if (cfg.credentials && p.kind == cors::origin_pattern_kind::subdomains) {
      out.push_back({"credentials_with_wildcard",
                     fmt::format("origin {} with credentials: every subdomain, including a forgotten or "
                                 "taken-over one, reads credentialed responses",
                                 q(text)),
                     "list the subdomains that serve your pages"});
    }
  }
  constexpr std::size_t many = 10;
  if (cfg.credentials && listed > many) {
    out.push_back({"credentials_with_many_origins",
                   fmt::format("credentials with {} origins: each of them can read your users' data", listed),
                   fmt::format("keep the credentialed list short (at most {}); serve other origins from a policy "
                               "without credentials",
                               many)});
  }
  if (cfg.max_age && cfg.max_age->count() > 7200) {
    out.push_back({"max_age_above_chromium_cap",
                   fmt::format("max-age {} s: Chromium caches a preflight for at most 7200 s", cfg.max_age->count()),
                   "use 7200 or less, unless the longer cache is for Firefox (86400 s at most)"});
  }
  for (const std::string& m : cfg.methods) {
    if (m == "*" || !cors::fetch::is_method(m) || cors::fetch::normalize_method(m) != m) continue;
    bool lower = false;
    for (const char c : m) lower = lower || cors::detail::is_lower_alpha(c);
    if (!lower) continue;
    std::string upper = m;
    for (char& c : upper) c = cors::detail::is_lower_alpha(c) ? static_cast<char>(c - 'a' + 'A') : c;
    out.push_back({"lowercase_method",
                   fmt::format("method {} will not match fetch(..., {{method: '{}'}}): methods are case-sensitive "
                               "and browsers uppercase only DELETE, GET, HEAD, OPTIONS, POST and PUT",
                               q(m), cors::printable(upper)),
                   fmt::format("write {}", q(upper))});
  }
  for (const std::string& h : cfg.request_headers) {
    if (!is_response_only_header(h)) continue;
    out.push_back({"response_header_as_request_header",
                   fmt::format("request header {} is a response header: pages that send it are mistaken, and "
                               "allowing it only hides the mistake",
                               q(h)),
                   fmt::format("remove it from the request headers (and from the page's fetch() call); the policy "
                               "writes {} itself where it applies",
                               q(h))});
  }
  return out;
}

int run_lint(const cors::config& cfg, bool json, bool color) {
  const std::vector<finding> findings = lint(cfg);
  if (json) {
    std::string s = "{\"lint\":[";
    for (const finding& f : findings) {
      if (s.back() != '[') s += ',';
      s += "{\"code\":";
      cors::detail::append_json_string(s, f.code);
      s += ",\"message\":";
      cors::detail::append_json_string(s, f.message);
      s += ",\"fix\":";
      cors::detail::append_json_string(s, f.fix);
      s += '}';
    }
    s += "]}";
    fmt::print("{}\n", s);
  } else if (findings.empty()) {
    fmt::print("lint: no risky setting found\n");
  } else {
    for (const finding& f : findings) {
      fmt::print("{}: {}\n  fix: {}\n", color ? "\x1b[1;33mlint\x1b[0m" : "lint", f.message, f.fix);
    }
  }
  return findings.empty() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<char*> policy_args{argv[0]};
  std::vector<std::string> problems;
  owned_request req;
  std::optional<std::string> origin;
  std::optional<std::string> preflight;
  bool have_method = false;
  bool raw = false;
  bool json = false;
  bool no_color = false;
  bool lint_mode = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const auto value = [&]() -> std::optional<std::string> {
      if (i + 1 >= argc) {
        problems.push_back(fmt::format("cors-check: missing value after {}", arg));
        return std::nullopt;
      }
      return std::string(argv[++i]);
    };
    if (arg == "--help" || arg == "-h") {
      fmt::print("{}", usage);
      return 0;
    }
    if (arg == "--version") {
      fmt::print("cors-check: {}", example::version_text());
      return 0;
    }
    if (arg == "--request-origin") {
      origin = value();
    } else if (arg == "--request-method") {
      if (auto v = value()) {
        req.method = *v;
        have_method = true;
      }
    } else if (arg == "--preflight") {
      preflight = value();
    } else if (arg == "-H" || arg == "--request-header") {
      if (auto v = value()) {
        auto h = split_header(*v);
        if (h) {
          req.lines.push_back(std::move(*h));
        } else {
          problems.push_back(fmt::format("cors-check: -H `{}` is not `Name: value`", cors::printable(*v)));
        }
      }
    } else if (arg == "--raw") {
      raw = true;
    } else if (arg == "--json") {
      json = true;
    } else if (arg == "--no-color") {
      no_color = true;
    } else if (arg == "--lint") {
      lint_mode = true;
    } else {
      policy_args.push_back(argv[i]);  // the policy flags, and their values, for example_cli
    }
  }
  const int modes = int{raw} + int{lint_mode} + int{origin.has_value() || preflight.has_value()};
  if (modes != 1) problems.emplace_back("cors-check: give exactly one of --request-origin, --raw and --lint");
  if (preflight && !origin) problems.emplace_back("cors-check: --preflight needs --request-origin");
  if (preflight && have_method)
    problems.emplace_back("cors-check: --preflight and --request-method exclude each other");
  if (raw && (have_method || !req.lines.empty())) {
    problems.emplace_back("cors-check: --raw reads method and headers from stdin; drop --request-method and -H");
  }
  if (policy_args.size() == 1) problems.emplace_back("cors-check: no policy: give at least one --origin");
  if (!problems.empty()) {
    for (const std::string& p : problems) fmt::print(stderr, "{}\n", p);
    fmt::print(stderr, "{}", usage);
    return 2;
  }
  // The example servers' command line: every configuration problem is printed, status 2.
  const std::optional<example::options> opts =
      example::parse_command_line(static_cast<int>(policy_args.size()), policy_args.data());
  if (!opts) return 2;
  const bool color = use_color(no_color || json);
  if (lint_mode) return run_lint(opts->config, json, color);
  if (raw) {
    const std::string input{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
    req = parse_raw(input, problems);
    if (!problems.empty()) {
      for (const std::string& p : problems) fmt::print(stderr, "{}\n", p);
      return 2;
    }
  } else {
    std::vector<std::pair<std::string, std::string>> lines{{"Origin", *origin}};
    if (preflight) {
      req.method = "OPTIONS";
      lines.emplace_back("Access-Control-Request-Method", *preflight);
    }
    for (auto& line : req.lines) lines.push_back(std::move(line));
    req.lines = std::move(lines);
  }
  return check(opts->config, req, json, color);
}
