#!/usr/bin/env bash
# The test command: installs the dependencies, checks that every C++ file is
# formatted (.clang-format), then
#   1. builds build/ (RelWithDebInfo) and runs every test in it: unit tests,
#      multi-process integration tests and Go interoperability tests; then
#      the package test (tests/package/run.sh): consumers of the installed
#      library and of the source tree, and groupcached's .deb; then the
#      deploy recipes, offline (tests/deploy/check.sh);
#   2. builds build-asan/ (Debug) with AddressSanitizer and UndefinedBehaviorSanitizer
#      and runs the unit tests in it, and the integration tests that SIGTERM a
#      process with work in flight (label "shutdown");
#   3. builds build-tsan/ with ThreadSanitizer and runs the concurrent parts
#      there: the stress test, the group, executor, registry and transport
#      tests (DNS peer discovery and the ring header included);
#   4. builds the library and daemon library with clang -Wthread-safety as
#      errors in build-tsa/ (the GUARDED_BY/REQUIRES annotations);
#   5. builds the libFuzzer targets with clang in build-fuzz/ and runs each:
#      its committed corpus, then 15 s of fuzzing (fuzz/run.sh), one target
#      per core at a time.
# Exit status 0 iff every phase passed; the summary names the phase that
# failed. Each phase is timed. Never interactive (CI=true is honoured too).
#
#   bash scripts/test.sh
#   BUILD_DIR=b ASAN_BUILD_DIR=b-asan bash scripts/test.sh   # other build trees
#   FUZZ_SECONDS=60 bash scripts/test.sh                     # fuzz each target longer
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# Nothing here ever prompts; these keep the tools it calls from trying (CI=true
# or not): apt's debconf, git's credential prompt.
export DEBIAN_FRONTEND=noninteractive
export GIT_TERMINAL_PROMPT=0
# Two cores: more parallel jobs only thrash.
JOBS="${JOBS:-2}"
# Tests without their own TIMEOUT get this many seconds (ctest's default is
# 1500, which would let one hung test eat the whole time budget).
TEST_TIMEOUT="${TEST_TIMEOUT:-120}"
BUILD_DIR="${BUILD_DIR:-build}"
ASAN_BUILD_DIR="${ASAN_BUILD_DIR:-build-asan}"
TSAN_BUILD_DIR="${TSAN_BUILD_DIR:-build-tsan}"
TSA_BUILD_DIR="${TSA_BUILD_DIR:-build-tsa}"
FUZZ_BUILD_DIR="${FUZZ_BUILD_DIR:-build-fuzz}"
# Seconds of fuzzing per target: 11 targets x 15 s, two at a time, is about
# a minute and a half.
FUZZ_SECONDS="${FUZZ_SECONDS:-15}"

# What every tree below is built with, to keep the suite's two compiles
# short on two cores: line tables only (-g1: file and line in every
# backtrace and sanitizer report, without the variable and type records,
# which cost a third of the -O2 compile time of the Beast-heavy files), and
# lld, which links the hundred-odd test binaries in half the time of ld.bfd.
# The package phase builds with the project's own defaults. The plain tree
# also compiles its test code (never the library or the programs under test)
# with -Og: GROUPCACHE_TEST_COMPILE_OPTIONS in tests/CMakeLists.txt.
FAST_BUILD=(-DCMAKE_EXE_LINKER_FLAGS=-fuse-ld=lld -DCMAKE_SHARED_LINKER_FLAGS=-fuse-ld=lld)

SUMMARY=()
FAILED=""
START_ALL=$SECONDS

# Runs one phase: phase NAME COMMAND... Prints its duration; on failure
# records the phase and skips the phases that depend on it.
phase() {
  local name="$1"
  shift
  echo
  echo "=== phase: $name"
  local start=$SECONDS
  "$@"
  local status=$?
  local took=$((SECONDS - start))
  if ((status == 0)); then
    SUMMARY+=("$(printf 'ok    %4ds  %s' "$took" "$name")")
  else
    SUMMARY+=("$(printf 'FAIL  %4ds  %s (exit %d)' "$took" "$name" "$status")")
    FAILED+="${FAILED:+, }$name"
  fi
  echo "=== phase: $name: $( ((status == 0)) && echo ok || echo FAILED) in ${took}s"
  return "$status"
}

