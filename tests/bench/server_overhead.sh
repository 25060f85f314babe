#!/usr/bin/env bash
# What CORS costs inside a real server: instructions per request (Callgrind) of each example server
# with its policy and with `--no-cors` (same flags, same application and routes, no policy), for
#   actual     an allowed actual request with credentials, answered with 4 CORS headers
#   preflight  an allowed preflight (with the policy: answered by it, 204 and 6 CORS headers;
#              without: answered by the application like any OPTIONS request)
# Each server is started under Callgrind, sent N1 and, in a second run, N2 identical requests over
# one keep-alive loopback connection (tests/bench/server_overhead_client.cpp, one request at a time),
# and stopped with SIGTERM; instructions per request = (I(N2) - I(N1)) / (N2 - N1), which removes
# start-up, connection and shutdown; each I is the fewest of --repeat runs (a multi-threaded server's
# count moves by about 1 % between identical runs, more on a loaded machine). "library" is the part
# whose code comes from include/cors/ (view, evaluate(), apply's own logic, wherever the compiler
# inlined them; the framework's field insertion called from apply is the framework's); it does not
# move between runs. It needs debug info, which the bench preset has (-O2 -g; -g does not change the
# code GCC generates).
#
#   cmake --preset bench
#   cmake --build --preset bench --target cors_bench_server_client cors-example-beast cors-example-httplib \
#     cors-example-poco cors-example-restinio cors-example-pistache
#   tests/bench/server_overhead.sh [--n1 200] [--n2 1000] [--repeat 3] [--scenarios actual,preflight]
#                                  [--client PATH] [SERVER...]
#
# SERVER is an example server's path, or NAME=PATH; NAME defaults to the file name without its
# `cors-example-` prefix. Without SERVER: every build/bench/examples/cors-example-* but minimal.
# Reports a table; never passes or fails on a number (exit status 1 only if a run went wrong).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
client="$root/build/bench/tests/bench/cors_bench_server_client"
n1=200
n2=1000
repeat=3
scenarios="actual,preflight"
servers=()
while [ $# -gt 0 ]; do
  case "$1" in
    --n1) n1="$2"; shift 2 ;;
    --n2) n2="$2"; shift 2 ;;
    --scenarios) scenarios="$2"; shift 2 ;;
    --repeat) repeat="$2"; shift 2 ;;
    --client) client="$2"; shift 2 ;;
    -h | --help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "server_overhead.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) servers+=("$1"); shift ;;
  esac
