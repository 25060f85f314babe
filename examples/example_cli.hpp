// What the example servers share: the command line (fixed: browser tests and benchmarks depend on
// it), the CORS configuration built from it, the demo application's routes and the request log.
// Each server only adds its framework's plumbing.
#ifndef CORS_EXAMPLES_EXAMPLE_CLI_HPP
#define CORS_EXAMPLES_EXAMPLE_CLI_HPP

#include <fmt/format.h>
#include <cors/cors.hpp>
#include <cors/csrf.hpp>
#include <cors/decision_counters.hpp>
#include <cors/detail/escape.hpp>
#include <cors/fmt.hpp>
#include <cors/host_guard.hpp>
#include <cors/report_only.hpp>

#include <charconv>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace example {

inline constexpr std::string_view usage =
    "usage: {} [--host 127.0.0.1] [--port N] --origin PATTERN [options]\n"
    "  --port N               0 (default) picks a free port\n"
    "  --origin PATTERN       repeatable: https://app.example.com, *, https://*.example.com, http://localhost:*\n"
    "  --method M             repeatable; * allows any\n"
    "  --header H             repeatable; request headers to allow; * allows any (never Authorization)\n"
    "  --expose H             repeatable\n"
    "  --credentials\n"
    "  --max-age SECONDS\n"
    "  --private-network\n"
    "  --preflight-status 200|204\n"
    "  --passthrough          preflights reach the app after headers are computed\n"
    "  --refuse               answer actual requests from refused origins with 403\n"
    "  --debug                refused preflights (method, header) answer so the console names the cause\n"
    "  --server-origin ORIGIN repeatable; the server's own origins (same-origin, never refused)\n"
    "  --max-request-headers-bytes N\n"
    "                         longest Access-Control-Request-Headers read, 256 … 65536 (default 4096)\n"
    "  --dangerously-allow-null-origin\n"
    "                         let `--origin null` allow the opaque origin `null`\n"
    "  --dangerously-allow-insecure-origins-with-credentials\n"
    "                         let --credentials go with http:// origins that are not loopback\n"
    "  --report-only-origin PATTERN\n"
    "                         repeatable; a report-only candidate: this policy with these origins instead,\n"
    "                         evaluated beside it and never enforced; each difference is logged on stderr\n"
    "  --metrics-path PATH    serve the decision counters at GET PATH (Prometheus text format)\n"
    "  --quiet                no per-request log\n"
    "  --no-cors              no CORS policy at all (CORS options are ignored), for overhead benchmarks;\n"
    "                         not with the guards, --report-only-origin or --metrics-path\n"
    "  --csrf                 refuse cross-origin unsafe requests (trusted origins: the policy's)\n"
    "  --allowed-host NAME    repeatable; refuse requests whose Host is not NAME or loopback (DNS rebinding)\n"
    "  --websocket PATH       an echo WebSocket at PATH, origins checked by the policy (Beast only)\n"
    "  --timing-allow-origin  Timing-Allow-Origin for the origins allowed to read responses\n"
    "  --version              print the cors-policy version and exit\n"
    "  --help, -h             print this and exit\n"
    "routes (any method):\n"
    "  /status/NNN            answers status NNN (200 … 599)\n"
    "  /vary                  sets Vary: Accept-Encoding (CORS merges into it)\n"
    "  /cookie/set            sets the cookie cors_test=1\n"
    "  /cookie/echo           answers the request's Cookie\n"
    "  /throw                 the application throws (a 500)\n"
    "  anything else          200 ok\n"
    "Every answer carries X-Total-Count, X-Secret and X-Method (the request's method).\n";

/// What the command line asked for.
struct options {
  std::string host = "127.0.0.1";
  unsigned short port = 0;
  cors::config config;
  bool quiet = false;
  bool csrf = false;                       ///< --csrf
  std::vector<std::string> allowed_hosts;  ///< --allowed-host (the Host guard is on when non-empty)
  std::string websocket_path;              ///< --websocket (empty: none)
  bool no_cors = false;                    // no policy, no evaluate(), no CORS headers: the app and routes alone
  /// The report-only candidate (`--report-only-origin`), evaluated beside `config`'s policy.
  /// `--report-only FILE` will set it from a configuration file in one call.
  std::optional<cors::policy> report_only;
  /// Where the decision counters are served (`--metrics-path`); empty: nowhere.
  std::string metrics_path;
};

