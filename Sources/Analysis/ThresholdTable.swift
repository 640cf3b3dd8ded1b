/// The regression thresholds for every basis pass percentage from 0 to 100: what
/// `cisignal threshold-table` prints.
///
/// Columns: basis_pass_pct, basis_runs, basis_passes, runs, confidence_pct,
/// largest_regressed_passes (empty when no pass count is a regression), p_value_at_largest (the
/// one-sided p of that count), p_value_above (of one pass more, which is not a regression).
public func thresholdTable(runs: Int, basisRuns: Int, confidence: Double) -> ResultTable {
    var rows: [[Cell]] = []
    for percent in 0...100 {
        let passes = basisPasses(runs: basisRuns, passRate: Double(percent) / 100)
        let largest = largestRegressedPassCount(runs: runs, basisRuns: basisRuns, basisPasses: passes, confidence: confidence)
        func p(_ samplePasses: Int) -> Cell {
            guard (0...runs).contains(samplePasses) else { return .null }
            return .number(FisherExact.pValueWorse(sampleFailures: runs - samplePasses, samplePasses: samplePasses,
                                                   basisFailures: basisRuns - passes, basisPasses: passes))
        }
        rows.append([
            .integer(Int64(percent)), .integer(Int64(basisRuns)), .integer(Int64(passes)), .integer(Int64(runs)),
            .number(confidence * 100),
            largest.map { .integer(Int64($0)) } ?? .null,
            largest.map(p) ?? .null,
            p(largest.map { $0 + 1 } ?? 0),
        ])
    }
    return ResultTable(columns: ["basis_pass_pct", "basis_runs", "basis_passes", "runs", "confidence_pct",
                                 "largest_regressed_passes", "p_value_at_largest", "p_value_above"], rows: rows)
}
