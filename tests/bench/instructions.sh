#!/usr/bin/env bash
# Instructions per policy.evaluate() call for each benchmark scenario, counted by Callgrind: a
# measure that, unlike the timings of cors_bench, does not move with the load of a shared machine
# (it does move with the compiler and flags). Needs valgrind and the cors_bench_instructions target:
#
#   cmake --preset bench && cmake --build --preset bench --target cors_bench_instructions
#   tests/bench/instructions.sh [build/bench/tests/bench/cors_bench_instructions]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
driver="${1:-$root/build/bench/tests/bench/cors_bench_instructions}"
command -v valgrind >/dev/null || { echo "instructions.sh: valgrind is not installed" >&2; exit 1; }
iterations=1000
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# instructions <scenario> <evaluator>: instructions per evaluate() call.
instructions() {
  valgrind --tool=callgrind --callgrind-out-file="$tmp/out" --toggle-collect='*run_scenario*' \
    "$driver" "$1" "$iterations" "$2" 2>"$tmp/log" >/dev/null
  total=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$tmp/log")
  echo "$((total / iterations))"
}
for scenario in a_no_origin b_actual_allowed c_actual_disallowed d_preflight_1_header e_preflight_5_headers \
  f_preflight_denied g_10k_exact_origins h_1k_wildcard_origins i1_acrh_1mib_commas i2_acrh_262k_tokens j_allow_all; do
  printf 'evaluate/%-24s %6d instructions\n' "$scenario" "$(instructions "$scenario" policy)"
done
# The same policies observed by decision counters, and in report-only mode beside themselves
# (README "Report-only mode and metrics"): what each wrapper adds to evaluate(). `plain` is the
# policy alone compiled as the wrappers are (its own translation unit), the baseline to subtract.
for evaluator in plain counters counters_function report_only report_only_live; do
  for scenario in a_no_origin b_actual_allowed c_actual_disallowed d_preflight_1_header; do
    printf '%-17s/%-24s %6d instructions\n' "$evaluator" "$scenario" "$(instructions "$scenario" "$evaluator")"
  done
done
