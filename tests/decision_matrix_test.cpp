// Every row of the decision matrix: kind, reason, action, status, detail and exact headers. Each
// row is its own test case named after the row, registered before main() runs.
#include <cctype>
#include <set>
#include <string>

#include "catch.hpp"
#include "decision_matrix.hpp"
#include "register_test.hpp"

namespace {

void check_row(const matrix::row& row) {
  CAPTURE(row.name, row.config);
  const cors::policy& policy = matrix::policies().at(row.config);
  const cors::request_view view = row.req.view();
  const cors::decision d = policy.evaluate(view);
  CHECK(cors::to_string(d.kind()) == cors::to_string(row.expect.kind));
  CHECK(cors::to_string(d.why()) == cors::to_string(row.expect.why));
  CHECK(d.status() == row.expect.status);
  CHECK(d.next_action() == (row.expect.status == 0 ? cors::action::forward : cors::action::respond));
  CHECK(std::string(d.offending_value()) == row.expect.detail);
  std::string got;
  for (const cors::response_header h : d.headers()) got += std::string(h.name()) + ": " + std::string(h.value) + "\n";
  std::string want;
  for (const auto& h : row.expect.response) want += h.name + ": " + h.value + "\n";
  CHECK(got == want);
}

const bool registered = [] {
  for (const matrix::row& row : matrix::rows()) {
    testing::register_test(
        row.name, "[matrix]", [&row] { check_row(row); }, __FILE__, __LINE__);
  }
  return true;
}();

}  // namespace

TEST_CASE("the decision matrix has at least 150 rows and every config exists") {
  CHECK(registered);
  CHECK(matrix::rows().size() >= 150);
  for (const auto& row : matrix::rows()) {
    CAPTURE(row.name);
    CHECK(matrix::policies().count(row.config) == 1);
  }
}

TEST_CASE("decision matrix rows have unique names that ctest and Catch pass through unchanged") {
  CHECK_FALSE(testing::is_ctest_safe_name("forwarded without ACA*"));
  CHECK_FALSE(testing::is_ctest_safe_name("a; b"));
  CHECK(testing::is_ctest_safe_name("`*`: any origin gets `*`, no Vary"));
  // Catch matches test specs case-insensitively: names differing only in case would run together.
  std::set<std::string> seen;
  for (const auto& row : matrix::rows()) {
    CAPTURE(row.name);
    std::string folded;
    for (const char c : row.name) folded += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    CHECK(seen.insert(folded).second);
    CHECK(testing::is_ctest_safe_name(row.name));
  }
  CHECK(seen.size() == matrix::rows().size());
}
