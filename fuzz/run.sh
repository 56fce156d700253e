#!/usr/bin/env bash
# Runs the libFuzzer targets built in a fuzz tree (docs/fuzzing.md): for each
# target, replays its committed corpus (fuzz/corpus/TARGET), then fuzzes it
# for a bounded time on a fresh copy of that corpus, so the committed corpus
# is never modified. Exit status 0 iff no target crashed, leaked, timed out,
# ran out of memory or produced a sanitizer report; for each failure the
# reproducer's path and the end of the log are printed.
#
#   fuzz/run.sh                          # every target, 16 s each, build-fuzz/
#   FUZZ_SECONDS=600 fuzz/run.sh config  # one target, longer
#   FUZZ_BUILD_DIR=b FUZZ_WORK_DIR=/tmp/w fuzz/run.sh
#
# Environment: FUZZ_BUILD_DIR (build-fuzz), FUZZ_SECONDS per target (16),
# FUZZ_JOBS targets at a time (one per core),
# FUZZ_WORK_DIR (FUZZ_BUILD_DIR/fuzz-work; emptied for each target),
# FUZZ_TIMEOUT seconds per input (10), FUZZ_RSS_MB (2048).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

BUILD="${FUZZ_BUILD_DIR:-build-fuzz}"
SECONDS_PER_TARGET="${FUZZ_SECONDS:-16}"
WORK="${FUZZ_WORK_DIR:-$BUILD/fuzz-work}"
TIMEOUT="${FUZZ_TIMEOUT:-10}"
RSS_MB="${FUZZ_RSS_MB:-2048}"

# target  max_len  dictionary (fuzz/dict/, - for none). max_len is what a
# realistic input of the parser needs: heads up to the target's 1 KiB
# header limit and beyond it, a config file of a few KiB, short URLs.
TARGETS=(
  "request_head   2048  request_head.dict"
  "get_response   1024  -"
  "escape          512  escape.dict"
  "peer_url        256  url.dict"
  "listen_address  128  url.dict"
  "origin_url      512  url.dict"
  "config_units     64  units.dict"
  "config         4096  config.dict"
  "files_source    128  files_source.dict"
  "go_flags        256  go_flags.dict"
  "http_envelope  1024  -"
)

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
command -v llvm-symbolizer >/dev/null && export ASAN_SYMBOLIZER_PATH="${ASAN_SYMBOLIZER_PATH:-$(command -v llvm-symbolizer)}"

selected=("$@")
# Targets run FUZZ_JOBS at a time (default: one per core), each on its own
# core: what each prints is kept and shown in the targets' order.
JOBS="${FUZZ_JOBS:-$(nproc)}"

# Replays and fuzzes one target; prints what it found; exit status 0 iff ok.
run_target() {
  local name="$1" max_len="$2" dict="$3"
  local binary="$BUILD/fuzz/fuzz_$name"
  if [ ! -x "$binary" ]; then
    echo "fuzz: $binary is missing (build the fuzz tree first: docs/fuzzing.md)"
    return 1
  fi
  local dir="$WORK/$name"
  rm -rf "$dir"
  mkdir -p "$dir/corpus" "$dir/artifacts"
  cp "fuzz/corpus/$name"/* "$dir/corpus/"
  local flags=(-max_len="$max_len" -timeout="$TIMEOUT" -rss_limit_mb="$RSS_MB" -artifact_prefix="$dir/artifacts/"
    -print_final_stats=1)
  [ "$dict" != - ] && flags+=(-dict="fuzz/dict/$dict")
  # Replay: every committed input once (a regression input that crashes
  # again fails here, before any fuzzing).
  if ! "$binary" "${flags[@]}" -runs=0 "$dir/corpus" >"$dir/replay.log" 2>&1; then
    echo "fuzz: $name: the committed corpus fails; log $dir/replay.log"
    tail -n 30 "$dir/replay.log"
    # libFuzzer stops at the first failure: name every input that fails.
    local input
    for input in "fuzz/corpus/$name"/*; do
      "$binary" "${flags[@]}" "$input" >/dev/null 2>&1 || echo "fuzz: $name: fails: $input"
    done
    return 1
  fi
  "$binary" "${flags[@]}" -max_total_time="$SECONDS_PER_TARGET" "$dir/corpus" >"$dir/fuzz.log" 2>&1
  local status=$?
  local execs
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/fuzz.log" | tail -n 1)
  if ((status != 0)); then
    echo "fuzz: $name FAILED (exit $status) after ${execs:-?} runs; log $dir/fuzz.log"
    grep -E "ERROR: |invariant broken|runtime error|SUMMARY" "$dir/fuzz.log" | head -n 5
    tail -n 40 "$dir/fuzz.log"
    local artifact
    for artifact in "$dir/artifacts"/*; do
      [ -e "$artifact" ] && echo "fuzz: $name: reproducer $artifact (run: $binary $artifact)"
    done
    return 1
  fi
  echo "fuzz: $name ok: ${execs:-?} runs in ${SECONDS_PER_TARGET}s, corpus $(ls "$dir/corpus" | wc -l) inputs"
}

mkdir -p "$WORK"
rm -f "$WORK"/*.status "$WORK"/*.result
names=()
for entry in "${TARGETS[@]}"; do
  read -r name max_len dict <<<"$entry"
  if ((${#selected[@]} > 0)) && [[ ! " ${selected[*]} " == *" $name "* ]]; then continue; fi
  while (($(jobs -rp | wc -l) >= JOBS)); do wait -n; done
  # The status goes to a file: a job reaped by `wait -n` above cannot be
  # asked for it again.
  (
    run_target "$name" "$max_len" "$dict" >"$WORK/$name.result" 2>&1
    echo $? >"$WORK/$name.status"
  ) &
  names+=("$name")
done
wait
failed=()
for name in "${names[@]}"; do
  if [ "$(cat "$WORK/$name.status" 2>/dev/null)" = 0 ]; then
    cat "$WORK/$name.result"
  else
    cat "$WORK/$name.result" >&2
    failed+=("$name")
  fi
done
if ((${#failed[@]} > 0)); then
  echo "fuzz: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz: all targets passed"
