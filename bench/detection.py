#!/usr/bin/env python3
"""Measures how well `cisignal readiness` detects injected regressions (issue: detection quality) and prints
one table. Called by bench/detection.sh.

Worlds: `cisignal simulate` with seeds that inject regressions and seeds that inject none; by default five groups
of five (1-4 with regressions and 5 without, 11-14 and 15, ... 41-44 and 45), measured two at a time (--workers).
Each world is replayed night by night, as a nightly job would see it: for each of the last --nights payload
days D, the runs that started on or before D are hard-linked into a growing tree, `cisignal ingest`
loads the new runs, `cisignal rollup --as-of D` and `cisignal readiness --as-of D --format csv` run. (The
tree only holds what existed on night D, so nothing of later days leaks into a night's figures: readiness
reads the revert-window series to the newest run in the database.)

Four rule sets, each with its own database:
  ours          cisignal's defaults: a trial is a run and a flake (failed, then passed on retry) counts as a
                failure (the first attempt's pass rate), confidence 95, pity 5, minimum failures 3,
                Benjamini-Hochberg q < 0.05 across the cells whose counts allow a regression, regressions recorded and kept open under
                --keep-confidence 80 against the basis they opened on (hysteresis)
  ours-working  the same with --flakes-as-passes (a flake counts as a pass: the working %)
  ours-no-fdr   the same with --no-fdr
  plain         --anchor-rules --no-record: the Sippy-like anchor rules (confidence 95, pity 5, minimum
                failures 3, flakes as passes, no FDR, no hysteresis), stateless

Definitions (printed with the table):
  cell       a job's "platform=P network=N architecture=A" (readiness's default columns), from the variants
             in ground-truth.json; several jobs can share one cell (their runs are pooled by readiness).
  unit       one injected regression in one cell of its jobs (a regression of 7 jobs in 5 cells is 5 units).
  active     on night D (sample S = D-6..D, basis = the 28 days before S): the regression's firstBadPayload
             date <= D, and fixedAtPayload is null or its date > the first day of S.
  eligible   active, basePassProbability - newPassProbability >= 10 points (per attempt, as injected), and the
             cell's sample_runs >= 10 in the CSV (the issue's definition).
  eligible~  active, >= 10 points as injected, and >= 10 runs in the sample on payloads that carry the regression
             (its affected jobs, first bad <= payload < fixed at): a regression that began on the last night is in
             a cell with 40 sample runs but shows in only its ~6 newest.
  eligible*  active, the expected drop of the cell's pass rate (basis window minus sample window) >= 10
             points, and sample_runs >= 10. The expected drop counts what readiness sees: a flake (fail,
             retried, pass) counts as a pass, so a run passes with q(p) = p + (1-p)*r*p (r: the test's
             retryProbability); the regressed jobs' share of the cell's periodic jobs; the bad days' share of
             the sample and of the basis window.
  detected   the unit's (test, cell) row has status significant-regression or extreme-regression.
  recall     detected / eligible on the final night (recall*: detected / eligible*, recall~: detected / eligible~).
  stable     a (test, cell) pair that no injected regression touches in basis+sample (firstBad date <= D
             and fixedAt null or after the first basis day), with sample_runs > 0 and basis_runs > 0. Flaky
             tests and tests broken on one platform are stable (they do not change over time).
  false alarm  a stable cell with a regression status. Reported per 1,000 stable cells on the final night,
             and over all nights (alarm cell-nights per 1,000 stable cell-nights).
  first bad  for detected eligible units, first_bad_payload against the ground-truth firstBadPayload: exact,
             and within +-1 payload (by payload order). Recorded regressions carry the one found the night they
             opened; the plain rules (--no-record) the one found from the counts on the final night.
  flaps      re-openings across the nights: a (test, cell) that is a regression on a night, not on a later
             one, and a regression again after that (each such return counts once).
"""
import argparse, csv, io, json, os, re, shutil, sqlite3, subprocess, sys, tarfile, time
from concurrent.futures import ProcessPoolExecutor, as_completed
from datetime import date, timedelta

