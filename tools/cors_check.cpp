// cors-check: what a cors-policy policy answers to one request, and why. The policy comes from the
// example servers' flags (examples/example_cli.hpp), the request from flags or from a raw HTTP/1.1
// request head on stdin (as `curl -v` or a browser's devtools show it). Exit status: 0 allowed
// (or not a CORS request, or same-origin), 1 refused (or, with --lint, findings), 2 bad input or an
// invalid policy. Modes are one function each: check (the policy's decision, explained), fetch (a
// page's fetch() through the browser model, cors/browser.hpp, against the policy's answers),
// check-response (the browser model's verdict on a captured response head) and lint.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <cors/browser.hpp>
#include <cors/explain.hpp>
#include <cors/fetch.hpp>
#include <cors/json.hpp>

#include "../examples/example_cli.hpp"

namespace {

constexpr std::string_view usage =
    "usage: cors-check POLICY REQUEST [--json] [--no-color]\n"
    "       cors-check POLICY --fetch METHOD ORIGIN [-H 'Name: value']... [--credentials-mode MODE] [--json]\n"
    "       cors-check --check-response FILE|- REQUEST [--credentials-mode MODE] [--json]\n"
    "       cors-check POLICY --lint [--json]\n"
    "POLICY: the example servers' flags: --origin PATTERN (repeatable), --method, --header, --expose,\n"
    "  --credentials, --max-age, --private-network, --preflight-status, --passthrough, --refuse,\n"
    "  --server-origin, --max-request-headers-bytes, --dangerously-allow-* (see cors-example-* --help);\n"
    "  or --config FILE, a JSON policy file as the example servers read (see the README); for a router\n"
    "  file, check one route's policy object on its own\n"
    "REQUEST, one of:\n"
    "  --request-origin ORIGIN [--request-method METHOD] [-H 'Name: value']...\n"
    "                         an actual request (GET unless --request-method), with these header lines\n"
    "  --preflight METHOD --request-origin ORIGIN [-H 'Access-Control-Request-Headers: a,b']...\n"
    "                         the preflight a browser sends before METHOD\n"
    "  --raw                  a raw request head on stdin (`curl -v` lines with `> ` are fine)\n"
    "  --fetch METHOD ORIGIN  what a page at ORIGIN calling fetch(url, {method: METHOD, headers}) gets: the\n"
    "                         browser model (cors/browser.hpp) sends the preflight if one is needed, then the\n"
    "                         actual request, and judges the policy's answers; -H adds the script's headers\n"
    "  --credentials-mode omit|same-origin|include\n"
    "                         fetch()'s `credentials` (default same-origin, as fetch()'s own default)\n"
    "  --check-response FILE  a raw response head (`curl -si` output; `-` for stdin), judged by the browser\n"
    "                         model as the answer to REQUEST (--request-origin ... or --preflight ...); no POLICY\n"
    "  --lint                 no request: report legal but risky settings of the policy, each with its fix\n"
    "  --json                 one JSON object on stdout\n"
    "  --no-color             no colour (also: NO_COLOR set, or stdout not a terminal)\n"
    "  --version, --help\n"
    "exit status: 0 allowed (or not CORS, or same-origin; --fetch, --check-response: the browser accepts;\n"
    "--lint: no finding), 1 refused (naming the step; --lint: findings), 2 bad input or invalid policy\n";

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

/// The request of the request flags: `Origin` first, then for `--preflight METHOD` an `OPTIONS`
/// with `Access-Control-Request-Method`, then the -H lines.
owned_request with_origin(owned_request req, const std::string& origin, const std::optional<std::string>& preflight) {
  std::vector<std::pair<std::string, std::string>> lines{{"Origin", origin}};
  if (preflight) {
    req.method = "OPTIONS";
    lines.emplace_back("Access-Control-Request-Method", *preflight);
  }
  for (auto& line : req.lines) lines.push_back(std::move(line));
  req.lines = std::move(lines);
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

/// The browser's verdict as one line: `accepted` or `refused at STEP (anchor): detail`.
std::string verdict_line(const cors::browser::verdict& v) {
  if (v.accepted()) return "accepted";
  return fmt::format("refused at {} ({}): {}", cors::browser::to_string(v.failed), cors::browser::anchor(v.failed),
                     v.detail);
}

/// The verdict as JSON members (no braces): `"accepted"`, `"step"`, `"anchor"`, `"detail"`.
void append_verdict_json(std::string& s, const cors::browser::verdict& v) {
  s += "\"accepted\":";
  s += v.accepted() ? "true" : "false";
  s += ",\"step\":";
  cors::detail::append_json_string(s, v.accepted() ? "" : cors::browser::to_string(v.failed));
  s += ",\"anchor\":";
  cors::detail::append_json_string(s, cors::browser::anchor(v.failed));
  s += ",\"detail\":";
  cors::detail::append_json_string(s, v.detail);
}

/// `Name: value` lines as a JSON array of {"name", "value"} (values escaped).
void append_lines_json(std::string& s, const std::vector<cors::browser::header_line>& lines) {
  s += '[';
  for (const cors::browser::header_line& h : lines) {
    if (s.back() != '[') s += ',';
    s += "{\"name\":";
    cors::detail::append_json_string(s, cors::printable(h.name));
    s += ",\"value\":";
    cors::detail::append_json_string(s, cors::printable(h.value, 1024));
    s += '}';
  }
  s += ']';
}

std::string_view to_string(cors::browser::credentials_mode m) {
  switch (m) {
    case cors::browser::credentials_mode::omit: return "omit";
    case cors::browser::credentials_mode::same_origin: return "same-origin";
    case cors::browser::credentials_mode::include: return "include";
  }
  return "same-origin";
}

/// One leg of a fetch (the preflight or the actual request): what was sent, the policy's
/// explained decision, the response the browser receives and its verdict.
struct leg {
  owned_request sent;
  cors::explanation explained;
  cors::browser::response received;
  cors::browser::verdict verdict;
  bool application_status = false;  ///< the application answers: its status is assumed 200
};

/// What the browser receives when the policy decides `d`: the decision's headers, with the
/// policy's status when it answers itself, or 200 when the application does.
cors::browser::response response_of(const cors::decision& d, bool& assumed) {
  cors::browser::response r;
  assumed = d.next_action() != cors::action::respond;
  r.status = assumed ? 200 : d.status();
  for (const cors::response_header h : d.headers()) r.headers.push_back({std::string(h.name()), std::string(h.value)});
  return r;
}

leg run_leg(const cors::policy& policy, owned_request sent) {
  leg l;
  l.sent = std::move(sent);
  l.explained = cors::explain(policy, l.sent.view());
  l.received = response_of(l.explained.result, l.application_status);
  return l;
}

void print_leg_text(std::string_view what, const leg& l, bool color) {
  fmt::print("== {}: {}", what, l.sent.method);
  for (const auto& [name, value] : l.sent.lines) fmt::print("\n   {}: {}", name, cors::printable(value, 1024));
  fmt::print("\n");
  const std::string text = cors::to_text(l.explained);
  fmt::print("{}", color ? colorize(text) : text);
  fmt::print("status the browser sees: {}{}\n", l.received.status,
             l.application_status ? " (the application answers; assumed 200)" : "");
}

/// --fetch: the browser model plans the request, the policy answers each leg, the model judges.
int run_fetch(const cors::config& cfg, const cors::browser::fetch_request& request, bool json, bool color) {
  namespace browser = cors::browser;
  const cors::policy policy(cfg);
  const browser::request_plan plan = browser::plan(request);
  std::optional<leg> preflight;
  std::optional<leg> actual;
  if (!plan.type_error) {
    if (plan.preflight) {
      owned_request p;
      p.method = "OPTIONS";
      p.lines = {{"Origin", plan.origin}, {"Access-Control-Request-Method", plan.access_control_request_method}};
      if (plan.access_control_request_headers) {
        p.lines.emplace_back("Access-Control-Request-Headers", *plan.access_control_request_headers);
      }
      preflight = run_leg(policy, std::move(p));
      preflight->verdict = browser::check_preflight(plan, preflight->received);
    }
    if (!preflight || preflight->verdict.accepted()) {
      owned_request a;
      a.method = plan.method;
      a.lines = {{"Origin", plan.origin}};
      for (const browser::header_line& h : plan.headers) a.lines.emplace_back(h.name, h.value);
      actual = run_leg(policy, std::move(a));
      actual->verdict = browser::check_actual(plan, actual->received);
    }
  }
  const bool accepted = actual && actual->verdict.accepted();
  const leg* failed = preflight && !preflight->verdict.accepted() ? &*preflight
                      : actual && !actual->verdict.accepted()     ? &*actual
                                                                  : nullptr;
  if (json) {
    const leg* last = actual ? &*actual : preflight ? &*preflight : nullptr;
    std::string s = "{\"allowed\":";
    s += accepted ? "true" : "false";
    s += ",\"kind\":\"fetch\",\"reason\":";
    cors::detail::append_json_string(s, plan.type_error ? "type_error"
                                        : failed        ? cors::browser::to_string(failed->verdict.failed)
                                                        : "accepted");
    s += ",\"credentials_mode\":";
    cors::detail::append_json_string(s, to_string(plan.credentials));
    s += ",\"type_error\":";
    cors::detail::append_json_string(s, plan.type_error_reason);
    s += ",\"preflight_sent\":";
    s += preflight ? "true" : "false";
    s += ",\"headers\":";
    append_lines_json(s, last ? last->received.headers : std::vector<browser::header_line>{});
    s += ",\"explanation\":";
    s += last ? cors::to_json(last->explained) : "null";
    for (const auto& [name, l] : {std::pair{"preflight", &preflight}, std::pair{"actual", &actual}}) {
      s += fmt::format(",\"{}\":", name);
      if (!*l) {
        s += "null";
        continue;
      }
      s += "{\"method\":";
      cors::detail::append_json_string(s, (*l)->sent.method);
      s += ",\"status\":" + std::to_string((*l)->received.status) + ",\"verdict\":{";
      append_verdict_json(s, (*l)->verdict);
      s += "},\"decision\":";
      s += cors::to_json((*l)->explained);
      s += '}';
    }
    s += '}';
    fmt::print("{}\n", s);
    return accepted ? 0 : 1;
  }
  fmt::print("fetch(url, {{method: '{}', credentials: '{}'}}) from {}\n", cors::printable(request.method),
             to_string(request.credentials), cors::printable(request.origin));
  if (plan.type_error) {
    fmt::print("browser: fetch() rejects with a TypeError before sending anything: {}\n",
               cors::printable(plan.type_error_reason));
    return 1;
  }
  fmt::print("preflight: {}\n",
             plan.preflight
                 ? fmt::format("yes (method `{}`, CORS-unsafe request headers: {})", cors::printable(plan.method),
                               plan.unsafe_header_names.empty() ? std::string("none")
                                                                : cors::printable(*plan.access_control_request_headers))
                 : std::string("no: a CORS-safelisted method and request headers"));
  if (preflight) {
    print_leg_text("preflight", *preflight, color);
    fmt::print("browser: preflight response {}\n", verdict_line(preflight->verdict));
    if (!preflight->verdict.accepted()) {
      fmt::print("browser: the actual request is never sent; fetch() rejects with a TypeError\n");
      return 1;
    }
  }
  print_leg_text("actual request", *actual, color);
  fmt::print("browser: actual response {}\n", verdict_line(actual->verdict));
  fmt::print("{}\n", accepted ? "result: the script reads the response"
                              : "result: fetch() rejects with a TypeError; the script never sees the response");
  return accepted ? 0 : 1;
}

/// --check-response: the browser model's verdict on `head` as the answer to `req` (a preflight
/// when it is `OPTIONS` with `Access-Control-Request-Method`).
int run_check_response(std::string_view head, const owned_request& req, cors::browser::credentials_mode credentials,
                       bool json) {
  namespace browser = cors::browser;
  const std::optional<browser::response> parsed = browser::response::parse(head);
  if (!parsed) {
    fmt::print(stderr,
               "cors-check: --check-response: not a response head (a status line `HTTP/1.1 204 No Content`, "
               "then `Name: value` lines)\n");
    return 2;
  }
  browser::request_plan plan;
  plan.credentials = credentials;
  plan.method = req.method;
  std::optional<std::string> acrm;
  for (const auto& [name, value] : req.lines) {
    if (cors::detail::iequals(name, "Origin")) {
      plan.origin = value;
    } else if (cors::detail::iequals(name, "Access-Control-Request-Method")) {
      acrm = value;
    } else if (cors::detail::iequals(name, "Access-Control-Request-Headers")) {
      plan.access_control_request_headers = value;
    } else {
      plan.headers.push_back({name, value});
    }
  }
  plan.preflight = req.method == "OPTIONS" && acrm.has_value();
  if (plan.preflight) {
    // The preflight stands for an actual request with this method and these header names.
    plan.method = *acrm;
    plan.access_control_request_method = *acrm;
    plan.headers.clear();
    const std::string requested = plan.access_control_request_headers.value_or("");
    cors::detail::list_reader<> names(requested);
    std::string_view name;
    while (names.next(name)) {
      if (name.empty()) continue;
      std::string lower(name);
      for (char& c : lower) c = cors::detail::to_lower(c);
      plan.headers.push_back({lower, ""});
      plan.unsafe_header_names.push_back(lower);
    }
    std::sort(plan.unsafe_header_names.begin(), plan.unsafe_header_names.end());
    plan.unsafe_header_names.erase(std::unique(plan.unsafe_header_names.begin(), plan.unsafe_header_names.end()),
                                   plan.unsafe_header_names.end());
  }
  const browser::verdict v =
      plan.preflight ? browser::check_preflight(plan, *parsed) : browser::check_actual(plan, *parsed);
  const std::string_view kind = plan.preflight ? "preflight" : "actual";
  std::string explanation =
      v.accepted() ? fmt::format("the browser accepts this {} response for origin `{}` (credentials mode {})", kind,
                                 cors::printable(plan.origin), to_string(credentials))
                   : v.detail;
  if (v.accepted() && plan.preflight) {
    explanation += v.max_age_valid ? fmt::format("; cached {} s by Access-Control-Max-Age{}", v.max_age,
                                                 v.max_age > 7200 ? " (Chromium caps at 7200 s)" : "")
                                   : "; not cached beyond 5 s (no valid Access-Control-Max-Age)";
  }
  if (json) {
    std::string s = "{\"allowed\":";
    s += v.accepted() ? "true" : "false";
    s += ",\"kind\":";
    cors::detail::append_json_string(s, kind);
    s += ",\"reason\":";
    cors::detail::append_json_string(s, v.accepted() ? "accepted" : browser::to_string(v.failed));
    s += ",\"status\":" + std::to_string(parsed->status);
    s += ",\"headers\":";
    append_lines_json(s, parsed->headers);
    s += ",\"explanation\":";
    cors::detail::append_json_string(s, cors::printable(explanation, 4096));
    s += ",\"verdict\":{";
    append_verdict_json(s, v);
    s += ",\"max_age\":" + std::to_string(v.max_age) + ",\"max_age_valid\":" + (v.max_age_valid ? "true" : "false");
    s += "}}";
    fmt::print("{}\n", s);
  } else {
    fmt::print("response: status {}, {} header line{}\n", parsed->status, parsed->headers.size(),
               parsed->headers.size() == 1 ? "" : "s");
    fmt::print("browser: {} response {}\n", kind, verdict_line(v));
    if (v.accepted()) fmt::print("{}\n", explanation);
  }
  return v.accepted() ? 0 : 1;
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
  // Every other `Access-Control-*` name is a response header or one the browser alone sends.
  constexpr std::string_view prefix = "access-control-";
  return name.size() > prefix.size() && cors::detail::iequals(name.substr(0, prefix.size()), prefix);
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

/// The policy of a `--config` file: the file's keys over the defaults (and the public-suffix check
/// the example servers add). Every problem goes to `problems`, named by its JSON pointer, as the
/// example servers report them.
std::optional<cors::config> read_config_file(const std::string& path, std::vector<std::string>& problems) {
  cors::config base;
#ifdef CORS_EXAMPLE_HAVE_PSL
  base.public_suffix = cors::psl::is_public_suffix;
#endif
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    problems.push_back(fmt::format("cors-check: --config: cannot read `{}`", cors::printable(path)));
    return std::nullopt;
  }
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  // policy_from_json reports every problem (JSON, unknown keys, the policy's own validation) with
  // its pointer; the config itself is then read from the same, valid, text.
  const cors::policy_result made = cors::policy_from_json(text, base);
  if (!made) {
    for (const cors::config_error& e : made.errors())
      problems.push_back(fmt::format("cors-check: {}: {}", path, e.message));
    return std::nullopt;
  }
  std::vector<cors::config_error> errors;
  const std::optional<nlohmann::json> v = cors::detail::json::parse(text, errors);
  cors::config cfg = base;
  if (v) cors::detail::json::read_config(*v, "", cfg, errors);
  for (const cors::config_error& e : errors) problems.push_back(fmt::format("cors-check: {}: {}", path, e.message));
  if (!errors.empty()) return std::nullopt;
  return cfg;
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
  std::optional<std::pair<std::string, std::string>> fetch;  // METHOD, ORIGIN
  std::optional<std::string> response_file;
  std::optional<std::string> config_file;
  cors::browser::credentials_mode credentials = cors::browser::credentials_mode::same_origin;
  bool have_credentials_mode = false;
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
    } else if (arg == "--fetch") {
      auto method = value();
      auto page = method ? value() : std::nullopt;
      if (method && page) fetch = std::pair{std::move(*method), std::move(*page)};
    } else if (arg == "--check-response") {
      response_file = value();
    } else if (arg == "--config") {
      config_file = value();
    } else if (arg == "--credentials-mode") {
      if (auto v = value()) {
        have_credentials_mode = true;
        if (*v == "omit") {
          credentials = cors::browser::credentials_mode::omit;
        } else if (*v == "same-origin") {
          credentials = cors::browser::credentials_mode::same_origin;
        } else if (*v == "include") {
          credentials = cors::browser::credentials_mode::include;
        } else {
          problems.push_back(fmt::format("cors-check: --credentials-mode `{}`: give omit, same-origin or include",
                                         cors::printable(*v)));
        }
      }
    } else {
      policy_args.push_back(argv[i]);  // the policy flags, and their values, for example_cli
    }
  }
  const bool request_flags = origin.has_value() || preflight.has_value();
  const int modes = int{raw} + int{lint_mode} + int{fetch.has_value()} + int{request_flags && !response_file};
  if (response_file) {
    if (!request_flags) problems.emplace_back("cors-check: --check-response needs --request-origin (or --preflight)");
    if (raw || lint_mode || fetch) problems.emplace_back("cors-check: --check-response takes the request flags only");
    if (policy_args.size() != 1) {
      problems.emplace_back("cors-check: --check-response judges a captured response: it takes no policy flags");
    }
  } else if (modes != 1) {
    problems.emplace_back("cors-check: give exactly one of --request-origin, --raw, --fetch and --lint");
  }
  if (have_credentials_mode && !fetch && !response_file) {
    problems.emplace_back("cors-check: --credentials-mode goes with --fetch or --check-response");
  }
  if (fetch && have_method) problems.emplace_back("cors-check: --fetch names the method; drop --request-method");
  if (preflight && !origin) problems.emplace_back("cors-check: --preflight needs --request-origin");
  if (preflight && have_method)
    problems.emplace_back("cors-check: --preflight and --request-method exclude each other");
  if (raw && (have_method || !req.lines.empty())) {
    problems.emplace_back("cors-check: --raw reads method and headers from stdin; drop --request-method and -H");
  }
  if (config_file && response_file) {
    problems.emplace_back("cors-check: --check-response judges a captured response: it takes no --config");
  }
  if (config_file && policy_args.size() != 1) {
    problems.emplace_back("cors-check: --config replaces the policy flags; give one or the other");
  }
  if (policy_args.size() == 1 && !response_file && !config_file) {
    problems.emplace_back("cors-check: no policy: give at least one --origin, or --config FILE");
  }
  if (!problems.empty()) {
    for (const std::string& p : problems) fmt::print(stderr, "{}\n", p);
    fmt::print(stderr, "{}", usage);
    return 2;
  }
  if (response_file) {
    std::string head;
    if (*response_file == "-") {
      head.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    } else {
      std::ifstream in(*response_file, std::ios::binary);
      if (!in) {
        fmt::print(stderr, "cors-check: --check-response: cannot read `{}`\n", cors::printable(*response_file));
        return 2;
      }
      head.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    return run_check_response(head, with_origin(std::move(req), *origin, preflight), credentials, json);
  }
  // The example servers' command line (or a --config file): every configuration problem is
  // printed, status 2.
  cors::config cfg;
  if (config_file) {
    std::optional<cors::config> read = read_config_file(*config_file, problems);
    if (!read) {
      for (const std::string& p : problems) fmt::print(stderr, "{}\n", p);
      return 2;
    }
    cfg = std::move(*read);
  } else {
    const std::optional<example::options> opts =
        example::parse_command_line(static_cast<int>(policy_args.size()), policy_args.data());
    if (!opts) return 2;
    cfg = opts->config;
  }
  const bool color = use_color(no_color || json);
  if (lint_mode) return run_lint(cfg, json, color);
  if (fetch) {
    cors::browser::fetch_request request;
    request.method = fetch->first;
    request.origin = fetch->second;
    request.credentials = credentials;
    for (auto& [name, value] : req.lines) request.headers.push_back({std::move(name), std::move(value)});
    return run_fetch(cfg, request, json, color);
  }
  if (raw) {
    const std::string input{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
    req = parse_raw(input, problems);
    if (!problems.empty()) {
      for (const std::string& p : problems) fmt::print(stderr, "{}\n", p);
      return 2;
    }
  } else {
    req = with_origin(std::move(req), *origin, preflight);
  }
  return check(cfg, req, json, color);
}
