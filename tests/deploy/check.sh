#!/usr/bin/env bash
# Offline checks of the deploy recipes (deploy/Dockerfile, deploy/kubernetes/):
# what can be checked without pulling an image or reaching a cluster. See
# tests/deploy/check.py for the list; it needs python3 with PyYAML (Debian's
# python3-yaml) and a built BUILD_DIR/daemon/groupcached.
#
#   bash tests/deploy/check.sh [BUILD_DIR]      # default: build
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD_DIR="${1:-build}"
[[ "$BUILD_DIR" = /* ]] || BUILD_DIR="$ROOT/$BUILD_DIR"
[ -x "$BUILD_DIR/daemon/groupcached" ] || { echo "check.sh: no $BUILD_DIR/daemon/groupcached; build it first" >&2; exit 2; }
python3 -c 'import yaml' 2>/dev/null || { echo "check.sh: python3-yaml is not installed (scripts/install-deps.sh)" >&2; exit 2; }
exec python3 "$ROOT/tests/deploy/check.py" "$ROOT" "$BUILD_DIR"
