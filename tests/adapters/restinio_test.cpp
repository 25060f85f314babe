// The RESTinio adapter on in-memory headers and response builders (no connection: nothing is
// sent): views without copies, apply replaces (RESTinio's append_header duplicates, set_field
// replaces only the first line) and merges. The chain handler over sockets is in server_test.cpp.
#include <cors/adapters/restinio.hpp>
#include <cors/cors.hpp>
#include <cors/live.hpp>
#include <cors/router.hpp>

#include <string>
#include <vector>

#include "catch.hpp"
#include "origin_cases.hpp"
#include "policy_for.hpp"

namespace {
cors::policy make_policy() {
  cors::config cfg;
  cfg.origins = {"https://app.example.com"};
  cfg.methods = {"PUT"};
  cfg.request_headers = {"X-Req"};
  cfg.exposed_headers = {"X-Total-Count"};
  cfg.credentials = true;
  cfg.max_age = std::chrono::seconds{600};
  return testing::policy_for(cfg);
}

restinio::http_request_header_t request(restinio::http_method_id_t method,
                                        std::initializer_list<std::pair<std::string, std::string>> fields) {
  restinio::http_request_header_t h{method, "/items?page=2"};
  // add_field, as RESTinio's parser stores every line it reads.
  for (const auto& [name, value] : fields) h.add_field(name, value);
  return h;
}

/// A response builder with no connection behind it: its header can be filled, never sent.
template <class Output = restinio::restinio_controlled_output_t>
restinio::response_builder_t<Output> builder() {
  return restinio::response_builder_t<Output>{restinio::status_ok(), nullptr, 1, true};
}

std::vector<std::string> values(const restinio::http_header_fields_t& fields, std::string_view name) {
  std::vector<std::string> out;
  for (const auto& f : fields) {
    if (cors::detail::iequals(f.name(), name)) out.push_back(f.value());
  }
  return out;
}

std::size_t count_access_control(const restinio::http_header_fields_t& fields) {
  std::size_t n = 0;
  for (const auto& f : fields) n += cors::detail::istarts_with(f.name(), "access-control-") ? 1 : 0;
  return n;
}
}  // namespace

TEST_CASE("restinio: the request view points into the header and keeps repeated lines") {
  const restinio::http_request_header_t h =
      request(restinio::http_method_options(), {{"Origin", "https://app.example.com"},
                                                {"Access-Control-Request-Method", "PUT"},
                                                {"access-control-request-headers", "x-req"},
                                                {"Access-Control-Request-Headers", "x-other"},
                                                {"Content-Type", "text/plain"}});
  const cors::request_view v = cors::adapters::make_request_view(h);
  CHECK(v.method == "OPTIONS");
  REQUIRE(v.origin.size() == 1);
  CHECK(v.origin.front().data() == h.get_field("Origin").data());  // a view, not a copy
  REQUIRE(v.access_control_request_headers.size() == 2);
  CHECK(v.access_control_request_headers[0] == "x-req");
  CHECK(v.access_control_request_headers[1] == "x-other");
  // The second line is read: its header is not allowed.
  const cors::policy p = make_policy();
  const cors::decision d = p.evaluate(v);
  CHECK(d.why() == cors::reason::header_not_allowed);
  CHECK(d.offending_value() == "x-other");
}

TEST_CASE("restinio: every header CORS reads is found whatever its case") {
  const restinio::http_request_header_t h =
      request(restinio::http_method_options(), {{"oRIGIN", "https://app.example.com"},
                                                {"ACCESS-CONTROL-REQUEST-METHOD", "PUT"},
                                                {"access-control-REQUEST-headers", "x-req"},
                                                {"SEC-fetch-SITE", "cross-site"},
                                                {"Access-Control-Request-Private-NETWORK", "true"},
                                                {"Origin-X", "ignored"}});
  const cors::request_view v = cors::adapters::make_request_view(h);
  CHECK(v.origin.size() == 1);
  CHECK(v.access_control_request_method.front() == "PUT");
  CHECK(v.access_control_request_headers.front() == "x-req");
  CHECK(v.sec_fetch_site.front() == "cross-site");
  CHECK(v.access_control_request_private_network.front() == "true");
}