# Runs ctest in the tree DIR with the remaining arguments; on failure keeps,
# for the summary, the failed tests' names and their first failure lines
# (a CI log may show only its tail, which the summary is). A test that
# failed and then passed on a retry (--repeat until-pass) is named there too.
FAILED_TESTS=()
RETRIED_TESTS=()
ctest_in() {
  local dir="$1"
  shift
  local failed="$dir/Testing/Temporary/LastTestsFailed.log" log="$dir/Testing/Temporary/LastTest.log"
  rm -f "$failed" "$log"
  ctest --test-dir "$dir" "$@"
  local status=$?
  # Every test with a failed attempt, from ctest's log of this run.
  local -a attempts_failed=() finally_failed=()
  [ -f "$log" ] && mapfile -t attempts_failed < <(
    awk '/^[0-9]+\/[0-9]+ Test: / { sub(/^[0-9]+\/[0-9]+ Test: /, ""); name = $0 }
         /^Test Failed\./ { print name }' "$log" | sort -u
  )
  [ -f "$failed" ] && mapfile -t finally_failed < <(cut -d: -f2- "$failed" | sort -u)
  local name
  for name in "${attempts_failed[@]}"; do
    if [[ " ${finally_failed[*]} " != *" $name "* ]]; then RETRIED_TESTS+=("$dir: test $name"); fi
  done
  if ((status != 0)); then
    for name in "${finally_failed[@]}"; do FAILED_TESTS+=("$dir: test $name"); done
    [ -f "$log" ] && while IFS= read -r line; do FAILED_TESTS+=("    $line"); done < <(
      # Failure lines only: a looser word (Timeout) matched test names.
      grep -E -m 40 ': Failure$|^Expected|^  Actual|Which is|Value of|WARNING: ThreadSanitizer|ERROR: AddressSanitizer|runtime error:' "$log" |
        cut -c1-200
    )
  fi
  return "$status"
}

