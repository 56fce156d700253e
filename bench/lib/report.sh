# shellcheck shell=bash
# Sourced by bench/compare: what it records about the machine, and the
# table, chart and docs/benchmarks.md section it writes from rounds.tsv.
# bench/proxies uses write_env_file and the docs section helpers.

DOCS_FILE_REL=docs/benchmarks.md
DOCS_BEGIN='<!-- bench/compare: latest results begin -->'
DOCS_END='<!-- bench/compare: latest results end -->'

# The machine, the tools and the source the numbers come from.
write_env_file() {
  local commit
  commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
  if [[ -n $(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null) ]]; then
    commit+=" with local changes"
  fi
  {
    printf 'date: %s\n' "$(date '+%Y-%m-%d %H:%M %Z')"
    printf 'command: %s\n' "$COMMAND"
    printf 'commit: %s\n' "$commit"
    printf 'cpu: %s, %s CPUs\n' "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)" "$CPUS"
    printf 'kernel: %s\n' "$(uname -sr)"
    printf 'go: %s\n' "$(go version 2>/dev/null | awk '{ print $3 }')"
    printf 'wrk: %s\n' "$({ wrk -v 2>&1 || true; } | awk 'NR == 1 { print $2 }')"
    printf 'nginx: %s\n' "$("$NGINX" -v 2>&1 | sed 's|.*nginx/||')"
    printf 'compiler: %s\n' "$(awk -F= '/^CMAKE_CXX_COMPILER:/ { print $2 }' "$BUILD_DIR/CMakeCache.txt" 2>/dev/null |
      xargs -r -I{} sh -c '{} --version | head -n 1')"
    printf 'server cpu: %s, wrk cpu: %s, connections: %s, duration: %s s, warm-up: %s s\n' \
      "$SERVER_CPU" "$CLIENT_CPU" "$CONNECTIONS" "$DURATION" "$WARMUP"
    printf 'load average at the start: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
  } >"$1"
}

write_report() {
  awk -v plotfile="$OUT/chart.tsv" -f "$LIB/median.awk" -f "$LIB/summarize.awk" "$ROUNDS_TSV" >"$OUT/table.md" ||
    die "summarizing $ROUNDS_TSV failed"
  local subtitle
  subtitle="median of $ROUNDS round(s), $DURATION s each, wrk -t1 -c$CONNECTIONS; $(date +%Y-%m-%d)"
  gnuplot -e "datafile='$OUT/chart.tsv'; outfile='$OUT/chart.png'; subtitle='$subtitle'" \
    "$LIB/plot.gp" 2>"$OUT/gnuplot.log" || die "gnuplot failed: see $OUT/gnuplot.log"
  [[ -s $OUT/chart.png ]] || die "gnuplot wrote no chart: see $OUT/gnuplot.log"

  echo
  echo "Median of $ROUNDS round(s); server on CPU $SERVER_CPU, wrk -t1 -c$CONNECTIONS -d${DURATION}s on CPU $CLIENT_CPU."
  echo
  cat "$OUT/table.md"
  echo
  echo "Raw rounds: ${ROUNDS_TSV#"$ROOT"/}; chart: ${OUT#"$ROOT"/}/chart.png"

  if ((UPDATE_DOCS)); then
    update_docs
  else
    log "docs/benchmarks.md left as it is (UPDATE_DOCS=0, or fewer than 3 rounds)"
  fi
}

# Rewrites the section of docs/benchmarks.md between the two markers and
# copies the chart to docs/benchmarks.png.
update_docs() {
  local docs="$ROOT/$DOCS_FILE_REL" section="$OUT/docs-section.md"
  check_docs_markers "$docs" "$DOCS_BEGIN" "$DOCS_END"
  {
    echo "Measured $(sed -n 's/^date: //p' "$OUT/env.txt") with:"
    echo
    echo '```sh'
    echo "$COMMAND"
    echo '```'
    echo
    echo "Median of $ROUNDS rounds of $DURATION s (each after a ${WARMUP} s warm-up); servers on CPU $SERVER_CPU," \
      "\`wrk -t1 -c$CONNECTIONS\` on CPU $CLIENT_CPU; loads do $LOAD_WORK rounds of work each" \
      "on values of $LOAD_VALUE_SIZE bytes."
    echo
    cat "$OUT/table.md"
    echo
    echo '![Requests/s, p99 latency, requests per CPU-second and the C++/Go ratios per scenario and value size, nginx as the ceiling](benchmarks.png)'
    echo
    echo "The machine and tools:"
    echo
    sed -n '/^commit:/,$p' "$OUT/env.txt" | grep -v '^server cpu:' | sed 's/^/- /'
    echo
    echo "Every round is in [benchmarks-rounds.tsv](benchmarks-rounds.tsv) (a copy of" \
      "\`${ROUNDS_TSV#"$ROOT"/}\`, which is not committed)."
  } >"$section"
  replace_docs_section "$docs" "$DOCS_BEGIN" "$DOCS_END" "$section"
  cp "$OUT/chart.png" "$ROOT/docs/benchmarks.png"
  cp "$ROUNDS_TSV" "$ROOT/docs/benchmarks-rounds.tsv"
  log "updated $DOCS_FILE_REL and docs/benchmarks.png"
}

# check_docs_markers FILE BEGIN END: fails unless FILE has both marker lines.
check_docs_markers() {
  [[ -f $1 ]] || die "${1#"$ROOT"/} is missing"
  { grep -qxF "$2" "$1" && grep -qxF "$3" "$1"; } ||
    die "${1#"$ROOT"/} lacks the marker lines '$2' and '$3'"
}

# replace_docs_section FILE BEGIN END SECTION_FILE: replaces what lies between
# the marker lines BEGIN and END of FILE with the contents of SECTION_FILE.
replace_docs_section() {
  awk -v begin="$2" -v end="$3" -v section="$4" '
    $0 == begin { print; while ((getline line < section) > 0) print line; skipping = 1; next }
    $0 == end { skipping = 0 }
    !skipping { print }' "$1" >"$1.tmp" && mv "$1.tmp" "$1"
}
