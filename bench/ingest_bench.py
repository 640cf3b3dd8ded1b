#!/usr/bin/env python3
"""Runs the ingest benchmark (issue 3) and prints one table. Called by bench/ingest.sh; the README explains the figures.

Stages, each timed as the median of --repeat runs, with peak RSS from /usr/bin/time -v:
  zcat      every JUnit file and run archive of the world, decompressed to /dev/null
  python    bench/python_loader.py, cold, into an empty database
  cold      cisignal ingest, cold, into an empty database
  history   cisignal ingest of a world of >= 10M results (once; it builds the next stages' database)
  increment cisignal ingest of the whole tree after one more simulated day was added (new days each time)
  no-op     cisignal ingest of the whole tree again: nothing changed
  huge      cisignal ingest of one run whose single JUnit file is about 500 MB
  rollups   cisignal rollup over the whole history, then after each added day
"""
import argparse, json, os, re, shutil, statistics, subprocess, sys, time

def timed(command, **kwargs):
    """Runs command under /usr/bin/time -v; returns (seconds, peak RSS in MB, stdout)."""
    start = time.perf_counter()
    result = subprocess.run(["/usr/bin/time", "-v"] + command, capture_output=True, text=True, **kwargs)
    seconds = time.perf_counter() - start
    if result.returncode not in (0, 1):
        sys.exit(f"failed ({result.returncode}): {' '.join(command)}\n{result.stderr[-2000:]}")
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr).group(1)) / 1024
    return seconds, rss, result.stdout

def simulate(binary, out, *options):
    if os.path.exists(out):
        shutil.rmtree(out)
    subprocess.run([binary, "simulate", "--out", out, "--quiet", *options], check=True)
    with open(os.path.join(out, "ground-truth.json")) as file:
        return json.load(file)["totals"]

def junit_and_archives(root):
    paths = []
    for folder, _, names in os.walk(root):
        for name in names:
            lower = name.lower()
            if (lower.startswith("junit") and (lower.endswith(".xml") or lower.endswith(".xml.gz"))) or lower.endswith(".tar.gz"):
                paths.append(os.path.join(folder, name))
    return paths

def median_of(repeat, make):
    samples = [make() for _ in range(repeat)]
    return statistics.median(s[0] for s in samples), max(s[1] for s in samples), samples[-1][2]

