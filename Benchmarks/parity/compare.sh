#!/usr/bin/env bash
# Compares the dry-run output of two builds of mimecast-shipper on the same randomly edited events
# (Benchmarks/parity/mutated-events.py): a change meant only to make the mapper faster must leave
# every document byte for byte as it was. `event.created` and the read-time `@timestamp` of
# pipeline-error documents are the only fields that may differ, and are blanked before comparing.
#
#   bash Benchmarks/parity/compare.sh [--pages] OLD_BINARY NEW_BINARY [SEED] [COUNT]    # default seed 18, 30000 events
#
# With --pages, the events that are JSON objects are given to OLD one per line and to NEW inside
# API response pages of 500 (Benchmarks/parity/as-pages.py): an event cut out of a page, whose
# members the page's scan found, must map exactly as the same event read alone.
set -euo pipefail
pages=0
if [ "${1:-}" = --pages ]; then pages=1; shift; fi
[ $# -ge 2 ] || { echo "usage: compare.sh [--pages] OLD_BINARY NEW_BINARY [SEED] [COUNT]" >&2; exit 64; }
old="$1" new="$2" seed="${3:-18}" count="${4:-30000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 "$(dirname "$0")/mutated-events.py" "$seed" "$count" > "$work/events.ndjson"
cp "$work/events.ndjson" "$work/input-old.ndjson"
cp "$work/events.ndjson" "$work/input-new.ndjson"
if [ "$pages" = 1 ]; then
    python3 "$(dirname "$0")/as-pages.py" "$work/events.ndjson" "$work/input-old.ndjson" "$work/input-new.ndjson"
fi
for side in old new; do
    binary="$old"
    [ "$side" = new ] && binary="$new"
    "$binary" run --replay "$work/input-$side.ndjson" --dry-run --state-dir "$work/state-$side" 2>"$work/$side.err" \
        | sed -E 's/"created":"[^"]*"/"created":"X"/; /pipeline_error/ s/^\{"@timestamp":"[^"]*"/{"@timestamp":"R"/' \
        > "$work/$side.ndjson"
done
documents="$(wc -l < "$work/new.ndjson")"
errors="$(grep -c '"kind":"pipeline_error"' "$work/new.ndjson" || true)"
if cmp -s "$work/old.ndjson" "$work/new.ndjson"; then
    echo "identical: $documents documents ($errors pipeline errors) from $count events, seed $seed"
else
    echo "DIFFERENT (seed $seed); first differing document:" >&2
    set +o pipefail # head closes the pipe early
    diff <(tr -d '\r' < "$work/old.ndjson") <(tr -d '\r' < "$work/new.ndjson") | head -4 | cut -c1-400 >&2
    exit 1
fi
