// Registers a Catch2 test case at run time (from a table row, say), so that each row is its own
// ctest test named after the row: `ctest -R '<row name>'` runs it and a failure names it.
// Works with Catch2 v2 (single header) and v3 (CORS_CATCH2_V3), as tests/catch.hpp does.
#ifndef CORS_TESTS_REGISTER_TEST_HPP
#define CORS_TESTS_REGISTER_TEST_HPP

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <utility>

#include "catch.hpp"

namespace testing {

/// Whether `name` reaches ctest intact and, passed back to Catch as a test spec by
/// catch_discover_tests, selects exactly itself: no `;` (a CMake list separator), no `"` or `\`
/// (not escaped by Catch2 v2's CatchAddTests), no `[` or `]` (tags), no `*` or `~` at the ends
/// (wildcards, exclusion), no blank at the ends. A `,` is escaped and a `*` inside is literal.
inline bool is_ctest_safe_name(std::string_view name) {
  if (name.empty() || name.find_first_of(";\"[]\\") != std::string_view::npos) return false;
  for (const char end : {name.front(), name.back()}) {
    if (end == '*' || end == '~' || end == ' ' || end == '\t') return false;
  }
  return true;
}

/// `name` registered as a test case tagged `tags` that runs `body`. Call before main() runs, i.e.
/// from a namespace-scope initialiser. `file` must outlive the program (pass __FILE__).
inline void register_test(const std::string& name, const char* tags, std::function<void()> body, const char* file,
                          std::size_t line) {
  class invoker final : public Catch::ITestInvoker {
   public:
    explicit invoker(std::function<void()> body) : body_(std::move(body)) {}
    void invoke() const override { body_(); }

   private:
    std::function<void()> body_;
  };
  // Catch copies the name and the tags; the class name and the file name are kept as given.
#if defined(CORS_CATCH2_V3)
  const Catch::AutoReg reg(Catch::Detail::make_unique<invoker>(std::move(body)), Catch::SourceLineInfo(file, line),
                           Catch::StringRef(), Catch::NameAndTags(name, tags));
#else
  const Catch::AutoReg reg(new invoker(std::move(body)), Catch::SourceLineInfo(file, line), Catch::StringRef(),
                           Catch::NameAndTags(name, tags));
#endif
  static_cast<void>(reg);
}

}  // namespace testing

#endif  // CORS_TESTS_REGISTER_TEST_HPP
