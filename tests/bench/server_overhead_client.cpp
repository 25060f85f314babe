// cors_bench_server_client: the client of tests/bench/server_overhead.sh. Sends one scenario's
// request N times over one keep-alive connection to 127.0.0.1:PORT, one at a time (each response
// read in full before the next request goes out), so the server handles exactly N requests.
// Prints the last response's status and its number of `Access-Control-*` lines, so the script can
// check that the policy did (or, with --no-cors, did not) write its headers.
//
//   cors_bench_server_client <port> <actual|preflight> <N>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <arpa/inet.h>

#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

namespace {

// (a) An allowed actual request as a browser sends it with credentials: the policy answers it
// with 4 CORS headers (Allow-Origin, Allow-Credentials, Expose-Headers, Vary).
constexpr std::string_view actual_request =
    "GET /items HTTP/1.1\r\n"
    "Host: 127.0.0.1\r\n"
    "User-Agent: cors-bench\r\n"
    "Accept: */*\r\n"
    "Origin: https://app.example.com\r\n"
    "Cookie: session=0123456789abcdef\r\n"
    "\r\n";

// (b) An allowed preflight: the policy answers it itself (204, 6 CORS headers); without a policy
// the application answers it as any other OPTIONS request.
constexpr std::string_view preflight_request =
    "OPTIONS /items HTTP/1.1\r\n"
    "Host: 127.0.0.1\r\n"
    "User-Agent: cors-bench\r\n"
    "Accept: */*\r\n"
    "Origin: https://app.example.com\r\n"
    "Access-Control-Request-Method: PUT\r\n"
    "Access-Control-Request-Headers: x-req\r\n"
    "\r\n";

bool iequals_prefix(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(s[i]) != lower(prefix[i])) return false;
  }
  return true;
}

struct reply {
  int status = 0;
  int cors_lines = 0;
};

class connection {
 public:
  explicit connection(unsigned short port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    if (fd_ < 0) return;
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    timeval tv{30, 0};  // a server under Callgrind is slow, not this slow
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;
  ~connection() {
    if (fd_ >= 0) ::close(fd_);
  }
  [[nodiscard]] bool ok() const { return fd_ >= 0; }

  bool send_all(std::string_view bytes) const {
    while (!bytes.empty()) {
      const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  /// Reads one response, framed by Content-Length (none on a 204). False on EOF, timeout or a
  /// response this client does not expect (chunked).
  bool receive(reply& out) {
    std::size_t end = 0;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!fill()) return false;
    }
    std::string_view head(buffer_.data(), end + 2);
    if (head.size() < 12 || head.substr(0, 9) != "HTTP/1.1 ") return false;
    out.status = std::atoi(std::string(head.substr(9, 3)).c_str());
    out.cors_lines = 0;
    std::size_t length = 0;
    head.remove_prefix(head.find("\r\n") + 2);
    while (!head.empty()) {
      const std::string_view line = head.substr(0, head.find("\r\n"));
      head.remove_prefix(line.size() + 2);
      if (iequals_prefix(line, "access-control-")) ++out.cors_lines;
      if (iequals_prefix(line, "transfer-encoding:")) return false;
      if (iequals_prefix(line, "content-length:")) {
        length = static_cast<std::size_t>(std::strtoul(std::string(line.substr(15)).c_str(), nullptr, 10));
      }
    }
    if (out.status == 204) length = 0;
    while (buffer_.size() < end + 4 + length) {
      if (!fill()) return false;
    }
    buffer_.erase(0, end + 4 + length);
    return true;
  }

 private:
  bool fill() {
    char buf[8192];
    while (true) {
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      buffer_.append(buf, static_cast<std::size_t>(n));
      return true;
    }
  }

  int fd_;
  std::string buffer_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s <port> <actual|preflight> <N>\n", argv[0]);
    return 2;
  }
  const long port = std::atol(argv[1]);
  const std::string_view scenario = argv[2];
  const long n = std::atol(argv[3]);
  if (port <= 0 || port > 65535 || n <= 0 || (scenario != "actual" && scenario != "preflight")) {
    std::fprintf(stderr, "%s: bad arguments (see usage)\n", argv[0]);
    return 2;
  }
  const std::string_view request = scenario == "actual" ? actual_request : preflight_request;
  connection c(static_cast<unsigned short>(port));
  if (!c.ok()) {
    std::fprintf(stderr, "%s: cannot connect to 127.0.0.1:%ld: %s\n", argv[0], port, std::strerror(errno));
    return 1;
  }
  reply last;
  for (long i = 0; i < n; ++i) {
    if (!c.send_all(request) || !c.receive(last)) {
      std::fprintf(stderr, "%s: request %ld of %ld failed (connection closed or timed out)\n", argv[0], i + 1, n);
      return 1;
    }
  }
  std::printf("status=%d cors_lines=%d\n", last.status, last.cors_lines);
  return 0;
}
