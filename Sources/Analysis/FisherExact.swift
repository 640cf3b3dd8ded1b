// Fisher's exact test for a 2×2 table of test runs, computed exactly from the hypergeometric
// distribution.
//
// Table convention (DOMAIN.md, "Regression statistics"):
//
//     [[sample failures, sample passes],
//      [basis failures,  basis passes ]]
//
// With both margins fixed, the number of sample failures X is hypergeometric: N = all runs,
// K = all failures, n = sample runs. "Worse" is P(X ≥ observed), "better" is P(X ≤ observed), and
// two-sided is the sum of P(X = k) over every k no more likely than the observed table.
//
// Method. One point probability is evaluated directly, in log space, with Loader's saddle-point
// form of the binomial probability (C. Loader, "Fast and Accurate Computation of Binomial
// Probabilities", 2000): a hypergeometric probability is a ratio of three binomial probabilities
// with the same success probability n/N, and each of those is written with the Stirling-series
// remainder and the deviance term, which are small near the centre and computed without
// cancellation. That keeps the relative error near 1e-14 for counts up to 10^6 and beyond, where
// lgamma differences would lose about 1e-9 (lgamma(2·10^6) ≈ 2.7·10^7). A tail is then the first
// (largest) term times a sum of running products of the exact term ratio, summed from the far side
// of the mode outwards so that every term is smaller than the last, and stopped when a geometric
// bound on everything left is below 1e-17 of the sum. A tail that contains the mode is one minus the
// opposite tail; it holds the mode's side of the distribution, so it is not small and the
// subtraction loses only about one rounding of 1 (agreement with scipy confirms this).

import Foundation

/// Fisher's exact test for a 2×2 table of sample and basis runs.
///
/// Every function takes the four cells of `[[sampleFailures, samplePasses], [basisFailures,
/// basisPasses]]`; counts must be non-negative. A table with an empty row or column carries no
/// evidence and every p-value of it is 1, as in scipy.
public enum FisherExact {
    /// Relative tolerance for "no more likely than the observed table" in the two-sided test:
    /// table k counts when P(k) ≤ P(observed) · (1 + 1e-7), so that tables of mathematically equal
    /// probability are not split by rounding. This is R's `fisher.test` tolerance; scipy 1.17 uses
    /// 1e-14, which only differs for tables within that band of the observed probability.
    public static let twoSidedRelativeTolerance = 1e-7

    /// The three p-values of one table.
    public struct PValues: Sendable, Equatable {
        /// One-sided p-value that the sample fails more often than the basis (scipy "greater").
        public var worse: Double
        /// One-sided p-value that the sample fails less often than the basis (scipy "less").
        public var better: Double
        /// Two-sided p-value (scipy "two-sided").
        public var twoSided: Double
    }

    /// One-sided p-value that the sample fails more often than the basis: P(X ≥ sample failures)
    /// under the hypergeometric null with fixed margins (scipy's `alternative='greater'`).
    public static func pValueWorse(sampleFailures: Int, samplePasses: Int, basisFailures: Int, basisPasses: Int) -> Double {
        let h = Hypergeometric(sampleFailures: sampleFailures, samplePasses: samplePasses,
                               basisFailures: basisFailures, basisPasses: basisPasses)
        return h.upperTail(sampleFailures)
    }

    /// One-sided p-value that the sample fails less often than the basis: P(X ≤ sample failures)
    /// under the hypergeometric null with fixed margins (scipy's `alternative='less'`).
    public static func pValueBetter(sampleFailures: Int, samplePasses: Int, basisFailures: Int, basisPasses: Int) -> Double {
        let h = Hypergeometric(sampleFailures: sampleFailures, samplePasses: samplePasses,
                               basisFailures: basisFailures, basisPasses: basisPasses)
        return h.lowerTail(sampleFailures)
    }

    /// Two-sided p-value: the total probability of the tables with the same margins that are no
    /// more likely than the observed one (within ``twoSidedRelativeTolerance``), as scipy does it.
    public static func pValueTwoSided(sampleFailures: Int, samplePasses: Int, basisFailures: Int, basisPasses: Int) -> Double {
        let h = Hypergeometric(sampleFailures: sampleFailures, samplePasses: samplePasses,
                               basisFailures: basisFailures, basisPasses: basisPasses)
        return h.twoSided(sampleFailures)
    }

    /// All three p-values of one table.
    public static func pValues(sampleFailures: Int, samplePasses: Int, basisFailures: Int, basisPasses: Int) -> PValues {
        let h = Hypergeometric(sampleFailures: sampleFailures, samplePasses: samplePasses,
                               basisFailures: basisFailures, basisPasses: basisPasses)
        return PValues(worse: h.upperTail(sampleFailures), better: h.lowerTail(sampleFailures),
                       twoSided: h.twoSided(sampleFailures))
    }
}