REGRESSED = ("significant-regression", "extreme-regression")
COLUMNS = ("platform", "network", "architecture")
RULES = {
    "ours": [],
    "ours-working": ["--flakes-as-passes"],
    "ours-no-fdr": ["--no-fdr"],
    "plain": ["--anchor-rules", "--no-record"],
}

def run(command, cwd, ok=(0,)):
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if result.returncode not in ok:
        sys.exit(f"failed ({result.returncode}): {' '.join(command)}\n{result.stderr[-2000:]}")
    return result.stdout

def cell_of(variants):
    return " ".join(f"{key}={variants.get(key) or '?'}" for key in COLUMNS)

def day_of(timestamp):
    return (date(1970, 1, 1) + timedelta(seconds=int(timestamp))).isoformat()

def index_runs(world):
    """Every run of the world (a folder with started.json, or BUILD.tar.gz) and the UTC day it started."""
    runs = []
    for folder, names, files in os.walk(world):
        if "started.json" in files:
            with open(os.path.join(folder, "started.json")) as file:
                runs.append((os.path.relpath(folder, world), day_of(json.load(file)["timestamp"])))
            names[:] = []
            continue
        for name in files:
            if name.endswith(".tar.gz") and name[:-7].isdigit():
                path = os.path.join(folder, name)
                with tarfile.open(path, "r:gz") as archive:
                    for member in archive:
                        if member.name.endswith("/started.json"):
                            runs.append((os.path.relpath(path, world), day_of(json.load(archive.extractfile(member))["timestamp"])))
                            break
                    else:
                        sys.exit(f"no started.json in {path}")
    return runs

def link(source, target):
    """Hard-links a run (folder or archive) into the nightly tree, keeping mtimes."""
    if os.path.isdir(source):
        shutil.copytree(source, target, copy_function=os.link)
    else:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        os.link(source, target)

def read_csv(text):
    return {(row["test"], row["cell"]): row for row in csv.DictReader(io.StringIO(text))}

def replay(binary, world, work, nights):
    """Ingests the world night by night into one database per rule set; returns {rules: [(day, rows)]}."""
    runs = index_runs(world)
    tree = os.path.join(work, "tree")
    for path in [tree] + [os.path.join(work, f"{name}.sqlite") for name in RULES]:
        if os.path.isdir(path):
            shutil.rmtree(path)
        for suffix in ("", "-wal", "-shm", ".lock"):
            if os.path.exists(path + suffix) and not os.path.isdir(path + suffix):
                os.remove(path + suffix)
    os.makedirs(tree)
    linked, results = set(), {name: [] for name in RULES}
    for night in nights:
        for relative, day in runs:
            if day <= night and relative not in linked:
                link(os.path.join(world, relative), os.path.join(tree, relative))
                linked.add(relative)
        for name, options in RULES.items():
            database = os.path.join(work, f"{name}.sqlite")
            run([binary, "ingest", tree, "--db", database, "-q"], work, ok=(0, 1))  # 1: the world's corrupt files
            run([binary, "rollup", "--db", database, "--as-of", night, "-q"], work)
            text = run([binary, "readiness", "--db", database, "--as-of", night, "--format", "csv", *options], work)
            with open(os.path.join(work, f"{name}-{night}.csv"), "w") as file:
                file.write(text)
            results[name].append((night, read_csv(text)))
    return results, len(runs)

def run_pass(p, retry):
    """A run's chance to pass the test when a flake (fail, retried, pass) counts as a pass."""
    return p + (1 - p) * retry * p

