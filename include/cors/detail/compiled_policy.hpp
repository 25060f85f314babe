// What a `cors::policy` is made of once compiled: every table and precomputed value `evaluate()`
// reads, immutable after construction and shared by the copies of a policy.
#ifndef CORS_DETAIL_COMPILED_POLICY_HPP
#define CORS_DETAIL_COMPILED_POLICY_HPP

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>

#include "../decision.hpp"
#include "arena.hpp"
#include "origin_set.hpp"
#include "string_table.hpp"

namespace cors::detail {

struct compiled_policy {
  string_arena storage;  // every view below points in here (or to a string literal)

  origin_set origins;
  string_table<false> server_origins;  // the server's own serialized origins
  std::function<bool(std::string_view)> origin_predicate;
  std::function<bool(std::string_view, std::string_view, std::string_view)> origin_predicate_with_request;
  bool any_predicate = false;  // either of the two is set

  string_table<false> methods;  // case-sensitive, normalized
  bool any_method = false;
  string_table<true> headers;  // case-insensitive
  bool any_header = false;

  response_values values;

  bool credentials = false;
  bool private_network = false;
  // The headers of an allowed actual request and of a constant `*` answer, one bit per
  // `response_header_id` (as `decision` keeps them), so that granting is one store rather than a
  // branch per optional header.
  std::uint16_t actual_headers = 0;
  std::uint16_t any_headers = 0;
  bool passthrough = false;
  bool refuse = false;
  std::uint16_t preflight_status = 204;
  std::size_t max_request_headers_bytes = limits::default_max_request_headers_bytes;
  bool debug = false;  // config::debug: read only on a refused preflight
};

}  // namespace cors::detail

#endif  // CORS_DETAIL_COMPILED_POLICY_HPP