template <class Int>
[[nodiscard]] std::optional<Int> parse_int(std::string_view s) noexcept {
  Int v{};
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
  return v;
}

/// Parses the command line and validates the configuration. Returns the options, or prints the
/// problems to stderr and returns nothing: the caller exits with status 2 before opening any socket.
/// A command line that cannot be read (an unknown option, a missing or malformed value) reports
/// only that; a readable one reports every problem of the configuration (the library's fix-it
/// messages). No arguments at all prints the usage. `--help` and `--version` print to stdout and
/// exit 0.
[[nodiscard]] inline std::optional<options> parse_command_line(int argc, char** argv) {
  options opts;
  std::vector<std::string> problems;
  std::vector<std::string> report_only_origins;
  const std::string_view program = argc > 0 ? argv[0] : "cors-example";
  if (argc <= 1) {
    fmt::print(stderr, usage, program);
    std::fflush(stderr);
    return std::nullopt;
  }
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const auto value = [&]() -> std::optional<std::string_view> {
      if (i + 1 >= argc) {
        problems.push_back(fmt::format("{}: missing value after {}", program, arg));
        return std::nullopt;
      }
      return std::string_view(argv[++i]);
    };
    if (arg == "--help" || arg == "-h") {
      fmt::print(stdout, usage, program);
      std::exit(0);
    } else if (arg == "--version") {
      fmt::print(stdout, "cors-policy {}\n", cors::version_string);
      std::exit(0);
    } else if (arg == "--host") {
      if (auto v = value()) opts.host = std::string(*v);
    } else if (arg == "--port") {
      if (auto v = value()) {
        if (auto n = parse_int<unsigned short>(*v)) {
          opts.port = *n;
        } else {
          problems.push_back(
              fmt::format("{}: --port `{}` is not a port number 0 … 65535", program, cors::detail::printable(*v)));
        }
      }
    } else if (arg == "--origin") {
      if (auto v = value()) opts.config.origins.emplace_back(*v);
    } else if (arg == "--method") {
      if (auto v = value()) opts.config.methods.emplace_back(*v);
    } else if (arg == "--header") {
      if (auto v = value()) opts.config.request_headers.emplace_back(*v);
    } else if (arg == "--expose") {
      if (auto v = value()) opts.config.exposed_headers.emplace_back(*v);
    } else if (arg == "--credentials") {
      opts.config.credentials = true;
    } else if (arg == "--max-age") {
      if (auto v = value()) {
        // Negative numbers parse here so that the library reports them with its fix-it message.
        if (auto n = parse_int<long long>(*v)) {
          opts.config.max_age = std::chrono::seconds{*n};
        } else {
          problems.push_back(
              fmt::format("{}: --max-age `{}` is not a number of seconds", program, cors::detail::printable(*v)));
        }
      }
    } else if (arg == "--private-network") {
      opts.config.private_network = true;
    } else if (arg == "--preflight-status") {
      if (auto v = value()) {
        if (auto n = parse_int<int>(*v)) {
          opts.config.preflight_status = *n;
        } else {
          problems.push_back(fmt::format("{}: --preflight-status `{}` is not a number (use 200 or 204)", program,
                                         cors::detail::printable(*v)));
        }
      }
    } else if (arg == "--passthrough") {
      opts.config.preflight_passthrough = true;
    } else if (arg == "--refuse") {
      opts.config.refuse_disallowed_requests = true;
    } else if (arg == "--debug") {
      opts.config.debug = true;
    } else if (arg == "--server-origin") {
      if (auto v = value()) opts.config.server_origins.emplace_back(*v);
    } else if (arg == "--max-request-headers-bytes") {
      if (auto v = value()) {
        // Out-of-range numbers parse here so that the library reports them with its fix-it message.
        if (auto n = parse_int<std::size_t>(*v)) {
          opts.config.max_request_headers_bytes = *n;
        } else {
          problems.push_back(fmt::format("{}: --max-request-headers-bytes `{}` is not a number of bytes", program,
                                         cors::detail::printable(*v)));
        }
      }
    } else if (arg == "--dangerously-allow-null-origin") {
      opts.config.dangerously_allow_null_origin = true;
    } else if (arg == "--dangerously-allow-insecure-origins-with-credentials") {
      opts.config.dangerously_allow_insecure_origins_with_credentials = true;
    } else if (arg == "--report-only-origin") {
      if (auto v = value()) report_only_origins.emplace_back(*v);
    } else if (arg == "--metrics-path") {
      if (auto v = value()) {
        if (v->empty() || v->front() != '/') {
          problems.push_back(fmt::format("{}: --metrics-path `{}` must be a path starting with `/`", program,
                                         cors::detail::printable(*v)));
        } else {
          opts.metrics_path = std::string(*v);
        }
      }
    } else if (arg == "--quiet") {
      opts.quiet = true;
    } else if (arg == "--csrf") {
      opts.csrf = true;
    } else if (arg == "--allowed-host") {
      if (auto v = value()) opts.allowed_hosts.emplace_back(*v);
    } else if (arg == "--websocket") {
      if (auto v = value()) {
        if (v->empty() || v->front() != '/') {
          problems.push_back(
              fmt::format("{}: --websocket `{}` is not a path such as /ws", program, cors::detail::printable(*v)));
        } else {
          opts.websocket_path = std::string(*v);
        }
      }
    } else if (arg == "--timing-allow-origin") {
      opts.config.timing_allow_origin = true;
    } else if (arg == "--no-cors") {
      opts.no_cors = true;
    } else {
      problems.push_back(fmt::format("{}: unknown option `{}` (see --help)", program, cors::detail::printable(arg)));
    }
  }
  // --no-cors is the baseline of the overhead benchmark: nothing of CORS runs. The guards, the
  // report-only candidate (compared with an enforced policy there is none of) and the counters (of
  // decisions never made) would each be CORS work, so they are refused rather than ignored.
  if (opts.no_cors && (opts.csrf || !opts.allowed_hosts.empty() || !opts.websocket_path.empty() ||
                       !report_only_origins.empty() || !opts.metrics_path.empty())) {
    problems.push_back(
        fmt::format("{}: --no-cors runs the application alone: it takes no --csrf, --allowed-host, "
                    "--websocket, --report-only-origin or --metrics-path",
                    program));
  }
  // The configuration is checked only once the command line could be read: a typo is reported
  // alone, not buried under the messages of the configuration it left incomplete. With --no-cors
  // there is no configuration to check.
  if (problems.empty() && !opts.no_cors) {
    for (const cors::config_error& e : cors::validate(opts.config)) problems.push_back(e.message);
    try {
      const cors::host_guard check{cors::host_guard_config{true, opts.allowed_hosts}};
    } catch (const cors::invalid_guard_config& e) {
      for (const std::string& p : e.problems()) problems.push_back(p);
    }
  }
  if (problems.empty() && !report_only_origins.empty()) {
    // The candidate is the enforced configuration with other origins, whatever the order of the
    // options. (`--report-only FILE` will build it from a file instead: one call, same checks.)
    cors::config candidate = opts.config;
    candidate.origins = std::move(report_only_origins);
    cors::policy_result made = cors::policy::make(candidate);
    for (const cors::config_error& e : made.errors()) problems.push_back("report-only candidate: " + e.message);
    if (made) opts.report_only.emplace(std::move(made).value());
  }
  if (problems.empty()) return opts;
  for (const std::string& p : problems) fmt::print(stderr, "{}\n", p);
  std::fflush(stderr);
  return std::nullopt;
}

