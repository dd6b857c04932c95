#!/usr/bin/env bash
# Builds the portable release binary: the Swift standard library and FoundationEssentials are
# linked statically (--static-swift-stdlib), so the binary needs only the system's shared libraries
# (glibc, libcurl, zlib) and runs on a Debian bookworm host without Swift. Refuses a binary that
# still links a Swift runtime library, or that holds the full Foundation (it doubles the binary and
# slows every start). Prints the binary's path as its last line.
#
#   bash scripts/build-release.sh                      # leaves it in .build/release/
#   bash scripts/build-release.sh --output dist/mimecast-shipper
set -euo pipefail
cd "$(dirname "$0")/.."

output=""
while [ $# -gt 0 ]; do
    case "$1" in
        --output) [ $# -ge 2 ] || { echo "error: --output needs a path" >&2; exit 2; }; output="$2"; shift 2 ;;
        -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "error: unknown argument '$1'; usage: build-release.sh [--output PATH]" >&2; exit 2 ;;
    esac
done

bash scripts/ensure-system-deps.sh
swift build -c release --product mimecast-shipper --static-swift-stdlib >&2
binary="$(swift build -c release --show-bin-path)/mimecast-shipper"

# Anything from the toolchain (libswiftCore, libFoundation, libdispatch, libBlocksRuntime, ICU)
# would be missing on a host without Swift.
if command -v ldd >/dev/null 2>&1; then
    toolchain_libraries="$(ldd "$binary" | grep -Ei 'libswift|libFoundation|libdispatch|libBlocksRuntime|libicu|libXCTest|/swift/' || true)"
    if [ -n "$toolchain_libraries" ]; then
        echo "error: $binary links toolchain libraries, so it will not start without Swift:" >&2
        echo "$toolchain_libraries" >&2
        exit 1
    fi
fi

# The product imports FoundationEssentials only; one `import Foundation` brings back the full
# Foundation and its internationalisation data (about 1,800 more protocol-conformance records for
# the runtime to scan at start-up, and twice the size).
if command -v nm >/dev/null 2>&1 && nm "$binary" | grep -qE ' \$s(10Foundation|30FoundationInternationalization)'; then
    echo "error: $binary holds the full Foundation; import FoundationEssentials instead (see README, Performance)" >&2
    exit 1
fi

if [ -n "$output" ]; then
    install -D -m 0755 "$binary" "$output"
    binary="$(cd "$(dirname "$output")" && pwd)/$(basename "$output")"
fi
echo "$binary"
