#!/usr/bin/env bash
# Regenerates reports/example/: the report `cisignal demo` writes with its defaults (seed 7, last
# day 2026-11-20). Run it after changing the templates, the report or the simulator; the test
# ExampleReportTests fails while reports/example/ differs from what the demo writes.
# Usage: scripts/regenerate-example.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
swift build --product cisignal >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
.build/debug/cisignal demo --out "$tmp/demo" >/dev/null 2>&1
rm -rf reports/example
cp -R "$tmp/demo/reports/2026-11-20" reports/example
echo "reports/example/ regenerated: $(find reports/example -type f | wc -l) files"
