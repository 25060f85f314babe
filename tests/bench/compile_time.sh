#!/usr/bin/env bash
# Compile cost of `#include <cors/cors.hpp>`: the median CPU time of N compilations of a translation
# unit that includes it, minus the median for a baseline, at -O0 and -O2. Prints milliseconds.
#
# The baseline is what an HTTP server's translation unit includes anyway: <string>, <vector>,
# <memory>, <functional>, <optional>, <chrono>. Every row is that TU plus the row's text, so each
# figure is what the library adds to a real one. Issue #6 aims at +100 ms at most for the include
# alone at -O0 with g++ 12 (reported, not checked: benchmarks never pass or fail on a time).
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
    # A compile error stops the script rather than becoming a number.
    if ! { time "$cxx" "$std" "$@" -I"$root/include" -c "$src" -o "$tmp/out.o" 2>"$tmp/err"; } 2>"$tmp/time"; then
      cat "$tmp/err" >&2
      exit 1
    fi
    t=$(cat "$tmp/time")
    times+=("$(awk '{ printf "%d", ($1 + $2) * 1000 }' <<<"$t")")
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p"
}

server_std='#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>'

tu() {  # tu <name> <text>: the server baseline, then `text`, then an empty main
  printf '%s\n%s\nint main() { return 0; }\n' "$server_std" "$2" >"$tmp/$1.cpp"
  echo "$tmp/$1.cpp"
}

evaluate='int f(const cors::policy& p) {
  return p.evaluate(cors::make_request_view("GET", {{"Origin", "https://a.example"}})).grants_access();
}'
build='cors::policy make() {
  cors::config c;
  c.origins = {"https://a.example"};
  return cors::policy{c};
}'

# name|text added to the baseline
declare -a rows=(
  "#include <cors/cors.hpp>|#include <cors/cors.hpp>"
  "  ... + evaluate() a request|#include <cors/cors.hpp>
$evaluate"
  "  ... + build a policy|#include <cors/cors.hpp>
$build"
  "#include <iostream> (for scale)|#include <iostream>"
)

echo "compiler: $($cxx --version | head -1); $std; median of $runs; CPU ms"
echo "baseline: a server TU including <string> <vector> <memory> <functional> <optional> <chrono>"
printf '%-34s %8s %8s\n' "translation unit" "-O0" "-O2"
base=$(tu base "")
base0=$(median_ms "$base" -O0)
base2=$(median_ms "$base" -O2)
printf '%-34s %8s %8s\n' "(baseline, absolute)" "$base0" "$base2"
n=0
for row in "${rows[@]}"; do
  name="${row%%|*}"
  src=$(tu "row$n" "${row#*|}")
  n=$((n + 1))
  t0=$(median_ms "$src" -O0)
  t2=$(median_ms "$src" -O2)
  printf '%-34s %+8d %+8d\n' "$name" "$((t0 - base0))" "$((t2 - base2))"
done
echo "(issue #6: #include <cors/cors.hpp> at most +100 ms at -O0, g++ 12)"