/// The guards the command line asked for, in front of the application: the Host guard
/// (`--allowed-host`), then the CSRF guard (`--csrf`, trusting the CORS policy's origins).
class guards {
 public:
  /// `policy` is null with --no-cors (which takes no guards).
  guards(const options& opts, const cors::policy* policy) {
    if (!opts.allowed_hosts.empty()) hosts_.emplace(cors::host_guard_config{true, opts.allowed_hosts});
    if (opts.csrf && policy != nullptr) csrf_.emplace(*policy);
  }

  /// Why the request is refused (`host refused (host_not_allowed) 403`), or nothing.
  [[nodiscard]] std::optional<std::string> refusal(const cors::request_view& v) const {
    if (hosts_) {
      const cors::host_decision d = hosts_->check(v);
      if (d.refused()) return fmt::format("{}", d);
    }
    if (csrf_) {
      const cors::csrf_decision d = csrf_->check(v);
      if (d.refused()) return fmt::format("{}", d);
    }
    return std::nullopt;
  }

 private:
  std::optional<cors::host_guard> hosts_;
  std::optional<cors::csrf_guard> csrf_;
};

/// A guard's or the WebSocket check's answer on stderr (unless --quiet), request bytes escaped.
inline void log_guard(std::string_view method, std::string_view path, std::string_view why) {
  fmt::print(stderr, "{} {} {}\n", cors::detail::printable(method, 32), cors::detail::printable(path, 128), why);
  std::fflush(stderr);
}

