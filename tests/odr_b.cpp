#include <cors/cors.hpp>
#include <cors/escape.hpp>
#include <cors/explain.hpp>
#include <cors/fmt.hpp>

bool odr_b_allows(std::string_view origin) {
  cors::config c;
  c.origins = {"https://*.example.com"};
  return cors::policy{c}.allows_origin(origin);
}