def regressed_runs_counter(database):
    """A function (regression, affected jobs, sample days) -> the runs of the regression's test, in those jobs and
    days, on payloads where the regression was injected (first bad <= payload < fixed at): the sample runs that
    can show it. Read from a world's database (every rule set's database holds the same runs)."""
    counted = {}  # every rule set asks for the same units: query each once

    def count(regression, jobs, days, order):
        key = (regression["test"], regression["firstBadPayload"], regression["fixedAtPayload"], tuple(jobs), days[0], days[-1])
        if key not in counted:
            counted[key] = query(regression, jobs, days, order)
        return counted[key]

    def query(regression, jobs, days, order):
        db = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        rows = db.execute(f"""
            SELECT p.tag, count(*) FROM kept_runs r JOIN jobs j ON j.id = r.job_id JOIN payloads p ON p.id = r.payload_id
            JOIN test_results x ON x.run_id = r.id JOIN tests t ON t.id = x.test_id
            WHERE NOT r.infra AND x.outcome <> 'skip' AND t.name = ? AND r.day BETWEEN ? AND ?
              AND j.name IN ({",".join("?" * len(jobs))})
            GROUP BY p.tag""", [regression["test"], days[0], days[-1], *jobs]).fetchall()
        db.close()
        first, fixed = order[regression["firstBadPayload"]], order.get(regression["fixedAtPayload"], 10**9)
        return sum(runs for tag, runs in rows if tag in order and first <= order[tag] < fixed)
    return count

