#!/usr/bin/env bash
# Runs the main job on the embedded default, with no credentials (until the job exists: --help).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-system-deps.sh
swift build --product mimecast-shipper >&2
exec "$(swift build --show-bin-path)/mimecast-shipper" --help
