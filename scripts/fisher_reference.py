#!/usr/bin/env python3
"""Writes Tests/AnalysisTests/fisher-reference.tsv: 2x2 tables with scipy's Fisher exact p-values.

Table [[sf, sp], [bf, bp]] = [[sample failures, sample passes], [basis failures, basis passes]].
scipy's alternative='greater' (odds ratio > 1: the sample's failure odds are higher) is our
"worse", 'less' is "better", 'two-sided' is two-sided. Values are written with repr(), the
shortest text that reads back as the same double.

Seeded, so the file is reproducible: python3 scripts/fisher_reference.py
The Swift tests read the file; they do not need scipy.
"""

import os
import random
import sys

from scipy.stats import fisher_exact

SEED = 20240611
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "AnalysisTests",
                   "fisher-reference.tsv")


def tables(rng):
    seen = set()

    def add(sf, sp, bf, bp):
        t = (int(sf), int(sp), int(bf), int(bp))
        assert min(t) >= 0
        if t not in seen:
            seen.add(t)
            yield t

    # Every small table: zeros in every cell, empty rows and columns.
    small = [0, 1, 2, 5]
    for sf in small:
        for sp in small:
            for bf in small:
                for bp in small:
                    yield from add(sf, sp, bf, bp)

    # The seed's worked example and its neighbours: basis 250 runs at 95% (238 passes), 10 runs.
    for bp in (237, 238):
        for passes in range(11):
            yield from add(10 - passes, passes, 250 - bp, bp)

    # Symmetric tables.
    for _ in range(150):
        a, b = rng.randint(0, 300), rng.randint(0, 300)
        yield from add(a, b, b, a)
        yield from add(a, a, b, b)
        yield from add(a, b, a, b)

    # Typical CI shapes: sample 5..100 runs, basis 50..10,000 runs at 80-100% pass.
    for _ in range(1800):
        runs = rng.randint(5, 100)
        basis = rng.choice([rng.randint(50, 500), rng.randint(500, 10_000)])
        rate = rng.uniform(0.8, 1.0) if rng.random() < 0.8 else 1.0
        bp = round(basis * rate)
        sample_rate = min(1.0, max(0.0, rate - rng.choice([0, 0, 0.02, 0.05, 0.1, 0.2, 0.4])
                                   + rng.uniform(-0.03, 0.03)))
        sp = sum(1 for _ in range(runs) if rng.random() < sample_rate)
        yield from add(runs - sp, sp, basis - bp, bp)

    # Uniform random small and medium counts.
    for _ in range(400):
        yield from add(*(rng.randint(0, 30) for _ in range(4)))
    for _ in range(300):
        yield from add(*(rng.randint(0, 2000) for _ in range(4)))

    # Huge counts, up to 10^6 in a cell: near the null (moderate p) and far from it (tiny p).
    for _ in range(150):
        n1, n2 = rng.randint(1000, 1_000_000), rng.randint(1000, 1_000_000)
        rate = rng.uniform(0.001, 0.999)
        shift = rng.choice([0.0, 0.0, 0.0005, 0.001, 0.003, 0.01, 0.05])
        sf = min(n1, max(0, round(n1 * (rate + shift) + rng.gauss(0, 1) * (n1 * rate * (1 - rate)) ** 0.5)))
        bf = round(n2 * rate)
        yield from add(sf, n1 - sf, bf, n2 - bf)
    for t in [(1_000_000, 0, 0, 1_000_000), (0, 1_000_000, 1_000_000, 0), (500_000, 500_000, 500_000, 500_000),
              (500_000, 500_000, 499_000, 501_000), (1, 1_000_000, 0, 1_000_000), (1_000_000, 1_000_000, 1_000_000, 999_000),
              (10, 1_000_000, 0, 1_000_000), (0, 1_000_000, 10, 1_000_000), (3, 0, 0, 1_000_000),
              (1_000_000, 1, 1, 1_000_000), (999_999, 1, 1_000_000, 0), (5, 95, 1_000, 999_000)]:
        yield from add(*t)

    # Extreme p-values around 1e-300 and below (kept even when subnormal or zero).
    for n in (400, 450, 480, 500, 510, 520, 550, 600, 700, 1000):
        yield from add(n, 0, 0, n)
        yield from add(n, 1, 1, n)
        yield from add(n, n // 10, n // 10, n)
    for _ in range(60):
        n = rng.randint(300, 3000)
        f = rng.randint(0, n // 20)
        yield from add(n - f, f, f, n - f)


def exact_tails(sf, sp, bf, bp, digits=40):
    """P(X >= sf) and P(X <= sf) in `digits`-digit arithmetic (mpmath), independent of scipy.

    Used for the few huge tables where scipy's own error (about 1e-10 at 10^6 counts) is larger
    than ours; `--exact` prints them for FisherExactTests.
    """
    import mpmath
    mpmath.mp.dps = digits
    N, K, n = sf + sp + bf + bp, sf + bf, sf + sp
    lo, hi = max(0, n - (N - K)), min(n, K)
    lf = lambda m: mpmath.loggamma(m + 1)
    first = mpmath.exp(lf(K) - lf(sf) - lf(K - sf) + lf(N - K) - lf(n - sf) - lf(N - K - n + sf)
                       - lf(N) + lf(n) + lf(N - n))
    small = mpmath.mpf(10) ** -(digits - 8)

    def tail(step):
        term, total, k = first, first, sf
        while (k < hi) if step > 0 else (k > lo):
            if step > 0:
                term *= mpmath.mpf(K - k) * (n - k) / ((k + 1) * (N - K - n + k + 1))
            else:
                term *= mpmath.mpf(k) * (N - K - n + k) / ((K - k + 1) * (n - k + 1))
            total += term
            k += step
            if term < total * small:
                break
        return total

    return tail(+1), tail(-1)


def print_exact():
    for table in [(1_000_000, 1_000_000, 1_000_000, 999_000), (500_000, 500_000, 499_000, 501_000),
                  (600, 400_000, 1_000, 999_000)]:
        worse, better = exact_tails(*table)
        print(table, mpmath_str(worse), mpmath_str(better))


def mpmath_str(x):
    import mpmath
    return mpmath.nstr(x, 20)


def main():
    if "--exact" in sys.argv:
        print_exact()
        return
    rng = random.Random(SEED)
    rows = ["sf\tsp\tbf\tbp\tworse\tbetter\ttwo_sided"]
    for sf, sp, bf, bp in tables(rng):
        table = [[sf, sp], [bf, bp]]
        worse = float(fisher_exact(table, alternative="greater").pvalue)
        better = float(fisher_exact(table, alternative="less").pvalue)
        two = float(fisher_exact(table, alternative="two-sided").pvalue)
        rows.append("\t".join([str(sf), str(sp), str(bf), str(bp), repr(worse), repr(better), repr(two)]))
    with open(OUT, "w") as f:
        f.write("\n".join(rows) + "\n")
    print(f"wrote {len(rows) - 1} tables to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
