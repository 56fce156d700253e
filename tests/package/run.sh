#!/usr/bin/env bash
# The package test: proves that groupcache can be used from another project
# and that groupcached installs as a Debian package.
#
#   bash tests/package/run.sh BUILD_DIR
#
# BUILD_DIR is a built tree of this checkout (static library, groupcached),
# configured with -DCMAKE_INSTALL_PREFIX=/usr for the .deb step. Steps:
#   1. cmake --install BUILD_DIR into a temporary prefix (no compile);
#   2. find_package: tests/package/find_package builds peers (groupcache::
#      groupcache) and core_only (groupcache::core) and runs them;
#   3. pkg-config: g++ builds peers with `pkg-config --static groupcache`;
#   4. add_subdirectory: tests/package/subproject builds the library as a
#      shared subproject beside its own target kv, runs it, and checks with
#      nm -D that the .so exports the API and nothing from src/;
#   5. FetchContent: the same project, library static;
#   6. .deb: cpack builds groupcached's package, dpkg -i installs it,
#      systemd-analyze verify checks the installed unit, groupcached --version
#      runs, dpkg -P removes it (as root only; skipped with a note otherwise).
# Steps 4 and 5 compile the library without optimisation (no build type), and
# with ccache when it is installed they share their objects. Every consumer
# program uses the public headers only; `peers` fetches a key from a second
# node over HTTP on 127.0.0.1. Exits 0 iff every step passed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD_DIR="$(cd "${1:?usage: tests/package/run.sh BUILD_DIR}" && pwd)"
JOBS="${JOBS:-2}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/groupcache-package.XXXXXX")"
DEB_INSTALLED=""
cleanup() {
  if [ -n "$DEB_INSTALLED" ]; then dpkg -P groupcached >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

step() { echo "--- package: $*"; }
die() {
  echo "package: FAIL: $*" >&2
  exit 1
}
# Runs a consumer program and checks its one line of output against a pattern.
check_output() {
  local program="$1" pattern="$2" out
  out="$("$program")" || die "$program exited with status $?"
  echo "    $(basename "$program"): $out"
  [[ $out =~ $pattern ]] || die "$program printed '$out', expected /$pattern/"
}
PEERS_OK='^OK key-[0-9]+=key-[0-9]+@b peer_loads=1 peer_local_loads=1$'
CORE_OK='^OK red=#FF0000 loads=1 cache_hits=1$'

GENERATOR=(-G Ninja)
LAUNCHER=()
if command -v ccache >/dev/null; then
  LAUNCHER=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  # Paths below the checkout are hashed relative to the build directory, and
  # the two subproject trees are at the same depth, so they share objects.
  export CCACHE_BASEDIR="$ROOT" CCACHE_NOHASHDIR=1
fi

step "1. cmake --install $BUILD_DIR --prefix $WORK/prefix --component dev"
cmake --install "$BUILD_DIR" --prefix "$WORK/prefix" --component dev >"$WORK/install.log" ||
  die "install failed: $(tail -5 "$WORK/install.log")"
PC_DIR="$(dirname "$(find "$WORK/prefix" -name groupcache.pc)")"
[ -f "$PC_DIR/groupcache.pc" ] || die "no groupcache.pc installed"
if find "$WORK/prefix" -path '*/bin/*' | grep -q .; then die "the dev component installed a program"; fi

step "2. find_package(groupcache)"
cmake -S "$ROOT/tests/package/find_package" -B "$WORK/find_package" "${GENERATOR[@]}" \
  -DCMAKE_PREFIX_PATH="$WORK/prefix" >"$WORK/fp.log" ||
  die "find_package consumer: configure failed: $(tail -20 "$WORK/fp.log")"
cmake --build "$WORK/find_package" -j "$JOBS" >>"$WORK/fp.log" ||
  die "find_package consumer: build failed: $(tail -30 "$WORK/fp.log")"
check_output "$WORK/find_package/peers" "$PEERS_OK"
check_output "$WORK/find_package/core_only" "$CORE_OK"

step "3. pkg-config groupcache"
mkdir -p "$WORK/pkg-config"
export PKG_CONFIG_PATH="$PC_DIR"
echo "    pkg-config --static --cflags --libs groupcache: $(pkg-config --static --cflags --libs groupcache)"
# shellcheck disable=SC2046 # the flags are words
g++ -std=c++20 "$ROOT/tests/package/consumer/peers.cc" -o "$WORK/pkg-config/peers" \
  $(pkg-config --static --cflags --libs groupcache) || die "pkg-config consumer: build failed"
check_output "$WORK/pkg-config/peers" "$PEERS_OK"
unset PKG_CONFIG_PATH

# Configures, builds and runs the subproject consumer: subproject NAME ARGS...
subproject() {
  local name="$1"
  shift
  cmake -S "$ROOT/tests/package/subproject" -B "$WORK/$name" "${GENERATOR[@]}" "${LAUNCHER[@]}" \
    -DGROUPCACHE_SOURCE_DIR="$ROOT" "$@" >"$WORK/$name.log" 2>&1 ||
    die "$name consumer: configure failed: $(tail -20 "$WORK/$name.log")"
  cmake --build "$WORK/$name" -j "$JOBS" >>"$WORK/$name.log" 2>&1 ||
    die "$name consumer: build failed: $(grep -m5 -A5 'error' "$WORK/$name.log")"
  check_output "$WORK/$name/kv" "$PEERS_OK"
  check_output "$WORK/$name/core_only" "$CORE_OK"
}

step "4. add_subdirectory, BUILD_SHARED_LIBS=ON, beside the consumer's own kv"
subproject add_subdirectory -DGROUPCACHE_VIA=add_subdirectory -DBUILD_SHARED_LIBS=ON
LIB="$WORK/add_subdirectory/groupcache/libgroupcache.so"
CORE_LIB="$WORK/add_subdirectory/groupcache/libgroupcache_core.so"
if [ ! -f "$LIB" ] || [ ! -f "$CORE_LIB" ]; then die "no shared libraries in $WORK/add_subdirectory/groupcache"; fi
ldd "$WORK/add_subdirectory/kv" | grep -q 'libgroupcache\.so' || die "kv is not linked with libgroupcache.so"
exports="$(nm -DC --defined-only "$LIB" "$CORE_LIB")"
for symbol in 'groupcache::GroupRegistry::NewGroup' 'groupcache::HttpPool::Create' 'groupcache::Group::Get' \
  'groupcache::ParsePeerUrl'; do
  grep -qF "$symbol" <<<"$exports" || die "the shared library does not export $symbol"
done
# Nothing from src/ (the caches, the group's core, the transport's
# implementation) and no Boost or standard library instance is defined.
private='^[0-9a-f]+ [A-Za-z] ([a-zA-Z -]+ (for|to) )?(groupcache::internal::'
private+='(ClockCache|CacheShard|GroupCore|HttpServerImpl|HttpPoolImpl|RuntimeImpl'
private+='|ThreadPoolImpl|GroupRegistryImpl)|boost::|std::)'
if grep -E "$private" <<<"$exports" | head -3 | grep .; then
  die "the shared library exports symbols from src/, Boost or std (above)"
fi
echo "    $(grep -c . <<<"$exports") symbols exported, none from src/"

step "5. FetchContent, static"
subproject FetchContent -DGROUPCACHE_VIA=FetchContent -DCMAKE_POSITION_INDEPENDENT_CODE=ON
[ -f "$WORK/FetchContent/_deps/groupcache-build/libgroupcache.a" ] || die "FetchContent built no static library"

step "6. the groupcached .deb"
if [ "$(id -u)" != 0 ] || ! command -v dpkg >/dev/null; then
  echo "    skipped: needs root and dpkg"
  echo "package: PASS (without the .deb step)"
  exit 0
fi
if dpkg-query -W -f='${Status}' groupcached 2>/dev/null | grep -q 'install ok'; then
  die "a groupcached package is installed already; not replacing it"
fi
cpack --config "$BUILD_DIR/CPackConfig.cmake" -G DEB -B "$WORK/deb" >"$WORK/cpack.log" 2>&1 ||
  die "cpack failed: $(tail -20 "$WORK/cpack.log")"
DEB="$(ls "$WORK"/deb/groupcached_*.deb)"
echo "    $(basename "$DEB"): Depends: $(dpkg-deb -f "$DEB" Depends)"
DEB_INSTALLED=1
dpkg -i "$DEB" >"$WORK/dpkg.log" 2>&1 || die "dpkg -i failed: $(cat "$WORK/dpkg.log")"
UNIT="$(dpkg -L groupcached | grep '/groupcached\.service$')" || die "the package has no groupcached.service"
grep -q '^ExecStart=/usr/bin/groupcached ' "$UNIT" || die "$UNIT does not run /usr/bin/groupcached"
for file in /usr/bin/groupcached /usr/share/man/man8/groupcached.8 \
  /usr/share/doc/groupcached/groupcached.example.toml /usr/share/doc/groupcached/configuration.md; do
  dpkg -L groupcached | grep -qx "$file" || die "the package does not install $file"
done
systemd-analyze verify "$UNIT" || die "systemd-analyze verify $UNIT failed"
echo "    systemd-analyze verify $UNIT: ok"
/usr/bin/groupcached --version | grep -q '^groupcached ' || die "the installed groupcached --version failed"
if command -v man >/dev/null; then
  man -l /usr/share/man/man8/groupcached.8 >/dev/null 2>&1 || die "man cannot read groupcached(8)"
fi
dpkg -P groupcached >/dev/null || die "dpkg -P groupcached failed"
DEB_INSTALLED=""
[ ! -e /usr/bin/groupcached ] || die "dpkg -P left /usr/bin/groupcached"
echo "    installed, verified and purged"
echo "package: PASS"
