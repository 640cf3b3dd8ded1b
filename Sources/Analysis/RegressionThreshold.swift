// How many passes out of N sample runs still count as a regression against a basis: the table that
// `cisignal threshold-table` and payload aggregation print ("at 95% history, 10 runs, basis 250 → 7").
//
// The threshold is the one-sided Fisher's exact test itself, evaluated for each pass count, not a
// hard-coded table: a widely used table is one pass more lenient than the test it is named after.

import Foundation

/// The largest number of passes out of `runs` sample runs that is still a significant regression
/// (one-sided Fisher's exact test, sample worse, p < 1 − `confidence`) against a basis of
/// `basisRuns` runs of which `basisPasses` passed; nil when even 0 passes is not significant.
///
/// Every pass count at or below the result is a regression and every count above it is not, since
/// the p-value only grows with the number of passes.
public func largestRegressedPassCount(runs: Int, basisRuns: Int, basisPasses: Int, confidence: Double) -> Int? {
    precondition(runs >= 0 && basisRuns >= 0 && (0...basisRuns).contains(basisPasses), "counts out of range")
    precondition(confidence > 0 && confidence < 1, "confidence must be between 0 and 1")
    let alpha = 1 - confidence
    func regressed(_ passes: Int) -> Bool {
        FisherExact.pValueWorse(sampleFailures: runs - passes, samplePasses: passes,
                                basisFailures: basisRuns - basisPasses, basisPasses: basisPasses) < alpha
    }
    guard regressed(0) else { return nil }
    // regressed(inside) holds; regressed(outside) does not (runs + 1 stands for "past the end").
    var inside = 0, outside = runs + 1
    while outside - inside > 1 {
        let middle = inside + (outside - inside) / 2
        if regressed(middle) { inside = middle } else { outside = middle }
    }
    return inside
}

/// The number of basis passes used for a basis known only as a pass rate: `basisPassRate` ×
/// `basisRuns` rounded to the nearest whole run, halves rounded up (95% of 250 = 237.5 → 238, the
/// reading that reproduces the seed's worked example: 7 of 10 passes gives p ≈ 0.015, 8 gives
/// p ≈ 0.095). A product within 1e-9 of a half counts as the half, so binary rounding of the rate
/// cannot flip the result.
public func basisPasses(runs basisRuns: Int, passRate basisPassRate: Double) -> Int {
    precondition(basisRuns >= 0 && basisPassRate >= 0 && basisPassRate <= 1, "pass rate out of range")
    let exact = basisPassRate * Double(basisRuns)
    return min(basisRuns, max(0, Int((exact + 0.5 + 1e-9).rounded(.down))))
}

/// A regression threshold together with the rule that produced it, so a printed table can say
/// how it was computed.
public struct RegressionThreshold: Sendable, Equatable {
    /// Sample runs.
    public var runs: Int
    /// Basis runs and basis passes.
    public var basisRuns: Int, basisPasses: Int
    /// Confidence, e.g. 0.95; a table is a regression when p < 1 − confidence.
    public var confidence: Double
    /// The largest regressed pass count, or nil when no pass count is a regression.
    public var largestRegressedPassCount: Int?

    /// The threshold for a basis given as counts.
    public init(runs: Int, basisRuns: Int, basisPasses: Int, confidence: Double) {
        self.runs = runs
        self.basisRuns = basisRuns
        self.basisPasses = basisPasses
        self.confidence = confidence
        largestRegressedPassCount = Analysis.largestRegressedPassCount(
            runs: runs, basisRuns: basisRuns, basisPasses: basisPasses, confidence: confidence)
    }

    /// The threshold for a basis given as a pass rate, rounded to whole runs by
    /// ``basisPasses(runs:passRate:)``.
    public init(runs: Int, basisRuns: Int, basisPassRate: Double, confidence: Double) {
        self.init(runs: runs, basisRuns: basisRuns,
                  basisPasses: Analysis.basisPasses(runs: basisRuns, passRate: basisPassRate), confidence: confidence)
    }

    /// One line naming the rule, e.g. "Fisher's exact test, one-sided (sample worse), p < 0.05;
    /// basis 238 of 250 passes; 10 runs: 7 or fewer passes is a regression".
    public var rule: String {
        let alpha = ((1 - confidence) * 1e6).rounded() / 1e6
        let verdict = largestRegressedPassCount.map { "\($0) or fewer passes is a regression" }
            ?? "no pass count is a regression"
        return "Fisher's exact test, one-sided (sample worse), p < \(alpha); "
            + "basis \(basisPasses) of \(basisRuns) passes; \(runs) runs: \(verdict)"
    }
}