def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True)
    parser.add_argument("--out", default="bench/out")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="small worlds, to check the harness itself")
    args = parser.parse_args()
    binary, out = os.path.abspath(args.binary), os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    rows, notes = [], []
    scale = ["--days", "1", "--jobs", "3"] if args.quick else []

    # 1. The cold world: about 1M test cases.
    world = os.path.join(out, "world")
    start = time.perf_counter()
    truth = simulate(binary, world, *scale)
    notes.append(f"simulate: {truth['casesWritten']} cases, {truth['junitXMLBytes'] / 1e6:.0f} MB of XML, "
                 f"{truth['storedBytes'] / 1e6:.0f} MB on disk, in {time.perf_counter() - start:.2f} s")
    cases, xml_mb = truth["casesRead"], truth["junitXMLBytes"] / 1e6
    files = junit_and_archives(world)
    listing = os.path.join(out, "junit-files.txt")
    with open(listing, "w") as file:
        file.write("\n".join(files) + "\n")

    def fresh(name):
        path = os.path.join(out, name)
        for suffix in ("", "-wal", "-shm", ".lock"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
        return path

    # The world's corrupt files make zcat complain and xargs exit 123: that is expected here.
    zcat = median_of(args.repeat, lambda: timed(["sh", "-c", f"xargs -a '{listing}' zcat -f > /dev/null 2>&1; exit 0"]))
    python = median_of(args.repeat, lambda: timed([sys.executable, "bench/python_loader.py", world, fresh("python.sqlite")]))
    cold = median_of(args.repeat, lambda: timed([binary, "ingest", world, "--db", fresh("cold.sqlite"), "--json"]))
    summary = json.loads(cold[2])
    if (summary["casesRead"], summary["results"]["total"]) != (truth["casesRead"], truth["results"]["total"]):
        sys.exit(f"ingest disagrees with ground truth: {summary} vs {truth}")
    rows += [("zcat", zcat, cases, xml_mb), ("python loader", python, cases, xml_mb), ("cisignal ingest (cold)", cold, cases, xml_mb)]

    # 2. History of >= 10M results, then one more day at a time, then nothing new.
    history = os.path.join(out, "history")
    days = "2" if args.quick else "74"
    truth_history = simulate(binary, history, "--days", days, "--end-date", "2026-11-10", *scale[2:])
    database = fresh("history.sqlite")
    loaded = timed([binary, "ingest", history, "--db", database, "--json"])
    loaded_summary = json.loads(loaded[2])
    rows.append(("ingest of the history (once)", loaded, truth_history["casesRead"], truth_history["junitXMLBytes"] / 1e6))
    notes.append(f"history: {loaded_summary['results']['total']} results from {loaded_summary['runs']['new']} runs")
    full_rollup = timed([binary, "rollup", "--db", database, "--as-of", "2026-11-10", "--quiet"])
    rows.append((f"full rollup ({days} days)", full_rollup, 0, 0))
    rollups = []
    increments = []
    for day in range(args.repeat):
        extra = os.path.join(out, f"day{day}")
        truth_day = simulate(binary, extra, "--days", "1", "--end-date", f"2026-11-{11 + day}", "--seed", str(100 + day),
                             "--presubmits", "0", "--batches", "0", *scale[2:])
        subprocess.run(["cp", "-al", os.path.join(extra, "logs"), history], check=True)
        seconds, rss, output = timed([binary, "ingest", history, "--db", database, "--json"])
        increments.append((seconds, rss, output, truth_day))
        rollups.append(timed([binary, "rollup", "--db", database, "--as-of", f"2026-11-{11 + day}", "--quiet"]))
    increment = (statistics.median(s[0] for s in increments), max(s[1] for s in increments), increments[-1][2])
    day_truth = increments[-1][3]
    rows.append(("incremental: one more day", increment, day_truth["casesRead"], day_truth["junitXMLBytes"] / 1e6))
    incremental_rollup = (statistics.median(r[0] for r in rollups), max(r[1] for r in rollups), "")
    rows.append(("incremental rollup after one more day", incremental_rollup, 0, 0))
    noop = median_of(args.repeat, lambda: timed([binary, "ingest", history, "--db", database, "--json"]))
    runs_total = json.loads(noop[2])["runs"]["unchanged"] + json.loads(noop[2])["runs"]["unfinished"]
    rows.append((f"no-op re-run ({runs_total} runs)", noop, 0, 0))

    # 3. One run with a single ~500 MB JUnit file.
    huge = os.path.join(out, "huge")
    tests, output_bytes = ("2000", "2000") if args.quick else ("100000", "5000")
    truth_huge = simulate(binary, huge, "--jobs", "1", "--days", "1", "--runs-per-day", "1", "--tests", tests,
                          "--output-bytes", output_bytes, "--presubmits", "0", "--batches", "0", "--regressions", "0",
                          "--component-regressions", "0", "--corrupt-files", "0", "--archive-share", "0",
                          "--infra-share", "0", "--verbose-share", "0")
    single = timed([binary, "ingest", huge, "--db", fresh("huge.sqlite"), "--json"])
    rows.append((f"one {truth_huge['junitXMLBytes'] / 1e6:.0f} MB JUnit file", single, truth_huge["casesRead"], truth_huge["junitXMLBytes"] / 1e6))

    # The table.
    print(f"\n{'stage':38} {'seconds':>8} {'cases/s':>10} {'MB/s':>7} {'peak RSS MB':>12} {'x zcat':>7} {'x python':>9}")
    for name, (seconds, rss, _), count, mb in rows:
        rate = f"{count / seconds:,.0f}" if count else "-"
        speed = f"{mb / seconds:.0f}" if mb else "-"
        same_world = name in ("zcat", "python loader", "cisignal ingest (cold)")
        versus_zcat = f"{seconds / zcat[0]:.2f}" if same_world else "-"
        versus_python = f"{python[0] / seconds:.2f}" if same_world else "-"
        print(f"{name:38} {seconds:8.2f} {rate:>10} {speed:>7} {rss:12.0f} {versus_zcat:>7} {versus_python:>9}")
    print()
    for note in notes:
        print(note)
    cold_rate = cases / cold[0]
    increment_rate = day_truth["casesRead"] / increment[0]
    checks = [
        ("cold ingest >= 5x faster than the Python loader", python[0] / cold[0] >= 5, f"{python[0] / cold[0]:.2f}x"),
        ("cold ingest <= 2x the time of zcat", cold[0] <= 2 * zcat[0], f"{cold[0] / zcat[0]:.2f}x"),
        ("incremental rate >= 60% of the cold rate", increment_rate >= 0.6 * cold_rate, f"{100 * increment_rate / cold_rate:.0f}%"),
        ("no-op re-run <= 1 s per 10,000 runs", noop[0] <= runs_total / 10_000 + 1e-9, f"{noop[0] * 10_000 / max(runs_total, 1):.2f} s per 10k runs"),
        ("full rollup of >= 10M results <= 10 s", full_rollup[0] <= 10, f"{full_rollup[0]:.2f} s"),
        ("incremental rollup <= 2 s", incremental_rollup[0] <= 2, f"{incremental_rollup[0]:.2f} s"),
        ("peak RSS <= 150 MB everywhere", all(r[1][1] <= 150 for r in rows if r[0] not in ("python loader", "zcat")),
         f"max {max(r[1][1] for r in rows if r[0] not in ('python loader', 'zcat')):.0f} MB"),
    ]
    print()
    for text, ok, figure in checks:
        print(f"{'met ' if ok else 'MISS'}  {text}: {figure}")
    with open(os.path.join(out, "results.json"), "w") as file:
        json.dump({"rows": [(n, s, r, c, m) for n, (s, r, _), c, m in rows], "checks": checks, "notes": notes}, file, indent=1)

if __name__ == "__main__":
    main()
