// `cors::live<T>` (`live_policy`, `live_router`): a policy or router that a writer replaces while
// any number of threads evaluate with it. Readers never lock: each thread keeps the version it
// read last and compares one atomic generation number per request; only after a swap does a
// thread fetch the new version (through `std::atomic_load` on the `shared_ptr`).
#ifndef CORS_LIVE_HPP
#define CORS_LIVE_HPP

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <utility>

#include "decision.hpp"
#include "detail/kept_decision.hpp"
#include "detail/macros.hpp"
#include "policy.hpp"
#include "request.hpp"
#include "router.hpp"

namespace cors {

namespace detail {
/// Generation numbers, unique across every `live` object of the process: a thread's cached
/// version is identified by its number alone.
inline std::atomic<std::uint64_t> live_generations{0};
}  // namespace detail

/// A `policy` or `router` (`T`, anything with `evaluate(const request_view&) const noexcept`)
/// replaced at run time. Neither copyable nor movable; share it by reference or pointer.
template <class T>
class live {
 public:
  /// Starts with `initial`. Throws only `std::bad_alloc`.
  explicit live(T initial) : current_(std::make_shared<const T>(std::move(initial))) { publish(); }
  live(const live&) = delete;
  live& operator=(const live&) = delete;

  /// Replaces the version readers get; readers that are evaluating keep theirs until they read
  /// again. Writers are serialised. Throws only `std::bad_alloc`.
  void store(T next) {
    auto p = std::make_shared<const T>(std::move(next));
    const std::lock_guard<std::mutex> lock(writer_);
    std::atomic_store_explicit(&current_, std::move(p), std::memory_order_release);
    publish();
  }

  /// The current version, shared: it stays valid as long as the returned pointer. Takes the
  /// `shared_ptr` atomically (a short lock inside the standard library on most platforms).
  [[nodiscard]] std::shared_ptr<const T> load() const {
    return std::atomic_load_explicit(&current_, std::memory_order_acquire);
  }

  /// The current version as this thread last read it, refreshed when a writer has replaced it:
  /// one atomic load and a comparison when nothing changed. The reference (and any decision made
  /// with it) stays valid until this thread's next `current()` or `evaluate()` on any `live<T>`,
  /// or the thread's end. Never throws.
  [[nodiscard]] CORS_DETAIL_ALWAYS_INLINE const T& current() const noexcept {
    cache& c = local();
    const std::uint64_t g = generation_.load(std::memory_order_acquire);
    if (c.generation != g) refresh(c, g);
    return *c.version;
  }

  /// `current().evaluate(req)`; the decision is valid as long as `current()`'s reference.
  [[nodiscard]] decision evaluate(const request_view& req) const noexcept { return current().evaluate(req); }

  /// Changes with every `store` (never 0).
  [[nodiscard]] std::uint64_t generation() const noexcept { return generation_.load(std::memory_order_acquire); }

 private:
  struct cache {
    std::uint64_t generation = 0;
    std::shared_ptr<const T> version;
  };

  [[nodiscard]] static cache& local() noexcept {
    thread_local cache c;
    return c;
  }

  CORS_DETAIL_NOINLINE void refresh(cache& c, std::uint64_t g) const noexcept {
    // Loaded after the generation: at least the version that generation announced (a newer one
    // is announced by a newer generation, and fetched again on the next read).
    // The version replaced may be freed here: decisions an adapter kept from it are no longer valid.
    ++detail::live_refreshes;
    c.version = std::atomic_load_explicit(&current_, std::memory_order_acquire);
    c.generation = g;
  }

  void publish() noexcept {
    generation_.store(detail::live_generations.fetch_add(1, std::memory_order_relaxed) + 1, std::memory_order_release);
  }

  std::shared_ptr<const T> current_;
  std::atomic<std::uint64_t> generation_{0};
  std::mutex writer_;
};

/// A policy replaced at run time.
using live_policy = live<policy>;
/// A router replaced at run time.
using live_router = live<router>;

}  // namespace cors

#endif  // CORS_LIVE_HPP
