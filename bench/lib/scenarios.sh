# shellcheck shell=bash disable=SC2034  # sets globals that bench/compare reads
# Sourced by bench/compare (and by bench/proxies, for key_list and
# warm_keys): one function per scenario that starts its servers (pinned to
# SERVER_CPU), fills their caches, and leaves behind
#   SERVER_ROOTS  the PIDs whose CPU time and peak RSS count for the run
#   TARGET_URL    the base URL wrk loads
#   KEYSPEC       keys.lua's key argument: a count, or @file
# plus, optionally, check_after_run: a command run with the servers still up.

# start_node IMPL NAME PORT POOL [FLAG...]: one kv (cpp) or gcpeer (go) node.
start_node() {
  local impl=$1 name=$2 port=$3 pool=$4
  shift 4
  local bin
  case $impl in
    cpp) bin=$CPP_KV ;;
    go) bin=$GO_PEER ;;
    *) die "unknown implementation $impl" ;;
  esac
  local logfile="$RUN_DIR/$name.log"
  start_pinned "$logfile" "$bin" -addr "127.0.0.1:$port" -pool "$pool" -size "$VALUE_SIZE" -quiet=true "$@"
  wait_http "http://127.0.0.1:$port/stats" "$LAST_PID" ||
    die "$impl node $name did not come up on 127.0.0.1:$port; its log ($logfile) ends: $(tail -n 3 "$logfile")"
}

# Prints keys.lua's KEYSPEC as a list of keys, one per line.
key_list() {
  if [[ $1 == @* ]]; then
    cat "${1#@}"
  else
    awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) print "key-" i }'
  fi
}

# warm_keys BASE_URL KEYSPEC [PATH_PREFIX]: GETs every key once (at
# BASE_URL PATH_PREFIX KEY, the prefix "/get?key=" by default) over one
# keep-alive connection and fails unless every answer is a 200.
warm_keys() {
  local base=$1 keyspec=$2 prefix=${3:-/get?key=} config="$RUN_DIR/warm.curl"
  key_list "$keyspec" |
    awk -v base="$base$prefix" '{ printf "url = \"%s%s\"\noutput = \"/dev/null\"\n", base, $0 }' >"$config"
  local want got
  want=$(key_list "$keyspec" | wc -l)
  got=$(curl -s --max-time 120 -K "$config" -w '%{http_code}\n' | grep -c '^200$' || true)
  ((got == want)) || die "warming $base: only $got of $want keys answered 200"
}

# stats_field BASE_URL FIELD: a counter from the node's /stats JSON (the
# Stats block comes last, so its Gets wins over the caches' Gets), or -1 if
# the node does not answer in time.
stats_field() {
  { curl -s --max-time 10 "$1/stats" || true; } |
    awk -v field="\"$2\":" '$1 == field { v = $2; sub(/,$/, "", v) } END { print (v == "" ? -1 : v) }'
}

# ---------------------------------------------------------------------------

# One node, all of key-0 .. key-(LOCAL_KEYS-1) cached (main cache) before load;
# LOCAL_KEYS and CACHE_BYTES depend on the value size (set_value_size).
scenario_local_hits() {
  local impl=$1 port
  pick_port port
  start_node "$impl" node "$port" "http://127.0.0.1:$port" -cache "$CACHE_BYTES"
  SERVER_ROOTS=("$LAST_PID")
  TARGET_URL="http://127.0.0.1:$port"
  KEYSPEC=$LOCAL_KEYS
  warm_keys "$TARGET_URL" "$KEYSPEC"
  check_after_run="check_no_reloads $TARGET_URL $LOCAL_KEYS"
}

# check_no_reloads BASE_URL KEYS: warming loaded each of the KEYS keys once;
# any load beyond that means the cache evicted a value during the run, so
# some requests were not hits (CACHE_BYTES too small for the value size).
check_no_reloads() {
  local loads
  loads=$(stats_field "$1" Loads)
  if ((loads < 0)); then
    log "  warning: $1/stats did not answer: cannot check that every request was a hit"
  elif ((loads > $2)); then
    log "  warning: $1 made $loads loads for $2 keys: values were evicted during the run, not every request was a hit"
  fi
}

# Prints the keys among key-0 .. key-(PEER_CANDIDATES-1) that the ring of
# SELF_URL,OWNER_URL gives to OWNER_URL, at most PEER_KEYS of them. The ring
# is groupcache's own consistenthash, by gcpeer -owners (the C++ ring agrees:
# the interop tests check it, and check_peer_path checks it again per run).
owned_keys() {
  local self=$1 owner=$2 hexfile="$RUN_DIR/candidates.hex"
  # "key-N" in hex: 6b 65 79 2d, then "3d" for each decimal digit d.
  awk -v n="$PEER_CANDIDATES" 'BEGIN {
    for (i = 0; i < n; i++) {
      s = i ""; h = "6b65792d"
      for (j = 1; j <= length(s); j++) h = h "3" substr(s, j, 1)
      print h
    } }' >"$hexfile"
  "$GO_PEER" -owners "$hexfile" -pool "$self,$owner" >"$RUN_DIR/owners.txt" ||
    die "gcpeer -owners failed"
  key_list "$PEER_CANDIDATES" | paste - "$RUN_DIR/owners.txt" |
    awk -v owner="$owner" -v max="$PEER_KEYS" '$2 == owner && n < max { print $1; n++ }'
}