TEST_CASE("restinio: apply replaces every stale Access-Control line and merges Vary into one line") {
  const cors::policy policy = make_policy();
  const restinio::http_request_header_t h =
      request(restinio::http_method_get(), {{"Origin", "https://app.example.com"}});
  auto res = builder();
  // append_header adds a line each time; set_field would have replaced only the first.
  res.append_header(restinio::http_field::access_control_allow_origin, "*");
  res.append_header("access-control-allow-origin", "https://stale.example");
  res.append_header(restinio::http_field::access_control_allow_methods, "DELETE");
  res.append_header(restinio::http_field::vary, "Accept-Encoding");
  cors::adapters::apply(policy.evaluate(cors::adapters::make_request_view(h)), res);
  const restinio::http_header_fields_t& fields = res.header();
  CHECK(values(fields, "Access-Control-Allow-Origin") == std::vector<std::string>{"https://app.example.com"});
  CHECK(values(fields, "Access-Control-Allow-Credentials") == std::vector<std::string>{"true"});
  CHECK(values(fields, "Access-Control-Expose-Headers") == std::vector<std::string>{"X-Total-Count"});
  CHECK(values(fields, "Access-Control-Allow-Methods").empty());
  CHECK(values(fields, "Vary") == std::vector<std::string>{"Accept-Encoding, Origin"});
  CHECK(count_access_control(fields) == 3);
  // Written under the policy's spelling, and RESTinio knows them by id too.
  CHECK(fields.has_field(restinio::http_field::access_control_allow_origin));
}

TEST_CASE("restinio: a refused request gets no Access-Control header, even one the app set") {
  const cors::policy policy = make_policy();
  const restinio::http_request_header_t h = request(restinio::http_method_get(), {{"Origin", "https://evil.example"}});
  auto res = builder();
  res.append_header(restinio::http_field::access_control_allow_origin, "https://evil.example");
  res.append_header(restinio::http_field::access_control_allow_credentials, "true");
  const cors::decision d = policy.evaluate(cors::adapters::make_request_view(h));
  REQUIRE(d.refused());
  cors::adapters::apply(d, res);
  CHECK(count_access_control(res.header()) == 0);
  CHECK(values(res.header(), "Vary") == std::vector<std::string>{"Origin"});
}

TEST_CASE("restinio: two Origin lines are refused") {
  const restinio::http_request_header_t h = request(
      restinio::http_method_get(), {{"Origin", "https://app.example.com"}, {"Origin", "https://app.example.com"}});
  CHECK(make_policy().evaluate(cors::adapters::make_request_view(h)).why() == cors::reason::origin_multiple);
}

TEST_CASE("restinio: a preflight's headers go into any output type's builder, with the answer's status line") {
  const cors::policy policy = make_policy();
  const restinio::http_request_header_t h =
      request(restinio::http_method_options(),
              {{"Origin", "https://app.example.com"}, {"Access-Control-Request-Method", "PUT"}});
  const cors::decision d = policy.evaluate(cors::adapters::make_request_view(h));
  REQUIRE(d.next_action() == cors::action::respond);
  auto user_controlled = builder<restinio::user_controlled_output_t>();
  auto chunked = builder<restinio::chunked_output_t>();
  cors::adapters::apply(d, user_controlled);
  cors::adapters::apply(d, chunked);
  CHECK(values(user_controlled.header(), "Access-Control-Allow-Methods") == std::vector<std::string>{"PUT"});
  CHECK(values(chunked.header(), "Access-Control-Max-Age") == std::vector<std::string>{"600"});
  CHECK(cors::adapters::detail::status_line_of(d.status()).status_code().raw_code() == 204);
  CHECK(cors::adapters::detail::status_line_of(200).reason_phrase() == "OK");
  CHECK(cors::adapters::detail::status_line_of(403).status_code().raw_code() == 403);
}

TEST_CASE("restinio: every origin edge case of tests/origin_cases.hpp, through a header and a builder") {
  const origin_cases::match_case m = GENERATE(from_range(origin_cases::matches()));
  CAPTURE(m.origin, m.note);
  const cors::policy p = testing::policy_for(m.patterns);
  const restinio::http_request_header_t h = request(restinio::http_method_get(), {{"Origin", m.origin}});
  auto res = builder();
  cors::adapters::apply(p.evaluate(cors::adapters::make_request_view(h)), res);
  const std::vector<std::string> acao = values(res.header(), "Access-Control-Allow-Origin");
  if (m.matches) {
    CHECK(acao == std::vector<std::string>{m.origin});
  } else {
    CHECK(acao.empty());
  }
  CHECK(values(res.header(), "Vary") == std::vector<std::string>{"Origin"});
}

TEST_CASE("restinio: the view's target is the request-target, its path without the query; a router selects by it") {
  const cors::router r(
      cors::router_config{{{"", "/api", make_policy()}, {"", "/api/private", std::nullopt}}, std::nullopt});
  const auto allowed_origin = [&r](const std::string& target) {
    restinio::http_request_header_t h{restinio::http_method_get(), target};
    h.add_field("Origin", "https://app.example.com");
    const cors::request_view v = cors::adapters::make_request_view(h);
    CHECK(v.target == target);
    CHECK(v.path == target.substr(0, target.find('?')));
    auto res = builder();
    cors::adapters::apply(r.evaluate(v), res.header());
    return values(res.header(), "Access-Control-Allow-Origin");
  };
  CHECK(allowed_origin("/api/items?page=2") == std::vector<std::string>{"https://app.example.com"});
  CHECK(allowed_origin("/api/private/x").empty());
  CHECK(allowed_origin("/api/..%2fprivate").empty());
  CHECK(allowed_origin("/apikeys").empty());
}