/// The hypergeometric distribution of sample failures given a table's margins.
struct Hypergeometric {
    /// All runs, all failures, sample runs.
    let total: Int, failures: Int, draws: Int
    /// Support and (a) mode of X.
    let low: Int, high: Int, mode: Int
    /// ln P(X = k) = a(k) + b(k) − c; `c` does not depend on k and is kept here.
    private let logDenominator: Double
    /// ln p and ln q for p = draws/total, each computed the accurate way round.
    private let logP: Double, logQ: Double

    init(sampleFailures: Int, samplePasses: Int, basisFailures: Int, basisPasses: Int) {
        precondition(sampleFailures >= 0 && samplePasses >= 0 && basisFailures >= 0 && basisPasses >= 0,
                     "Fisher's exact test needs non-negative counts")
        total = sampleFailures + samplePasses + basisFailures + basisPasses
        failures = sampleFailures + basisFailures
        draws = sampleFailures + samplePasses
        low = max(0, draws - (total - failures))
        high = min(draws, failures)
        mode = total == 0 ? 0 : (draws + 1) * (failures + 1) / (total + 2)
        if low < high {
            let p = Double(draws) / Double(total), q = Double(total - draws) / Double(total)
            logP = p < 0.5 ? log(p) : log1p(-q)
            logQ = p < 0.5 ? log1p(-p) : log(q)
            // ln b(draws; total, p): the deviance terms vanish because total·p = draws exactly.
            logDenominator = stirlingRemainder(total) - stirlingRemainder(draws) - stirlingRemainder(total - draws)
                + 0.5 * log(Double(total) / (2 * Double.pi * Double(draws) * Double(total - draws)))
        } else {
            logP = 0; logQ = 0; logDenominator = 0
        }
    }

    /// ln P(X = k) for low ≤ k ≤ high, with a relative error of the probability near 1e-14.
    func logPMF(_ k: Int) -> Double {
        let n = Double(draws), t = Double(total)
        let good = failures, bad = total - failures
        // ln b(k; good, p) + ln b(n − k; bad, p) − ln b(n; total, p) with p = n / total.
        let first = logBinomial(k, of: good, mean: Double(good) * n / t, complementMean: Double(good) * (t - n) / t)
        let second = logBinomial(draws - k, of: bad, mean: Double(bad) * n / t, complementMean: Double(bad) * (t - n) / t)
        return first + second - logDenominator
    }

    /// ln of the binomial probability of `k` successes in `m` trials with success probability p,
    /// given m·p and m·q.
    private func logBinomial(_ k: Int, of m: Int, mean: Double, complementMean: Double) -> Double {
        if m == 0 { return 0 }
        if k == 0 { return Double(m) * logQ }
        if k == m { return Double(m) * logP }
        return stirlingRemainder(m) - stirlingRemainder(k) - stirlingRemainder(m - k)
            - deviance(Double(k), mean) - deviance(Double(m - k), complementMean)
            + 0.5 * log(Double(m) / (2 * Double.pi * Double(k) * Double(m - k)))
    }

    /// P(X ≥ x).
    func upperTail(_ x: Int) -> Double {
        if x <= low { return 1 }
        if x > high { return 0 }
        if x > mode { return sumUp(from: x) }
        return clamp(1 - sumDown(from: x - 1))
    }

    /// P(X ≤ x).
    func lowerTail(_ x: Int) -> Double {
        if x >= high { return 1 }
        if x < low { return 0 }
        if x < mode { return sumDown(from: x) }
        return clamp(1 - sumUp(from: x + 1))
    }

    /// Sum of P(X = k) over the k with P(X = k) ≤ P(X = x) · (1 + tolerance).
    func twoSided(_ x: Int) -> Double {
        if low >= high || x == mode { return 1 }
        let logObserved = logPMF(x)
        let limit = logObserved + log1p(FisherExact.twoSidedRelativeTolerance)
        if x > mode {
            // The far side is increasing on [low, mode]; find the last k there at or under the limit.
            let near = sumUp(from: x, logFirst: logObserved)
            guard logPMF(low) <= limit else { return clamp(near) }
            var inside = low, outside = mode + 1  // logPMF(inside) ≤ limit; outside is past the end
            if logPMF(mode) <= limit { inside = mode } else { outside = mode }
            while outside - inside > 1 {
                let middle = inside + (outside - inside) / 2
                if logPMF(middle) <= limit { inside = middle } else { outside = middle }
            }
            return clamp(near + sumDown(from: inside))
        } else {
            // The far side is decreasing on [mode, high]; find the first k there at or under the limit.
            let near = sumDown(from: x, logFirst: logObserved)
            guard logPMF(high) <= limit else { return clamp(near) }
            var inside = high, outside = mode - 1
            if logPMF(mode) <= limit { inside = mode } else { outside = mode }
            while inside - outside > 1 {
                let middle = outside + (inside - outside) / 2
                if logPMF(middle) <= limit { inside = middle } else { outside = middle }
            }
            return clamp(near + sumUp(from: inside))
        }
    }

