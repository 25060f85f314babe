// A consumer that builds a policy and checks one decision; exits non-zero on a wrong answer.
#include <cors/cors.hpp>

#include <cstdio>

int main() {
  cors::config cfg;
  cfg.origins = {"https://app.example.com"};
  const cors::policy policy{cfg};
  const cors::decision d = policy.evaluate(cors::make_request_view("GET", {{"Origin", "https://app.example.com"}}));
  if (d.refused() || d.header(cors::response_header_id::access_control_allow_origin) != "https://app.example.com") {
    std::puts("unexpected decision");
    return 1;
  }
  std::printf("cors %s ok\n", cors::version_string);
  return 0;
}
