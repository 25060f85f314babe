#!/usr/bin/env bash
# Compile cost of `#include <cors/cors.hpp>`: the median of N compilations of a translation unit
# that includes it, minus the median for an empty one, at -O0 and -O2 (CPU time). Also times a few standard
# headers alone, for scale. Prints milliseconds.
#
#   tests/bench/compile_time.sh [runs=5]      (CXX=clang++ to use another compiler)
set -euo pipefail

runs="${1:-5}"
cxx="${CXX:-g++}"
std="${CORS_STD:--std=c++17}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# median_ms <file> <flags...>: median CPU time (user + sys, the driver and cc1plus together) of
# `runs` compilations to an object file. CPU time rather than wall time: on a shared machine it
# is far less sensitive to what else is running.
median_ms() {
  local src="$1"
  shift
  local times=()
  for ((i = 0; i < runs; ++i)); do
    /usr/bin/time -f '%U %S' -o "$tmp/time" "$cxx" "$std" "$@" -I"$root/include" -c "$src" -o "$tmp/out.o"
    times+=("$(awk '{ printf "%d", ($1 + $2) * 1000 }' "$tmp/time")")
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p"
}

tu() {  # tu <name> <line>: a translation unit holding one line
  printf '%s\nint main() { return 0; }\n' "$2" >"$tmp/$1.cpp"
  echo "$tmp/$1.cpp"
}

empty=$(tu empty "")
declare -a rows=(
  "cors/cors.hpp|#include <cors/cors.hpp>"
  "cors/policy.hpp + a policy|#include <cors/cors.hpp>
int f(const cors::policy& p) { return p.evaluate(cors::make_request_view(\"GET\", {{\"Origin\", \"https://a.example\"}})).allowed(); }"
  "<string> <vector> (std)|#include <string>
#include <vector>"
  "<functional> (std)|#include <functional>"
  "<deque> (std)|#include <deque>"
  "<memory> (std)|#include <memory>"
  "<bitset> (std)|#include <bitset>"
  "<chrono> <optional> (std)|#include <chrono>
#include <optional>"
  "<iostream> (std, for scale)|#include <iostream>"
)

echo "compiler: $($cxx --version | head -1); $std; median of $runs; CPU ms over an empty TU"
printf '%-30s %8s %8s\n' "translation unit" "-O0" "-O2"
base0=$(median_ms "$empty" -O0)
base2=$(median_ms "$empty" -O2)
printf '%-30s %8s %8s\n' "(empty TU, absolute)" "$base0" "$base2"
n=0
for row in "${rows[@]}"; do
  name="${row%%|*}"
  body="${row#*|}"
  src=$(tu "row$n" "$body")
  n=$((n + 1))
  t0=$(median_ms "$src" -O0)
  t2=$(median_ms "$src" -O2)
  printf '%-30s %+8d %+8d\n' "$name" "$((t0 - base0))" "$((t2 - base2))"
done
