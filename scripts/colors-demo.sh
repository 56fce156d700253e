#!/usr/bin/env bash
# The classic demo: install the dependencies, build, and run the three-peer
# colors cluster on 127.0.0.1, then ask every peer for every color and check
# who loaded what.
#
#   bash scripts/colors-demo.sh                        # peers on 127.0.0.1:8080-8082
#   PORTS="9080 9081 9082" bash scripts/colors-demo.sh
#   BUILD_DIR=build-run bash scripts/colors-demo.sh    # another build tree than build/
#
# Exit status 0 iff every answer is right and red, green and blue were each
# looked up exactly once in the whole cluster (on their owner; every other
# request is served from a cache). Only the processes started here are
# stopped, by PID.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
read -r -a PORTS <<< "${PORTS:-8080 8081 8082}"
BUILD_DIR="${BUILD_DIR:-build}"
((${#PORTS[@]} == 3)) || { echo "colors-demo.sh: PORTS must name three ports" >&2; exit 2; }

echo "== installing dependencies"
bash scripts/install-deps.sh

echo "== building (Release, Ninja, $BUILD_DIR/)"
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD_DIR" --target groupcache_colors groupcache_kv -j2

url() { echo "http://127.0.0.1:$1"; }
LOGS="$(mktemp -d)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$LOGS"
}
trap cleanup EXIT

# A server already on one of the ports would answer for ours: refuse.
for port in "${PORTS[@]}"; do
  if curl -s -o /dev/null -m 1 "$(url "$port")/"; then
    echo "run.sh: something already listens on 127.0.0.1:$port; set PORTS to three free ports" >&2
    exit 1
  fi
done

echo "== starting three colors peers"
for port in "${PORTS[@]}"; do
  pool="$(url "$port")"  # self first, as the colors program expects
  for other in "${PORTS[@]}"; do [ "$other" = "$port" ] || pool+=",$(url "$other")"; done
  echo "  $BUILD_DIR/colors -addr 127.0.0.1:$port -pool $pool"
  "$BUILD_DIR/colors" -addr "127.0.0.1:$port" -pool "$pool" >"$LOGS/$port.log" 2>&1 &
  PIDS+=($!)
done
for i in "${!PORTS[@]}"; do
  port="${PORTS[$i]}"
  for _ in $(seq 100); do
    curl -s -o /dev/null -m 1 "$(url "$port")/" && continue 2
    if ! kill -0 "${PIDS[$i]}" 2>/dev/null; then
      echo "run.sh: the peer on port $port exited:" >&2
      cat "$LOGS/$port.log" >&2
      exit 1
    fi
    sleep 0.1
  done
  echo "run.sh: the peer on port $port is not listening after 10 s" >&2
  exit 1
done

lookups() { grep -c "looking up $2\$" "$LOGS/$1.log" || true; }

fail=0
printf '\n%-6s %-7s %-24s %s\n' asked key response 'getter ran on ("looking up" lines)'
for port in "${PORTS[@]}"; do
  for color in red green blue purple; do
    declare -A before=()
    for q in "${PORTS[@]}"; do before[$q]=$(lookups "$q" "$color"); done
    response="$(curl -s -m 10 -w ' [%{http_code}]' "$(url "$port")/color?name=$color" | tr -d '\n')"
    # Every log line of this request was written before its response was
    # sent, but give the kernel a moment to flush the redirected stderr.
    sleep 0.05
    ran=""
    for q in "${PORTS[@]}"; do
      n=$(($(lookups "$q" "$color") - before[$q]))
      ((n > 0)) && ran+="$q(x$n) "
    done
    [ -n "$ran" ] || ran="(none: served from a cache: the owner's main cache or a hot cache)"
    printf '%-6s %-7s %-24s %s\n' "$port" "$color" "$response" "$ran"
    case "$color" in
      red) want="#FF0000 [200]" ;;
      green) want="#00FF00 [200]" ;;
      blue) want="#0000FF [200]" ;;
      purple) want="color not found [404]" ;;
    esac
    [ "$response" = "$want" ] || { echo "  FAIL: expected $want"; fail=1; }
  done
done

echo
for color in red green blue; do
  total=0
  where=""
  for q in "${PORTS[@]}"; do
    n=$(lookups "$q" "$color")
    total=$((total + n))
    ((n > 0)) && where+=" $q(x$n)"
  done
  if [ "$total" = 1 ]; then
    echo "$color: looked up once in the cluster, on$where"
  else
    echo "FAIL: $color looked up $total times in the cluster:${where:- nowhere}"
    fail=1
  fi
done

for port in "${PORTS[@]}"; do
  echo "--- log of the peer on $port"
  sed 's/^/  /' "$LOGS/$port.log"
done
if [ "$fail" = 0 ]; then echo "RUN: PASS"; else echo "RUN: FAIL"; fi
exit "$fail"
