// A consumer of the restinio component: one decision applied to a RESTinio response header, and
// printed with fmt. A program of its own: RESTinio's standalone Asio and Boost.Asio (Beast) cannot
// share one. Exits non-zero on a wrong answer.
#include <cors/adapters/restinio.hpp>
#include <cors/cors.hpp>
#include <cors/fmt.hpp>

#include <cstdio>
#include <string>

int main() {
  cors::config cfg;
  cfg.origins = {"https://app.example.com"};
  const cors::policy policy{cfg};
  const cors::decision d = policy.evaluate(cors::make_request_view("GET", {{"Origin", "https://app.example.com"}}));

  restinio::http_response_header_t res;
  cors::adapters::apply(d, res);
  const std::string line = fmt::format("{}", d);
  if (res.get_field_or("Access-Control-Allow-Origin", "") != "https://app.example.com" ||
      line.find("allowed") == std::string::npos) {
    std::puts("unexpected result");
    return 1;
  }
  std::printf("restinio component ok: %s\n", line.c_str());
  return 0;
}
