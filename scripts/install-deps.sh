#!/usr/bin/env bash
# Installs the Debian bookworm packages needed to build, test and benchmark
# groupcache for C++, and to build the Go groupcache it is compared against.
#
#   bash scripts/install-deps.sh        # as root (or with sudo available)
#
# Idempotent: packages already installed are skipped, and apt-get (including
# `apt-get update`) runs only when something is missing.
set -euo pipefail

PACKAGES=(
  build-essential g++ cmake ninja-build pkg-config
  # Boost 1.81 alone: libboost1.81-dev conflicts with libboost-dev (1.74).
  libboost1.81-dev
  # Boost.URL's compiled library (redirects in src/http/fetch_url.cc).
  libboost-url1.81-dev
  libssl-dev zlib1g-dev libprotobuf-dev protobuf-compiler
  libtoml11-dev libcli11-dev libspdlog-dev libfmt-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  # The fuzz targets (fuzz/): clang 14 and its runtimes (libFuzzer, ASan, UBSan);
  # clang also runs the thread-safety analysis. clang-format checks the format,
  # clang-tidy is for CONTRIBUTING.md's optional check.
  clang libclang-rt-14-dev clang-format clang-tidy
  # lld links the test trees (scripts/test.sh), twice as fast as ld.bfd.
  lld
  # The Go reference implementation (interoperability tests, benchmarks).
  golang-go golang-github-golang-groupcache-dev
  curl wrk git ca-certificates
  # The package test (tests/package/run.sh): ccache shares the objects of its
  # two subproject builds; systemd-analyze verifies the .deb's unit.
  ccache systemd
  # DNS peer discovery (src/http/dns_peers.cc): c-ares resolves on the event
  # loops; its tests answer from a real dnsmasq on 127.0.0.1.
  libc-ares-dev dnsmasq
  # groupcached's postgres source links libpq; its tests run a PostgreSQL 15 server
  # of their own (initdb and postgres from /usr/lib/postgresql/15/bin).
  libpq-dev postgresql-15
  # The deploy check (tests/deploy/check.sh) parses the Kubernetes manifests
  # with PyYAML; openssl makes its certificates (scripts/dev-ca.sh).
  python3 python3-yaml openssl
  # The status page's browser test (groupcached_status_browser_test.cc) opens
  # /status in headless chromium and keeps a screenshot.
  chromium
)

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

missing=()
for package in "${PACKAGES[@]}"; do
  installed "$package" || missing+=("$package")
done
# groupcache-dev needs a github.com/golang/protobuf runtime; the 1.3 and 1.5
# packages conflict, so keep 1.5 if it is already there, else install 1.3.
if ! installed golang-github-golang-protobuf-1-5-dev && ! installed golang-github-golang-protobuf-1-3-dev; then
  missing+=(golang-github-golang-protobuf-1-3-dev)
fi

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#PACKAGES[@]} packages already installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: run as root to install: ${missing[*]}" >&2; exit 1; }
  SUDO="sudo"
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