    /// P(X ≥ x) for x ≥ mode, where every later term is no larger than the one before.
    private func sumUp(from x: Int, logFirst: Double? = nil) -> Double {
        let first = exp(logFirst ?? logPMF(x))
        if first == 0 { return 0 }
        // P(k+1)/P(k) = (K − k)(n − k) / ((k + 1)(N − K − n + k + 1)).
        var a = Double(failures - x), b = Double(draws - x)
        var c = Double(x + 1), d = Double(total - failures - draws + x + 1)
        var term = 1.0, sum = 1.0
        var k = x
        while k < high {
            let ratio = (a * b) / (c * d)
            term *= ratio
            sum += term
            k += 1
            // Later ratios are no larger (log-concavity), so the rest is at most term·r/(1 − r).
            if term * ratio <= sum * 1e-17 * (1 - ratio) { break }
            a -= 1; b -= 1; c += 1; d += 1
        }
        return first * sum
    }

    /// P(X ≤ x) for x ≤ mode, where every earlier term is no larger than the one after.
    private func sumDown(from x: Int, logFirst: Double? = nil) -> Double {
        let first = exp(logFirst ?? logPMF(x))
        if first == 0 { return 0 }
        // P(k−1)/P(k) = k (N − K − n + k) / ((K − k + 1)(n − k + 1)).
        var a = Double(x), b = Double(total - failures - draws + x)
        var c = Double(failures - x + 1), d = Double(draws - x + 1)
        var term = 1.0, sum = 1.0
        var k = x
        while k > low {
            let ratio = (a * b) / (c * d)
            term *= ratio
            sum += term
            k -= 1
            if term * ratio <= sum * 1e-17 * (1 - ratio) { break }
            a -= 1; b -= 1; c += 1; d += 1
        }
        return first * sum
    }

    private func clamp(_ p: Double) -> Double { min(1, max(0, p)) }
}

/// ln Γ(n + 1) − ((n + ½) ln n − n + ½ ln 2π), the error of Stirling's formula, for n ≥ 1.
private func stirlingRemainder(_ n: Int) -> Double {
    if n <= 15 { return smallStirlingRemainders[n] }
    let x = Double(n), x2 = x * x
    // Stirling series: 1/(12n) − 1/(360n³) + 1/(1260n⁵) − 1/(1680n⁷) + 1/(1188n⁹); the next term
    // is below 1e-16 from n = 16 on.
    return (1.0 / 12 - (1.0 / 360 - (1.0 / 1260 - (1.0 / 1680 - 1.0 / 1188 / x2) / x2) / x2) / x2) / x
}

/// The remainder for n = 0…15 (the entry for 0 is unused), from 40-digit arithmetic (mpmath).
private let smallStirlingRemainders: [Double] = [
    0,
    0.08106146679532725822, 0.041340695955409294094, 0.027677925684998339149,
    0.020790672103765093112, 0.016644691189821192163, 0.013876128823070747999,
    0.011896709945891770095, 0.010411265261972096497, 0.0092554621827127329177,
    0.0083305634333628712565, 0.007573675487951840795, 0.0069428401072095298657,
    0.0064089941880042070684, 0.0059513701127588477356, 0.005554733551962801371,
]

/// The deviance term x ln(x/m) + m − x for x > 0, m > 0, without cancellation when x ≈ m.
private func deviance(_ x: Double, _ m: Double) -> Double {
    let difference = x - m
    if abs(difference) < 0.1 * (x + m) {
        // With v = (x − m)/(x + m): x ln(x/m) + m − x = (x − m)v + 2x Σ_{j≥1} v^(2j+1)/(2j+1).
        let v = difference / (x + m), v2 = v * v
        var sum = difference * v
        var power = 2 * x * v
        var j = 1.0
        while true {
            power *= v2
            let next = sum + power / (2 * j + 1)
            if next == sum { return sum }
            sum = next
            j += 1
        }
    }
    return x * log(x / m) + m - x
}