def evaluate(truth, results, label, regressed_runs=None):
    payloads = [p["tag"] for p in truth["payloads"]]
    order = {tag: i for i, tag in enumerate(payloads)}
    date_of = {p["tag"]: p["date"] for p in truth["payloads"]}
    periodic = [j for j in truth["jobs"] if j["type"] == "periodic"]
    cell_of_job = {j["name"]: cell_of(j["variants"]) for j in truth["jobs"]}
    jobs_in_cell = {}
    for job in periodic:
        jobs_in_cell.setdefault(cell_of_job[job["name"]], []).append(job["name"])

    def windows(night):
        d = date.fromisoformat(night)
        sample = [(d - timedelta(days=k)).isoformat() for k in range(6, -1, -1)]
        basis = [(d - timedelta(days=k)).isoformat() for k in range(34, 6, -1)]
        return sample, basis

    def bad_on(regression, day):
        fixed = regression["fixedAtPayload"]
        return date_of[regression["firstBadPayload"]] <= day and (fixed is None or day < date_of[fixed])

    def units_of(regression):
        cells = {}
        for job in regression["jobs"]:
            cells.setdefault(cell_of_job[job], []).append(job)
        return cells

    def expected_pass(regression, cell, affected, days):
        share = len(affected) / len(jobs_in_cell[cell])
        retry, base, new = regression.get("retryProbability", 0), regression["basePassProbability"], regression["newPassProbability"]
        values = [share * run_pass(new if bad_on(regression, day) else base, retry) + (1 - share) * run_pass(base, retry)
                  for day in days if day >= payloads_first_day]
        return sum(values) / len(values) if values else None

    payloads_first_day = truth["payloads"][0]["date"]
    out = {}
    for rules, nights in results.items():
        final_night, final = nights[-1]
        sample, basis = windows(final_night)
        units, touched = [], set()
        missing_cells = []
        for regression in truth["regressions"]:
            first, fixed = date_of[regression["firstBadPayload"]], regression["fixedAtPayload"]
            for cell, affected in units_of(regression).items():
                key = (regression["test"], cell)
                if first <= final_night and (fixed is None or date_of[fixed] > basis[0]):
                    touched.add(key)
                active = first <= final_night and (fixed is None or date_of[fixed] > sample[0])
                row = final.get(key)
                if row is None:
                    missing_cells.append(key)
                sample_runs = int(row["sample_runs"]) if row else 0
                basis_pct, sample_pct = expected_pass(regression, cell, affected, basis), expected_pass(regression, cell, affected, sample)
                expected_drop = 100 * (basis_pct - sample_pct) if basis_pct is not None and sample_pct is not None else 0
                injected_drop = 100 * (regression["basePassProbability"] - regression["newPassProbability"])
                bad_runs = regressed_runs(regression, affected, sample, order) if regressed_runs and active else None
                unit = {
                    "test": regression["test"], "cell": cell, "jobs": f"{len(affected)}/{len(jobs_in_cell[cell])}",
                    "component_wide": regression.get("componentWide"), "first_bad": regression["firstBadPayload"],
                    "fixed_at": fixed, "base": regression["basePassProbability"], "new": regression["newPassProbability"],
                    "retry": regression.get("retryProbability"), "injected_drop": round(injected_drop, 2),
                    "expected_drop": round(expected_drop, 2), "active": active,
                    "eligible": active and injected_drop >= 10 and sample_runs >= 10,
                    "eligible_expected": active and expected_drop >= 10 and sample_runs >= 10,
                    "regressed_sample_runs": bad_runs,
                    "eligible_regressed": active and injected_drop >= 10 and (bad_runs or 0) >= 10,
                    "status": row["status"] if row else "no row", "kept_open": row["kept_open"] if row else "",
                    "sample": f"{row['sample_passes']}/{row['sample_runs']}" if row else "", "basis": f"{row['basis_passes']}/{row['basis_runs']}" if row else "",
                    "drop": row["pass_pct_drop"] if row else "", "p": row["p_value"] if row else "", "q": row["q_value"] if row else "",
                    "reported_first_bad": row["first_bad_payload"] if row else "",
                }
                unit["detected"] = unit["status"] in REGRESSED
                # Why an injected drop of >= 10 points may not be a 10-point drop for readiness.
                run_drop = 100 * (run_pass(regression["basePassProbability"], unit["retry"] or 0)
                                  - run_pass(regression["newPassProbability"], unit["retry"] or 0))
                share = len(affected) / len(jobs_in_cell[cell])
                unit["run_drop"] = round(run_drop, 2)
                unit["shrunk_by"] = ("" if expected_drop >= 10 else "flakes count as passes" if run_drop < 10
                                     else "pooled with unaffected jobs of the cell" if share * run_drop < 10
                                     else "bad days straddle the windows")
                if row and not unit["detected"] and row["p_value"]:
                    p, failures = float(row["p_value"]), int(row["sample_runs"]) - int(row["sample_passes"])
                    unit["missed_by"] = ("p >= 0.05" if p >= 0.05 else "minimum failures or pity" if failures < 3 or float(row["pass_pct_drop"] or 0) < 5
                                         else "FDR (q >= 0.05)")
                if unit["detected"] and unit["reported_first_bad"]:
                    offset = order.get(unit["reported_first_bad"], 10**6) - order[regression["firstBadPayload"]]
                    unit["first_bad_offset"] = offset
                units.append(unit)

        def stable_alarms(night, rows):
            s, b = windows(night)
            touched_then = set()
            for regression in truth["regressions"]:
                first, fixed = date_of[regression["firstBadPayload"]], regression["fixedAtPayload"]
                if first <= night and (fixed is None or date_of[fixed] > b[0]):
                    for cell in units_of(regression):
                        touched_then.add((regression["test"], cell))
            stable = [r for key, r in rows.items() if key not in touched_then and int(r["sample_runs"]) > 0 and int(r["basis_runs"]) > 0]
            return stable, [r for r in stable if r["status"] in REGRESSED]

        stable, alarms = stable_alarms(final_night, final)
        all_stable = all_alarms = 0
        for night, rows in nights:
            s, a = stable_alarms(night, rows)
            all_stable += len(s)
            all_alarms += len(a)
        flaky = {t["test"] for t in truth.get("flakyTests", [])}
        broken = {t["test"] for t in truth.get("brokenTests", [])}

        flaps, flapping = 0, set()
        keys = set().union(*(rows.keys() for _, rows in nights))
        for key in keys:
            seen_regressed, previous = False, False
            for _, rows in nights:
                now = key in rows and rows[key]["status"] in REGRESSED
                if now and not previous and seen_regressed:
                    flaps += 1
                    flapping.add(key)
                seen_regressed |= now
                previous = now
        eligible = [u for u in units if u["eligible"]]
        detected = [u for u in eligible if u["detected"]]
        with_first_bad = [u for u in detected if "first_bad_offset" in u]
        out[rules] = {
            "world": label, "final_night": final_night, "nights": [n for n, _ in nights],
            "eligible": len(eligible), "detected": len(detected),
            "eligible_regressed": sum(u["eligible_regressed"] for u in units),
            "detected_regressed": sum(u["eligible_regressed"] and u["detected"] for u in units),
            "eligible_expected": sum(u["eligible_expected"] for u in units),
            "detected_expected": sum(u["eligible_expected"] and u["detected"] for u in units),
            "units": units, "units_active": sum(u["active"] for u in units),
            "stable": len(stable), "false_alarms": len(alarms),
            "false_alarm_rows": [{k: r[k] for k in ("test", "cell", "status", "kept_open", "sample_passes", "sample_runs", "basis_passes",
                                                   "basis_runs", "p_value", "q_value")} | {"flaky": r["test"] in flaky, "broken": r["test"] in broken}
                                 for r in alarms],
            "stable_cell_nights": all_stable, "false_alarm_cell_nights": all_alarms,
            "first_bad_known": len(with_first_bad),
            "first_bad_exact": sum(u["first_bad_offset"] == 0 for u in with_first_bad),
            "first_bad_within_1": sum(abs(u["first_bad_offset"]) <= 1 for u in with_first_bad),
            "flaps": flaps, "flapping_cells": len(flapping),
            "flapping": [{"test": t, "cell": c, "statuses": [rows[(t, c)]["status"] if (t, c) in rows else "-" for _, rows in nights]}
                         for t, c in sorted(flapping)],
            "missing_cells": missing_cells,
        }
    return out

