#include <cors/request.hpp>

#include <iterator>

#include "catch.hpp"

TEST_CASE("request views keep the headers CORS reads, case-insensitively, line by line") {
  cors::request_view v{};
  CHECK(v.add_header("ORIGIN", "https://a.example"));
  CHECK(v.add_header("access-control-request-method", "PUT"));
  CHECK(v.add_header("Access-Control-Request-Headers", "a"));
  CHECK(v.add_header("access-control-request-headers", "b"));
  CHECK(v.add_header("Access-Control-Request-Private-Network", "true"));
  CHECK(v.add_header("Sec-Fetch-Site", "cross-site"));
  CHECK(v.add_header("HOST", "api.example"));
  CHECK_FALSE(v.add_header("Hos", "x"));
  CHECK_FALSE(v.add_header("Content-Type", "text/plain"));
  CHECK_FALSE(v.add_header("Origin2", "x"));
  CHECK_FALSE(v.add_header("Origi", "x"));
  CHECK(v.origin.size() == 1);
  CHECK(v.origin.front() == "https://a.example");
  CHECK(v.access_control_request_method.front() == "PUT");
  REQUIRE(v.access_control_request_headers.size() == 2);
  CHECK(v.access_control_request_headers[0] == "a");
  CHECK(v.access_control_request_headers[1] == "b");
  CHECK(v.access_control_request_private_network.present());
  CHECK(v.sec_fetch_site.front() == "cross-site");
  CHECK(v.host.front() == "api.example");
  CHECK(v.target.empty());
}

TEST_CASE("reads_header answers what add_header would do, for every name and case, at compile time too") {
  constexpr std::string_view read[] = {"Origin",
                                       "ORIGIN",
                                       "host",
                                       "Host",
                                       "Sec-Fetch-Site",
                                       "sec-fetch-site",
                                       "Access-Control-Request-Method",
                                       "ACCESS-CONTROL-REQUEST-HEADERS",
                                       "access-control-request-private-network"};
  constexpr std::string_view ignored[] = {"",
                                          "Hos",
                                          "Hosts",
                                          "Origin2",
                                          "Origi",
                                          "Content-Type",
                                          "Sec-Fetch-Mode",
                                          "Access-Control-Request-Metho",
                                          "Orig1n",
                                          "Access-Control-Request-Headerz"};
  for (const std::string_view name : read) {
    CAPTURE(name);
    cors::request_view v{};
    CHECK(cors::request_view::reads_header(name));
    CHECK(v.add_header(name, "x"));
  }
  for (const std::string_view name : ignored) {
    CAPTURE(name);
    cors::request_view v{};
    CHECK_FALSE(cors::request_view::reads_header(name));
    CHECK_FALSE(v.add_header(name, "x"));
  }
  static_assert(cors::request_view::reads_header("Access-Control-Request-Method"));
  static_assert(!cors::request_view::reads_header("Accept"));
}

TEST_CASE("header lines count every line but keep only their capacity") {
  cors::header_lines<2> lines;
  CHECK_FALSE(lines.present());
  CHECK(lines.front().empty());
  lines.add("a");
  lines.add("b");
  CHECK_FALSE(lines.overflowed());
  lines.add("c");
  CHECK(lines.size() == 3);
  CHECK(lines.overflowed());
  CHECK(std::distance(lines.begin(), lines.end()) == 2);
  CHECK(lines[1] == "b");
}

TEST_CASE("make_request_view builds a view from header pairs") {
  constexpr auto v = cors::make_request_view("OPTIONS", {{"Origin", "null"}, {"Access-Control-Request-Method", "GET"}});
  static_assert(v.origin.present(), "request views are usable in constant expressions");
  CHECK(v.method == "OPTIONS");
  CHECK(v.access_control_request_method.front() == "GET");
}

TEST_CASE("header lines are an empty range before the first line, in constant expressions too") {
  cors::header_lines<8> lines;
  CHECK(lines.begin() == lines.end());
  lines.add("a");
  lines.add("b");
  REQUIRE(std::distance(lines.begin(), lines.end()) == 2);
  CHECK(*lines.begin() == "a");
  const cors::header_lines<8> copy = lines;
  CHECK(copy[1] == "b");
  constexpr auto v = cors::make_request_view(
      "OPTIONS",
      {{"Access-Control-Request-Headers", "a"}, {"ACCESS-CONTROL-REQUEST-HEADERS", "b"}, {"Sec-Fetch-Site", "x"}});
  static_assert(v.access_control_request_headers.size() == 2 && v.access_control_request_headers[1] == "b");
  static_assert(v.access_control_request_headers.end() - v.access_control_request_headers.begin() == 2);
  static_assert(v.origin.begin() == v.origin.end() && !v.host.present() && v.sec_fetch_site.front() == "x");
}
