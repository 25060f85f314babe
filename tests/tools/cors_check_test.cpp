// cors-check, run as a user runs it: exit status, --raw parsing, --json (parsed), --lint.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <string>

#include "../json_reader.hpp"
#include "catch.hpp"

namespace {

struct run_result {
  int status = -1;
  std::string out;
  std::string err;
};

std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

std::string shell_quoted(const std::string& s) {
  std::string q = "'";
  for (const char c : s) {
    if (c == '\'') {
      q += "'\\''";
    } else {
      q += c;
    }
  }
  return q + "'";
}

/// Runs cors-check with `args` and `input` on stdin.
run_result run(std::initializer_list<std::string> args, const std::string& input = "") {
  // ctest runs test cases as processes in parallel: one set of files per process and call.
  static int calls = 0;
  const std::string base =
      std::string(CORS_TEST_TMPDIR) + "/cors_check_test." + std::to_string(getpid()) + "." + std::to_string(++calls);
  {
    std::ofstream in(base + ".in", std::ios::binary);
    in << input;
  }
  std::string cmd = shell_quoted(CORS_CHECK_PATH);
  for (const std::string& a : args) cmd += " " + shell_quoted(a);
  cmd += " < " + base + ".in > " + base + ".out 2> " + base + ".err";
  const int rc = std::system(cmd.c_str());
  run_result r;
  r.status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  r.out = slurp(base + ".out");
  r.err = slurp(base + ".err");
  for (const char* ext : {".in", ".out", ".err"}) std::remove((base + ext).c_str());
  return r;
}

}  // namespace

TEST_CASE("cors-check exits 0 for an allowed request, 1 for a refused one, 2 for bad input") {
  const run_result ok = run({"--origin", "https://app.example.com", "--request-origin", "https://app.example.com"});
  CAPTURE(ok.out, ok.err);
  CHECK(ok.status == 0);
  CHECK(ok.out.find("decision: actual allowed (allowed) forward\n") == 0);
  CHECK(ok.out.find("  Access-Control-Allow-Origin: https://app.example.com\n") != std::string::npos);

  const run_result no = run({"--origin", "https://app.example.com", "--request-origin", "http://app.example.com"});
  CHECK(no.status == 1);
  CHECK(no.out.find("fix: add `http://app.example.com` to `origins`") != std::string::npos);

  const run_result bad = run({"--origin", "https://app.example.com", "--request-origin"});
  CHECK(bad.status == 2);
  CHECK(bad.err.find("missing value after --request-origin") != std::string::npos);

  const run_result unknown = run({"--origin", "https://a.example", "--bogus", "--request-origin", "https://a.example"});
  CHECK(unknown.status == 2);
  CHECK(unknown.err.find("unknown option `--bogus`") != std::string::npos);

  const run_result none = run({"--request-origin", "https://a.example"});
  CHECK(none.status == 2);
  CHECK(none.err.find("no policy") != std::string::npos);
}

TEST_CASE("cors-check reports every problem of an invalid policy with status 2") {
  const run_result r = run({"--origin", "https://a.com,https://b.com", "--origin", "https://*.co.uk", "--method",
                            "GET POST", "--request-origin", "https://a.com"});
  CAPTURE(r.err);
  CHECK(r.status == 2);
  CHECK(r.out.empty());
  CHECK(r.err.find("one origin per entry: `https://a.com`, `https://b.com`") != std::string::npos);
  CHECK(r.err.find("one name per entry: `GET`, `POST`") != std::string::npos);
#ifdef CORS_TEST_HAVE_PSL
  CHECK(r.err.find("allows every site under the public suffix `co.uk`") != std::string::npos);
#endif
}

TEST_CASE("cors-check --preflight explains a refused method with its case-sensitivity fix") {
  const run_result r = run({"--origin", "https://app.example.com", "--method", "patch", "--preflight", "PATCH",
                            "--request-origin", "https://app.example.com"});
  CHECK(r.status == 1);
  CHECK(r.out.find("decision: preflight refused (method_not_allowed: \"PATCH\") respond 403\n") == 0);
  CHECK(r.out.find("fix: list `PATCH` in `methods`") != std::string::npos);
}

