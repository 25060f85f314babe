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

TEST_CASE("cors-check --lint flags every Access-Control-* name listed as a request header") {
  const run_result r = run(
      {"--origin", "https://a.example", "--header", "Access-Control-Allow-Header", "--header", "X-Trace", "--lint"});
  CAPTURE(r.out, r.err);
  CHECK(r.status == 1);
  CHECK(r.out ==
        "lint: request header `Access-Control-Allow-Header` is a response header: pages that send it are mistaken, "
        "and allowing it only hides the mistake\n"
        "  fix: remove it from the request headers (and from the page's fetch() call); the policy writes "
        "`Access-Control-Allow-Header` itself where it applies\n");
}

TEST_CASE("cors-check --version names the library and the public suffix list") {
  const run_result r = run({"--version"});
  CHECK(r.status == 0);
  CHECK(r.out.rfind("cors-check: cors-policy ", 0) == 0);
  CHECK(r.out.find("\npublic suffix list: ") != std::string::npos);
}

TEST_CASE("cors-check --fetch runs the preflight and the actual request through the browser model") {
  // Allowed with credentials: both legs accepted, exit 0.
  const run_result ok =
      run({"--origin", "https://app.example.com", "--method", "PUT", "--header", "X-Trace", "--credentials", "--fetch",
           "PUT", "https://app.example.com", "-H", "X-Trace: 1", "--credentials-mode", "include"});
  CAPTURE(ok.out, ok.err);
  CHECK(ok.status == 0);
  CHECK(ok.out.find("preflight: yes (method `PUT`, CORS-unsafe request headers: x-trace)\n") != std::string::npos);
  CHECK(ok.out.find("   Access-Control-Request-Headers: x-trace\n") != std::string::npos);
  CHECK(ok.out.find("browser: preflight response accepted\n") != std::string::npos);
  CHECK(ok.out.find("browser: actual response accepted\nresult: the script reads the response\n") != std::string::npos);

  // A method the policy does not list: the preflight fails the CORS check, no actual request.
  const run_result method =
      run({"--origin", "https://app.example.com", "--fetch", "DELETE", "https://app.example.com"});
  CHECK(method.status == 1);
  CHECK(method.out.find("fix: add `DELETE` to `methods`\n") != std::string::npos);
  CHECK(method.out.find("browser: preflight response refused at allow_origin_missing") != std::string::npos);
  CHECK(method.out.find("== actual request") == std::string::npos);

  // A safelisted GET from an unlisted origin: no preflight; the actual response is refused.
  const run_result get = run({"--origin", "https://app.example.com", "--fetch", "GET", "http://app.example.com"});
  CHECK(get.status == 1);
  CHECK(get.out.find("preflight: no: a CORS-safelisted method and request headers\n") != std::string::npos);
  CHECK(get.out.find("== preflight") == std::string::npos);
  CHECK(get.out.find("browser: actual response refused at allow_origin_missing") != std::string::npos);

  // `*` without credentials, fetched with credentials: include: the browser refuses what the policy allows.
  const run_result star =
      run({"--origin", "*", "--fetch", "GET", "https://x.example", "--credentials-mode", "include"});
  CHECK(star.status == 1);
  CHECK(star.out.find("decision: actual allowed (allowed) forward\n") != std::string::npos);
  CHECK(star.out.find("refused at allow_origin_wildcard_with_credentials") != std::string::npos);

  // fetch() itself throws: nothing is sent.
  const run_result type_error =
      run({"--origin", "https://a.example", "--fetch", "GET", "https://a.example", "-H", "X-Bad\x01: 1"});
  CHECK(type_error.status == 1);
  CHECK(type_error.out.find("fetch() rejects with a TypeError before sending anything") != std::string::npos);
  CHECK(type_error.out.find('\x01') == std::string::npos);  // escaped
  const run_result forbidden = run({"--origin", "https://a.example", "--fetch", "CONNECT", "https://a.example"});
  CHECK(forbidden.status == 1);
  CHECK(forbidden.out.find("fetch() rejects with a TypeError before sending anything") != std::string::npos);

  // Bad input: an unknown credentials mode, a missing value, and two modes at once.
  CHECK(run({"--origin", "https://a.example", "--fetch", "GET", "https://a.example", "--credentials-mode", "all"})
            .status == 2);
  CHECK(run({"--origin", "https://a.example", "--fetch", "GET"}).status == 2);
  CHECK(run({"--origin", "https://a.example", "--fetch", "GET", "https://a.example", "--lint"}).status == 2);
  CHECK(run({"--origin", "https://a.example", "--request-origin", "https://a.example", "--credentials-mode", "omit"})
            .status == 2);
}

