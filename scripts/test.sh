#!/usr/bin/env bash
# Runs the whole test suite: installs what the build needs, builds, and runs every test target.
# Every test server listens on 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-system-deps.sh
# The rule-schema tests validate kibana/rules/ with Python's jsonschema (an oracle we did not write).
python3 -c 'import jsonschema' 2>/dev/null || python3 -m pip install --quiet jsonschema
swift build --build-tests
swift test "$@"
