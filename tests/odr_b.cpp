#include <cors/browser.hpp>
#include <cors/cors.hpp>
#include <cors/csrf.hpp>
#include <cors/decision_counters.hpp>
#include <cors/escape.hpp>
#include <cors/explain.hpp>
#include <cors/fmt.hpp>
#include <cors/host_guard.hpp>
#include <cors/live.hpp>
#include <cors/local_server.hpp>
#include <cors/observer.hpp>
#include <cors/report_only.hpp>
#include <cors/router.hpp>
#include <cors/websocket.hpp>

bool odr_b_allows(std::string_view origin) {
  cors::config c;
  c.origins = {"https://*.example.com"};
  return cors::policy{c}.allows_origin(origin);
}