summary() {
  echo
  echo "=== summary (total $((SECONDS - START_ALL))s)"
  printf '  %s\n' "${SUMMARY[@]}"
  if ((${#RETRIED_TESTS[@]} > 0)); then
    echo "flaky: failed once, passed on the retry (each is a bug to fix):"
    printf '  %s\n' "${RETRIED_TESTS[@]}"
  fi
  if ((${#FAILED_TESTS[@]} > 0)); then
    echo "failed tests:"
    printf '  %s\n' "${FAILED_TESTS[@]}"
  fi
  if [ -n "$FAILED" ]; then
    echo "TEST: FAIL (failed: $FAILED)"
    exit 1
  fi
  echo "TEST: PASS"
  exit 0
}

phase "install dependencies" bash scripts/install-deps.sh || summary

# Every tracked C++ file as clang-format 14 would write it (a few seconds).
# To fix: clang-format -i FILE.
format_check() {
  git ls-files -z '*.cc' '*.h' | xargs -0 clang-format --dry-run -Werror
}
phase "format (clang-format --dry-run -Werror)" format_check

# Every option that decides what is tested is passed explicitly, so a tree
# configured differently by hand before is put back the way this script needs.
# The install prefix /usr is the .deb's (the package phase below); it changes
# no compiled file.
if phase "configure $BUILD_DIR (RelWithDebInfo)" \
    cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGROUPCACHE_SANITIZE= \
    "${FAST_BUILD[@]}" "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG" -DGROUPCACHE_TEST_COMPILE_OPTIONS=-Og \
    -DGROUPCACHE_BUILD_TESTS=ON -DGROUPCACHE_INTEGRATION_TESTS=ON -DGROUPCACHE_BUILD_BENCH=OFF \
    -DGROUPCACHE_BUILD_EXAMPLES=ON -DGROUPCACHE_BUILD_DAEMON=ON -DBUILD_SHARED_LIBS=OFF -DCMAKE_INSTALL_PREFIX=/usr &&
  phase "compile $BUILD_DIR" cmake --build "$BUILD_DIR" -j "$JOBS"; then
  # A failed test here runs once more (--repeat until-pass:2): the
  # integration tests drive clusters of real processes and fault injection
  # (SIGSTOP, SIGKILL, certificate rotation, dnsmasq restarts) on a shared
  # 2-core machine, where a rare scheduling stall can fail one. A test that
  # needed the retry is named in the summary as flaky; one that fails twice
  # fails the phase. The sanitizer phases below never retry: a sanitizer
  # report is a finding, whatever the timing.
  phase "ctest $BUILD_DIR (unit, integration, interop)" \
    ctest_in "$BUILD_DIR" --output-on-failure -j "$JOBS" --timeout "$TEST_TIMEOUT" --no-tests=error \
    --repeat until-pass:2
  # The library as a product (tests/package/run.sh): installs $BUILD_DIR into
  # a temporary prefix and builds and runs consumers through find_package,
  # pkg-config, add_subdirectory (shared) and FetchContent (static); then
  # builds groupcached's .deb, installs it, checks its unit with
  # systemd-analyze verify and purges it. The two subproject builds compile
  # the library unoptimised, sharing their objects through ccache.
  phase "package $BUILD_DIR (consumers, .deb)" bash tests/package/run.sh "$BUILD_DIR"
  # The deploy recipes, offline (tests/deploy/check.sh): the Kubernetes
  # manifests parse and agree, their config passes --check-config, the
  # Dockerfile's build stage is the README's commands and its runtime stage
  # has the binary's libraries, and the image's HEALTHCHECK and the drain
  # work against the built groupcached.
  phase "deploy recipes (manifests, config, Dockerfile)" bash tests/deploy/check.sh "$BUILD_DIR"
fi

# Debug (-O0, assertions on) rather than -O2: with the sanitizers, g++ -O2
# takes 5x as long on the Beast-heavy files (199 s against 37 s for
# src/http/client.cc), which more than doubled this phase, while the unit tests
# run about as fast (27 s either way).
if phase "configure $ASAN_BUILD_DIR (Debug, address,undefined)" \
    cmake -S . -B "$ASAN_BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Debug "${FAST_BUILD[@]}" -DCMAKE_CXX_FLAGS_DEBUG=-g1 \
    -DGROUPCACHE_TEST_COMPILE_OPTIONS= \
    -DGROUPCACHE_SANITIZE=address,undefined -DGROUPCACHE_BUILD_TESTS=ON \
    -DGROUPCACHE_INTEGRATION_TESTS=ON -DGROUPCACHE_BUILD_BENCH=OFF -DGROUPCACHE_BUILD_EXAMPLES=ON &&
  phase "compile $ASAN_BUILD_DIR" cmake --build "$ASAN_BUILD_DIR" -j "$JOBS"; then
  ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}" \
    UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}" \
    phase "ctest $ASAN_BUILD_DIR (unit, shutdown)" \
    ctest_in "$ASAN_BUILD_DIR" -L 'unit|shutdown' --output-on-failure -j "$JOBS" --timeout "$TEST_TIMEOUT" \
    --no-tests=error
fi

# ThreadSanitizer for the concurrent parts only: the library and the
# test binaries that exercise threads (building every target under TSan
# would add minutes for code that runs on one thread).
TSAN_TARGETS=(core_stress_test core_group_test core_group_singleflight_test core_group_peers_test
  core_group_hot_cache_test core_group_eviction_test core_singleflight_test core_clock_cache_test core_executor_test
  core_registry_test http_pool_test http_tls_test http_client_test http_server_read_test
  http_server_accept_test http_server_tls_test http_request_loop_test http_fetch_test http_dns_peers_test
  http_ring_fingerprint_test http_pool_breaker_test http_tls_reload_test http_server_tls_failure_test
  core_group_change_test core_group_expiry_test http_pool_mutations_test core_group_async_getter_test core_byte_view_test)
TSAN_TESTS='^(StressTest|GroupTest|SingleflightTest|CacheShardTest|ClockCacheTest|ThreadPoolTest|InlineExecutorTest'
TSAN_TESTS+='|GroupRegistryTest|HttpPoolTest|TlsTest|HttpClientTest|HttpServerTest|HttpServerTlsTest|RequestLoopTest'
TSAN_TESTS+='|HttpFetcher|HttpFetcherRedirectTest|HttpFetcherTlsTest|DnsPeersTest|RingHeaderTest'
TSAN_TESTS+='|PeerBreakerTest|PoolBreakerTest|TlsReloadTest|PoolTlsReloadTest|HandshakeFailureTest'
TSAN_TESTS+='|GroupChangeTest|GroupExpiryTest|ClockCacheExpiryTest|CacheShardExpiryTest|PoolMutationsTest'
TSAN_TESTS+='|GroupAsyncGetterTest|ByteViewTest)\.'
if phase "configure $TSAN_BUILD_DIR (Debug, thread)" \
    cmake -S . -B "$TSAN_BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DGROUPCACHE_SANITIZE=thread \
    "${FAST_BUILD[@]}" -DCMAKE_CXX_FLAGS_DEBUG=-g1 -DGROUPCACHE_TEST_COMPILE_OPTIONS= \
    -DGROUPCACHE_BUILD_TESTS=ON -DGROUPCACHE_INTEGRATION_TESTS=OFF -DGROUPCACHE_BUILD_BENCH=OFF \
    -DGROUPCACHE_BUILD_DAEMON=OFF &&
  phase "compile $TSAN_BUILD_DIR (${TSAN_TARGETS[*]})" \
    cmake --build "$TSAN_BUILD_DIR" -j "$JOBS" --target "${TSAN_TARGETS[@]}"; then
  TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}" \
    phase "ctest $TSAN_BUILD_DIR (concurrent parts)" \
    ctest_in "$TSAN_BUILD_DIR" --output-on-failure -j "$JOBS" --timeout "$TEST_TIMEOUT" --no-tests=error \
    -R "$TSAN_TESTS"
fi

# Clang's thread-safety analysis over the code that holds locks: the core,
# the HTTP transport and groupcached's library, built -O0 without debug
# information (the analysis runs in the front end; code generation is what
# costs here). A lock rule broken (a GUARDED_BY member touched without its
# mutex, a REQUIRES function called without it) fails the compile.
TSA_TARGETS=(groupcache_core groupcache groupcached_lib)
if phase "configure $TSA_BUILD_DIR (clang, -Wthread-safety)" \
    cmake -S . -B "$TSA_BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-O0 \
    -DCMAKE_CXX_COMPILER=clang++ -DGROUPCACHE_THREAD_SAFETY=ON -DGROUPCACHE_BUILD_TESTS=OFF \
    -DGROUPCACHE_BUILD_BENCH=OFF -DGROUPCACHE_BUILD_DAEMON=ON; then
  phase "compile $TSA_BUILD_DIR (${TSA_TARGETS[*]})" cmake --build "$TSA_BUILD_DIR" -j "$JOBS" --target "${TSA_TARGETS[@]}"
fi

# Runs fuzz/run.sh; on failure keeps, for the summary, what it said of each
# failed target and each reproducer in base64: a CI log may show only its
# tail, and the reproducer file does not outlive the CI machine. To replay
# one: base64 -d >crash <<<'...'; build-fuzz/fuzz/fuzz_TARGET crash.
fuzz_all() {
  local log="$FUZZ_BUILD_DIR/fuzz-run.log"
  FUZZ_BUILD_DIR="$FUZZ_BUILD_DIR" FUZZ_SECONDS="$FUZZ_SECONDS" bash fuzz/run.sh 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  if ((status != 0)); then
    local line artifact
    while IFS= read -r line; do FAILED_TESTS+=("$line"); done < <(
      grep -E '^fuzz: .*(FAILED|fails)|ERROR: |invariant broken|runtime error|SUMMARY: ' "$log" | cut -c1-200 | head -n 40
    )
    while IFS= read -r artifact; do
      [ -f "$artifact" ] || continue
      FAILED_TESTS+=("reproducer $artifact ($(stat -c %s "$artifact") bytes), base64:")
      FAILED_TESTS+=("    $(head -c 3072 "$artifact" | base64 -w0)")
    done < <(sed -n 's/^fuzz: [a-z_]*: reproducer \([^ ]*\) .*/\1/p' "$log")
  fi
  return "$status"
}

# libFuzzer (docs/fuzzing.md): a clang tree holding only the fuzz targets and
# the sources they exercise. fuzz/run.sh replays each target's committed
# corpus, then fuzzes it for FUZZ_SECONDS on a fresh copy of the corpus, and
# fails on any crash, leak, timeout or sanitizer report, naming the
# reproducer.
if phase "configure $FUZZ_BUILD_DIR (clang, libFuzzer)" \
    cmake -S . -B "$FUZZ_BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
    -DGROUPCACHE_BUILD_FUZZ=ON &&
  phase "compile $FUZZ_BUILD_DIR" cmake --build "$FUZZ_BUILD_DIR" -j "$JOBS"; then
  phase "fuzz $FUZZ_BUILD_DIR (corpus, then ${FUZZ_SECONDS}s per target)" fuzz_all
fi

summary
