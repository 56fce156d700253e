# shellcheck shell=bash
# Sourced by bench/compare and bench/proxies: logging, sizes, ports, the
# processes they start, and what they read about them from /proc. Uses
# SERVER_CPU, CLIENT_CPU, CONNECTIONS and LIB from the caller, and BENCH_NAME
# (compare, proxies) to say who is talking.

BENCH_NAME=${BENCH_NAME:-compare}
log() { printf '[%s %s] %s\n' "$BENCH_NAME" "$(date +%H:%M:%S)" "$*" >&2; }
die() {
  printf 'bench/%s: error: %s\n' "$BENCH_NAME" "$*" >&2
  exit 1
}

# ---------------------------------------------------------------------------
# Sizes, as the knobs spell them: plain bytes, or a whole number with K
# (KiB) or M (MiB).

# size_bytes SIZE: prints SIZE in bytes; fails on anything else.
size_bytes() {
  case $1 in
    *[!0-9KM]* | '' | [KM]* | *[KM]?*) return 1 ;;
    *K) echo $((${1%K} << 10)) ;;
    *M) echo $((${1%M} << 20)) ;;
    *) echo $((10#$1)) ;;
  esac
}

# size_label BYTES: the short name used in file names: 100, 4K, 64K, 1M.
size_label() {
  if (($1 >= 1 << 20 && $1 % (1 << 20) == 0)); then
    echo "$(($1 >> 20))M"
  elif (($1 >= 1 << 10 && $1 % (1 << 10) == 0)); then
    echo "$(($1 >> 10))K"
  else
    echo "$1"
  fi
}

# ---------------------------------------------------------------------------
# Processes. Every PID this script starts goes into STARTED_PIDS, and only
# those are ever signalled (stop_pid, and stop_all_started from the EXIT trap).

STARTED_PIDS=()

# Starts "$@" pinned to SERVER_CPU with output to $1's log; sets LAST_PID.
# taskset execs the command, so LAST_PID is the server itself.
start_pinned() {
  local logfile=$1
  shift
  taskset -c "$SERVER_CPU" "$@" >"$logfile" 2>&1 &
  LAST_PID=$!
  STARTED_PIDS+=("$LAST_PID")
}

# SIGTERM, then SIGKILL after 5 s; reaps the process.
stop_pid() {
  local pid=$1 i
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  fi
  wait "$pid" 2>/dev/null || true
  forget_pid "$pid"
}

forget_pid() {
  local kept=() p
  for p in "${STARTED_PIDS[@]}"; do [[ $p == "$1" ]] || kept+=("$p"); done
  STARTED_PIDS=("${kept[@]}")
}

stop_all_started() {
  local pid
  for pid in "${STARTED_PIDS[@]}"; do stop_pid "$pid"; done
}

# Polls until `url` answers (any HTTP status) or `pid` dies; 30 s at most:
# on this shared 2-CPU machine a Go peer once took more than 10 s to answer,
# and varnishd compiles its VCL first.
wait_http() {
  local url=$1 pid=$2 i
  for ((i = 0; i < 300; i++)); do
    kill -0 "$pid" 2>/dev/null || return 1
    curl -s -o /dev/null --max-time 1 "$url" && return 0
    sleep 0.1
  done
  return 1
}

# ---------------------------------------------------------------------------
# Ports and sockets.

PICKED_PORTS=" "

# Whether a TCP socket on this machine has local port $1 (any state).
port_in_use() {
  local hex
  hex=$(printf '%04X' "$1")
  awk -v hex="$hex" 'FNR > 1 { split($2, a, ":"); if (a[2] == hex) { found = 1; exit } }
                     END { exit !found }' /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

# pick_port VAR: sets VAR to a port that no socket uses now, below the
# ephemeral range so that client connections cannot take it meanwhile, and
# not picked before in this run. (Not a $(...) function: it keeps state.)
pick_port() {
  local _candidate _i
  for ((_i = 0; _i < 200; _i++)); do
    _candidate=$((20000 + RANDOM % 12000))
    [[ $PICKED_PORTS == *" $_candidate "* ]] && continue
    port_in_use "$_candidate" && continue
    PICKED_PORTS+="$_candidate "
    printf -v "$1" '%s' "$_candidate"
    return
  done
  die "no free port found in 20000-31999"
}

time_wait_count() {
  awk 'FNR > 1 && $4 == "06" { n++ } END { print n + 0 }' /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

# Between runs: a fixed pause, then until TIME-WAIT sockets (Go's peer client
# keeps 2 idle connections per host, so it churns connections) drop below
# TIME_WAIT_LIMIT, for at most 65 s (the kernel keeps them for 60 s).
pause_between_runs() {
  sleep "$PAUSE"
  local waited=0 count
  count=$(time_wait_count)
  while ((count > TIME_WAIT_LIMIT && waited < 65)); do
    ((waited == 0)) && log "  waiting for $count TIME-WAIT sockets to drain (limit $TIME_WAIT_LIMIT)"
    sleep 5
    waited=$((waited + 5))
    count=$(time_wait_count)
  done
}

# ---------------------------------------------------------------------------
# /proc readings over a process and its descendants (nginx's worker).

process_tree() {
  local pid=$1 child
  echo "$pid"
  for child in $(pgrep -P "$pid" 2>/dev/null || true); do process_tree "$child"; done
}

# utime + stime, in clock ticks, summed over the given PIDs and descendants.
cpu_ticks() {
  local total=0 root pid stat fields
  for root in "$@"; do
    for pid in $(process_tree "$root"); do
      stat=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
      # Field 2 (comm) may hold spaces: drop everything up to its ")".
      read -r -a fields <<<"${stat##*) }"
      total=$((total + fields[11] + fields[12]))  # fields 14 and 15
    done
  done
  echo "$total"
}

# The largest VmHWM (peak resident set), in KiB, over the given PIDs and
# their descendants.
peak_rss_kib() {
  local peak=0 root pid hwm
  for root in "$@"; do
    for pid in $(process_tree "$root"); do
      hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null) || continue
      [[ -n $hwm ]] && ((hwm > peak)) && peak=$hwm
    done
  done
  echo "$peak"
}

# ---------------------------------------------------------------------------
# Load generation.

# run_wrk OUTPUT_FILE SECONDS BASE_URL KEYSPEC [PATH_PREFIX]: one wrk thread
# pinned to CLIENT_CPU, CONNECTIONS connections, keys from keys.lua (a count,
# or @file) appended to PATH_PREFIX (default "/get?key=").
run_wrk() {
  local out=$1 seconds=$2 url=$3 keyspec=$4 prefix=${5:-/get?key=}
  # In the background and waited for, so that a signal to this script runs
  # its EXIT trap (which stops wrk too) at once rather than after wrk.
  timeout $((seconds + 30)) taskset -c "$CLIENT_CPU" \
    wrk -t1 -c"$CONNECTIONS" -d"${seconds}s" --latency -s "$LIB/keys.lua" "$url" -- "$keyspec" "$prefix" \
    >"$out" 2>&1 &
  local pid=$!
  STARTED_PIDS+=("$pid")
  local status=0
  wait "$pid" || status=$?
  forget_pid "$pid"
  ((status == 0)) || die "wrk failed against $url with status $status (output in $out)"
}

# Prints "requests seconds req_per_s p50_ms p99_ms non2xx socket_errors"
# from wrk --latency output. Only counts and times are read, so the transfer
# units (KB, MB, GB) of large values do not matter.
parse_wrk() {
  awk '
    function ms(v) {
      if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000
      if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0
      if (v ~ /s$/) return substr(v, 1, length(v) - 1) * 1000
      if (v ~ /m$/) return substr(v, 1, length(v) - 1) * 60000
      if (v ~ /h$/) return substr(v, 1, length(v) - 1) * 3600000
      return -1
    }
    /Latency Distribution/ { dist = 1; next }
    dist && $1 == "50%" { p50 = ms($2) }
    dist && $1 == "99%" { p99 = ms($2); dist = 0 }
    / requests in / { requests = $1; secs = $4; sub(/s,?$/, "", secs) }
    /^Requests\/sec:/ { rps = $2 }
    /Non-2xx or 3xx responses:/ { non2xx = $NF }
    /Socket errors:/ { gsub(/,/, ""); errors = $4 + $6 + $8 + $10 }
    END {
      if (requests == "" || rps == "" || p50 == "" || p99 == "") exit 1
      printf "%d %.3f %.1f %.4f %.4f %d %d\n", requests, secs, rps, p50, p99, non2xx, errors
    }' "$1"
}
