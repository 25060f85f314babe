#!/usr/bin/env bash
# Compile cost of `#include <cors/cors.hpp>` in instructions: Callgrind counts what the compiler
# proper (cc1plus) executes for a preprocessed server-like translation unit (<string>, <vector>,
# <memory>, <functional>, <optional>, <chrono>) with and without the include. Unlike the CPU times
# of compile_time.sh, the count does not move with the machine's load, so it can decide between two
# versions of a header. Needs valgrind and g++; about 30 s per row.
#
#   tests/bench/compile_instructions.sh [include-dir=include] [-O0|-O2]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
inc="${1:-$root/include}"
opt="${2:--O0}"
command -v valgrind >/dev/null || { echo "compile_instructions.sh: valgrind is not installed" >&2; exit 1; }
cc1="$(g++ -print-prog-name=cc1plus)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
printf '#include <chrono>\n#include <functional>\n#include <memory>\n#include <optional>\n#include <string>\n#include <vector>\n' >"$tmp/base.cpp"
{ cat "$tmp/base.cpp"; echo '#include <cors/cors.hpp>'; } >"$tmp/cors.cpp"
count() {  # millions of instructions cc1plus executes for $1
  g++ -std=c++17 "$opt" -I"$inc" -E "$1" -o "$1.ii"
  valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.out" "$cc1" -quiet -std=c++17 "$opt" -fpreprocessed \
    "$1.ii" -o "$tmp/out.s" 2>&1 | sed -n 's/.*Collected : \([0-9]*\).*/\1/p' | awk '{ printf "%d", $1 / 1000000 }'
}
base=$(count "$tmp/base.cpp")
with=$(count "$tmp/cors.cpp")
echo "g++ $(g++ -dumpfullversion) $opt, cc1plus instructions (millions): server-like TU $base, with <cors/cors.hpp> $with (+$((with - base)))"
