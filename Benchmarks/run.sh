#!/usr/bin/env bash
# Benchmarks mimecast-shipper against the Python scripts a user would otherwise write.
#
#   bash Benchmarks/run.sh                      # 10k, 100k and 1M events (about 15 minutes)
#   bash Benchmarks/run.sh 10000 --repeat 3     # sizes and any shipper-bench option
#
# Measures four tools over the same fakes and events: the shipper with its default gzip, the
# shipper with compression off (MIMECAST_SHIPPER_GZIP_LEVEL=0, the same work as the peers), the
# Python peer (python/peer.py) and the minimal Python peer (python/peer_minimal.py); and the cold
# start → first request of curl against the same fake, the floor for the shipper's start.
# Sets up what it needs: a venv in Benchmarks/.venv with requests and elasticsearch from PyPI, the
# small C launcher that measures each run (cc), and release builds of mimecast-shipper (the
# statically linked Swift runtime of scripts/build-release.sh, as shipped) and the harness.
# BENCH_SCRATCH_PATH picks the build directory (default .build). Prints one Markdown table and
# saves the raw results in Benchmarks/results/.
set -euo pipefail

benchmarks="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
package="$(dirname "$benchmarks")"
cd "$package"

if [ ! -x Benchmarks/.venv/bin/python ]; then
    python3 -m venv Benchmarks/.venv
fi
Benchmarks/.venv/bin/pip install --quiet --disable-pip-version-check requests elasticsearch

mkdir -p Benchmarks/.build
cc -O2 -Wall -o Benchmarks/.build/bench-launch Benchmarks/launcher/bench-launch.c

scratch="${BENCH_SCRATCH_PATH:-.build}"
# --static-swift-stdlib for both, as scripts/build-release.sh builds the shipped binary (the same
# flags keep one build of the shared modules).
swift build -c release --scratch-path "$scratch" --static-swift-stdlib --product mimecast-shipper
swift build -c release --scratch-path "$scratch" --static-swift-stdlib --product shipper-bench
bin="$(swift build -c release --scratch-path "$scratch" --show-bin-path)"

# Sizes default to 10000 100000 1000000 (the harness's own default).
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
exec "$bin/shipper-bench" --shipper "$bin/mimecast-shipper" "$@"
