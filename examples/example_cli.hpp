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
#include <cors/json.hpp>
#include <cors/live.hpp>
#include <cors/report_only.hpp>
#include <cors/router.hpp>
#ifdef CORS_EXAMPLE_HAVE_PSL
#include <cors/psl.hpp>
#endif

#include <charconv>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <functional>
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
    "  --config FILE          the policy, or a router, from a JSON file instead of the policy options\n"
    "                         above (see the README); reloaded on SIGHUP\n"
    "  --report-only FILE     a report-only candidate from a JSON file (a policy or a router, as --config),\n"
    "                         evaluated beside the enforced one and never enforced; each difference is\n"
    "                         logged on stderr; read once, at start-up\n"
    "  --report-only-origin PATTERN\n"
    "                         repeatable; a report-only candidate: the policy options with these origins\n"
    "                         instead (not with --config or --report-only)\n"
    "  --metrics-path PATH    serve the decision counters at GET PATH (Prometheus text format)\n"
    "  --quiet                no per-request log\n"
    "  --no-cors              no CORS policy at all (CORS options are ignored), for overhead benchmarks;\n"
    "                         not with the guards, --report-only, --report-only-origin or --metrics-path\n"
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

/// What `--version` prints: the library's version, then which Public Suffix List refuses
/// wildcards such as `https://*.co.uk` (see the README, "Public suffixes").
[[nodiscard]] inline std::string version_text() {
#ifdef CORS_EXAMPLE_HAVE_PSL
  return fmt::format("cors-policy {}\npublic suffix list: {}\n", cors::version_string, cors::psl::snapshot());
#else
  return fmt::format(
      "cors-policy {}\npublic suffix list: none (built without libpsl: only wildcards under a "
      "top-level domain are refused)\n",
      cors::version_string);
#endif
}

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
  /// `--config FILE`, and the router read from it.
  std::string config_file;
  std::optional<cors::router> router;
  /// The report-only candidate (`--report-only FILE`, or `--report-only-origin`: the policy options
  /// with other origins, as a router's default), evaluated beside the enforced router.
  std::optional<cors::router> report_only;
  std::string report_only_file;  ///< --report-only (empty: none)
  /// Where the decision counters are served (`--metrics-path`); empty: nowhere.
  std::string metrics_path;
};

