// A decision kept on one thread from one step of a request to a later one, for adapters whose
// framework hands them a request twice (cpp-httplib's pre- and post-routing handlers, the handlers
// of a RESTinio chain): the request is viewed and evaluated once, and the later step writes the
// same decision, provided it is still the same request and the decision still valid.
#ifndef CORS_DETAIL_KEPT_DECISION_HPP
#define CORS_DETAIL_KEPT_DECISION_HPP

#include <cstdint>

#include "../decision.hpp"

namespace cors::detail {

/// How many times this thread has replaced the version a `cors::live` cached for it (any
/// `live<T>`, see `live::current`). A replacement may free the version a decision points into: a
/// decision made with a `live` stays valid while this count has not moved.
inline thread_local std::uint64_t live_refreshes = 0;

/// What identifies a request to an adapter: its object's address, and where the framework has
/// them, the connection's and the request's numbers (an address alone is reused by the next request
/// on the thread; the numbers tell apart requests of two servers whose objects took turns at one
/// address).
struct request_key {
  const void* address = nullptr;
  std::uint64_t connection = 0;
  std::uint64_t request = 0;

  [[nodiscard]] friend constexpr bool operator==(const request_key& a, const request_key& b) noexcept {
    return a.address == b.address && a.connection == b.connection && a.request == b.request;
  }
};

/// One thread's kept decision: at most one request's, the one kept last. Never a decision made for
/// another request: a step asks for its own request's key.
class kept_decision {
 public:
  /// Keeps `d` for the request `key`, replacing what was kept.
  void keep(const request_key& key, const decision& d) noexcept {
    key_ = key;
    decision_ = d;
    live_refreshes_ = live_refreshes;
  }

  /// Is a decision kept for `key`?
  [[nodiscard]] bool holds(const request_key& key) const noexcept { return key_.address != nullptr && key_ == key; }

  /// The kept decision, or null when a `live` version it may point into has been replaced on this
  /// thread since it was kept (evaluate again then). Meaningful only after `holds`. The pointer
  /// stays valid until the next `keep` on this thread, also after `forget`.
  [[nodiscard]] const decision* still_valid() const noexcept {
    return live_refreshes_ == live_refreshes ? &decision_ : nullptr;
  }

  /// Forgets which request the decision was kept for: no later step finds it.
  void forget() noexcept { key_ = request_key{}; }

 private:
  request_key key_{};
  std::uint64_t live_refreshes_ = 0;
  decision decision_{};
};

}  // namespace cors::detail

#endif  // CORS_DETAIL_KEPT_DECISION_HPP
