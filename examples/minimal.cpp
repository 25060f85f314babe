// The smallest use of the library: build a policy once, evaluate requests, print the decisions.
#include <cors/cors.hpp>

#include <chrono>
#include <cstdio>
#include <string>

namespace {
void show(const cors::policy& policy, const char* label, const cors::request_view& request) {
  const cors::decision d = policy.evaluate(request);
  std::printf("%s -> %s, %s", label, std::string(cors::to_string(d.kind())).c_str(),
              std::string(cors::to_string(d.why())).c_str());
  if (d.next_action() == cors::action::respond) std::printf(", answer %d", d.status());
  std::printf("\n");
  for (const cors::response_header h : d.headers()) {
    std::printf("    %.*s: %.*s\n", static_cast<int>(h.name().size()), h.name().data(),
                static_cast<int>(h.value.size()), h.value.data());
  }
}
}  // namespace

int main() {
  cors::config cfg;
  cfg.origins = {"https://app.example.com", "https://*.example.org", "http://localhost:*"};
  cfg.methods = {"GET", "POST", "PUT", "DELETE"};
  cfg.request_headers = {"Content-Type", "X-Request-Id"};
  cfg.exposed_headers = {"X-Total-Count"};
  cfg.credentials = true;
  cfg.max_age = std::chrono::seconds{600};
  const cors::policy policy{cfg};  // throws cors::invalid_config listing every problem

  show(policy, "preflight PUT from https://app.example.com",
       cors::make_request_view("OPTIONS", {{"Origin", "https://app.example.com"},
                                           {"Access-Control-Request-Method", "PUT"},
                                           {"Access-Control-Request-Headers", "content-type,x-request-id"}}));
  show(policy, "GET from http://localhost:5173", cors::make_request_view("GET", {{"Origin", "http://localhost:5173"}}));
  show(policy, "GET from https://evil.example", cors::make_request_view("GET", {{"Origin", "https://evil.example"}}));

  cors::config bad;
  bad.origins = {"*", "https://Example.com/"};
  bad.credentials = true;
  try {
    cors::policy refused{bad};
  } catch (const cors::invalid_config& e) {
    std::printf("invalid config:\n%s\n", e.what());
  }
  return 0;
}
