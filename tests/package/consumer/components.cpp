// A consumer of the components: one decision applied to a Beast, an httplib and a Pistache response
// (and a POCO one when cors::poco is linked), and printed with fmt; a policy read from JSON. Exits
// non-zero on a wrong answer.
#include <cors/adapters/beast.hpp>
#include <cors/adapters/httplib.hpp>
#include <cors/adapters/pistache.hpp>
#include <cors/cors.hpp>
#include <cors/fmt.hpp>
#include <cors/json.hpp>

#include <httplib.h>
#include <boost/beast/http.hpp>

#ifdef CORS_CONSUMER_POCO
#include <cors/adapters/poco.hpp>

#include <Poco/Net/HTTPResponse.h>
#endif

#include <cstdio>
#include <string>

int main() {
  cors::config cfg;
  cfg.origins = {"https://app.example.com"};
  const cors::policy policy{cfg};
  const cors::decision d = policy.evaluate(cors::make_request_view("GET", {{"Origin", "https://app.example.com"}}));

  boost::beast::http::response<boost::beast::http::string_body> beast_res;
  cors::adapters::apply(d, beast_res);
  httplib::Response httplib_res;
  cors::adapters::apply(d, httplib_res);
  Pistache::Http::Header::Collection pistache_headers;
  cors::adapters::apply(d, pistache_headers);
  const auto pistache_acao = pistache_headers.tryGet<Pistache::Http::Header::AccessControlAllowOrigin>();
  const std::string line = fmt::format("{}", d);
#ifdef CORS_CONSUMER_POCO
  Poco::Net::HTTPResponse poco_res;
  cors::adapters::apply(d, poco_res);
  if (poco_res.get("Access-Control-Allow-Origin", "") != "https://app.example.com") {
    std::puts("unexpected POCO result");
    return 1;
  }
#endif
  const cors::policy_result from_json = cors::policy_from_json(R"({"origins": ["https://app.example.com"]})");

  if (beast_res[boost::beast::http::field::access_control_allow_origin] != "https://app.example.com" ||
      httplib_res.get_header_value("Access-Control-Allow-Origin") != "https://app.example.com" || !pistache_acao ||
      pistache_acao->uri() != "https://app.example.com" || line.find("allowed") == std::string::npos || !from_json ||
      !from_json->allows_origin("https://app.example.com")) {
    std::puts("unexpected result");
    return 1;
  }
  std::printf("components ok: %s\n", line.c_str());
  return 0;
}