done
if [ ${#servers[@]} -eq 0 ]; then
  for s in "$root"/build/bench/examples/cors-example-*; do
    [ -x "$s" ] && [ "$(basename "$s")" != cors-example-minimal ] && servers+=("$s")
  done
fi
command -v valgrind >/dev/null || { echo "server_overhead.sh: valgrind is not installed" >&2; exit 1; }
command -v callgrind_annotate >/dev/null || { echo "server_overhead.sh: callgrind_annotate is missing" >&2; exit 1; }
[ -x "$client" ] || { echo "server_overhead.sh: no client at $client (build cors_bench_server_client)" >&2; exit 1; }
[ ${#servers[@]} -gt 0 ] || { echo "server_overhead.sh: no example server given or built" >&2; exit 1; }
[ "$n2" -gt "$n1" ] || { echo "server_overhead.sh: --n2 must be larger than --n1" >&2; exit 2; }

# The policy of the browser tests' allowed requests: the actual request gets Allow-Origin,
# Allow-Credentials, Expose-Headers and Vary; the preflight Allow-Origin, Allow-Credentials,
# Allow-Methods, Allow-Headers, Max-Age and Vary.
policy=(--origin https://app.example.com --method PUT --header X-Req --expose X-Total-Count --credentials
  --max-age 600)
expected_cors_lines_actual=3     # Access-Control-* lines; the fourth header is Vary
expected_cors_lines_preflight=5

tmp="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill -KILL "$server_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

# run SERVER SCENARIO N ARGS... -> prints "total library" (instructions of the whole run)
run() {
  local server="$1" scenario="$2" n="$3"
  shift 3
  rm -f "$tmp/cg.out"
  : >"$tmp/stdout"
  valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.out" \
    "$server" --host 127.0.0.1 --port 0 --quiet "$@" >"$tmp/stdout" 2>"$tmp/stderr" &
  server_pid=$!
  local port=""
  for _ in $(seq 600); do
    port="$(sed -n 's|^listening on http://127\.0\.0\.1:\([0-9]*\)$|\1|p' "$tmp/stdout")"
    [ -n "$port" ] && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ -z "$port" ]; then
    echo "server_overhead.sh: $server $* did not start:" >&2
    cat "$tmp/stderr" >&2
    return 1
  fi
  local reply
  reply="$("$client" "$port" "$scenario" "$n")" || { echo "server_overhead.sh: client failed on $server" >&2; return 1; }
  kill -TERM "$server_pid"
  local waited=0
  while kill -0 "$server_pid" 2>/dev/null; do
    sleep 0.1
    waited=$((waited + 1))
    if [ $waited -gt 300 ]; then
      echo "server_overhead.sh: $server did not stop on SIGTERM" >&2
      return 1
    fi
  done
  wait "$server_pid" || true
  server_pid=""
  [ -s "$tmp/cg.out" ] || { echo "server_overhead.sh: no Callgrind output for $server" >&2; return 1; }
  # Self cost per source file of each function: the lines whose file is under include/cors/ are the
  # library's instructions, inlined or not.
  callgrind_annotate --inclusive=no --threshold=100 --auto=no "$tmp/cg.out" >"$tmp/annotated" 2>/dev/null
  # "code" leaves out glibc and libstdc++ (their files show as ./… or ???): malloc, free and the
  # locks, whose paths depend on which thread runs a handler, are most of the noise between runs.
  awk -v reply="$reply" '
    /PROGRAM TOTALS/ { gsub(",", "", $1); total = $1; next }
    $2 ~ /^\(/ {
      v = $1; gsub(",", "", v)
      file = $0; sub(/^ *[0-9,]+ \( *[0-9.]+%\)  /, "", file)
      if (file ~ /^([^ ]*\/)?include\/cors\//) library += v
      if (file !~ /^(\.\/|\?\?\?)/) code += v
    }
    END { printf "%d %d %d %s\n", total, library, code, reply }' "$tmp/annotated"
}

# fewest SERVER SCENARIO N ARGS... -> the run with the fewest instructions of $repeat runs. Counts move
# by about 1 % between identical runs (which of the server's threads handles a request changes
# malloc's and the mutexes' paths); the library's count does not move.
fewest() {
  local best="" r out
  for ((r = 0; r < repeat; r++)); do
    out="$(run "$@")" || return 1
    if [ -z "$best" ] || [ "${out%% *}" -lt "${best%% *}" ]; then best="$out"; fi
  done
  echo "$best"
}

# per_request SERVER SCENARIO ARGS... -> prints "instructions library code cors_lines status" per request
per_request() {
  local server="$1" scenario="$2"
  shift 2
  local a b
  a="$(fewest "$server" "$scenario" "$n1" "$@")" || return 1
  b="$(fewest "$server" "$scenario" "$n2" "$@")" || return 1
  awk -v a="$a" -v b="$b" -v d=$((n2 - n1)) 'BEGIN {
    split(a, x, " "); split(b, y, " ")
    sub("status=", "", y[4]); sub("cors_lines=", "", y[5])
    printf "%.0f %.0f %.0f %s %s\n", (y[1] - x[1]) / d, (y[2] - x[2]) / d, (y[3] - x[3]) / d, y[5], y[4] }'
}

printf '%-14s %-10s %12s %12s %11s %9s %11s %8s %9s\n' server scenario "without CORS" "with CORS" difference overhead \
  "(own code)" library "lib share"
status=0
for spec in "${servers[@]}"; do
  if [[ "$spec" == *=* ]]; then
    name="${spec%%=*}"
    path="${spec#*=}"
  else
    path="$spec"
    name="$(basename "$path")"
    name="${name#cors-example-}"
  fi
  [ -x "$path" ] || { echo "server_overhead.sh: $path is not an executable" >&2; status=1; continue; }
  for scenario in ${scenarios//,/ }; do
    if ! without="$(per_request "$path" "$scenario" "${policy[@]}" --no-cors)" ||
      ! with="$(per_request "$path" "$scenario" "${policy[@]}")"; then
      status=1
      continue
    fi
    read -r i0 l0 o0 c0 s0 <<<"$without"
    read -r i1 l1 o1 c1 s1 <<<"$with"
    expected_var="expected_cors_lines_$scenario"
    if [ "$c0" != 0 ] || [ "$c1" != "${!expected_var}" ]; then
      echo "server_overhead.sh: $name $scenario: $c0 Access-Control-* lines without the policy (want 0)," \
        "$c1 with it (want ${!expected_var})" >&2
      status=1
    fi
    awk -v name="$name" -v sc="$scenario" -v i0="$i0" -v i1="$i1" -v l1="$l1" -v o0="$o0" -v o1="$o1" -v s0="$s0" \
      -v s1="$s1" 'BEGIN {
      d = i1 - i0
      printf "%-14s %-10s %12d %12d %+11d %+8.1f%% %+11d %8d %8.2f%%   (status %s / %s)\n",
             name, sc, i0, i1, d, 100 * d / i0, o1 - o0, l1, 100 * l1 / i1, s0, s1 }'
  done
done
echo "instructions per request, (I(N=$n2) - I(N=$n1)) / $((n2 - n1)), fewest of $repeat runs each;" \
  "overhead = difference / without;"
echo "(own code) = the difference without glibc and libstdc++ (malloc, free, locks: the noisy part);" \
  "library = instructions from include/cors/ (view, evaluate, apply's own code); lib share = library / with"
exit $status
