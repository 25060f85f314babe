// Configuration errors of the guards (`cors::csrf_guard`, `cors::host_guard`): collected together
// and thrown once, each message saying how to fix it, like `cors::invalid_config` for a policy.
#ifndef CORS_GUARD_ERRORS_HPP
#define CORS_GUARD_ERRORS_HPP

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace cors {

/// Thrown by a guard's constructor when its configuration has one or more problems. `what()`
/// lists every problem, one per line (each starts with `cors: `); `problems()` gives them apart.
class invalid_guard_config : public std::invalid_argument {
 public:
  explicit invalid_guard_config(std::vector<std::string> problems)
      : std::invalid_argument(join(problems)), problems_(std::move(problems)) {}

  /// Every problem found, in the order of the configuration's fields.
  [[nodiscard]] const std::vector<std::string>& problems() const noexcept { return problems_; }

 private:
  static std::string join(const std::vector<std::string>& problems) {
    std::string out;
    for (const std::string& p : problems) {
      if (!out.empty()) out += '\n';
      out += p;
    }
    return out;
  }

  std::vector<std::string> problems_;
};

}  // namespace cors

#endif  // CORS_GUARD_ERRORS_HPP
