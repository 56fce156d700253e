# shellcheck shell=bash disable=SC2034  # sets globals that bench/proxies reads
# Sourced by bench/proxies: the origin, and one function per system that
# starts N cache nodes in front of it. A start_* function leaves behind
#   NODE_PIDS   the PIDs of the nodes (their CPU time and peak RSS count)
#   NODE_URLS   each node's base URL for clients
#   PATH_PREFIX what a client puts before NS_key-N
# The templates are in bench/lib/proxies/. Uses RUN_DIR, ORIGIN_PORT,
# NGINX, VARNISHD, GROUPCACHED and the helpers of common.sh.

PROXY_TEMPLATES="$LIB/proxies"

# fill_template TEMPLATE OUTPUT NAME=VALUE...: replaces each @NAME@.
fill_template() {
  local template=$1 output=$2 pair args=()
  shift 2
  for pair in "$@"; do args+=(-e "s|@${pair%%=*}@|${pair#*=}|g"); done
  sed "${args[@]}" "$PROXY_TEMPLATES/$template" >"$output"
}

# start_origin DIR OBJECT_SIZE: the origin nginx, pinned to CLIENT_CPU (it is
# not what is measured, and in the hit runs it is idle once the caches are
# warm); sets ORIGIN_PORT, ORIGIN_PID and ORIGIN_LOG.
start_origin() {
  local dir=$1 size=$2
  mkdir -p "$dir"
  head -c "$size" /dev/urandom >"$dir/object"
  pick_port ORIGIN_PORT
  fill_template origin.conf.in "$dir/nginx.conf" DIR="$dir" PORT="$ORIGIN_PORT"
  SERVER_CPU=$CLIENT_CPU start_pinned "$dir/nginx.log" "$NGINX" -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf"
  ORIGIN_PID=$LAST_PID
  ORIGIN_LOG="$dir/access.log"
  wait_http "http://127.0.0.1:$ORIGIN_PORT/" "$ORIGIN_PID" ||
    die "the origin nginx did not come up on 127.0.0.1:$ORIGIN_PORT; see $dir/error.log"
  local got
  got=$(curl -s -o /dev/null -w '%{http_code} %{size_download}' "http://127.0.0.1:$ORIGIN_PORT/objects/check_key-0")
  [[ $got == "200 $size" ]] || die "the origin answered '$got' (status, bytes), want '200 $size'"
}

# origin_requests NS: the origin's requests so far for objects of namespace NS.
origin_requests() {
  awk -v prefix="/objects/$1_" 'index($1, prefix) == 1 { n++ } END { print n + 0 }' "$ORIGIN_LOG"
}

# start_groupcached COUNT: COUNT groupcached nodes, one static peer list.
start_groupcached() {
  local count=$1 i peers="" api_ports=() peer_ports=() port
  for ((i = 0; i < count; i++)); do
    pick_port port
    api_ports+=("$port")
    pick_port port
    peer_ports+=("$port")
    peers+="${peers:+, }\"http://127.0.0.1:$port\""
  done
  NODE_PIDS=() NODE_URLS=() PATH_PREFIX=/groups/bench/
  for ((i = 0; i < count; i++)); do
    local dir="$RUN_DIR/groupcached-$i"
    mkdir -p "$dir"
    fill_template groupcached.toml.in "$dir/groupcached.toml" API_PORT="${api_ports[i]}" \
      PEER_PORT="${peer_ports[i]}" PEERS="$peers" ORIGIN_PORT="$ORIGIN_PORT"
    "$GROUPCACHED" --check-config --config "$dir/groupcached.toml" >"$dir/check-config.txt" 2>&1 ||
      die "groupcached --check-config refused $dir/groupcached.toml: $(tail -n 3 "$dir/check-config.txt")"
    start_pinned "$dir/groupcached.log" "$GROUPCACHED" --config "$dir/groupcached.toml"
    NODE_PIDS+=("$LAST_PID")
    NODE_URLS+=("http://127.0.0.1:${api_ports[i]}")
  done
  for ((i = 0; i < count; i++)); do
    wait_http "${NODE_URLS[i]}/readyz" "${NODE_PIDS[i]}" ||
      die "groupcached node $i did not come up on ${NODE_URLS[i]}; see $RUN_DIR/groupcached-$i/groupcached.log"
  done
}

# start_nginx_cache COUNT: COUNT independent nginx proxy_cache nodes.
start_nginx_cache() {
  local count=$1 i port
  NODE_PIDS=() NODE_URLS=() PATH_PREFIX=/objects/
  for ((i = 0; i < count; i++)); do
    local dir="$RUN_DIR/nginx-$i"
    mkdir -p "$dir"
    pick_port port
    fill_template nginx-cache.conf.in "$dir/nginx.conf" DIR="$dir" PORT="$port" ORIGIN_PORT="$ORIGIN_PORT"
    start_pinned "$dir/nginx.log" "$NGINX" -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf"
    NODE_PIDS+=("$LAST_PID")
    NODE_URLS+=("http://127.0.0.1:$port")
    wait_http "http://127.0.0.1:$port/" "$LAST_PID" ||
      die "nginx proxy_cache node $i did not come up on 127.0.0.1:$port; see $dir/error.log"
  done
}