def pct(numerator, denominator):
    return f"{100 * numerator / denominator:.0f}%" if denominator else "-"

def per_mille(numerator, denominator):
    return f"{1000 * numerator / denominator:.2f}" if denominator else "-"

def measure_world(binary, work, args, seed, regressions, component_regressions):
    """Simulates one world, replays it night by night and scores it: (evaluation, progress line). Runs in a worker
    process; each world has its own folder."""
    label = f"seed {seed}" + ("" if regressions or component_regressions else " (none injected)")
    folder = os.path.join(work, f"world-{seed}-{regressions}-{component_regressions}")
    os.makedirs(folder, exist_ok=True)
    world = os.path.join(folder, "world")
    if os.path.exists(world):
        shutil.rmtree(world)
    tick = time.perf_counter()
    run([binary, "simulate", "--out", world, "--seed", seed, "--days", str(args.days), "--jobs", str(args.jobs),
         "--runs-per-day", str(args.runs_per_day), "--tests", str(args.tests), "--regressions", str(regressions),
         "--component-regressions", str(component_regressions), "--end-date", args.end_date, "-q"], folder)
    with open(os.path.join(world, "ground-truth.json")) as file:
        truth = json.load(file)
    nights = [p["date"] for p in truth["payloads"]][-args.nights:]
    results, run_count = replay(binary, world, folder, nights)
    evaluation = evaluate(truth, results, label, regressed_runs_counter(os.path.join(folder, "ours.sqlite")))
    progress = (f"{label}: {run_count} runs, {len(truth['regressions'])} injected regressions, nights {nights[0]}..{nights[-1]}, "
                f"{time.perf_counter() - tick:.1f} s")
    for rules, figures in evaluation.items():
        if figures["missing_cells"]:
            progress += f"\n  warning ({rules}): {len(figures['missing_cells'])} expected (test, cell) rows absent from the CSV"
    return evaluation, progress

def group_of(seed):
    """The group of five worlds a seed belongs to in the default set: 1-5, 11-15, 21-25, ..."""
    return int(seed) // 10 if seed.isdigit() else seed

def wilson(successes, trials, z=1.959964):
    """The 95% Wilson score interval of a proportion, taking the units as independent."""
    p = successes / trials
    centre = (p + z * z / (2 * trials)) / (1 + z * z / trials)
    half = z * ((p * (1 - p) / trials + z * z / (4 * trials * trials)) ** 0.5) / (1 + z * z / trials)
    return max(0.0, centre - half), min(1.0, centre + half)