/// One line on stderr for a request the report-only candidate decides differently, request bytes
/// escaped: `report-only: actual origin=https://a.example enforced=allowed candidate=origin_not_allowed
/// grant-differs response-differs`, and the value the candidate refused, if any.
inline void log_difference(const cors::difference& d) {
  const std::string_view refused = d.candidate_decision->offending_value();
  fmt::print(stderr, "report-only: {} origin={} enforced={} candidate={}{}{}{}{}\n", d.kind,
             d.origin.empty() ? std::string("-") : cors::detail::printable(d.origin, 128), d.enforced, d.candidate,
             d.grant_differs ? " grant-differs" : "", d.response_differs ? " response-differs" : "",
             refused.empty() ? "" : " refused=", cors::detail::printable(refused, 128));
  std::fflush(stderr);
}

/// What the servers decide requests with: the enforced policy, the report-only candidate beside it
/// (`--report-only-origin`), and the decision counters served at `--metrics-path`. Shared by every
/// thread. Each server calls `evaluate()` once per request, after the guards (a request a guard
/// refuses is neither counted nor compared) and after answering a scrape (not counted either). A
/// server run with `--no-cors` has none.
class cors_runtime {
 public:
  explicit cors_runtime(const options& opts) : policy_(opts.config), metrics_path_(opts.metrics_path) {
    if (opts.report_only) shadow_.emplace(policy_, *opts.report_only, log_difference);
  }
  cors_runtime(const cors_runtime&) = delete;
  cors_runtime& operator=(const cors_runtime&) = delete;

  /// The enforced decision for `v`, counted, and compared with the candidate's.
  [[nodiscard]] cors::decision evaluate(const cors::request_view& v) const noexcept {
    const cors::decision d = shadow_ ? shadow_->evaluate(v) : policy_.evaluate(v);
    counters_.record(d.kind(), d.why());
    return d;
  }
  /// The enforced policy (for adapters that evaluate again, e.g. to add headers after routing).
  [[nodiscard]] const cors::policy& policy() const noexcept { return policy_; }

  /// Is this a scrape of the counters (`GET` on `--metrics-path`)? Answered before CORS, uncounted.
  [[nodiscard]] bool is_metrics_request(std::string_view method, std::string_view path) const noexcept {
    return !metrics_path_.empty() && method == "GET" && path == metrics_path_;
  }
  /// The counters in the Prometheus text format (`cors::prometheus_content_type`).
  [[nodiscard]] std::string metrics() const {
    std::string out;
    cors::render_prometheus(out, counters_);
    return out;
  }

 private:
  cors::policy policy_;
  std::optional<cors::report_only<>> shadow_;
  mutable cors::decision_counters counters_;
  std::string metrics_path_;
};