# start_varnish COUNT: COUNT independent Varnish nodes. Started as root,
# varnishd's default jail (-j unix, as Debian's service runs it) drops to the
# users varnish and vcache, so its working directory (-n) and the VCL must be
# reachable by them: RUN_DIR and its parents must be world-searchable. The
# management CLI is off (-T none): nothing here needs it.
start_varnish() {
  local count=$1 i port
  NODE_PIDS=() NODE_URLS=() PATH_PREFIX=/objects/
  for ((i = 0; i < count; i++)); do
    local dir="$RUN_DIR/varnish-$i"
    mkdir -p "$dir"
    chmod 755 "$dir"
    pick_port port
    fill_template varnish.vcl.in "$dir/bench.vcl" ORIGIN_PORT="$ORIGIN_PORT"
    chmod 644 "$dir/bench.vcl"
    start_pinned "$dir/varnishd.log" "$VARNISHD" -F -j unix -a "127.0.0.1:$port" -n "$dir/work" \
      -f "$dir/bench.vcl" -s malloc,256m -T none
    NODE_PIDS+=("$LAST_PID")
    NODE_URLS+=("http://127.0.0.1:$port")
  done
  # Each varnishd compiles its VCL first: a second or two.
  for ((i = 0; i < count; i++)); do
    wait_http "${NODE_URLS[i]}/" "${NODE_PIDS[i]}" ||
      die "varnish node $i did not come up on ${NODE_URLS[i]}; see $RUN_DIR/varnish-$i/varnishd.log"
  done
}

# ---------------------------------------------------------------------------
# The burst: every node asked for the same OBJECTS new objects at once.

# burst_client OUTPUT URL_PREFIX NS: GETs NS_key-0 .. NS_key-(OBJECTS-1)
# below URL_PREFIX, BURST_PARALLEL at a time on keep-alive connections, and
# writes one line per request: "status seconds". In the background; sets
# LAST_PID.
burst_client() {
  local out=$1 prefix=$2 ns=$3
  awk -v base="$prefix$ns" -v n="$OBJECTS" 'BEGIN {
    for (i = 0; i < n; i++) printf "url = \"%s_key-%d\"\noutput = \"/dev/null\"\n", base, i }' >"$out.curl"
  timeout 120 curl -s --parallel --parallel-immediate --parallel-max "$BURST_PARALLEL" -K "$out.curl" \
    -w '%{http_code} %{time_total}\n' >"$out" 2>"$out.stderr" &
  LAST_PID=$!
  STARTED_PIDS+=("$LAST_PID")
}

# run_burst NS: one burst_client per node, started together, and waited for.
# Prints "requests ok p50_ms p99_ms max_ms seconds".
run_burst() {
  local ns=$1 i pids=() status=0 started ended
  started=$(date +%s.%N)
  for ((i = 0; i < ${#NODE_URLS[@]}; i++)); do
    burst_client "$RUN_DIR/burst-$i.txt" "${NODE_URLS[i]}$PATH_PREFIX" "$ns"
    pids+=("$LAST_PID")
  done
  for i in "${pids[@]}"; do
    wait "$i" || status=$?
    forget_pid "$i"
  done
  ended=$(date +%s.%N)
  ((status == 0)) || die "a burst client failed with status $status; see $RUN_DIR/burst-*.txt.stderr"
  local seconds
  seconds=$(awk -v a="$started" -v b="$ended" 'BEGIN { printf "%.3f", b - a }')
  # Latencies in ms, sorted: p50 and p99 by the nearest-rank rule.
  awk '{ print $2 * 1000, ($1 == 200) }' "$RUN_DIR"/burst-[0-9]*.txt | sort -n |
    awk -v secs="$seconds" '
      { t[++n] = $1; ok += $2 }
      END {
        if (n == 0) exit 1
        printf "%d %d %.3f %.3f %.3f %s\n", n, ok, t[int(n * 0.50 + 0.999999)], t[int(n * 0.99 + 0.999999)], t[n], secs
      }'
}

# Prints "mean max multi" of the origin requests per object of namespace NS
# over OBJECTS objects: the mean, the largest, and how many objects were
# requested from the origin more than once.
origin_per_object() {
  awk -v prefix="/objects/$1_" -v n="$OBJECTS" '
    index($1, prefix) == 1 { c[$1]++ }
    END {
      for (k in c) { total += c[k]; if (c[k] > max) max = c[k]; if (c[k] > 1) multi++ }
      printf "%.3f %d %d\n", total / n, max, multi
    }' "$ORIGIN_LOG"
}
