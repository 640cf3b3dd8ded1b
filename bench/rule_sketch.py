#!/usr/bin/env python3
"""A sketch of readiness rule variants, scored like bench/detection.py, without rebuilding cisignal.

Not the implementation: `cisignal readiness` (Sources/Analysis/Readiness.swift, sql/queries/readiness.sql)
is. This re-derives readiness's cells from the databases a detection run leaves behind (DIR/world-*/ours.sqlite,
which hold every run up to the final night) and replays the same nights with the same windows (sample: the
7 days ending the night; basis: the 28 days before), the same guards (minimum failures, pity, extreme),
the same hysteresis (kept open while p < 1 - keep against the basis pass % it opened on, with a failure in
the sample), the same false-discovery-rate family and the same revert-window changepoint, then scores with
detection.py's own evaluate(). With the default variant it reproduces the bench's "ours" row, with
{"fdr": null} its "ours-no-fdr" row and with {"mode": "runs-pass"} its "ours-working" row, count for count
(checked on seeds 1-4 + 5; over the 25 default worlds one unit differs: a keep-open p-value of exactly 0.2,
41/205, that this floating point puts just under the bar while cisignal closes the regression). NIGHTS (environment, default 28) is the number of nights replayed, as
detection.py --nights.

Usage:
    bench/detection.sh --out bench/out                      # leaves bench/out/detection/world-*/ours.sqlite
    bench/rule_sketch.py bench/out/detection '{"ours": {}, "attempts": {"mode": "attempts"}}'
    bench/detection.sh --out bench/out-b --seeds 51,52 --null-seeds 55    # other worlds; then
    bench/rule_sketch.py bench/out/detection bench/out-b/detection '{"ours": {}}'   # several folders at once

A variant is a JSON object; every key is optional:
  mode       what a trial is: "runs-fail" (a run, a flake counts as a failure: readiness's default, the
             first attempt's result, since a retry only follows a failure), "runs-pass" (a run, a flake
             counts as a pass: --flakes-as-passes), "attempts" (every attempt in a run, first try
             and retries, is a trial: a flake is one failure and one pass, a fail-fail two failures)
  alpha      1 - confidence (0.05); pity (5), minfail (3), extreme (15), keep (0.2, 1 - keep confidence)
  hysteresis false: no keeping open (plain rules, but still recorded for the revert window)
  keep_pity  true: an open regression is only kept while the sample is at least `pity` points under
             the basis pass % it opened on
  recent     extra sample windows of the newest N days, e.g. [1]: each is a further look with the same
             guards against the same basis
  also       extra looks over the same windows with another mode, e.g. ["runs-pass"]
             (every look, the main one included, is tested at alpha / number of looks: Bonferroni)
  keep_current  an open regression is only kept while also p < this against the current basis (e.g. 0.5: the
             sample is still worse than the current basis)
  fdr        Benjamini-Hochberg: opening also needs the main look's q-value below this (0.05, readiness's
             default; null: off)
  fdr_family "attainable" (readiness's): the cells whose margins allow a regression (every failure in the
             sample would give the minimum failures and p < alpha); "tested": every cell tested
  margin     the drop must be significant against the basis pass % lowered by this many points too
"""
import collections, json, math, os, sqlite3, sys
from datetime import date, timedelta

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import detection  # noqa: E402

def log_choose(n, k):
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)

def hypergeometric_tail(failures, sample, total_failures, total, upper):
    """P(X >= failures) (upper) or P(X <= failures) for X hypergeometric: `sample` drawn from `total`
    holding `total_failures`."""
    low, high = max(0, sample - (total - total_failures)), min(sample, total_failures)
    ks = range(max(failures, low), high + 1) if upper else range(low, min(failures, high) + 1)
    denominator = log_choose(total, sample)
    terms = [log_choose(total_failures, k) + log_choose(total - total_failures, sample - k) - denominator for k in ks]
    if not terms:
        return 0.0
    top = max(terms)
    return min(1.0, math.exp(top) * sum(math.exp(t - top) for t in terms))

def p_worse(sample_failures, sample_passes, basis_failures, basis_passes):
    """One-sided Fisher's exact test: the sample fails more than the basis."""
    sample = sample_failures + sample_passes
    total = sample + basis_failures + basis_passes
    if sample == 0 or total == sample:
        return 1.0
    return hypergeometric_tail(sample_failures, sample, sample_failures + basis_failures, total, upper=True)

