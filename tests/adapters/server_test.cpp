// Socket-level tests of the example servers: each is started as a process on 127.0.0.1 port 0,
// spoken to in raw HTTP/1.1, and the bytes that come back are checked. Both adapters run the same
// table. Every wait is bounded; servers are stopped by RAII, also when a check fails.
#include <cors/detail/ascii.hpp>

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <arpa/inet.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "catch.hpp"

extern char** environ;

namespace {

using clock_type = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr auto start_deadline = 10s;
constexpr auto io_timeout = 5s;

struct server_binary {
  const char* name;
  const char* path;
};

std::vector<server_binary> servers() {
  std::vector<server_binary> out;
#ifdef CORS_EXAMPLE_BEAST
  out.push_back({"beast", CORS_EXAMPLE_BEAST});
#endif
#ifdef CORS_EXAMPLE_HTTPLIB
  out.push_back({"httplib", CORS_EXAMPLE_HTTPLIB});
#endif
  return out;
}

// ---------------------------------------------------------------------------------------------
// Processes

/// Reads from `fd` into `out` until EOF, `stop_at_newline` (then returns), or the deadline.
/// Returns false on timeout.
bool read_until(int fd, std::string& out, clock_type::time_point deadline, bool stop_at_newline) {
  char buf[4096];
  while (true) {
    if (stop_at_newline && out.find('\n') != std::string::npos) return true;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock_type::now()).count();
    if (left <= 0) return false;
    pollfd p{fd, POLLIN, 0};
    const int r = ::poll(&p, 1, static_cast<int>(left));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return true;  // EOF
    out.append(buf, static_cast<std::size_t>(n));
  }
}

/// A child process with its stdout (and optionally stderr) piped to us. Killed and reaped on
/// destruction.
class process {
 public:
  process(const std::string& path, const std::vector<std::string>& args, bool capture_stderr) {
    int out[2];
    int err[2] = {-1, -1};
    REQUIRE(::pipe2(out, O_CLOEXEC) == 0);
    if (capture_stderr) REQUIRE(::pipe2(err, O_CLOEXEC) == 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    if (capture_stderr) posix_spawn_file_actions_adddup2(&actions, err[1], 2);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(path.c_str()));
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    const int rc = ::posix_spawn(&pid_, path.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    if (capture_stderr) ::close(err[1]);
    out_ = out[0];
    err_ = err[0];
    if (rc != 0) pid_ = -1;
    REQUIRE(rc == 0);
  }
  process(const process&) = delete;
  process& operator=(const process&) = delete;
  ~process() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      if (!wait_for_exit(clock_type::now() + 3s)) {
        ::kill(pid_, SIGKILL);
        wait_for_exit(clock_type::now() + 3s);
      }
    }
    if (out_ >= 0) ::close(out_);
    if (err_ >= 0) ::close(err_);
  }

  /// Waits for the process to end; records its exit status. False on timeout.
  bool wait_for_exit(clock_type::time_point deadline) {
    while (pid_ > 0) {
      int status = 0;
      const pid_t r = ::waitpid(pid_, &status, WNOHANG);
      if (r == pid_) {
        status_ = status;
        pid_ = -1;
        return true;
      }
      if (r < 0 && errno != EINTR) return false;
      if (clock_type::now() > deadline) return false;
      std::this_thread::sleep_for(5ms);
    }
    return true;
  }

  void signal(int sig) const {
    if (pid_ > 0) ::kill(pid_, sig);
  }
  [[nodiscard]] int out_fd() const { return out_; }
  [[nodiscard]] int err_fd() const { return err_; }
  [[nodiscard]] int status() const { return status_; }

 private:
  pid_t pid_ = -1;
  int out_ = -1;
  int err_ = -1;
  int status_ = -1;
};

/// An example server listening on 127.0.0.1 at the port it announced.
class running_server {
 public:
  running_server(const server_binary& bin, std::vector<std::string> args) : proc_(bin.path, with_common(args), false) {
    std::string line;
    const bool ok = read_until(proc_.out_fd(), line, clock_type::now() + start_deadline, true);
    INFO("server " << bin.name << " printed: " << line);
    REQUIRE(ok);
    constexpr std::string_view prefix = "listening on http://127.0.0.1:";
    REQUIRE(line.rfind(prefix, 0) == 0);
    port_ = static_cast<unsigned short>(std::stoi(line.substr(prefix.size())));
    REQUIRE(port_ != 0);
  }
  [[nodiscard]] unsigned short port() const { return port_; }

