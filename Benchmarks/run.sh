#!/usr/bin/env bash
# Benchmarks mimecast-shipper against the Python script a user would otherwise write.
#
#   bash Benchmarks/run.sh                      # 10k, 100k and 1M events (about 10 minutes)
#   bash Benchmarks/run.sh 10000 --repeat 3     # sizes and any shipper-bench option
#
# Sets up what it needs: a venv in Benchmarks/.venv with requests and elasticsearch from PyPI, the
# small C launcher that measures each run (cc), and release builds of mimecast-shipper and the
# harness. Prints one Markdown table and saves the raw results in Benchmarks/results/.
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

swift build -c release --product mimecast-shipper
swift build -c release --product shipper-bench

# Sizes default to 10000 100000 1000000 (the harness's own default).
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
exec "$(swift build -c release --show-bin-path)/shipper-bench" "$@"