TEST_CASE("cors-check --fetch --json has allowed, kind, reason, headers, explanation and both legs") {
  const run_result r = run({"--origin", "https://app.example.com", "--json", "--fetch", "PATCH",
                            "https://app.example.com", "--method", "patch"});
  CAPTURE(r.out, r.err);
  CHECK(r.status == 1);
  const test_json::value j = test_json::parse(r.out);
  CHECK(j.at("allowed").as_bool() == false);
  CHECK(j.at("kind").as_string() == "fetch");
  CHECK(j.at("reason").as_string() == "allow_origin_missing");
  CHECK(j.at("preflight_sent").as_bool());
  CHECK(j.at("headers").size() == 1);  // Vary only
  CHECK(j.at("explanation").at("explanation").at("fix").as_string() ==
        "list `PATCH` in `methods`: `fetch(..., {method: 'PATCH'})` sends `PATCH` exactly as written");
  CHECK(j.at("preflight").at("verdict").at("step").as_string() == "allow_origin_missing");
  CHECK(j.at("preflight").at("status").text == "403");
  CHECK(j.at("actual").t == test_json::value::type::null);
}

TEST_CASE("cors-check --check-response judges a captured response head as the browser would") {
  const std::string duplicated =
      "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: https://app.example.com\r\n"
      "Access-Control-Allow-Origin: https://app.example.com\r\nAccess-Control-Allow-Methods: PUT\r\n\r\n";
  const run_result dup =
      run({"--check-response", "-", "--preflight", "PUT", "--request-origin", "https://app.example.com"}, duplicated);
  CAPTURE(dup.out, dup.err);
  CHECK(dup.status == 1);
  CHECK(dup.out ==
        "response: status 204, 3 header lines\n"
        "browser: preflight response refused at allow_origin_multiple (https://fetch.spec.whatwg.org/#cors-check): "
        "Access-Control-Allow-Origin has several values (`https://app.example.com, https://app.example.com`: "
        "repeated header lines or a list); it must be exactly one origin\n");

  // `True` is not `true`, and only matters with credentials mode include.
  const std::string cap_true =
      "HTTP/1.1 200 OK\nAccess-Control-Allow-Origin: https://app.example.com\nAccess-Control-Allow-Credentials: "
      "True\n\nbody\n";
  const run_result include =
      run({"--check-response", "-", "--request-origin", "https://app.example.com", "--credentials-mode", "include"},
          cap_true);
  CHECK(include.status == 1);
  CHECK(include.out.find("refused at allow_credentials_not_true") != std::string::npos);
  const run_result omit = run({"--check-response", "-", "--request-origin", "https://app.example.com"}, cap_true);
  CHECK(omit.status == 0);
  CHECK(omit.out.find("browser: actual response accepted\n") != std::string::npos);

  // A trailing slash in the echoed origin, from a file.
  const std::string file = std::string(CORS_TEST_TMPDIR) + "/cors_check_response." + std::to_string(getpid());
  {
    std::ofstream f(file, std::ios::binary);
    f << "HTTP/2 200\r\naccess-control-allow-origin: https://app.example.com/\r\n\r\n";
  }
  const run_result slash = run({"--check-response", file, "--request-origin", "https://app.example.com"});
  std::remove(file.c_str());
  CHECK(slash.status == 1);
  CHECK(slash.out.find("allow_origin_mismatch") != std::string::npos);
  CHECK(slash.out.find("(a trailing slash never matches)") != std::string::npos);

  // A preflight's headers: `*` covers x-trace but not Authorization; 3xx is never ok.
  const std::string star =
      "HTTP/1.1 204 No Content\nAccess-Control-Allow-Origin: *\nAccess-Control-Allow-Methods: PUT\n"
      "Access-Control-Allow-Headers: *\nAccess-Control-Max-Age: 600\n\n";
  const run_result covered = run({"--check-response", "-", "--json", "--preflight", "PUT", "--request-origin",
                                  "https://app.example.com", "-H", "Access-Control-Request-Headers: X-Trace"},
                                 star);
  CHECK(covered.status == 0);
  const test_json::value j = test_json::parse(covered.out);
  CHECK(j.at("allowed").as_bool());
  CHECK(j.at("kind").as_string() == "preflight");
  CHECK(j.at("reason").as_string() == "accepted");
  CHECK(j.at("headers").size() == 4);
  CHECK(j.at("explanation").as_string().find("cached 600 s by Access-Control-Max-Age") != std::string::npos);
  const run_result authorization =
      run({"--check-response", "-", "--preflight", "PUT", "--request-origin", "https://app.example.com", "-H",
           "Access-Control-Request-Headers: authorization,x-trace"},
          star);
  CHECK(authorization.status == 1);
  CHECK(authorization.out.find("refused at authorization_not_allowed") != std::string::npos);
  const run_result redirect =
      run({"--check-response", "-", "--preflight", "PUT", "--request-origin", "https://app.example.com"},
          "HTTP/1.1 301 Moved Permanently\nLocation: /x\nAccess-Control-Allow-Origin: *\n\n");
  CHECK(redirect.status == 1);
  CHECK(redirect.out.find("refused at preflight_status_not_ok") != std::string::npos);

  // Bad input: not a response, a missing file, policy flags, no request.
  CHECK(run({"--check-response", "-", "--request-origin", "https://a.example"}, "garbage\n").status == 2);
  CHECK(run({"--check-response", "/nonexistent/cors", "--request-origin", "https://a.example"}).status == 2);
  CHECK(run({"--check-response", "-", "--origin", "https://a.example", "--request-origin", "https://a.example"},
            duplicated)
            .status == 2);
  CHECK(run({"--check-response", "-"}, duplicated).status == 2);
}