 private:
  static std::vector<std::string> with_common(std::vector<std::string> args) {
    args.insert(args.begin(), {"--host", "127.0.0.1", "--port", "0", "--quiet"});
    return args;
  }
  process proc_;
  unsigned short port_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Raw HTTP/1.1

struct response {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string raw_head;

  [[nodiscard]] std::vector<std::string> values(std::string_view name) const {
    std::vector<std::string> out;
    for (const auto& [n, v] : headers) {
      if (cors::detail::iequals(n, name)) out.push_back(v);
    }
    return out;
  }
  [[nodiscard]] std::size_t count_prefixed(std::string_view prefix) const {
    std::size_t n = 0;
    for (const auto& h : headers) n += cors::detail::istarts_with(h.first, prefix) ? 1 : 0;
    return n;
  }
};

class connection {
 public:
  /// Connects to 127.0.0.1:`port`; check `ok()` (no Catch2 assertion here: worker threads use it).
  explicit connection(unsigned short port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) return;
    timeval tv{static_cast<time_t>(io_timeout.count()), 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  [[nodiscard]] bool ok() const { return fd_ >= 0; }
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;
  ~connection() {
    if (fd_ >= 0) ::close(fd_);
  }

  [[nodiscard]] bool send(std::string_view bytes) {
    if (fd_ < 0) return false;
    while (!bytes.empty()) {
      const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  /// Reads one response (Content-Length framed; none for 204, 304 and HEAD). Nothing on timeout,
  /// EOF or a malformed response.
  [[nodiscard]] std::optional<response> receive(bool head_request = false) {
    std::size_t end = 0;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (buffer_.size() > 64 * 1024 || !fill()) return std::nullopt;
    }
    response res;
    res.raw_head = buffer_.substr(0, end + 2);
    std::string_view head(res.raw_head);
    const std::size_t first = head.find("\r\n");
    const std::string_view status_line = head.substr(0, first);
    if (status_line.rfind("HTTP/1.1 ", 0) != 0 || status_line.size() < 12) return std::nullopt;
    res.status = std::stoi(std::string(status_line.substr(9, 3)));
    head.remove_prefix(first + 2);
    std::optional<std::size_t> length;
    while (!head.empty()) {
      const std::size_t eol = head.find("\r\n");
      const std::string_view line = head.substr(0, eol);
      head.remove_prefix(eol + 2);
      const std::size_t colon = line.find(':');
      if (colon == std::string_view::npos) return std::nullopt;
      std::string name(line.substr(0, colon));
      std::string value(cors::detail::trim_ows(line.substr(colon + 1)));
      if (cors::detail::iequals(name, "Transfer-Encoding")) return std::nullopt;  // not expected here
      if (cors::detail::iequals(name, "Content-Length")) length = std::stoul(value);
      res.headers.emplace_back(std::move(name), std::move(value));
    }
    buffer_.erase(0, end + 4);
    const bool bodiless = head_request || res.status == 204 || res.status == 304;
    const std::size_t want = bodiless ? 0 : length.value_or(0);
    while (buffer_.size() < want) {
      if (!fill()) return std::nullopt;
    }
    res.body = buffer_.substr(0, want);
    buffer_.erase(0, want);
    return res;
  }

  /// Sends a request and reads its response.
  [[nodiscard]] std::optional<response> exchange(std::string_view request) {
    if (!send(request)) return std::nullopt;
    return receive(request.rfind("HEAD ", 0) == 0);
  }

 private:
  bool fill() {
    if (fd_ < 0) return false;
    char buf[8192];
    while (true) {
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      buffer_.append(buf, static_cast<std::size_t>(n));
      return true;
    }
  }

  int fd_ = -1;
  std::string buffer_;
};

/// A request in raw bytes: `method path`, then header lines as given (repeats kept).
std::string request(std::string_view method, std::string_view path,
                    const std::vector<std::pair<std::string, std::string>>& headers) {
  std::string out;
  out.append(method).append(" ").append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
  for (const auto& [n, v] : headers) out.append(n).append(": ").append(v).append("\r\n");
  out.append("\r\n");
  return out;
}

constexpr const char* app_origin = "https://app.example.com";
constexpr const char* evil_origin = "https://evil.example";

const std::vector<std::string> policy_args = {"--origin",  app_origin, "--method",     "PUT",      "--header",
                                              "X-Req",     "--header", "X-Other",      "--expose", "X-Total-Count",
                                              "--max-age", "600",      "--credentials"};

std::vector<std::string> args_plus(std::vector<std::string> extra) {
  std::vector<std::string> args = policy_args;
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

/// What a response must look like.
struct expectation {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> exactly;  // each present exactly once, this value
  std::vector<std::string> absent;
  bool no_access_control_allow = false;  // refused: not one `Access-Control-Allow-*` line
  std::optional<bool> app_ran;           // the application answered (it sets X-Method)
  std::optional<std::string> body;
};

void check(const response& res, const expectation& e) {
  INFO("response head:\n" << res.raw_head);
  CHECK(res.status == e.status);
  for (const auto& [name, value] : e.exactly) {
    INFO("header " << name);
    CHECK(res.values(name) == std::vector<std::string>{value});
  }
  for (const std::string& name : e.absent) {
    INFO("header " << name);
    CHECK(res.values(name).empty());
  }
  if (e.no_access_control_allow) CHECK(res.count_prefixed("access-control-allow-") == 0);
  if (e.app_ran) CHECK(res.values("X-Method").size() == (*e.app_ran ? 1U : 0U));
  if (e.body) CHECK(res.body == *e.body);
  if (res.status == 204) {
    // RFC 9110 forbids Content-Length on a 204; httplib writes `Content-Length: 0` anyway, which
    // is harmless. Anything else would be a framing error.
    const auto length = res.values("Content-Length");
    CHECK((length.empty() || length == std::vector<std::string>{"0"}));
  }
  // Never a duplicated CORS line, whatever the row: each Access-Control-* name at most once,
  // except Allow-Headers echoes (not configured here).
  for (const auto& [name, value] : res.headers) {
    if (cors::detail::istarts_with(name, "access-control-")) {
      INFO("duplicated " << name);
      CHECK(res.values(name).size() == 1);
    }
  }
  CHECK(res.values("Vary").size() <= 1);
}

struct row {
  const char* name;
  std::vector<std::string> extra_args;  // beyond policy_args
  std::string request;
  expectation expect;
};

std::vector<row> table() {
  const std::string preflight_vary = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";
  return {
      {"an allowed preflight is answered 204 with every header once",
       {},
       request("OPTIONS", "/items",
               {{"Origin", app_origin},
                {"Access-Control-Request-Method", "PUT"},
                {"Access-Control-Request-Headers", "x-req"}}),
       {204,
        {{"Access-Control-Allow-Origin", app_origin},
         {"Access-Control-Allow-Credentials", "true"},
         {"Access-Control-Allow-Methods", "PUT"},
         {"Access-Control-Allow-Headers", "X-Req, X-Other"},
         {"Access-Control-Max-Age", "600"},
         {"Vary", preflight_vary}},
        {},
        false,
        false,
        ""}},
      {"an allowed preflight is answered 200 when configured",
       {"--preflight-status", "200"},
       request("OPTIONS", "/items", {{"Origin", app_origin}, {"Access-Control-Request-Method", "PUT"}}),
       {200, {{"Access-Control-Allow-Origin", app_origin}, {"Vary", preflight_vary}}, {}, false, false, ""}},
      {"a preflight from a refused origin is answered 403 without Access-Control-Allow-*",
       {},
       request("OPTIONS", "/items", {{"Origin", evil_origin}, {"Access-Control-Request-Method", "PUT"}}),
       {403, {{"Vary", preflight_vary}}, {}, true, false, ""}},
      {"a preflight for a refused method is answered 403 without Access-Control-Allow-*",
       {},
       request("OPTIONS", "/items", {{"Origin", app_origin}, {"Access-Control-Request-Method", "DELETE"}}),
       {403, {}, {}, true, false, ""}},
      {"an allowed actual request reaches the app and gets the CORS headers",
       {},
       request("GET", "/items?page=2", {{"Origin", app_origin}}),
       {200,
        {{"Access-Control-Allow-Origin", app_origin},
         {"Access-Control-Allow-Credentials", "true"},
         {"Access-Control-Expose-Headers", "X-Total-Count"},
         {"Vary", "Origin"},
         {"X-Total-Count", "42"},
         {"X-Method", "GET"}},
        {"Access-Control-Allow-Methods", "Access-Control-Max-Age"},
        false,
        true,
        "ok"}},
      {"an actual request from a refused origin reaches the app without Access-Control-Allow-*",
       {},
       request("POST", "/items", {{"Origin", evil_origin}, {"Content-Length", "0"}}),
       {200, {{"Vary", "Origin"}}, {"Access-Control-Expose-Headers"}, true, true, "ok"}},
      {"an actual request from a refused origin is answered 403 with --refuse",
       {"--refuse"},
       request("GET", "/items", {{"Origin", evil_origin}}),
       {403, {{"Vary", "Origin"}}, {}, true, false, ""}},
      {"the app's Vary is merged with the policy's into one line",
       {},
       request("GET", "/vary", {{"Origin", app_origin}}),
       {200,
        {{"Vary", "Accept-Encoding, Origin"}, {"Access-Control-Allow-Origin", app_origin}},
        {},
        false,
        true,
        "ok"}},
      {"the app's Vary is merged for a request without Origin too",
       {},
       request("GET", "/vary", {}),
       {200, {{"Vary", "Accept-Encoding, Origin"}}, {}, true, true, "ok"}},
      {"an app 404 still carries the CORS headers",
       {},
       request("GET", "/status/404", {{"Origin", app_origin}}),
       {404, {{"Access-Control-Allow-Origin", app_origin}, {"Vary", "Origin"}}, {}, false, true, {}}},
      {"an app 500 still carries the CORS headers",
       {},
       request("DELETE", "/status/500", {{"Origin", app_origin}}),
       {500, {{"Access-Control-Allow-Origin", app_origin}, {"Vary", "Origin"}}, {}, false, true, {}}},
      {"an exception in the app still yields a 500 with the CORS headers",
       {},
       request("GET", "/throw", {{"Origin", app_origin}}),
       {500, {{"Access-Control-Allow-Origin", app_origin}, {"Vary", "Origin"}}, {}, false, {}, {}}},
      {"an OPTIONS without Access-Control-Request-Method reaches the app",
       {},
       request("OPTIONS", "/items", {{"Origin", app_origin}}),
       {200, {{"Access-Control-Allow-Origin", app_origin}, {"X-Method", "OPTIONS"}}, {}, false, true, "ok"}},
      {"an OPTIONS without Origin reaches the app",
       {},
       request("OPTIONS", "/items", {{"Access-Control-Request-Method", "PUT"}}),
       {200, {{"X-Method", "OPTIONS"}, {"Vary", "Origin"}}, {}, true, true, "ok"}},
      {"two Access-Control-Request-Headers lines are read as one list",
       {},
       request("OPTIONS", "/items",
               {{"Origin", app_origin},
                {"Access-Control-Request-Method", "PUT"},
                {"Access-Control-Request-Headers", "x-req"},
                {"Access-Control-Request-Headers", "x-other"}}),
       {204, {{"Access-Control-Allow-Headers", "X-Req, X-Other"}}, {}, false, false, ""}},
      {"a refused header on a second Access-Control-Request-Headers line refuses the preflight",
       {},
       request("OPTIONS", "/items",
               {{"Origin", app_origin},
                {"Access-Control-Request-Method", "PUT"},
                {"Access-Control-Request-Headers", "x-req"},
                {"Access-Control-Request-Headers", "x-evil"}}),
       {403, {}, {}, true, false, ""}},
      {"two Origin lines refuse an actual request",
       {},
       request("GET", "/items", {{"Origin", app_origin}, {"Origin", app_origin}}),
       {200, {{"Vary", "Origin"}}, {}, true, true, "ok"}},
      {"two Origin lines refuse a preflight",
       {},
       request("OPTIONS", "/items",
               {{"Origin", app_origin}, {"Origin", app_origin}, {"Access-Control-Request-Method", "PUT"}}),
       {403, {}, {}, true, false, ""}},
      {"with --passthrough an allowed preflight reaches the app, which answers with the headers",
       {"--passthrough"},
       request("OPTIONS", "/items", {{"Origin", app_origin}, {"Access-Control-Request-Method", "PUT"}}),
       {204,
        {{"Access-Control-Allow-Origin", app_origin}, {"Access-Control-Allow-Methods", "PUT"}, {"X-Method", "OPTIONS"}},
        {},
        false,
        true,
        ""}},
  };
}

}  // namespace

TEST_CASE("example servers answer the CORS table over real sockets", "[integration]") {
  const auto all = servers();
  if (all.empty()) {
    WARN("no example server was built; nothing to test");
    SUCCEED();
    return;
  }
  for (const server_binary& bin : all) {
    // Rows sharing a command line share one server process.
    std::vector<row> rows = table();
    std::vector<std::vector<std::string>> configs;
    for (const row& r : rows) {
      if (std::find(configs.begin(), configs.end(), r.extra_args) == configs.end()) configs.push_back(r.extra_args);
    }
    for (const auto& extra : configs) {
      running_server server(bin, args_plus(extra));
      for (const row& r : rows) {
        if (r.extra_args != extra) continue;
        INFO(bin.name << ": " << r.name);
        connection c(server.port());
        REQUIRE(c.ok());
        const std::optional<response> res = c.exchange(r.request);
        REQUIRE(res);
        check(*res, r.expect);
      }
    }
  }
}

TEST_CASE("example servers keep a connection alive across several requests", "[integration]") {
  for (const server_binary& bin : servers()) {
    INFO(bin.name);
    running_server server(bin, policy_args);
    connection c(server.port());
    REQUIRE(c.ok());
    const std::vector<row> rows = table();
    int checked = 0;
    for (int round = 0; round < 3; ++round) {
      for (const row& r : rows) {
        if (!r.extra_args.empty()) continue;
        INFO(r.name);
        const std::optional<response> res = c.exchange(r.request);
        REQUIRE(res);
        check(*res, r.expect);
        CHECK(res->values("Connection") != std::vector<std::string>{"close"});
        ++checked;
      }
    }
    CHECK(checked > 30);
  }
}

TEST_CASE("example servers answer 8 concurrent clients × 200 requests correctly", "[integration]") {
  constexpr int clients = 8;
  constexpr int per_client = 200;
  for (const server_binary& bin : servers()) {
    INFO(bin.name);
    running_server server(bin, policy_args);
    std::atomic<int> good{0};
    std::atomic<int> bad{0};
    const auto deadline = clock_type::now() + 60s;
    std::vector<std::thread> threads;
    for (int t = 0; t < clients; ++t) {
      threads.emplace_back([&, t] {
        std::optional<connection> c;
        int reconnects = 0;
        for (int i = 0; i < per_client && clock_type::now() < deadline; ++i) {
          if (!c) c.emplace(server.port());
          const bool preflight = (i + t) % 3 == 0;
          const bool allowed = (i + t) % 2 == 0;
          const std::string origin = allowed ? app_origin : evil_origin;
          const std::string path = "/client/" + std::to_string(t) + "/" + std::to_string(i);
          const std::string req =
              preflight ? request("OPTIONS", path, {{"Origin", origin}, {"Access-Control-Request-Method", "PUT"}})
                        : request("GET", path, {{"Origin", origin}});
          const std::optional<response> res = c->exchange(req);
          if (!res) {
            // A server may close an idle or exhausted keep-alive connection: retry once, bounded.
            c.reset();
            if (++reconnects > 20) break;
            --i;
            continue;
          }
          const int want_status = preflight ? (allowed ? 204 : 403) : 200;
          const auto acao = res->values("Access-Control-Allow-Origin");
          const bool ok = res->status == want_status &&
                          (allowed ? acao == std::vector<std::string>{app_origin} : acao.empty()) &&
                          res->values("Vary").size() == 1 &&
                          (preflight || (res->body == "ok" && res->values("X-Method").size() == 1));
          (ok ? good : bad)++;
          if (res->values("Connection") == std::vector<std::string>{"close"}) c.reset();
        }
      });
    }
    for (std::thread& th : threads) th.join();
    CHECK(bad == 0);
    CHECK(good == clients * per_client);
  }
}

TEST_CASE("with --no-cors a server answers cross-origin requests and preflights through the app alone",
          "[integration]") {
  // The same policy flags plus --no-cors (what tests/bench/server_overhead.sh compares), and
  // --no-cors alone, which needs no --origin.
  const std::vector<std::vector<std::string>> command_lines = {args_plus({"--no-cors"}), {"--no-cors"}};
  const std::string preflight = request(
      "OPTIONS", "/items",
      {{"Origin", app_origin}, {"Access-Control-Request-Method", "PUT"}, {"Access-Control-Request-Headers", "x-req"}});
  for (const server_binary& bin : servers()) {
    for (const auto& args : command_lines) {
      INFO(bin.name << " with " << args.size() << " arguments");
      running_server server(bin, args);
      connection c(server.port());
      REQUIRE(c.ok());

      const std::optional<response> actual = c.exchange(request("GET", "/items", {{"Origin", app_origin}}));
      REQUIRE(actual);
      INFO("actual request answered:\n" << actual->raw_head);
      CHECK(actual->status == 200);
      CHECK(actual->body == "ok");
      CHECK(actual->values("X-Method") == std::vector<std::string>{"GET"});
      CHECK(actual->count_prefixed("access-control-") == 0);
      CHECK(actual->values("Vary").empty());

      const std::optional<response> answered = c.exchange(preflight);
      REQUIRE(answered);
      INFO("preflight answered:\n" << answered->raw_head);
      CHECK(answered->status == 200);  // the app's answer to any OPTIONS, not the policy's 204
      CHECK(answered->body == "ok");
      CHECK(answered->values("X-Method") == std::vector<std::string>{"OPTIONS"});
      CHECK(answered->count_prefixed("access-control-") == 0);
      CHECK(answered->values("Vary").empty());

      // The app's own Vary is left as it is: nothing merges into it.
      const std::optional<response> vary = c.exchange(request("GET", "/vary", {{"Origin", app_origin}}));
      REQUIRE(vary);
      CHECK(vary->values("Vary") == std::vector<std::string>{"Accept-Encoding"});
      CHECK(vary->count_prefixed("access-control-") == 0);
    }
  }
}

TEST_CASE("example servers refuse invalid configurations with status 2 and every message", "[integration]") {
  struct invalid {
    std::vector<std::string> args;
    std::vector<std::string> messages;
  };
  const std::vector<invalid> cases = {
      {{"--origin", "*", "--credentials"}, {"cors: origin `*` cannot be combined with `credentials`"}},
      {{"--origin", "https://example.com/path"}, {"cors: origin pattern `https://example.com/path` has a path"}},
      {{"--origin", "https://a.example", "--max-age", "-1"}, {"cors: max_age -1s is outside"}},
      {{"--origin", "https://a.example", "--preflight-status", "201"}, {"cors: preflight_status 201"}},
      {{"--origin", "https://a.example", "--bogus"}, {"unknown option `--bogus`"}},
      {{"--origin"}, {"missing value after --origin", "cors: no origins are allowed"}},
      {{"--origin", "https://a.example", "--max-age", "ten"}, {"--max-age `ten` is not a number"}},
      {{}, {"cors: no origins are allowed"}},
      {{"--origin", "*", "--credentials", "--origin", "https://example.com/path", "--max-age", "-1",
        "--preflight-status", "201", "--frobnicate"},
       {"cannot be combined with `credentials`", "has a path", "max_age -1s", "preflight_status 201",
        "unknown option `--frobnicate`"}},
  };
  for (const server_binary& bin : servers()) {
    for (const invalid& c : cases) {
      std::vector<std::string> args = {"--host", "127.0.0.1", "--port", "0"};
      args.insert(args.end(), c.args.begin(), c.args.end());
      process p(bin.path, args, true);
      std::string out;
      std::string err;
      const auto deadline = clock_type::now() + start_deadline;
      CHECK(read_until(p.err_fd(), err, deadline, false));
      CHECK(read_until(p.out_fd(), out, deadline, false));
      REQUIRE(p.wait_for_exit(deadline));
      INFO(bin.name << " stderr:\n" << err);
      CHECK(WIFEXITED(p.status()));
      CHECK(WEXITSTATUS(p.status()) == 2);
      CHECK(out.find("listening") == std::string::npos);
      for (const std::string& m : c.messages) {
        INFO("expected message: " << m);
        CHECK(err.find(m) != std::string::npos);
      }
    }
  }
}

TEST_CASE("example servers exit cleanly on SIGTERM", "[integration]") {
  for (const server_binary& bin : servers()) {
    INFO(bin.name);
    process p(bin.path, {"--host", "127.0.0.1", "--port", "0", "--quiet", "--origin", app_origin}, false);
    std::string line;
    REQUIRE(read_until(p.out_fd(), line, clock_type::now() + start_deadline, true));
    REQUIRE(line.rfind("listening on http://127.0.0.1:", 0) == 0);
    // Prove it serves, with a keep-alive connection still open, before stopping it.
    connection c(static_cast<unsigned short>(std::stoi(line.substr(line.rfind(':') + 1))));
    REQUIRE(c.exchange(request("GET", "/", {})));
    p.signal(SIGTERM);
    REQUIRE(p.wait_for_exit(clock_type::now() + 10s));
    CHECK(WIFEXITED(p.status()));
    CHECK(WEXITSTATUS(p.status()) == 0);
  }
}
