// The one place tests build a cors::policy: from a config, or from a list of origins with the
// rest of a config. When the construction API changes, only this file changes.
#ifndef CORS_TESTS_POLICY_FOR_HPP
#define CORS_TESTS_POLICY_FOR_HPP

#include <cors/policy.hpp>

#include <string>
#include <utility>
#include <vector>

namespace testing {

/// The policy `c` describes (throws cors::invalid_config as the constructor does).
[[nodiscard]] inline cors::policy policy_for(const cors::config& c) { return cors::policy{c}; }

/// A policy allowing `origins`, everything else as in `rest` (by default the library's defaults).
[[nodiscard]] inline cors::policy policy_for(std::vector<std::string> origins, cors::config rest = {}) {
  rest.origins = std::move(origins);
  return policy_for(rest);
}

}  // namespace testing

#endif  // CORS_TESTS_POLICY_FOR_HPP