/// The first line on stdout, which test drivers wait for; flushed at once.
inline void announce(std::string_view host, unsigned short port) {
  fmt::print(stdout, "listening on http://{}:{}\n", host, port);
  std::fflush(stdout);
}

/// The demo application's answer.
struct app_response {
  int status = 200;
  std::string body;
  std::vector<std::pair<std::string_view, std::string>> headers;
};

/// The demo application: any method on any path answers `200 ok`; `/status/NNN` answers NNN;
/// `/vary` sets its own `Vary: Accept-Encoding` (CORS must merge into it); `/cookie/set` sets
/// `cors_test=1`; `/cookie/echo` answers the request's `Cookie`. A preflight that reaches it
/// (`--passthrough`) gets the same answer as any other request: in pass-through mode the
/// application's own answer is what the client gets, with the policy's headers. Every answer
/// carries `X-Total-Count`, `X-Secret` (to test exposure) and `X-Method` (the request's method).
/// `/throw` throws, to exercise the servers' exception paths.
[[nodiscard]] inline app_response app(std::string_view method, std::string_view path, std::string_view cookie) {
  app_response res;
  res.body = "ok";
  res.headers.emplace_back("X-Total-Count", "42");
  res.headers.emplace_back("X-Secret", "s");
  res.headers.emplace_back("X-Method", std::string(method));
  constexpr std::string_view status_prefix = "/status/";
  if (path.substr(0, status_prefix.size()) == status_prefix) {
    const auto n = parse_int<int>(path.substr(status_prefix.size()));
    if (n && *n >= 200 && *n <= 599) {
      res.status = *n;
    } else {
      res.status = 400;
      res.body = "status must be 200 … 599";
    }
  } else if (path == "/vary") {
    res.headers.emplace_back("Vary", "Accept-Encoding");
  } else if (path == "/cookie/set") {
    res.headers.emplace_back("Set-Cookie", "cors_test=1; Path=/");
  } else if (path == "/cookie/echo") {
    res.body = std::string(cookie);
  } else if (path == "/throw") {
    throw std::runtime_error("the demo application threw");
  }
  if (res.status == 204 || res.status == 304 || method == "HEAD") res.body.clear();
  return res;
}

/// The earlier call form, kept for servers written against it: whether the request is a preflight
/// no longer changes the answer (see above).
[[nodiscard]] inline app_response app(std::string_view method, std::string_view path, std::string_view cookie,
                                      bool /*preflight*/, int /*preflight_status*/) {
  return app(method, path, cookie);
}

/// Is this a preflight as the Fetch Standard defines it (`OPTIONS` with `Origin` and
/// `Access-Control-Request-Method`)?
[[nodiscard]] inline bool is_preflight(const cors::request_view& v) noexcept {
  return v.method == "OPTIONS" && v.origin.present() && v.access_control_request_method.present();
}

/// One line per request on stderr, request bytes escaped.
inline void log_request(std::string_view method, std::string_view path, const cors::request_view& v,
                        const cors::decision& d, int status) {
  const std::string origin = v.origin.present() ? cors::detail::printable(v.origin.front(), 128) : "-";
  fmt::print(stderr, "{} {} origin={} {} -> {}\n", cors::detail::printable(method, 32),
             cors::detail::printable(path, 128), origin, d, status);
  std::fflush(stderr);
}

/// The same line for a server run with `--no-cors`: `no-cors` where the decision would be.
/// `origin` is the request's first `Origin` line, empty when it has none.
inline void log_request_without_cors(std::string_view method, std::string_view path, std::string_view origin,
                                     int status) {
  fmt::print(stderr, "{} {} origin={} no-cors -> {}\n", cors::detail::printable(method, 32),
             cors::detail::printable(path, 128), origin.empty() ? "-" : cors::detail::printable(origin, 128), status);
  std::fflush(stderr);
}

}  // namespace example

#endif  // CORS_EXAMPLES_EXAMPLE_CLI_HPP
