// cors-policy: Cross-Origin Resource Sharing decisions for any C++ HTTP server, to the Fetch
// Standard. Include this header, build a `cors::policy` once from a `cors::config`, and call
// `policy.evaluate(request_view)` per request. Adapters for servers live in `cors/adapters/`,
// fmt formatters in `cors/fmt.hpp`; neither is included here.
#ifndef CORS_CORS_HPP
#define CORS_CORS_HPP

#include "config.hpp"
#include "decision.hpp"
#include "errors.hpp"
#include "fetch.hpp"
#include "live.hpp"
#include "origin.hpp"
#include "origin_pattern.hpp"
#include "policy.hpp"
#include "request.hpp"
#include "response_header.hpp"
#include "router.hpp"
#include "version.hpp"

#endif  // CORS_CORS_HPP