def world_bootstrap(pairs, resamples=4000):
    """The 95% percentile interval of sum(successes) / sum(trials) when whole worlds are drawn again with
    replacement: units of one world are not independent (they share its flaky tests and its luck), so the
    worlds are the sample. `pairs` holds one (successes, trials) per world. Seeded: the same pairs always give
    the same interval."""
    import random
    generator, ratios = random.Random(20261122), []
    for _ in range(resamples):
        drawn = [pairs[generator.randrange(len(pairs))] for _ in pairs]
        trials = sum(t for _, t in drawn)
        if trials:
            ratios.append(sum(s for s, _ in drawn) / trials)
    ratios.sort()
    return ratios[int(0.025 * len(ratios))], ratios[min(len(ratios) - 1, int(0.975 * len(ratios)))]

def interval(pairs, scale, unit, digits=0):
    """The 95% interval of a figure summed over worlds: by resampling worlds when there are at least 5, else
    Wilson's (units taken as independent, which understates the spread)."""
    successes, trials = sum(s for s, _ in pairs), sum(t for _, t in pairs)
    if not trials:
        return ""
    if len(pairs) >= 5:
        (low, high), how = world_bootstrap(pairs), "worlds resampled"
    else:
        (low, high), how = wilson(successes, trials), "Wilson"
    return f" (95% interval {scale * low:.{digits}f}-{scale * high:.{digits}f}{unit}, {how})"

