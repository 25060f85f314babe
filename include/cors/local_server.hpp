// A ready-made configuration for a server that listens on the loopback interface for pages of a
// few known origins (a desktop app's companion daemon, a development server, an MCP server over
// HTTP): explicit origins, a loopback-only Host guard against DNS rebinding, and optionally the
// legacy Private Network Access header.
#ifndef CORS_LOCAL_SERVER_HPP
#define CORS_LOCAL_SERVER_HPP

#include <string>
#include <utility>
#include <vector>

#include "config.hpp"
#include "host_guard.hpp"

namespace cors {

/// The two configurations of a local server.
struct local_server_config {
  config cors;              ///< the CORS policy (also the CSRF guard's trusted origins)
  host_guard_config hosts;  ///< the Host guard: loopback names only, until you add some
};

/// A local server's configuration: `origins` (exact patterns; never `*` for a local server, whose
/// point is to answer only pages you know), refused requests answered with 403
/// (`refuse_disallowed_requests`), the Host guard on `localhost`, `127.0.0.1` and `[::1]`, and
/// `private_network` set to `legacy_private_network`. That header is what Chromium before version
/// 142 looked for; no header grants Local Network Access, a permission the user gives (see the
/// README). Validated when the policy and the guard are built, like any configuration.
[[nodiscard]] inline local_server_config local_server(std::vector<std::string> origins,
                                                      bool legacy_private_network = false) {
  local_server_config c;
  c.cors.origins = std::move(origins);
  c.cors.refuse_disallowed_requests = true;
  c.cors.private_network = legacy_private_network;
  c.hosts.loopback = true;
  return c;
}

}  // namespace cors

#endif  // CORS_LOCAL_SERVER_HPP
