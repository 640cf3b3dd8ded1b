#!/usr/bin/env bash
# The detection-quality evaluation: simulated worlds replayed night by night; recall, false alarms and first bad payload of `cisignal readiness` (ours, ours+FDR, ours with flakes as failures) against the plain anchor rules. Usage: bench/detection.sh [--quick] [--seeds 1,2,3,4] [--null-seed 5] [--nights 7] [--tests 300] [--out DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
swift build -c release --product cisignal 2>&1 | tail -1
exec python3 bench/detection.py --binary .build/release/cisignal "$@"