def p_better(sample_failures, sample_passes, basis_failures, basis_passes):
    sample = sample_failures + sample_passes
    total = sample + basis_failures + basis_passes
    if sample == 0 or total == sample:
        return 1.0
    return hypergeometric_tail(sample_failures, sample, sample_failures + basis_failures, total, upper=False)

def plus_days(day, days):
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()

def load(folder):
    """What readiness reads, from a world's database: cells of the kept payload jobs, and per day, job and
    test the runs by outcome and the attempts (as the rollup counts them: infrastructure failures and
    ignored and infrastructure tests left out)."""
    db = sqlite3.connect(os.path.join(folder, "ours.sqlite"))
    names = dict(db.execute("SELECT id, name FROM tests"))
    readiness_tests = {row[0] for row in db.execute("SELECT test_id FROM test_classes WHERE infrastructure = 0 AND ignored = 0")}
    variants = collections.defaultdict(dict)
    for job, key, value in db.execute("""
            SELECT c.job_id, v.key, v.value FROM job_classes c JOIN job_variants v ON v.job_id = c.job_id
            WHERE c.kept = 1 AND EXISTS (SELECT 1 FROM job_runs r WHERE r.job_id = c.job_id AND r.payload_id IS NOT NULL)"""):
        variants[job][key] = value
    cell = {job: detection.cell_of(values) for job, values in variants.items()}
    daily = collections.defaultdict(lambda: [0] * 6)  # runs, pass, fail, flake, attempt passes, attempt failures
    for day, job, test, outcome, runs, passes, failures in db.execute("""
            SELECT r.day, r.job_id, x.test_id, x.outcome, count(*), sum(x.passes), sum(x.failures)
            FROM kept_runs r JOIN test_results x ON x.run_id = r.id
            WHERE NOT r.infra AND x.outcome <> 'skip'
            GROUP BY 1, 2, 3, 4"""):
        if job not in cell or test not in readiness_tests:
            continue
        row = daily[(day, job, test)]
        row[0] += runs
        row[{"pass": 1, "fail": 2, "flake": 3}[outcome]] += runs
        row[4] += passes
        row[5] += failures
    series = collections.defaultdict(list)  # (test, job) -> (payload, day, first start, runs, clean passes)
    for tag, job, test, day, first, runs, passes in db.execute("""
            SELECT p.tag, r.job_id, x.test_id, r.day, min(coalesce(r.started_at, r.finished_at)),
                   sum(x.outcome <> 'skip'), sum(x.outcome = 'pass')
            FROM job_runs r JOIN payloads p ON p.id = r.payload_id JOIN test_results x ON x.run_id = r.id
            GROUP BY p.id, r.job_id, x.test_id, r.day"""):
        series[(test, job)].append((tag, day, first, runs, passes))
    return {"names": names, "cell": cell, "daily": daily, "series": series}

def first_bad(data, test, jobs, first_day, end_day):
    """RevertWindow.find: the most likely split of the per-payload series into a healthier before and a
    worse after (a flake counts as a failure); the first payload after it."""
    totals = {}
    for job in jobs:
        for tag, day, first, runs, passes in data["series"].get((test, job), []):
            if first_day <= day < end_day:
                entry = totals.setdefault(tag, [first, 0, 0])
                entry[0] = min(entry[0], first)
                entry[1] += runs
                entry[2] += passes
    points = sorted((first, tag, runs, passes) for tag, (first, runs, passes) in totals.items() if runs > 0)
    if len(points) < 2:
        return None

    def log_likelihood(passes, runs):
        if runs == 0:
            return 0.0
        rate = passes / runs
        return (passes * math.log(rate) if passes else 0.0) + ((runs - passes) * math.log(1 - rate) if runs > passes else 0.0)

    total_runs, total_passes = sum(p[2] for p in points), sum(p[3] for p in points)
    best, before_runs, before_passes = None, 0, 0
    for index in range(1, len(points)):
        before_runs += points[index - 1][2]
        before_passes += points[index - 1][3]
        after_runs, after_passes = total_runs - before_runs, total_passes - before_passes
        if not after_passes * before_runs < before_passes * after_runs:
            continue
        value = log_likelihood(before_passes, before_runs) + log_likelihood(after_passes, after_runs)
        if best is None or value > best[1] + 1e-9:
            best = (index, value)
    return points[best[0]][1] if best else None