def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True)
    parser.add_argument("--out", default="bench/out")
    parser.add_argument("--seeds", default=",".join(str(10 * g + k) for g in range(5) for k in range(1, 5)),
                        help="seeds of the worlds with injected regressions (default: 1-4, 11-14, 21-24, 31-34, 41-44)")
    parser.add_argument("--null-seeds", default="5,15,25,35,45", help="seeds of the worlds without regressions ('' for none)")
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1), help="worlds measured at once")
    parser.add_argument("--days", type=int, default=42, help="payload days of each world (>= 35 + nights - 1 for full windows)")
    parser.add_argument("--nights", type=int, default=28, help="nightly readiness runs, the last days of each world "
                        "(28 of 42 days: from the first day a regression can begin, as a nightly job would have run)")
    parser.add_argument("--jobs", type=int, default=8)
    parser.add_argument("--runs-per-day", type=int, default=6)
    parser.add_argument("--tests", type=int, default=300)
    parser.add_argument("--regressions", type=int, default=8)
    parser.add_argument("--component-regressions", type=int, default=2)
    parser.add_argument("--end-date", default="2026-11-20")
    parser.add_argument("--quick", action="store_true", help="two small worlds, three nights: checks the harness itself")
    parser.add_argument("--rescore", action="store_true", help="print the tables again from OUT/detection.json, simulating nothing")
    args = parser.parse_args()
    if args.quick:
        args.seeds, args.null_seeds, args.nights, args.tests = "1", "2", 3, 100
    binary, out = os.path.abspath(args.binary), os.path.abspath(args.out)
    work = os.path.join(out, "detection")
    os.makedirs(work, exist_ok=True)
    started = time.perf_counter()
    if args.rescore:
        with open(os.path.join(out, "detection.json")) as file:
            saved = json.load(file)
        for key in ("seeds", "null_seeds", "days", "nights", "jobs", "runs_per_day", "tests", "regressions",
                    "component_regressions", "end_date"):
            setattr(args, key, saved["options"].get(key, getattr(args, key)))
        evaluations = saved["worlds"]
        seeds = [e["ours"]["world"].split()[1] for e in evaluations]
    else:
        worlds = [(seed, args.regressions, args.component_regressions) for seed in args.seeds.split(",") if seed]
        worlds += [(seed, 0, 0) for seed in args.null_seeds.split(",") if seed]
        worlds.sort(key=lambda world: (group_of(world[0]), world[1] == 0, world[0]))
        print(f"{len(worlds)} worlds, {args.workers} at a time", file=sys.stderr)
        with ProcessPoolExecutor(max_workers=max(1, args.workers)) as pool:
            futures = [pool.submit(measure_world, binary, work, args, *world) for world in worlds]
            for future in as_completed(futures):
                print(future.result()[1], file=sys.stderr, flush=True)
            evaluations = [future.result()[0] for future in futures]
        seeds = [seed for seed, _, _ in worlds]
    groups = {}
    for seed, evaluation in zip(seeds, evaluations):
        groups.setdefault(group_of(seed), []).append((seed, evaluation))

    # Overall: the sums of every world's counts.
    keys = ("eligible", "detected", "eligible_expected", "detected_expected", "eligible_regressed", "detected_regressed", "stable", "false_alarms", "stable_cell_nights",
            "false_alarm_cell_nights", "first_bad_known", "first_bad_exact", "first_bad_within_1", "flaps", "flapping_cells")
    overall = {rules: {k: sum(e[rules][k] for e in evaluations) for k in keys} for rules in RULES}

    print(__doc__[__doc__.index("Definitions"):])
    print(f"worlds: --days {args.days} --jobs {args.jobs} --runs-per-day {args.runs_per_day} --tests {args.tests} "
          f"--regressions {args.regressions} --component-regressions {args.component_regressions} --end-date {args.end_date}; "
          f"seeds {args.seeds}" + (f", and seeds {args.null_seeds} with none injected" if args.null_seeds else "")
          + f"; {args.nights} nights each, measured on the final night\n")
    header = (f"{'world':22} {'rules':12} {'recall':>7} {'det/elig':>9} {'recall*':>8} {'det/elig*':>9} {'recall~':>8} {'det/elig~':>9} {'FA/1000':>8} "
              f"{'FA/stable':>10} {'FA/1000 all nights':>19} {'fb exact':>9} {'fb +-1':>7} {'flaps':>6}")
    print(header)
    print("-" * len(header))

    def line(name, rules, f):
        first_bad_exact = pct(f["first_bad_exact"], f["first_bad_known"]) if f["first_bad_known"] else "n/a"
        first_bad_near = pct(f["first_bad_within_1"], f["first_bad_known"]) if f["first_bad_known"] else "n/a"
        print(f"{name:22} {rules:12} {pct(f['detected'], f['eligible']):>7} {f['detected']:>4}/{f['eligible']:<4} "
              f"{pct(f['detected_expected'], f['eligible_expected']):>8} {f['detected_expected']:>4}/{f['eligible_expected']:<4} "
              f"{pct(f['detected_regressed'], f['eligible_regressed']):>8} {f['detected_regressed']:>4}/{f['eligible_regressed']:<4} "
              f"{per_mille(f['false_alarms'], f['stable']):>8} {f['false_alarms']:>4}/{f['stable']:<5} "
              f"{per_mille(f['false_alarm_cell_nights'], f['stable_cell_nights']):>6} {f['false_alarm_cell_nights']:>4}/{f['stable_cell_nights']:<7} "
              f"{first_bad_exact:>9} {first_bad_near:>7} {f['flaps']:>6}")

    for evaluation in evaluations:
        for rules in RULES:
            line(evaluation[rules]["world"], rules, evaluation[rules])
    print("-" * len(header))
    if len(groups) > 1:
        for members in groups.values():
            seeds = [seed for seed, _ in members]
            name = f"seeds {seeds[0]}-{seeds[-1]}" if len(seeds) > 1 else f"seed {seeds[0]}"
            for rules in RULES:
                line(name, rules, {k: sum(e[rules][k] for _, e in members) for k in keys})
        print("-" * len(header))
    for rules in RULES:
        line("overall", rules, overall[rules])
    print()

    checks = []
    for rules in RULES:
        f = overall[rules]

        def per_world(successes, trials):
            return [(e[rules][successes], e[rules][trials]) for e in evaluations]
        recall = f["detected"] / f["eligible"] if f["eligible"] else 0
        alarms = 1000 * f["false_alarms"] / f["stable"] if f["stable"] else 0
        exact = f["first_bad_exact"] / f["first_bad_known"] if f["first_bad_known"] else None
        checks += [
            (rules, "recall >= 90%", recall >= 0.9, pct(f["detected"], f["eligible"]) + interval(per_world("detected", "eligible"), 100, "%", 1)),
            (rules, "<= 1 false alarm per 1,000 stable cells", alarms <= 1,
             per_mille(f["false_alarms"], f["stable"]) + interval(per_world("false_alarms", "stable"), 1000, "", 2)),
            (rules, "first bad payload exact for >= 80%", exact is not None and exact >= 0.8,
             pct(f["first_bad_exact"], f["first_bad_known"]) + interval(per_world("first_bad_exact", "first_bad_known"), 100, "%", 1)
             if exact is not None else "n/a (not recorded)"),
        ]
    for rules, text, ok, figure in checks:
        print(f"{'met ' if ok else 'MISS'}  {rules:12} {text}: {figure}")

    print("\neligible units that are not eligible* (injected >= 10 points, expected cell drop < 10), by cause:")
    reasons = {}
    for evaluation in evaluations:
        for u in evaluation["ours"]["units"]:
            if u["eligible"] and not u["eligible_expected"]:
                reasons[u["shrunk_by"]] = reasons.get(u["shrunk_by"], 0) + 1
    for reason, count in sorted(reasons.items(), key=lambda item: -item[1]):
        print(f"  {count:4}  {reason}")
    print("missed eligible* units, by cause:")
    for rules in RULES:
        causes = {}
        for evaluation in evaluations:
            for u in evaluation[rules]["units"]:
                if u["eligible_expected"] and not u["detected"]:
                    causes[u.get("missed_by", u["status"])] = causes.get(u.get("missed_by", u["status"]), 0) + 1
        print(f"  {rules:6} " + (", ".join(f"{count} {cause}" for cause, count in sorted(causes.items(), key=lambda item: -item[1])) or "none"))

    print("\nmissed eligible units (final night):")
    for evaluation in evaluations:
        for rules in RULES:
            for u in evaluation[rules]["units"]:
                if (u["eligible"] or u["eligible_expected"]) and not u["detected"]:
                    print(f"  {evaluation[rules]['world']:8} {rules:6} {u['status']:16} {u['cell']:45} jobs {u['jobs']:4} "
                          f"injected -{u['injected_drop']:.0f} expected -{u['expected_drop']:.1f} sample {u['sample']:>7} "
                          f"basis {u['basis']:>8} p {u['p']} q {u['q']} first bad {u['first_bad'][-19:-7]}"
                          f"{' fixed ' + u['fixed_at'][-19:-7] if u['fixed_at'] else ''}  {u['test'][:60]}")
    print("\nfalse alarms (final night):")
    for evaluation in evaluations:
        for rules in RULES:
            for r in evaluation[rules]["false_alarm_rows"]:
                kind = "flaky" if r["flaky"] else "broken" if r["broken"] else "stable"
                print(f"  {evaluation[rules]['world']:8} {rules:6} {r['status']:22} {kind:6} {r['cell']:45} sample {r['sample_passes']}/{r['sample_runs']} "
                      f"basis {r['basis_passes']}/{r['basis_runs']} p {r['p_value']} q {r['q_value']} kept {r['kept_open']}  {r['test'][:60]}")
    print(f"\n{time.perf_counter() - started:.0f} s in all; raw numbers in {os.path.relpath(os.path.join(out, 'detection.json'))}")
    if not args.rescore:
        with open(os.path.join(out, "detection.json"), "w") as file:
            json.dump({"options": vars(args), "definitions": __doc__, "worlds": evaluations, "overall": overall,
                       "checks": checks}, file, indent=1)

if __name__ == "__main__":
    main()
