#!/usr/bin/env bash
# Runs the whole test suite: installs what the build needs, builds, and runs every test target.
# Every test server listens on 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-system-deps.sh
swift build --build-tests
swift test "$@"