def counts(data, sample, basis, mode):
    """(test, cell) -> [sample trials, sample passes, basis trials, basis passes]."""
    out = {}
    for (day, job, test), row in data["daily"].items():
        if sample[0] <= day < sample[1]:
            offset = 0
        elif basis[0] <= day < basis[1]:
            offset = 2
        else:
            continue
        trials, passes = {"runs-pass": (row[0], row[1] + row[3]), "runs-fail": (row[0], row[1]),
                          "attempts": (row[4] + row[5], row[4])}[mode]
        entry = out.setdefault((test, data["cell"][job]), [0, 0, 0, 0])
        entry[offset] += trials
        entry[offset + 1] += passes
    return out

class Rules:
    def __init__(self, **options):
        self.mode, self.alpha, self.pity, self.minfail, self.extreme, self.keep = "runs-fail", 0.05, 5.0, 3, 15.0, 0.2
        self.hysteresis, self.keep_pity, self.recent, self.also, self.margin = True, False, [], [], None
        self.keep_current, self.fdr, self.fdr_family = None, 0.05, "attainable"
        unknown = set(options) - set(vars(self))
        if unknown:
            sys.exit(f"unknown variant options: {sorted(unknown)}")
        self.__dict__.update(options)

TOLERANCE = 1e-9

def regression_status(drop, rules):
    return "extreme-regression" if drop > rules.extreme + TOLERANCE else "significant-regression"

def opens(look, rules, alpha):
    """The drop when one look passes the guards and is significant at alpha, else None."""
    sample, sample_passes, basis, basis_passes = look
    if sample == 0 or basis == 0:
        return None
    sample_failures = sample - sample_passes
    drop = 100 * basis_passes / basis - 100 * sample_passes / sample
    if sample_failures < rules.minfail or drop < rules.pity - TOLERANCE:
        return None
    if p_worse(sample_failures, sample_passes, basis - basis_passes, basis_passes) >= alpha:
        return None
    if rules.margin is not None:
        lowered = max(0, int(round(basis_passes - rules.margin / 100 * basis)))
        if p_worse(sample_failures, sample_passes, basis - lowered, lowered) >= alpha:
            return None
    return drop

def can_open(s, sp, b, bp, rules):
    """Whether the cell's margins (runs and total failures of both windows) allow a regression at all:
    the most extreme split (every failure in the sample) has the minimum failures and p < alpha."""
    failures = (s - sp) + (b - bp)
    most = min(failures, s)
    if most < rules.minfail:
        return False
    return p_worse(most, s - most, failures - most, b - (failures - most)) < rules.alpha

def q_values(cells, rules):
    """Benjamini-Hochberg q-values of the main look's p-values over every cell tested (or, with
    fdr_family "attainable", over the cells whose margins allow a regression)."""
    ps = {key: p_worse(s - sp, sp, b - bp, bp) for key, (s, sp, b, bp) in cells.items() if s and b
          and (rules.fdr_family != "attainable" or can_open(s, sp, b, bp, rules))}
    ordered, q, running = sorted(ps, key=ps.get), {}, 1.0
    for rank in range(len(ordered), 0, -1):
        key = ordered[rank - 1]
        running = min(running, ps[key] * len(ordered) / rank)
        q[key] = running
    return q

def classify(main, looks, rules, opened_pct, q=None):
    """Status, p (main look), kept open."""
    sample, sample_passes, basis, basis_passes = main
    if sample == 0:
        return "missing-sample", None, False
    if basis == 0:
        return "missing-basis", None, False
    sample_failures, basis_failures = sample - sample_passes, basis - basis_passes
    p = p_worse(sample_failures, sample_passes, basis_failures, basis_passes)
    alpha = rules.alpha / (1 + len(looks))
    for look in ([main] + looks if q is None or q < rules.fdr else []):
        drop = opens(look, rules, alpha)
        if drop is not None:
            return regression_status(drop, rules), p, False
    if opened_pct is not None and rules.hysteresis and sample_failures > 0:
        runs = max(basis, sample)
        passes = int(round(opened_pct / 100 * runs))
        opened_drop = opened_pct - 100 * sample_passes / sample
        if p_worse(sample_failures, sample_passes, runs - passes, passes) < rules.keep \
                and (not rules.keep_pity or opened_drop >= rules.pity - TOLERANCE) \
                and (rules.keep_current is None or p < rules.keep_current):
            return regression_status(opened_drop, rules), p, True
    drop = 100 * basis_passes / basis - 100 * sample_passes / sample
    if p_better(sample_failures, sample_passes, basis_failures, basis_passes) < rules.alpha and -drop >= rules.pity - TOLERANCE:
        return "significant-improvement", p, False
    return "not-significant", p, False

