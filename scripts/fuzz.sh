#!/usr/bin/env bash
# Builds one libFuzzer target of Fuzz/ and runs it for a given number of seconds.
#
#   scripts/fuzz.sh <target> [seconds] [extra libFuzzer flags...]
#   scripts/fuzz.sh fuzz-mapper 600
#   scripts/fuzz.sh all 600            # each target in turn, one after the other
#   scripts/fuzz.sh fuzz-mapper 0 Fuzz/.build/fuzz/fuzz-mapper/artifacts/crash-...   # replay one input
#
# Targets: fuzz-mapper, fuzz-eventinfo, fuzz-mimecast-response. libFuzzer reads the committed seeds
# in Fuzz/corpus/<target> and writes what it finds to a working corpus under
# Fuzz/.build/fuzz/<target>/corpus, which grows between runs; crashes land in Fuzz/.build/fuzz/<target>/artifacts and the libFuzzer
# log in Fuzz/.build/fuzz/<target>/fuzz-0.log. Runs one job at a time under `nice` (shared machine).
# FUZZ_SANITIZERS overrides the sanitizers (default: fuzzer,address); FUZZ_CONFIGURATION=release
# builds optimised (faster, slower to build; default: debug).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
fuzz="$root/Fuzz"
targets=(fuzz-mapper fuzz-eventinfo fuzz-mimecast-response)

usage() {
    local IFS='|'
    echo "usage: $0 <${targets[*]}|all> [seconds, default 600] [libFuzzer flags...]" >&2
    exit 64
}

[[ $# -ge 1 ]] || usage
target="$1"
seconds="${2:-600}"
shift $(( $# >= 2 ? 2 : 1 ))
[[ "$seconds" =~ ^[0-9]+$ ]] || { echo "$0: seconds must be a whole number, got '$seconds'" >&2; exit 64; }

if [[ "$target" == all ]]; then
    for each in "${targets[@]}"; do "$0" "$each" "$seconds" "$@"; done
    exit 0
fi
[[ " ${targets[*]} " == *" $target "* ]] || { echo "$0: unknown target '$target'" >&2; usage; }

sanitizers="${FUZZ_SANITIZERS:-fuzzer,address}"
configuration="${FUZZ_CONFIGURATION:-debug}"
echo "== building $target ($configuration) with -sanitize=$sanitizers" >&2
# SwiftPM does not notice files added to the root package (a path dependency of Fuzz/) and would
# compile its old file list; dropping the build plan makes it plan again (objects are reused).
rm -f "$fuzz/.build/$configuration.yaml" "$fuzz/.build/x86_64-unknown-linux-gnu/$configuration/description.json"
(cd "$fuzz" && nice -n 10 swift build -c "$configuration" --scratch-path "$fuzz/.build" --product "$target" \
    -Xswiftc "-sanitize=$sanitizers" 2>&1 | grep -v 'ld.gold: warning: Cannot export local symbol' >&2)
binary="$fuzz/.build/$configuration/$target"

case "$target" in
    fuzz-eventinfo) dictionary="$fuzz/dictionaries/eventinfo.dict" ;;
    *) dictionary="$fuzz/dictionaries/json.dict" ;;
esac

work="$fuzz/.build/fuzz/$target"
mkdir -p "$work/corpus" "$work/artifacts"

# Leak checking is off so a run is about crashes and invariants (ASAN_OPTIONS=detect_leaks=1 turns it on).
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}"
# Swift's own crash backtracer runs under ASan and trips it; libFuzzer reports the crash instead.
export SWIFT_BACKTRACE="${SWIFT_BACKTRACE:-enable=no}"

# Replaying given inputs: no time limit, no corpus, just run them.
if [[ "$seconds" == 0 ]]; then
    exec nice -n 10 "$binary" "$@"
fi

echo "== fuzzing $target for ${seconds}s (log: $work/fuzz-0.log)" >&2
status=0
(cd "$work" && nice -n 10 "$binary" \
    -jobs=1 -workers=1 \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -dict="$dictionary" -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/" \
    "$@" "$work/corpus" "$fuzz/corpus/$target") || status=$?
if compgen -G "$work/artifacts/*" > /dev/null; then
    echo "== artifacts in $work/artifacts:" >&2
    ls -l "$work/artifacts" >&2
fi
exit "$status"
