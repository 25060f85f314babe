// The Public Suffix List for `config::public_suffix`, through libpsl (opt-in: CMake component
// `psl`, Debian packages libpsl-dev and publicsuffix). With it, `https://*.co.uk` and
// `https://*.github.io` are refused as `https://*.com` always is:
//   cfg.public_suffix = cors::psl::is_public_suffix;
// The list is the newer of libpsl's built-in copy and Debian's
// /usr/share/publicsuffix/public_suffix_list.dafsa (`psl_latest`); `apt-get install --only-upgrade
// publicsuffix` refreshes the latter, with no rebuild. Nothing is downloaded.
// @see https://publicsuffix.org/list/
#ifndef CORS_PSL_HPP
#define CORS_PSL_HPP

#include <libpsl.h>
#include <sys/stat.h>

#include <ctime>
#include <string>
#include <string_view>

namespace cors::psl {

/// libpsl's context for the newest list on this machine; loaded once, shared by every thread,
/// never freed. Null only when libpsl has no list at all.
[[nodiscard]] inline const psl_ctx_t* context() noexcept {
  static const psl_ctx_t* const ctx = [] {
    const psl_ctx_t* c = psl_latest(nullptr);
    return c != nullptr ? c : psl_builtin();
  }();
  return ctx;
}

/// Is `domain` (lowercase, as in a configured origin pattern) a public suffix, from the ICANN or
/// the private section of the list (`co.uk`, `github.io`)? Without the list's implicit `*` rule:
/// an unknown single label (`localhost`, `internal`) is not one. Throws only `std::bad_alloc`.
[[nodiscard]] inline bool is_public_suffix(std::string_view domain) {
  const psl_ctx_t* const ctx = context();
  if (ctx == nullptr) return false;
  const std::string z(domain);  // NUL-terminated
  return psl_is_public_suffix2(ctx, z.c_str(), PSL_TYPE_ANY | PSL_TYPE_NO_STAR_RULE) != 0;
}

/// Which list is used, for `--version` output: libpsl's version, and the list file (Debian's, or
/// the copy built into libpsl) with its date, e.g. `libpsl 0.21.2, Public Suffix List
/// /usr/share/publicsuffix/public_suffix_list.dafsa (2023-02-09)`.
[[nodiscard]] inline std::string snapshot() {
  const auto day = [](std::time_t t) {
    char date[16] = "unknown date";
    std::tm tm{};
    if (t > 0 && gmtime_r(&t, &tm) != nullptr) std::strftime(date, sizeof date, "%Y-%m-%d", &tm);
    return std::string(date);
  };
  std::string s = "libpsl ";
  s += psl_get_version();
  s += ", Public Suffix List ";
  const char* const dist = psl_dist_filename();
  struct stat st {};
  // psl_latest() takes the distribution's file when it is at least as new as the built-in list.
  if (dist != nullptr && *dist != '\0' && ::stat(dist, &st) == 0 && st.st_mtime >= psl_builtin_file_time()) {
    s += dist;
    s += " (" + day(st.st_mtime) + ")";
  } else {
    s += "built into libpsl (" + day(psl_builtin_file_time()) + ")";
  }
  return s;
}

}  // namespace cors::psl

#endif  // CORS_PSL_HPP
