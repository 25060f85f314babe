#!/usr/bin/env bash
# Compile cost of `#include <cors/cors.hpp>`: the median CPU time of N compilations of a translation
# unit that includes it, minus the median for a baseline, at -O0 and -O2. Prints milliseconds.
#
# Baselines: an empty translation unit (what the issue asks for), and one that already includes the
# standard headers the public API is made of (std::string, std::vector, std::optional,
# std::chrono::seconds, std::invalid_argument, std::atomic): every HTTP server's translation unit
# has those already, so that second figure is what the library itself adds to a real one.
#
#   tests/bench/compile_time.sh [runs=5]      (CXX=clang++ to use another compiler)
set -euo pipefail

runs="${1:-5}"
cxx="${CXX:-g++}"
std="${CORS_STD:--std=c++17}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# median_ms <file> <flags...>: median CPU time (user + sys, the driver and cc1plus together, in
# ms) of `runs` compilations to an object file. CPU time rather than wall time: on a shared machine
# it is far less sensitive to what else is running. Bash's `time` reports milliseconds.
median_ms() {
  local src="$1"
  shift
  local times=()
  local TIMEFORMAT='%3U %3S'
  for ((i = 0; i < runs; ++i)); do
    local t
    t=$({ time "$cxx" "$std" "$@" -I"$root/include" -c "$src" -o "$tmp/out.o"; } 2>&1)
    times+=("$(awk '{ printf "%d", ($1 + $2) * 1000 }' <<<"$t")")
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p"
}

tu() {  # tu <name> <text>: a translation unit holding `text`, then an empty main
  printf '%s\nint main() { return 0; }\n' "$2" >"$tmp/$1.cpp"
  echo "$tmp/$1.cpp"
}

api_std='#include <atomic>
#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>'
evaluate='int f(const cors::policy& p) {
  return p.evaluate(cors::make_request_view("GET", {{"Origin", "https://a.example"}})).allowed();
}'
build='cors::policy make() {
  cors::config c;
  c.origins = {"https://a.example"};
  return cors::policy{c};
}'

# name|baseline row|text
declare -a rows=(
  "#include <cors/cors.hpp>|empty|#include <cors/cors.hpp>"
  "  ... + evaluate() a request|empty|#include <cors/cors.hpp>
$evaluate"
  "  ... + build a policy|empty|#include <cors/cors.hpp>
$build"
  "#include <cors/cors.hpp>|api std|$api_std
#include <cors/cors.hpp>"
  "  ... + evaluate() a request|api std|$api_std
#include <cors/cors.hpp>
$evaluate"
  "  ... + build a policy|api std|$api_std
#include <cors/cors.hpp>
$build"
  "<string> <vector> (std)|empty|#include <string>
#include <vector>"
  "the API's std headers (std)|empty|$api_std"
  "<memory> (std, not used)|empty|#include <memory>"
  "<functional> (std, not used)|empty|#include <functional>"
  "<iostream> (std, for scale)|empty|#include <iostream>"
)

echo "compiler: $($cxx --version | head -1); $std; median of $runs; CPU ms over the baseline"
printf '%-32s %-9s %8s %8s\n' "translation unit" "baseline" "-O0" "-O2"
empty=$(tu empty "")
api=$(tu api "$api_std")
declare -A base0 base2
base0[empty]=$(median_ms "$empty" -O0)
base2[empty]=$(median_ms "$empty" -O2)
base0[api std]=$(median_ms "$api" -O0)
base2[api std]=$(median_ms "$api" -O2)
printf '%-32s %-9s %8s %8s\n' "(empty TU, absolute)" "-" "${base0[empty]}" "${base2[empty]}"
printf '%-32s %-9s %8s %8s\n' "(the API's std headers, absolute)" "-" "${base0[api std]}" "${base2[api std]}"
n=0
for row in "${rows[@]}"; do
  name="${row%%|*}"
  rest="${row#*|}"
  baseline="${rest%%|*}"
  body="${rest#*|}"
  src=$(tu "row$n" "$body")
  n=$((n + 1))
  t0=$(median_ms "$src" -O0)
  t2=$(median_ms "$src" -O2)
  printf '%-32s %-9s %+8d %+8d\n' "$name" "$baseline" "$((t0 - base0[$baseline]))" "$((t2 - base2[$baseline]))"
done