/// Is `arg` one of the options that configure the policy (which `--config` replaces)?
[[nodiscard]] inline bool is_policy_option(std::string_view arg) noexcept {
  for (const std::string_view o :
       {"--origin", "--method", "--header", "--expose", "--credentials", "--max-age", "--private-network",
        "--preflight-status", "--passthrough", "--refuse", "--server-origin", "--max-request-headers-bytes",
        "--dangerously-allow-null-origin", "--dangerously-allow-insecure-origins-with-credentials"}) {
    if (arg == o) return true;
  }
  return false;
}

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
  const std::string_view program = argc > 0 ? argv[0] : "cors-example";
  if (argc <= 1) {
    fmt::print(stderr, usage, program);
    std::fflush(stderr);
    return std::nullopt;
  }
  bool policy_options = false;
  std::vector<std::string> report_only_origins;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    policy_options = policy_options || is_policy_option(arg);
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
      fmt::print(stdout, "{}", version_text());
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
    } else if (arg == "--config") {
      if (auto v = value()) opts.config_file = std::string(*v);
    } else if (arg == "--report-only") {
      if (auto v = value()) opts.report_only_file = std::string(*v);
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
  // The guards and the WebSocket check trust the origins of one policy, the command line's; a
  // router (--config) has one per route, and may replace them on SIGHUP.
  if (!opts.config_file.empty() && (opts.csrf || !opts.websocket_path.empty())) {
    problems.push_back(
        fmt::format("{}: --csrf and --websocket trust the policy options' origins: they do not go with "
                    "--config",
                    program));
  }
  // --no-cors is the baseline of the overhead benchmark: nothing of CORS runs. The guards, a
  // report-only candidate (compared with an enforced policy there is none of) and the counters (of
  // decisions never made) would each be CORS work, so they are refused rather than ignored.
  if (opts.no_cors && (opts.csrf || !opts.allowed_hosts.empty() || !opts.websocket_path.empty() ||
                       !opts.report_only_file.empty() || !report_only_origins.empty() || !opts.metrics_path.empty())) {
    problems.push_back(
        fmt::format("{}: --no-cors runs the application alone: it takes no --csrf, --allowed-host, "
                    "--websocket, --report-only, --report-only-origin or --metrics-path",
                    program));
  }
  // One candidate: a file's, or the policy options' with other origins (which --config replaces).
  if (!report_only_origins.empty() && (!opts.report_only_file.empty() || !opts.config_file.empty())) {
    problems.push_back(
        fmt::format("{}: --report-only-origin changes the policy options' origins: it goes with "
                    "neither --report-only nor --config (give the candidate as --report-only FILE)",
                    program));
  }
  // The configuration is checked only once the command line could be read: a typo is reported
  // alone, not buried under the messages of the configuration it left incomplete. With --no-cors
  // there is no configuration to check.
#ifdef CORS_EXAMPLE_HAVE_PSL
  // Refuses https://*.co.uk, https://*.github.io: in the options' policy, and in every policy of a
  // --config file, which starts from opts.config.
  opts.config.public_suffix = cors::psl::is_public_suffix;
#endif
  if (problems.empty() && !opts.config_file.empty() && !opts.no_cors) {
    if (policy_options) {
      problems.push_back(fmt::format("{}: --config replaces the policy options; give one or the other", program));
    } else {
      cors::router_result r = cors::router_from_json_file(opts.config_file, opts.config);
      for (const cors::config_error& e : r.errors()) {
        problems.push_back(fmt::format("{}: {}: {}", program, opts.config_file, e.message));
      }
      if (r) opts.router = std::move(r).value();
    }
  } else if (problems.empty() && !opts.no_cors) {
    for (const cors::config_error& e : cors::validate(opts.config)) problems.push_back(e.message);
  }
  if (problems.empty() && !opts.no_cors) {
    try {
      const cors::host_guard check{cors::host_guard_config{true, opts.allowed_hosts}};
    } catch (const cors::invalid_guard_config& e) {
      for (const std::string& p : e.problems()) problems.push_back(p);
    }
  }
  if (problems.empty() && !opts.report_only_file.empty()) {
    // The same reader as --config: a policy file becomes the default of a router without routes.
    // Only the public-suffix check comes from the command line: the candidate is the file's alone.
    cors::config base;
    base.public_suffix = opts.config.public_suffix;
    cors::router_result r = cors::router_from_json_file(opts.report_only_file, base);
    for (const cors::config_error& e : r.errors()) {
      problems.push_back(fmt::format("{}: report-only candidate: {}: {}", program, opts.report_only_file, e.message));
    }
    if (r) opts.report_only = std::move(r).value();
  }
  if (problems.empty() && !report_only_origins.empty()) {
    // The candidate is the enforced configuration with other origins, whatever the order of the
    // options.
    cors::config candidate = opts.config;
    candidate.origins = std::move(report_only_origins);
    cors::policy_result made = cors::policy::make(candidate);
    for (const cors::config_error& e : made.errors()) problems.push_back("report-only candidate: " + e.message);
    if (made) opts.report_only.emplace(cors::router_config{{}, std::move(made).value()});
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

  /// Whether any guard is on (`--allowed-host`, `--csrf`). Without one, `refusal` is always empty:
  /// servers skip it, and the request view they would build for it.
  [[nodiscard]] bool any() const noexcept { return hosts_.has_value() || csrf_.has_value(); }

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

/// The router the server starts with: the `--config` file's, or one whose default is the policy
/// of the command line's options.
[[nodiscard]] inline cors::router make_router(const options& opts) {
  if (opts.router) return *opts.router;
  return cors::router(cors::router_config{{}, cors::policy(opts.config)});
}

/// A router in a few words, for the reload log.
[[nodiscard]] inline std::string describe(const cors::router& r) {
  return fmt::format("{} route{}, {}", r.size(), r.size() == 1 ? "" : "s",
                     r.default_policy() != nullptr ? "a default policy" : "no CORS by default");
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

/// The CORS side of a server: the live router every request is evaluated with (none with
/// --no-cors), the command line's policy, which the guards and the WebSocket check trust (none
/// with --config, whose routes may each have their own and change on SIGHUP, or --no-cors), the
/// report-only candidate beside the live router (`--report-only`, `--report-only-origin`) and the
/// decision counters served at `--metrics-path`. Neither copyable nor movable: servers keep it in
/// `main` and share it by reference. Each server calls `evaluate()` once per request, after the
/// guards (a request a guard refuses is neither counted nor compared) and after answering a
/// scrape (not counted either).
class cors_state {
 public:
  explicit cors_state(const options& opts) : opts_(opts) {
    if (opts.no_cors) return;
    live_.emplace(make_router(opts));
    // Without --config nothing replaces the router: its default policy lives as long as `live_`.
    if (opts.config_file.empty()) policy_ = live_->load()->default_policy();
    // The candidate is a plain router, read once: not a second live<router>, whose evaluate()
    // would end the validity of the enforced decision (cors::live::current).
    if (opts.report_only) shadow_.emplace(std::cref(*live_), *opts.report_only, log_difference);
  }

  /// The router to evaluate with, or null with --no-cors.
  [[nodiscard]] const cors::live_router* live() const noexcept { return live_ ? &*live_ : nullptr; }
  /// The command line's policy, or null with --config or --no-cors.
  [[nodiscard]] const cors::policy* policy() const noexcept { return policy_; }

  /// The live router's decision for `v`, counted, and compared with the candidate's; valid as
  /// `cors::live_router::evaluate`'s. Only when `live()` is not null.
  [[nodiscard]] cors::decision evaluate(const cors::request_view& v) const noexcept {
    const cors::decision d = shadow_ ? shadow_->evaluate(v) : live_->evaluate(v);
    counters_.record(d.kind(), d.why());
    return d;
  }

  /// Is this a scrape of the counters (`GET` on `--metrics-path`)? Answered before CORS, uncounted.
  [[nodiscard]] bool is_metrics_request(std::string_view method, std::string_view path) const noexcept {
    return !opts_.metrics_path.empty() && method == "GET" && path == opts_.metrics_path;
  }
  /// The counters in the Prometheus text format (`cors::prometheus_content_type`).
  [[nodiscard]] std::string metrics() const {
    std::string out;
    cors::render_prometheus(out, counters_);
    return out;
  }

  /// What SIGHUP does: reads the `--config` file again; a valid file replaces the running router,
  /// an invalid one is refused and the running router kept. One log line on stderr either way.
  void reload() {
    if (opts_.config_file.empty() || !live_) {
      fmt::print(stderr, "cors: SIGHUP: no --config file to reload; the policy stays as it is\n");
    } else {
      const std::shared_ptr<const cors::router> before = live_->load();
      const std::vector<cors::config_error> errors = cors::reload_json_file(*live_, opts_.config_file, opts_.config);
      if (errors.empty()) {
        fmt::print(stderr, "cors: reloaded {}: now {} (was {})\n", opts_.config_file, describe(*live_->load()),
                   describe(*before));
      } else {
        std::string why;
        for (const cors::config_error& e : errors) why += (why.empty() ? "" : "; ") + e.message;
        fmt::print(stderr, "cors: refused {}, keeping the running policy ({}): {}\n", opts_.config_file,
                   describe(*before), why);
      }
    }
    std::fflush(stderr);
  }

 private:
  const options& opts_;
  std::optional<cors::live_router> live_;
  const cors::policy* policy_ = nullptr;
  std::optional<cors::report_only<std::reference_wrapper<const cors::live_router>, cors::router>> shadow_;
  mutable cors::decision_counters counters_;
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