TEST_CASE("cors-check --config reads a JSON policy file as the example servers do, every problem with its pointer") {
  const std::string file = std::string(CORS_TEST_TMPDIR) + "/cors_check_config." + std::to_string(getpid()) + ".json";
  const auto write = [&file](const std::string& text) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << text;
  };
  write(R"({"origins": ["https://app.example.com"], "methods": ["PUT"], "credentials": true})");
  const run_result ok = run({"--config", file, "--preflight", "PUT", "--request-origin", "https://app.example.com"});
  CAPTURE(ok.out, ok.err);
  CHECK(ok.status == 0);
  CHECK(ok.out.find("  Access-Control-Allow-Methods: PUT\n") != std::string::npos);
  CHECK(ok.out.find("  Access-Control-Allow-Credentials: true\n") != std::string::npos);
  // The file's policy also drives --fetch and --lint.
  const run_result refused = run({"--config", file, "--fetch", "PATCH", "https://app.example.com"});
  CHECK(refused.status == 1);
  const run_result lint = run({"--config", file, "--lint"});
  CHECK(lint.status == 0);

  write(R"({"orgins": ["https://app.example.com"]})");
  const run_result typo = run({"--config", file, "--request-origin", "https://app.example.com"});
  CAPTURE(typo.err);
  CHECK(typo.status == 2);
  CHECK(typo.err.find("/orgins: cors: unknown key `orgins`") != std::string::npos);

  write(R"({"origins": ["https://app.example.com/"], "max_age": -1})");
  const run_result invalid = run({"--config", file, "--request-origin", "https://app.example.com"});
  CAPTURE(invalid.err);
  CHECK(invalid.status == 2);
  CHECK(invalid.err.find("/origins/0: ") != std::string::npos);
  CHECK(invalid.err.find("/max_age") != std::string::npos);

  const run_result both =
      run({"--config", file, "--origin", "https://a.example", "--request-origin", "https://a.example"});
  CHECK(both.status == 2);
  CHECK(both.err.find("--config replaces the policy flags") != std::string::npos);
  const run_result missing = run({"--config", file + ".absent", "--request-origin", "https://a.example"});
  CHECK(missing.status == 2);
  CHECK(missing.err.find("cannot read") != std::string::npos);
  std::remove(file.c_str());
}
