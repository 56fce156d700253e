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
)

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
command -v llvm-symbolizer >/dev/null && export ASAN_SYMBOLIZER_PATH="${ASAN_SYMBOLIZER_PATH:-$(command -v llvm-symbolizer)}"

selected=("$@")
failed=()
for entry in "${TARGETS[@]}"; do
  read -r name max_len dict <<<"$entry"
  if ((${#selected[@]} > 0)) && [[ ! " ${selected[*]} " == *" $name "* ]]; then continue; fi
  binary="$BUILD/fuzz/fuzz_$name"
  if [ ! -x "$binary" ]; then
    echo "fuzz: $binary is missing (build the fuzz tree first: docs/fuzzing.md)" >&2
    failed+=("$name (not built)")
    continue
  fi
  dir="$WORK/$name"
  rm -rf "$dir"
  mkdir -p "$dir/corpus" "$dir/artifacts"
  cp "fuzz/corpus/$name"/* "$dir/corpus/"
  flags=(-max_len="$max_len" -timeout="$TIMEOUT" -rss_limit_mb="$RSS_MB" -artifact_prefix="$dir/artifacts/"
         -print_final_stats=1)
  [ "$dict" != - ] && flags+=(-dict="fuzz/dict/$dict")

  # Replay: every committed input once (a regression input that crashes
  # again fails here, before any fuzzing).
  if ! "$binary" "${flags[@]}" -runs=0 "$dir/corpus" >"$dir/replay.log" 2>&1; then
    echo "fuzz: $name: the committed corpus fails; log $dir/replay.log" >&2
    tail -n 30 "$dir/replay.log" >&2
    # libFuzzer stops at the first failure: name every input that fails.
    for input in "fuzz/corpus/$name"/*; do
      "$binary" "${flags[@]}" "$input" >/dev/null 2>&1 || echo "fuzz: $name: fails: $input" >&2
    done
    failed+=("$name (corpus replay)")
    continue
  fi
  "$binary" "${flags[@]}" -max_total_time="$SECONDS_PER_TARGET" "$dir/corpus" >"$dir/fuzz.log" 2>&1
  status=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/fuzz.log" | tail -n 1)
  if ((status != 0)); then
    echo "fuzz: $name FAILED (exit $status) after ${execs:-?} runs; log $dir/fuzz.log" >&2
    grep -E "ERROR: |invariant broken|runtime error|SUMMARY" "$dir/fuzz.log" | head -n 5 >&2
    tail -n 40 "$dir/fuzz.log" >&2
    for artifact in "$dir/artifacts"/*; do
      [ -e "$artifact" ] && echo "fuzz: $name: reproducer $artifact (run: $binary $artifact)" >&2
    done
    failed+=("$name")
  else
    echo "fuzz: $name ok: ${execs:-?} runs in ${SECONDS_PER_TARGET}s, corpus $(ls "$dir/corpus" | wc -l) inputs"
  fi
done

if ((${#failed[@]} > 0)); then
  echo "fuzz: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz: all targets passed"