TEST_CASE("restinio: the chain handler takes a router or a live router, deciding with the current version") {
  cors::config other;
  other.origins = {"https://other.example.com"};
  cors::live_router live{cors::router(cors::router_config{{{"", "/api", make_policy()}}, std::nullopt})};
  const cors::adapters::live_sync_chain_handler<cors::router> live_handler{&live};
  const cors::adapters::router_sync_chain_handler router_handler{*live.load()};
  const auto request_for = [](std::string origin) {
    restinio::http_request_header_t h{restinio::http_method_get(), "/api/items"};
    h.add_field("Origin", std::move(origin));
    return h;
  };
  const restinio::http_request_header_t app = request_for("https://app.example.com");
  const restinio::http_request_header_t oth = request_for("https://other.example.com");
  CHECK(live.evaluate(cors::adapters::make_request_view(app)).grants_access());
  CHECK(live_handler.decide(cors::adapters::make_request_view(app)).grants_access());
  live.store(cors::router(cors::router_config{{{"", "/api", testing::policy_for(other)}}, std::nullopt}));
  CHECK_FALSE(live_handler.decide(cors::adapters::make_request_view(app)).grants_access());
  CHECK(live_handler.decide(cors::adapters::make_request_view(oth)).grants_access());
  // The plain router handler holds the router it was given.
  CHECK(router_handler.decide(cors::adapters::make_request_view(app)).grants_access());
}

namespace {
/// A connection that only counts the responses written to it: enough for a request object whose
/// handlers answer or decline it.
class counting_connection final : public restinio::impl::connection_base_t {
 public:
  explicit counting_connection(restinio::connection_id_t id) : connection_base_t(id) {}
  void write_response_parts(restinio::request_id_t, restinio::response_output_flags_t,
                            restinio::write_group_t) override {
    ++responses;
  }
  void check_timeout(std::shared_ptr<restinio::tcp_connection_ctx_base_t>&) override {}
  int responses = 0;
};

restinio::request_handle_t request_on(const std::shared_ptr<counting_connection>& connection, restinio::request_id_t id,
                                      restinio::http_request_header_t header) {
  restinio::no_extra_data_factory_t factory;
  return std::make_shared<restinio::request_t>(id, std::move(header), std::string{}, connection, restinio::endpoint_t{},
                                               factory);
}

restinio::http_request_header_t get_from(const std::string& origin) {
  return request(restinio::http_method_get(), {{"Origin", origin}});
}

cors::policy policy_allowing(std::vector<std::string> origins) {
  cors::config cfg;
  cfg.origins = std::move(origins);
  return testing::policy_for(cfg);
}
}  // namespace

TEST_CASE("restinio: the application's decide takes the decision the chain's first handler kept") {
  // The application's handler decides with a policy that refuses the origin: the decision it gets
  // shows whether it evaluated again.
  const auto connection = std::make_shared<counting_connection>(7);
  const cors::adapters::sync_chain_handler first{make_policy()};
  const cors::adapters::sync_chain_handler application{policy_allowing({"https://other.example"})};
  const restinio::request_handle_t req = request_on(connection, 0, get_from("https://app.example.com"));
  CHECK(first(req) == restinio::request_not_handled());
  CHECK(connection->responses == 0);
  CHECK(application.decide(*req).grants_access());
  // Taken: asked again, the application's handler evaluates with its own policy.
  CHECK_FALSE(application.decide(*req).grants_access());

  // respond_or_keep with a decision the server made itself (with a policy that outlives it).
  const cors::policy policy = make_policy();
  const restinio::request_handle_t next = request_on(connection, 1, get_from("https://app.example.com"));
  CHECK(cors::adapters::respond_or_keep(policy.evaluate(cors::adapters::make_request_view(*next)), next) ==
        restinio::request_not_handled());
  CHECK(application.decide(*next).request_origin() == "https://app.example.com");

  // A preflight is answered, and nothing is kept for it.
  const restinio::request_handle_t preflight =
      request_on(connection, 2,
                 request(restinio::http_method_options(),
                         {{"Origin", "https://app.example.com"}, {"Access-Control-Request-Method", "PUT"}}));
  CHECK(first(preflight) == restinio::request_accepted());
  CHECK(connection->responses == 1);
  CHECK_FALSE(application.decide(*preflight).grants_access());
}

