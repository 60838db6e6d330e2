#!/usr/bin/env bash
# Builds the floor for the Benchmarks package's 'bench-startup': a Swift binary that imports Foundation and prints one
# line, optimised like a release build. Prints the binary's path.
set -euo pipefail
out="${1:-$(cd "$(dirname "$0")/.." && pwd)/.build/bare}"
mkdir -p "$out"
cat > "$out/main.swift" <<'SWIFT'
import Foundation

print("hello from a bare Swift binary")
SWIFT
swiftc -O "$out/main.swift" -o "$out/bare-swift" >&2
echo "$out/bare-swift"
