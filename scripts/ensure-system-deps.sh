#!/usr/bin/env bash
# Installs the system libraries the build links against (libcurl with OpenSSL, zlib, libdeflate's
# static archive) when they are missing. Runs apt-get as root, through sudo when not root and sudo
# exists; otherwise says what to run.
set -euo pipefail

packages=(libcurl4-openssl-dev zlib1g-dev libdeflate-dev)
missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done

if ! command -v swift >/dev/null 2>&1; then
    echo "error: the Swift toolchain is not on PATH; install Swift 6.2 or newer (https://www.swift.org/install/) and run this again" >&2
    exit 2
fi

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    run=()
elif command -v sudo >/dev/null 2>&1; then
    run=(sudo)
else
    echo "error: missing ${missing[*]}; run as root: apt-get update && apt-get install -y ${missing[*]}" >&2
    exit 2
fi
echo "installing ${missing[*]}" >&2
"${run[@]}" apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive "${run[@]}" apt-get install -y -qq "${missing[@]}" >&2