def replay(data, nights, rules):
    """Readiness recorded night by night: [(night, {(test name, cell): CSV-like row})]."""
    opened = {}  # (test, cell) -> (basis pass % it opened on, first bad payload)
    jobs_of = collections.defaultdict(list)
    for job, cell in data["cell"].items():
        jobs_of[cell].append(job)
    results = []
    for night in nights:
        end, sample_start = plus_days(night, 1), plus_days(night, -6)
        basis = (plus_days(sample_start, -28), sample_start)
        main = counts(data, (sample_start, end), basis, rules.mode)
        extra = [counts(data, (plus_days(night, 1 - days), end), basis, rules.mode) for days in rules.recent]
        extra += [counts(data, (sample_start, end), basis, mode) for mode in rules.also]
        rows, q = {}, q_values(main, rules) if rules.fdr else {}
        for (test, cell), entry in main.items():
            key = (test, cell)
            status, p, kept = classify(entry, [looks.get(key, [0, 0, 0, 0]) for looks in extra], rules,
                                       opened[key][0] if key in opened else None, q.get(key, 1.0) if rules.fdr else None)
            bad = ""
            if status in detection.REGRESSED:
                if key not in opened:
                    opened[key] = (100 * entry[3] / entry[2], first_bad(data, test, jobs_of[cell], basis[0], end))
                bad = opened[key][1] or ""
            elif key in opened and status not in ("missing-sample", "missing-basis"):
                del opened[key]
            sample, sample_passes, basis_runs, basis_passes = entry
            rows[(data["names"][test], cell)] = {
                "test": data["names"][test], "cell": cell, "status": status, "kept_open": int(kept),
                "sample_runs": sample, "sample_passes": sample_passes, "basis_runs": basis_runs, "basis_passes": basis_passes,
                "pass_pct_drop": 100 * basis_passes / basis_runs - 100 * sample_passes / sample if sample and basis_runs else "",
                "p_value": p if p is not None else "", "q_value": "", "first_bad_payload": bad}
        results.append((night, rows))
    return results

KEYS = ("eligible", "detected", "eligible_regressed", "detected_regressed", "eligible_expected", "detected_expected", "stable", "false_alarms", "first_bad_known",
        "first_bad_exact", "first_bad_within_1", "flaps",
        "stable_cell_nights", "false_alarm_cell_nights")

def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    folders, variants = sys.argv[1:-1], json.loads(sys.argv[-1])
    totals = {name: collections.Counter() for name in variants}
    worlds = sorted(os.path.join(folder, entry) for folder in folders for entry in os.listdir(folder) if entry.startswith("world-"))
    for path in worlds:
        world = os.path.basename(path)
        with open(os.path.join(path, "world", "ground-truth.json")) as file:
            truth = json.load(file)
        nights = [p["date"] for p in truth["payloads"]][-int(os.environ.get("NIGHTS", "28")):]  # as detection.py --nights
        data = load(path)
        evaluation = detection.evaluate(truth, {name: replay(data, nights, Rules(**options)) for name, options in variants.items()}, world,
                                        detection.regressed_runs_counter(os.path.join(path, "ours.sqlite")))
        for name in variants:
            figures = evaluation[name]
            for key in KEYS:
                totals[name][key] += figures[key]
            print(f"{world:14} {name:20} recall {figures['detected']}/{figures['eligible']} recall* {figures['detected_expected']}/"
                  f"{figures['eligible_expected']} false alarms {figures['false_alarms']}/{figures['stable']} "
                  f"first bad exact {figures['first_bad_exact']}/{figures['first_bad_known']}", file=sys.stderr)
    for name, t in totals.items():
        print(f"{name:20} recall {detection.pct(t['detected'], t['eligible'])} ({t['detected']}/{t['eligible']})  "
              f"recall* {detection.pct(t['detected_expected'], t['eligible_expected'])} ({t['detected_expected']}/{t['eligible_expected']})  "
              f"recall(bad runs) {detection.pct(t['detected_regressed'], t['eligible_regressed'])} ({t['detected_regressed']}/{t['eligible_regressed']})  "
              f"false alarms/1,000 {detection.per_mille(t['false_alarms'], t['stable'])} ({t['false_alarms']}/{t['stable']})  "
              f"(all nights {detection.per_mille(t['false_alarm_cell_nights'], t['stable_cell_nights'])})  "
              f"first bad exact {detection.pct(t['first_bad_exact'], t['first_bad_known'])} "
              f"(within 1: {detection.pct(t['first_bad_within_1'], t['first_bad_known'])})  flaps {t['flaps']}")

if __name__ == "__main__":
    main()
