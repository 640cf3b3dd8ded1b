#!/usr/bin/env bash
# Fuzzes the JUnit reader, the gzip reader and the tar reader with libFuzzer.
#
#   scripts/fuzz.sh [--seconds N] [--jobs N] [TARGET...]    TARGET: junit gzip tar (default: all)
#
# Builds `cisignal-fuzz` with -sanitize=fuzzer,address into .build/fuzz, makes seed corpora from
# ../shared/fixtures/junit (the XML files; each gzipped; tar.gz archives of them), runs each target
# for N seconds (default 300), keeps the grown corpus in .build/fuzz/corpus/TARGET between runs and
# any crashing input in .build/fuzz/crashes/TARGET/. Prints one line per target with executions and
# crashes; exits 1 when a target crashed. Replay a crash in a normal build with
# `.build/debug/cisignal-fuzz TARGET FILE`; keep the fixed ones in Fuzz/regressions/TARGET/.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"

seconds=300
jobs=1
targets=()
while [ $# -gt 0 ]; do
    case "$1" in
        --seconds) seconds="$2"; shift 2 ;;
        --jobs) jobs="$2"; shift 2 ;;
        -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        junit|gzip|tar) targets+=("$1"); shift ;;
        *) echo "fuzz.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done
[ ${#targets[@]} -gt 0 ] || targets=(junit gzip tar)

fixtures=../shared/fixtures/junit
if [ ! -d "$fixtures" ]; then
    echo "fuzz.sh: $fixtures is missing; it seeds the corpora" >&2
    exit 2
fi

out=.build/fuzz
echo "building cisignal-fuzz with libFuzzer and AddressSanitizer..."
swift build --build-path "$out" -c release --product cisignal-fuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xswiftc -use-ld=lld 2>&1 \
    | grep -v "warning: Cannot export local symbol" | tail -n 3
binary="$out/release/cisignal-fuzz"

# Seeds, remade each time from the fixtures.
seeds="$out/seeds"
rm -rf "$seeds"
mkdir -p "$seeds/junit" "$seeds/gzip" "$seeds/tar"
index=0
while IFS= read -r -d '' file; do
    index=$((index + 1))
    cp "$file" "$seeds/junit/$index.xml"
    gzip -n -c "$file" > "$seeds/gzip/$index.xml.gz"
done < <(find "$fixtures" -name '*.xml' -type f -print0 | sort -z)
cp "$seeds/junit/"*.xml "$seeds/gzip/"
for folder in "$fixtures"/*/*/; do
    name=$(basename "$folder")
    tar -C "$folder" -cf "$seeds/tar/$name.tar" . 2>/dev/null || true
    gzip -n -c "$seeds/tar/$name.tar" > "$seeds/tar/$name.tar.gz"
done

parallel=""
[ "$jobs" -le 1 ] || parallel="-jobs=$jobs -workers=$jobs"
status=0
summary=()
for target in "${targets[@]}"; do
    mkdir -p "$out/corpus/$target" "$out/crashes/$target"
    before=$(find "$out/crashes/$target" -type f | wc -l)
    log="$out/$target.log"
    echo "fuzzing $target for $seconds s (log: $log)..."
    set +e
    SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
        "$binary" "$target" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
        $parallel -print_final_stats=1 \
        -artifact_prefix="$out/crashes/$target/" "$out/corpus/$target" "$seeds/$target" >"$log" 2>&1
    code=$?
    set -e
    # With --jobs, each worker writes its statistics to fuzz-N.log.
    workers=$(find . -maxdepth 1 -name 'fuzz-*.log')
    executions=$(cat "$log" $workers | awk '/stat::number_of_executed_units/ {s += $2} END {print s + 0}')
    rm -f $workers
    after=$(find "$out/crashes/$target" -type f | wc -l)
    crashes=$((after - before))
    corpus=$(find "$out/corpus/$target" -type f | wc -l)
    line="$target: $executions executions in $seconds s, corpus $corpus inputs, $crashes new crashing inputs (exit $code)"
    summary+=("$line")
    if [ "$code" -ne 0 ] || [ "$crashes" -gt 0 ]; then
        status=1
        grep -m 5 -E 'ERROR|Fatal error|Precondition failed|SUMMARY' "$log" >&2 || true
    fi
done
printf '%s\n' "${summary[@]}"
exit $status
