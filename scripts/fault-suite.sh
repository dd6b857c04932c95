#!/usr/bin/env bash
# The crash-and-fault suite (issue 7), run on demand: kills the shipper (SIGKILL) 50 times during a
# 20,000-event run, then the same with faults (bulk items 429, bulk 503s, connection resets
# mid-body, Mimecast 429 bursts and 5xx, an expired token), then the kills again while the data
# stream rolls over every 300 documents (issue 11), and compares what the fake Elasticsearch holds
# (all backing indices) with the source. Ends with `faults survived: N, lost: 0, duplicated: 0`;
# exits non-zero when anything was lost or duplicated.
#
#   bash scripts/fault-suite.sh                      # all three scenarios, full size (slow: real backoff)
#   bash scripts/fault-suite.sh --scenario crash     # kills only
#   bash scripts/fault-suite.sh --scenario rollover --events 3000 --kills 15   # rollover, modest size
#   bash scripts/fault-suite.sh --smoke              # the short version CI runs (FaultSuiteTests)
#   bash scripts/fault-suite.sh --seed 42            # repeat a run by the seed it printed
#
# CONFIGURATION=release builds optimised binaries (slower to build, faster to run).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-system-deps.sh >/dev/null
configuration="${CONFIGURATION:-debug}"
swift build -c "$configuration" --product mimecast-shipper
swift build -c "$configuration" --product shipper-fault-suite
bin="$(swift build -c "$configuration" --show-bin-path)"
exec "$bin/shipper-fault-suite" --shipper "$bin/mimecast-shipper" "$@"
