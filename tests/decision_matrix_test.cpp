// Every row of the decision matrix: kind, reason, action, status, detail and exact headers.
#include <string>

#include "catch.hpp"
#include "decision_matrix.hpp"

TEST_CASE("the decision matrix has at least 150 rows and every config exists") {
  CHECK(matrix::rows().size() >= 150);
  for (const auto& row : matrix::rows()) {
    CAPTURE(row.name);
    CHECK(matrix::policies().count(row.config) == 1);
  }
}

TEST_CASE("decision matrix") {
  for (const auto& row : matrix::rows()) {
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
}
