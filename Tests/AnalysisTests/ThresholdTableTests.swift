import Testing
@testable import Analysis

@Suite struct ThresholdTableTests {
    @Test func theSeedsExampleAndEveryLineAgreeWithTheTest() {
        let table = thresholdTable(runs: 10, basisRuns: 250, confidence: 0.95)
        #expect(table.rows.count == 101)
        let pct = table.column("basis_pass_pct")!, largest = table.column("largest_regressed_passes")!
        let atLargest = table.column("p_value_at_largest")!, above = table.column("p_value_above")!
        let row95 = table.rows[95]
        #expect(row95[pct] == .integer(95))
        #expect(row95[largest] == .integer(7))
        #expect(abs((row95[atLargest].numeric ?? 1) - 0.0147) < 0.0005)
        #expect(abs((row95[above].numeric ?? 0) - 0.0946) < 0.0005)
        for row in table.rows {
            // The largest regressed count is below alpha, one more is not.
            if let p = row[atLargest].numeric { #expect(p < 0.05) }
            if let p = row[above].numeric { #expect(p >= 0.05) }
        }
        // A perfect history makes even 9 of 10 a regression; a 0% history makes nothing one.
        #expect(table.rows[100][largest] == .integer(9))
        #expect(table.rows[0][largest] == .null)
        // Thresholds never fall as the history gets better.
        let thresholds = table.rows.map { $0[largest].numeric ?? -1 }
        #expect(thresholds == thresholds.sorted())
    }

    @Test func moreRunsAndHigherConfidenceMoveTheThreshold() {
        let strict = thresholdTable(runs: 10, basisRuns: 250, confidence: 0.99)
        let column = strict.column("largest_regressed_passes")!
        #expect((strict.rows[95][column].numeric ?? 99) < 7)
        let twenty = thresholdTable(runs: 20, basisRuns: 250, confidence: 0.95)
        #expect((twenty.rows[95][column].numeric ?? 0) > 7)
    }
}