TEST_CASE("cors-check --raw reads a curl -v request head, CRLF or LF, repeated lines kept") {
  const std::string head =
      "> OPTIONS /api HTTP/1.1\r\n"
      "> Host: api.example.com\r\n"
      "> Origin: https://app.example.com\r\n"
      "> Access-Control-Request-Method: PUT\r\n"
      "> Access-Control-Request-Headers: content-type\r\n"
      "> Access-Control-Request-Headers: x-request-id\r\n"
      ">\r\n";
  const run_result r = run({"--origin", "https://app.example.com", "--method", "PUT", "--header", "Content-Type",
                            "--header", "X-Request-Id", "--raw"},
                           head);
  CAPTURE(r.out, r.err);
  CHECK(r.status == 0);
  CHECK(r.out.find("decision: preflight allowed (allowed) respond 204\n") == 0);
  CHECK(r.out.find("all 2 requested headers are allowed") != std::string::npos);

  // The second Origin line is kept, so the request is refused as a browser would never send it.
  const run_result twice = run({"--origin", "https://app.example.com", "--raw"},
                               "GET / HTTP/1.1\nOrigin: https://app.example.com\nOrigin: https://evil.example\n\n");
  CHECK(twice.status == 1);
  CHECK(twice.out.find("(origin_multiple)") != std::string::npos);

  // devtools' HTTP/2 view: no request line, a :method pseudo-header.
  const run_result h2 = run({"--origin", "https://app.example.com", "--raw"},
                            ":method: DELETE\n:path: /x\norigin: https://app.example.com\n");
  CHECK(h2.status == 0);
  CHECK(h2.out.find("method `DELETE`") != std::string::npos);

  // A folded header continues the previous value.
  const run_result folded = run({"--origin", "https://app.example.com", "--header", "X-A", "--header", "X-B", "--raw"},
                                "OPTIONS / HTTP/1.1\nOrigin: https://app.example.com\nAccess-Control-Request-Method: "
                                "GET\nAccess-Control-Request-Headers: x-a,\n  x-b\n\n");
  CHECK(folded.status == 0);

  const run_result junk = run({"--origin", "https://app.example.com", "--raw"}, "GET / HTTP/1.1\nnot a header\n\n");
  CHECK(junk.status == 2);
  CHECK(junk.err.find("--raw line 2: `not a header` is not a header line") != std::string::npos);

  const run_result empty = run({"--origin", "https://app.example.com", "--raw"}, "");
  CHECK(empty.status == 2);
  CHECK(empty.err.find("no request head") != std::string::npos);
}

TEST_CASE("cors-check --json prints one object with allowed, kind, reason, headers and explanation") {
  const run_result r = run({"--origin", "https://app.example.com", "--json", "--request-origin",
                            "https://app.example.com:8443", "-H", "X-Evil: \x1b[31m"});
  CAPTURE(r.out);
  CHECK(r.status == 1);
  const test_json::value j = test_json::parse(r.out);
  CHECK(j.at("allowed").as_bool() == false);
  CHECK(j.at("kind").as_string() == "actual");
  CHECK(j.at("reason").as_string() == "origin_not_allowed");
  REQUIRE(j.at("headers").size() == 1);
  CHECK(j.at("headers")[0].at("name").as_string() == "Vary");
  CHECK(j.at("explanation").at("fix").as_string() ==
        "add `https://app.example.com:8443` to `origins`, or `https://app.example.com:*` for every port of this host");
  CHECK(r.out.find('\x1b') == std::string::npos);  // no colour, no raw escape bytes in JSON

  const run_result ok = run({"--origin", "*", "--json", "--request-origin", "https://x.example"});
  CHECK(ok.status == 0);
  const test_json::value k = test_json::parse(ok.out);
  CHECK(k.at("allowed").as_bool() == true);
  CHECK(k.at("headers")[0].at("value").as_string() == "*");
}

TEST_CASE("cors-check output has no colour when stdout is not a terminal") {
  const run_result r = run({"--origin", "https://a.example", "--request-origin", "https://b.example"});
  CHECK(r.out.find('\x1b') == std::string::npos);
}

TEST_CASE("cors-check --lint reports legal but risky settings with their fixes") {
  const run_result clean = run({"--origin", "https://app.example.com", "--lint"});
  CHECK(clean.status == 0);
  CHECK(clean.out == "lint: no risky setting found\n");

  const run_result r =
      run({"--origin", "http://localhost:3000", "--origin", "wss://app.example.com", "--credentials", "--max-age",
           "86400", "--method", "patch", "--header", "Access-Control-Allow-Origin", "--lint", "--json"});
  CAPTURE(r.out, r.err);
  CHECK(r.status == 1);
  const test_json::value j = test_json::parse(r.out);
  std::string codes;
  for (const test_json::value& f : j.at("lint").items) codes += f.at("code").as_string() + " ";
  CHECK(codes ==
        "credentials_with_loopback_http websocket_scheme_origin max_age_above_chromium_cap lowercase_method "
        "response_header_as_request_header ");
  CHECK(j.at("lint")[3].at("message").as_string() ==
        "method `patch` will not match fetch(..., {method: 'PATCH'}): methods are case-sensitive and browsers "
        "uppercase only DELETE, GET, HEAD, OPTIONS, POST and PUT");
  CHECK(j.at("lint")[3].at("fix").as_string() == "write `PATCH`");
  CHECK(j.at("lint")[1].at("fix").as_string() == "write the page's origin, e.g. `https://app.example.com`");

  const run_result crowd =
      run({"--credentials",         "--origin", "https://a1.example",  "--origin", "https://a2.example",  "--origin",
           "https://a3.example",    "--origin", "https://a4.example",  "--origin", "https://a5.example",  "--origin",
           "https://a6.example",    "--origin", "https://a7.example",  "--origin", "https://a8.example",  "--origin",
           "https://a9.example",    "--origin", "https://a10.example", "--origin", "https://a11.example", "--origin",
           "https://*.a12.example", "--lint"});
  CHECK(crowd.status == 1);
  CHECK(crowd.out.find("credentials with 12 origins") != std::string::npos);
  CHECK(crowd.out.find("origin `https://*.a12.example` with credentials: every subdomain") != std::string::npos);
}

TEST_CASE("cors-check --version names the library and the public suffix list") {
  const run_result r = run({"--version"});
  CHECK(r.status == 0);
  CHECK(r.out.rfind("cors-check: cors-policy ", 0) == 0);
  CHECK(r.out.find("\npublic suffix list: ") != std::string::npos);
}
