#!/usr/bin/env bash
# The ingest benchmark: simulates worlds, then times zcat, the Python peer loader and `cisignal
# ingest` side by side (medians of repeated runs) and prints one table (README: Benchmark).
# Usage: bench/ingest.sh [--quick] [--repeat N] [--out DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
swift build -c release --product cisignal 2>&1 | tail -1
exec python3 bench/ingest_bench.py --binary .build/release/cisignal "$@"