TEST_CASE("restinio: a decision kept for one request is never given for another") {
  // Interleaved on one thread: the second request's first handler replaces the first one's kept
  // decision; the first request, then, is evaluated again (its own origin, not the second's). A
  // request with the same connection and request numbers on another server is another request.
  const cors::adapters::sync_chain_handler handler{policy_allowing({"https://a.example", "https://b.example"})};
  const auto connection = std::make_shared<counting_connection>(1);
  const auto other_server_connection = std::make_shared<counting_connection>(1);
  const restinio::request_handle_t a = request_on(connection, 0, get_from("https://a.example"));
  const restinio::request_handle_t b = request_on(connection, 1, get_from("https://b.example"));
  const restinio::request_handle_t twin = request_on(other_server_connection, 0, get_from("https://b.example"));
  CHECK(handler(a) == restinio::request_not_handled());
  CHECK(handler(b) == restinio::request_not_handled());
  CHECK(handler.decide(*a).request_origin() == "https://a.example");
  CHECK(handler.decide(*b).request_origin() == "https://b.example");

  CHECK(handler(twin) == restinio::request_not_handled());
  CHECK(handler.decide(*a).request_origin() == "https://a.example");
  CHECK(handler.decide(*twin).request_origin() == "https://b.example");
}

TEST_CASE("restinio: after a live reload between the handlers, decide evaluates again") {
  // The kept decision points into the live's version 1, which the application's evaluation after
  // a reload replaces (and frees) on this thread: decide must not return it.
  cors::live_policy live{make_policy()};
  const cors::adapters::live_sync_chain_handler<cors::policy> handler{&live};
  const auto connection = std::make_shared<counting_connection>(3);
  const restinio::request_handle_t req = request_on(connection, 0, get_from("https://app.example.com"));
  CHECK(handler(req) == restinio::request_not_handled());
  live.store(policy_allowing({"https://other.example"}));
  CHECK_FALSE(live.evaluate(cors::adapters::make_request_view(*req)).grants_access());
  CHECK_FALSE(handler.decide(*req).grants_access());

  // A reload this thread has not seen leaves the kept decision valid, and it is given.
  const restinio::request_handle_t next = request_on(connection, 1, get_from("https://other.example"));
  CHECK(handler(next) == restinio::request_not_handled());
  live.store(make_policy());
  CHECK(handler.decide(*next).grants_access());        // version 2's decision
  CHECK_FALSE(handler.decide(*next).grants_access());  // taken; version 3 refuses it
}

TEST_CASE("restinio: apply writes and removes RESTinio's known fields by id and the others by name") {
  // A stale Access-Control-Allow-Origin added under a name in another case still has RESTinio's
  // id, and one RESTinio has no id for (Expose-Headers) is found by its name.
  const restinio::http_request_header_t h = get_from("https://app.example.com");
  const cors::policy policy = make_policy();
  const cors::decision d = policy.evaluate(cors::adapters::make_request_view(h));
  restinio::http_header_fields_t fields;
  fields.add_field("access-control-allow-origin", "https://stale.example");
  fields.add_field("ACCESS-CONTROL-EXPOSE-HEADERS", "X-Stale");
  fields.add_field("vary", "Accept-Encoding");
  cors::adapters::apply(d, fields);
  CHECK(values(fields, "Access-Control-Allow-Origin") == std::vector<std::string>{"https://app.example.com"});
  CHECK(values(fields, "Access-Control-Expose-Headers") == std::vector<std::string>{"X-Total-Count"});
  CHECK(values(fields, "Vary") == std::vector<std::string>{"Accept-Encoding, Origin"});
  for (const auto& f : fields) {
    INFO(f.name());
    CHECK(f.field_id() == restinio::string_to_field(f.name()));
  }
}

TEST_CASE("restinio: the view skips a known field only when CORS does not read its name") {
  using f = restinio::http_field_t;
  const auto& reads = cors::adapters::detail::field_cors_reads.reads;
  for (const f id : {f::origin, f::host, f::access_control_request_method, f::access_control_request_headers,
                     f::field_unspecified}) {
    CHECK(reads[static_cast<std::uint8_t>(id)]);
  }
  for (const f id : {f::cookie, f::accept, f::content_type, f::access_control_allow_origin, f::vary}) {
    CHECK_FALSE(reads[static_cast<std::uint8_t>(id)]);
  }
  const restinio::http_request_header_t h =
      request(restinio::http_method_get(),
              {{"Cookie", "a=1"}, {"sec-fetch-site", "cross-site"}, {"Origin", "https://app.example.com"}});
  const cors::request_view v = cors::adapters::make_request_view(h);
  CHECK(v.sec_fetch_site.size() == 1);
  CHECK(v.origin.front() == "https://app.example.com");
}