# Two nodes on the same CPU. The entry node has caching off and the keys wrk
# asks for are all owned by the other node, so every request is a peer fetch;
# the owner caches as usual and is warmed first.
scenario_peer_path() {
  local impl=$1 entry_port owner_port entry owner
  pick_port entry_port
  pick_port owner_port
  entry="http://127.0.0.1:$entry_port"
  owner="http://127.0.0.1:$owner_port"
  owned_keys "$entry" "$owner" >"$RUN_DIR/peer-keys.txt"
  local count
  count=$(wc -l <"$RUN_DIR/peer-keys.txt")
  ((count >= (PEER_KEYS < 100 ? PEER_KEYS : 100))) ||
    die "only $count of $PEER_CANDIDATES keys are owned by the second node"
  start_node "$impl" owner "$owner_port" "$owner,$entry" -cache "$CACHE_BYTES"
  local owner_pid=$LAST_PID
  start_node "$impl" entry "$entry_port" "$entry,$owner" -cache 0
  SERVER_ROOTS=("$LAST_PID" "$owner_pid")
  TARGET_URL=$entry
  KEYSPEC="@$RUN_DIR/peer-keys.txt"
  warm_keys "$owner" "$KEYSPEC"
  check_after_run="check_peer_path $entry $owner $count"
}

# check_peer_path ENTRY_URL OWNER_URL KEYS: every Get at the entry node must
# have been a peer fetch. A local load is allowed only as groupcache's
# fallback after a failed peer fetch (counted in PeerErrors); any other means
# the two sides disagree about the owners. The owner must have served every
# fetch from its cache.
check_peer_path() {
  check_no_reloads "$2" "$3"
  local local_loads peer_loads peer_errors
  local_loads=$(stats_field "$1" LocalLoads)
  peer_loads=$(stats_field "$1" PeerLoads)
  peer_errors=$(stats_field "$1" PeerErrors)
  ((peer_loads > 0 && local_loads >= 0 && local_loads <= peer_errors)) ||
    die "peer path: the entry node did $local_loads local loads, $peer_loads peer loads and had $peer_errors peer errors (want no local load but after a peer error)"
  ((peer_errors == 0)) ||
    log "  warning: $peer_errors peer fetches failed at the entry node and were loaded locally (see $RUN_DIR)"
}

# One node with caching off and a getter doing LOAD_WORK rounds of fixed CPU
# work; LOAD_KEYS keys round robin, so concurrent requests are for different
# keys and singleflight merges little.
scenario_loads() {
  local impl=$1 port
  pick_port port
  start_node "$impl" node "$port" "http://127.0.0.1:$port" -cache 0 -work "$LOAD_WORK"
  SERVER_ROOTS=("$LAST_PID")
  TARGET_URL="http://127.0.0.1:$port"
  KEYSPEC=$LOAD_KEYS
  check_after_run="check_loads $TARGET_URL"
}

# Records how much singleflight merged: Loads counts cache misses, and
# LoadsDeduped the loads left after merging.
check_loads() {
  local loads deduped
  loads=$(stats_field "$1" Loads)
  deduped=$(stats_field "$1" LoadsDeduped)
  ((loads > 0)) || die "loads: the node reports no loads"
  log "  singleflight: $loads loads ran as $deduped"
}

# nginx, one worker, the same static file of VALUE_SIZE bytes for every path.
scenario_ceiling() {
  local port dir="$RUN_DIR/nginx"
  pick_port port
  mkdir -p "$dir"
  head -c "$VALUE_SIZE" /dev/zero | tr '\0' 'x' >"$dir/value"
  sed -e "s|@DIR@|$dir|g" -e "s|@PORT@|$port|g" "$LIB/nginx.conf.in" >"$dir/nginx.conf"
  start_pinned "$RUN_DIR/nginx.log" "$NGINX" -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf"
  wait_http "http://127.0.0.1:$port/" "$LAST_PID" ||
    die "nginx did not come up on 127.0.0.1:$port; see $dir/error.log and $RUN_DIR/nginx.log"
  SERVER_ROOTS=("$LAST_PID")
  TARGET_URL="http://127.0.0.1:$port"
  KEYSPEC=$LOCAL_KEYS
  local got
  got=$(curl -s -o /dev/null -w '%{http_code} %{size_download}' "$TARGET_URL/get?key=key-0")
  [[ $got == "200 $VALUE_SIZE" ]] ||
    die "nginx answered '$got' (status, bytes), want '200 $VALUE_SIZE'; see $dir/error.log"
  check_after_run=true
}
