# shellcheck shell=bash
# Sourced by bench/compare and bench/proxies: installs the tools and builds
# the servers.
# Expects ROOT (the repository), BUILD_DIR and the log/die helpers of
# common.sh.

# The Debian packages the comparison needs beyond the project's build deps.
BENCH_PACKAGES=(
  golang-go golang-github-golang-groupcache-dev
  wrk gnuplot-nox util-linux procps curl
)

package_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

# Installs whatever is missing of BENCH_PACKAGES (a script may add its own),
# and nothing when all is there (no apt-get update either). Needs root only
# when something must be installed.
install_bench_deps() {
  if [[ -x "$ROOT/scripts/install-deps.sh" || -f "$ROOT/scripts/install-deps.sh" ]]; then
    bash "$ROOT/scripts/install-deps.sh" || die "scripts/install-deps.sh failed"
  fi
  local missing=() package
  for package in "${BENCH_PACKAGES[@]}"; do
    package_installed "$package" || missing+=("$package")
  done
  # groupcache-dev needs a golang/protobuf runtime; the 1.3 and 1.5 packages
  # conflict, so keep 1.5 where it is installed, else install 1.3.
  if ! package_installed golang-github-golang-protobuf-1-5-dev &&
     ! package_installed golang-github-golang-protobuf-1-3-dev; then
    missing+=(golang-github-golang-protobuf-1-3-dev)
  fi
  # Any nginx flavour will do (nginx, nginx-light, nginx-full, ...).
  command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || missing+=(nginx)
  if ((${#missing[@]} == 0)); then
    log "dependencies: all installed"
    return
  fi
  [[ $(id -u) == 0 ]] || die "run as root to install: ${missing[*]}"
  log "dependencies: installing ${missing[*]}"
  # A freshly installed nginx (or varnish) must not start its default site
  # (port 80, 6081) as a service: where no policy-rc.d forbids service
  # starts, add one for the duration of the install.
  local policy=/usr/sbin/policy-rc.d added_policy=0
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && added_policy=1
  fi
  local status=0 apt_log
  apt_log=$(mktemp "/tmp/bench-$BENCH_NAME-apt.XXXXXX")
  {
    DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  } >"$apt_log" 2>&1 || status=$?
  ((added_policy)) && rm -f "$policy"
  if ((status != 0)); then
    tail -n 20 "$apt_log" >&2
    die "apt-get install ${missing[*]} failed (status $status); full output in $apt_log"
  fi
  rm -f "$apt_log"
}

# build_release TARGET BINARY LOG_NAME: builds TARGET in Release mode into
# $BUILD_DIR (one tree for kv and groupcached) and fails unless BINARY (a path
# inside it) is there afterwards; cmake's output goes to $BUILD_DIR/LOG_NAME.
build_release() {
  local target=$1 binary=$2 build_log="$BUILD_DIR/$3"
  log "building $target (Release) in ${BUILD_DIR#"$ROOT"/}"
  mkdir -p "$BUILD_DIR"
  cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DGROUPCACHE_BUILD_TESTS=OFF >"$build_log" 2>&1 ||
    die "cmake configure failed: see $build_log"
  cmake --build "$BUILD_DIR" --target "$target" >>"$build_log" 2>&1 ||
    die "building $target failed: see $build_log"
  [[ -x $BUILD_DIR/$binary ]] || die "no $binary in $BUILD_DIR after the build"
}

# The C++ kv, for bench/compare.
build_cpp_kv() {
  build_release groupcache_kv kv bench-compare-build.log
  CPP_KV="$BUILD_DIR/kv"
}

# groupcached, for bench/proxies.
build_groupcached() {
  build_release groupcached daemon/groupcached bench-proxies-build.log
  # shellcheck disable=SC2034  # read by bench/proxies
  GROUPCACHED="$BUILD_DIR/daemon/groupcached"
}

# Builds the project's Go peer (tests/integration/go/gcpeer) from Debian's
# groupcache source, offline, the way tests/integration/CMakeLists.txt does:
# GOPATH mode, no modules, no proxy, the Go build cache in the build tree.
build_go_peer() {
  local out="$BUILD_DIR/bench-go"
  local src="$out/gopath/src/gcpeer"
  log "building the Go peer gcpeer in ${out#"$ROOT"/}"
  mkdir -p "$src"
  cp "$ROOT/tests/integration/go/gcpeer/main.go" "$src/main.go"
  (cd "$src" && env GO111MODULE=off GOPATH="$out/gopath:/usr/share/gocode" GOPROXY=off GOFLAGS= \
    CGO_ENABLED=0 GOCACHE="$BUILD_DIR/.gocache" go build -o "$out/gcpeer" .) >"$out/build.log" 2>&1 ||
    die "building gcpeer failed: see $out/build.log"
  GO_PEER="$out/gcpeer"
}

# Fails unless both servers have the -work flag the loads scenario needs.
check_work_flag() {
  local bin
  for bin in "$CPP_KV" "$GO_PEER"; do
    { "$bin" -help 2>&1 || true; } | grep -q -- '-work' ||
      die "$(basename "$bin") has no -work flag (rounds of fixed CPU work per load), which the loads scenario needs: $bin"
  done
}
