#!/usr/bin/env bash
# Mutation check: applies deliberate bugs one at a time to a temporary copy of the repository
# (never to this checkout), rebuilds it incrementally and runs the tests that should catch each
# bug. A mutant "survives" when those tests still pass: then the suite cannot see that bug.
#
#   scripts/mutants.sh            # every mutant; exit 1 if any survives
#   scripts/mutants.sh zero-backoff id-not-from-mimecast-id
#
# The copy lives in ${MUTANTS_DIR:-${TMPDIR:-/tmp}/mimecast-shipper-mutants}; its first build is a
# full one (long on a small machine), later runs rebuild only what a mutant touches. Builds run
# under `nice`; a test run longer than MUTANT_TEST_TIMEOUT seconds (default 600) counts as caught
# (the tests hang on the bug). Not part of CI.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
work="${MUTANTS_DIR:-${TMPDIR:-/tmp}/mimecast-shipper-mutants}"
log="$work/logs"

# name | file | exact text to replace | replacement | test filter (swift test --filter regex)
mutants=(
  "zero-backoff|Sources/Mimecast/MimecastExchange.swift|let delay = configuration.backoff.delay(attempt: failures, unit: jitter())|let delay = Duration.zero|MimecastRetryTests"
  "checkpoint-before-slice-settles|Sources/Pipeline/ShipperJob.swift|            if page.endsSlice {
                try await flush()|            if page.endsSlice {|ShipperJobTests"
  "409-counted-as-failure|Sources/Elasticsearch/BulkClassification.swift|case 409: .duplicate|case 409: .permanent|BulkIndexerTests|BulkProtocolTests|SinkScenarios"
  "id-not-from-mimecast-id|Sources/ECS/ECSMapper.swift|DocumentID.forMimecastID(utf8: \$0, numeric: record.idIsNumber)|DocumentID.forContent(event.bytes.isEmpty ? Array(\$0) : event.bytes)|GoldenEventTests|MapperBehaviourTests"
  "checkpoint-before-batch-in-flight-settles|Sources/Pipeline/ShipperJob.swift|            if page.endsSlice {
                try await flush()
                try await settle()|            if page.endsSlice {
                try await flush()|ShipWhileMappingTests"
  "clean-bulk-answer-misread|Sources/Elasticsearch/CleanBulkResponse.swift|status = status * 10 + Int(bytes[cursor] - UInt8(ascii: \"0\"))|status = 201|CleanBulkResponseTests"
  "source-ip-unvalidated|Sources/ECS/IPTokens.swift|if IPAddress.isValid(token) { return token.range }|return token.range|ECSTests"
)

selected=("$@")
wanted() {
    [[ ${#selected[@]} -eq 0 ]] && return 0
    local name
    for name in "${selected[@]}"; do [[ "$name" == "$1" ]] && return 0; done
    return 1
}

mkdir -p "$work/src" "$log"
echo "mutants: copying $root to $work/src (sources; dependency checkouts reused)"
# Fresh sources every run; the copy's own .build stays, so later runs build incrementally.
find "$work/src" -mindepth 1 -maxdepth 1 ! -name .build -exec rm -rf {} +
tar -C "$root" --exclude='./.build' --exclude='./.git' --exclude='./Fuzz/.build' -cf - . | tar -C "$work/src" -xpf -
if [[ -d "$root/.build" && ! -d "$work/src/.build/checkouts" ]]; then
    mkdir -p "$work/src/.build"
    for part in checkouts repositories workspace-state.json; do
        [[ -e "$root/.build/$part" ]] && cp -a "$root/.build/$part" "$work/src/.build/"
    done
fi
cd "$work/src"

read_entry() { # entry -> name, file, old, new, filter (fields may hold line breaks, the filter '|')
    local rest="${1#*|}"
    name="${1%%|*}"; file="${rest%%|*}"; rest="${rest#*|}"
    old="${rest%%|*}"; rest="${rest#*|}"; new="${rest%%|*}"; filter="${rest#*|}"
}

occurs_once() { # file text -> whether the text is in the file exactly once
    python3 - "$1" "$2" <<'PY'
import sys
path, old = sys.argv[1:3]
try:
    count = open(path, encoding="utf-8").read().count(old)
except FileNotFoundError:
    count = 0
sys.exit(0 if count == 1 else 1)
PY
}

apply() { # file old new -> edits the copy; the text was checked to occur exactly once
    python3 - "$@" <<'PY'
import sys
path, old, new = sys.argv[1:4]
text = open(path, encoding="utf-8").read()
open(path, "w", encoding="utf-8").write(text.replace(old, new, 1))
PY
}

# Every mutant's text must still be in the code, before anything is built: a mutant written for
# code that has since changed would otherwise stop the run only when its turn comes.
stale=0
for entry in "${mutants[@]}"; do
    read_entry "$entry"
    if ! occurs_once "$file" "$old"; then
        echo "mutant $name: its text is not in $file exactly once; update scripts/mutants.sh" >&2
        stale=$((stale + 1))
    fi
done
[[ $stale -eq 0 ]] || exit 2

echo "mutants: baseline build and the mutants' tests on the unmodified copy"
nice swift build --build-tests >"$log/baseline-build.log" 2>&1 || { echo "baseline build failed; see $log/baseline-build.log" >&2; exit 2; }
all_filters=""
for entry in "${mutants[@]}"; do
    read_entry "$entry"
    all_filters="${all_filters:+$all_filters|}$filter"
done
if ! nice swift test --skip-build --filter "$all_filters" >"$log/baseline-test.log" 2>&1; then
    echo "the unmodified tests fail; fix them first (see $log/baseline-test.log)" >&2
    exit 2
fi

survivors=0
printf '%-34s %-8s %s\n' "mutant" "result" "detail"
for entry in "${mutants[@]}"; do
    read_entry "$entry"
    wanted "$name" || continue
    cp "$file" "$file.orig"
    apply "$file" "$old" "$new"
    result="killed"
    detail=""
    if ! nice swift build --build-tests >"$log/$name-build.log" 2>&1; then
        result="killed"; detail="does not compile"
    elif timeout "${MUTANT_TEST_TIMEOUT:-600}" nice swift test --skip-build --filter "$filter" >"$log/$name-test.log" 2>&1; then
        result="SURVIVED"; detail="tests $filter still pass"; survivors=$((survivors + 1))
    else
        failed="$(grep -Eo 'Test [A-Za-z0-9_]+\(.*\) recorded an issue|Test [A-Za-z0-9_]+\(\) failed' "$log/$name-test.log" | sed -E 's/^Test ([A-Za-z0-9_]+).*/\1/' | sort -u | head -3 | paste -sd, -)"
        detail="failing: ${failed:-see $log/$name-test.log}"
    fi
    mv "$file.orig" "$file"
    printf '%-34s %-8s %s\n' "$name" "$result" "$detail"
done
# Leave the copy built as it is in the repository, so the next run starts incremental.
nice swift build --build-tests >"$log/restore-build.log" 2>&1 || true
if [[ $survivors -gt 0 ]]; then
    echo "$survivors mutant(s) survived" >&2
    exit 1
fi
echo "every mutant was caught"
