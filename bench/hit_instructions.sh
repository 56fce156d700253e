#!/usr/bin/env bash
# Instructions per cache-hit request of the C++ kv, counted with callgrind:
# repeatable on a shared, noisy machine, where wall-clock figures are not.
# Runs kv once idle and once under a wrk load of local hits, and divides the
# difference in instructions by the requests served.
#
#   bench/hit_instructions.sh [KV_BINARY] [PORT] [SECONDS]
# (a Release kv, e.g. build-bench/kv; needs valgrind, wrk and curl)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BIN="${1:-build-bench/kv}"
PORT="${2:-9411}"
DUR="${3:-8}"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

run() {  # run idle|load: prints "requests instructions"
  valgrind --tool=callgrind --callgrind-out-file="$OUT/cg.$1" "$BIN" -addr "127.0.0.1:$PORT" \
    -pool "http://127.0.0.1:$PORT" -keys 1000 > "$OUT/kv.$1.log" 2>&1 &
  local pid=$! n=0
  for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/stats" && break; sleep 0.3; done
  if [ "$1" = load ]; then
    for i in $(seq 0 999); do curl -s -o /dev/null "http://127.0.0.1:$PORT/get?key=key-$i"; done
    n=$(wrk -t1 -c16 -d"${DUR}s" -s "$HERE/lib/keys.lua" "http://127.0.0.1:$PORT" -- 1000 /get?key= |
      awk '/requests in/ {print $1}')
    n=$((n + 1000))
  fi
  kill -INT "$pid"
  wait "$pid" || true
  echo "$n $(callgrind_annotate "$OUT/cg.$1" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')"
}

read -r _ idle < <(run idle)
read -r requests loaded < <(run load)
echo "requests: $requests"
echo "instructions per request: $(( (loaded - idle) / requests ))"
