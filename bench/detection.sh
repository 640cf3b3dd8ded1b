#!/usr/bin/env bash
# The detection-quality evaluation: simulated worlds replayed night by night as cron would; recall, false alarms and first bad payload of `cisignal readiness` (the defaults, --flakes-as-passes, --no-fdr) against the plain anchor rules. Usage: bench/detection.sh [--quick] [--seeds 1,2,3,4,...] [--null-seeds 5,15,...] [--workers 2] [--nights 28] [--rescore] [--tests 300] [--out DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
swift build -c release --product cisignal 2>&1 | tail -1
exec python3 bench/detection.py --binary .build/release/cisignal "$@"
