#!/usr/bin/env bash
# Runs the main job on the embedded default: a dry run over the bundled synthetic sample of
# Mimecast API responses. No credentials needed; ECS documents on stdout, one per line, logs and
# the pass summary on stderr. Extra arguments go to `run` (e.g. --no-original).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-system-deps.sh
swift build --product mimecast-shipper >&2
exec "$(swift build --show-bin-path)/mimecast-shipper" run --dry-run --sample "$@"
