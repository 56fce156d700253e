#!/usr/bin/env bash
# The main job: install the dependencies, build groupcached, and run it with
# its built-in configuration (one node; client API on 127.0.0.1:8080, peer
# port 127.0.0.1:8443, the demo group "colors"). It first shows a few
# requests against the running server, then keeps serving until Ctrl-C.
#
#   bash scripts/run.sh                     # serve until Ctrl-C
#   DEMO_ONLY=1 bash scripts/run.sh         # show the requests, then stop
#   BUILD_DIR=build-run bash scripts/run.sh # another build tree than build/
#
# For a real deployment write a configuration (daemon/groupcached.example.toml,
# docs/configuration.md) and run `groupcached --config FILE`. The three-peer
# colors example is scripts/colors-demo.sh. Only the process started here is
# stopped, by its PID.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BUILD_DIR="${BUILD_DIR:-build}"
API="http://127.0.0.1:8080"

echo "== installing dependencies"
bash scripts/install-deps.sh

echo "== building groupcached (Release, Ninja, $BUILD_DIR/)"
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD_DIR" --target groupcached -j2

echo "== starting $BUILD_DIR/daemon/groupcached (built-in configuration)"
"$BUILD_DIR/daemon/groupcached" &
PID=$!
trap 'kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true' EXIT
trap 'exit 0' INT TERM

for _ in $(seq 100); do
  curl -fs -o /dev/null "$API/readyz" && break
  kill -0 "$PID" 2>/dev/null || { echo "run.sh: groupcached exited at start" >&2; exit 1; }
  sleep 0.1
done
curl -fs -o /dev/null "$API/readyz" || { echo "run.sh: groupcached did not become ready" >&2; exit 1; }

show() {  # show URL: one request, its status and body
  printf '$ curl %s\n' "$1"
  curl -s -w '  [%{http_code}]\n' "$1" | sed 's/^/  /'
}
echo "== asking it"
show "$API/groups/colors/red"
show "$API/groups/colors/green"
show "$API/groups/colors/red"
show "$API/groups/colors/purple"
show "$API/healthz"
echo '$ curl '"$API"'/metrics | grep colors'
curl -s "$API/metrics" | grep -E '^groupcache_(gets|cache_hits|local_loads)_total\{group="colors"' | sed 's/^/  /'

if [ "${DEMO_ONLY:-0}" = 1 ]; then
  echo "== done (DEMO_ONLY=1): stopping groupcached"
  exit 0
fi
echo "== groupcached is serving on $API (Ctrl-C stops it)"
wait "$PID"
