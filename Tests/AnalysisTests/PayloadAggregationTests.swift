import Configuration
import Foundation
import Store
import Testing
@testable import Analysis

@Suite struct PayloadAggregationTests {
    /// History: 20 days of job-a runs on payload H, each passing t-stable, t-regressed and
    /// t-informing (100 of 100... one failure of t-stable). Sample: 10 runs on payload P.
    static func world() throws -> HandBuiltWorld {
        let world = try HandBuiltWorld()
        for day in 1...20 {
            for run in 0..<5 {
                let date = String(format: "2026-10-%02d", day)
                let stableFails = day == 3 && run == 0 ? 1 : 0
                try world.run("job-a", HandBuiltWorld.at(date, 8 + run), .success, payload: "H\(day)", [
                    ("t-stable", 1 - stableFails, stableFails, 0), ("t-regressed", 1, 0, 0), ("t-informing", 1, 0, 0),
                    ("t-new", 0, 0, 1),
                ])
            }
        }
        for run in 0..<10 {
            let regressed = run < 4  // 6 of 10 pass
            try world.run("job-a", HandBuiltWorld.at("2026-10-21", 8 + run), .failure, payload: "P", [
                ("t-stable", 1, 0, 0),
                ("t-regressed", regressed ? 0 : 1, regressed ? 1 : 0, 0),
                ("t-informing", run < 5 ? 0 : 1, run < 5 ? 1 : 0, 0),
                ("t-new", 1, 0, 0),
                ("t-skipped", 0, 0, 1),
                ("t-flaky", 1, run < 6 ? 1 : 0, 0),
            ] + (run < 3 ? [("t-rare", 1, 0, 0)] : []))
        }
        return world
    }

    func verdicts(_ aggregation: PayloadAggregation) -> [String: [String: Cell]] {
        let table = aggregation.table
        return Dictionary(uniqueKeysWithValues: table.rows.map { row in
            let named = Dictionary(uniqueKeysWithValues: zip(table.columns, row))
            guard case let .text(test)? = named["test"] else { return ("", named) }
            return (test, named)
        })
    }

    @Test func eachRuleGivesItsVerdict() throws {
        let world = try Self.world()
        var rules = AggregationRules()
        rules.informing = [try Pattern("informing")]
        let aggregation = try PayloadAggregation.run(payload: "P", rules: rules, on: world.database)
        let rows = verdicts(aggregation)
        #expect(rows["t-stable"]?["verdict"] == .text("passed"))
        // The basis is the 14 days before the payload's day (10-07 to 10-20): 70 runs; the failure
        // of 10-03 is older.
        #expect(rows["t-stable"]?["basis_attempts"] == .integer(70) && rows["t-stable"]?["basis_passes"] == .integer(70))
        // 6 of 10 against 70 of 70: regressed; the threshold is the test's own.
        #expect(rows["t-regressed"]?["verdict"] == .text("regressed"))
        let p = FisherExact.pValueWorse(sampleFailures: 4, samplePasses: 6, basisFailures: 0, basisPasses: 70)
        #expect(rows["t-regressed"]?["p_value"] == .number(p))
        #expect(rows["t-regressed"]?["largest_regressed_passes"]
                == .integer(Int64(largestRegressedPassCount(runs: 10, basisRuns: 70, basisPasses: 70, confidence: 0.95)!)))
        #expect(rows["t-informing"]?["verdict"] == .text("regressed-informing"))
        // Only skipped in history: no history, assumed fine.
        #expect(rows["t-new"]?["verdict"] == .text("no-history"))
        #expect(rows["t-skipped"]?["verdict"] == .text("skipped"))
        #expect(rows["t-rare"]?["verdict"] == .text("too-few-attempts"))
        // Flakes count as passes by default...
        #expect(rows["t-flaky"]?["passes"] == .integer(10) && rows["t-flaky"]?["verdict"] == .text("no-history"))
        #expect(aggregation.rejected)
        let order = aggregation.table.rows.map { $0[aggregation.table.column("test")!] }
        #expect(Array(order.prefix(2)) == [.text("t-regressed"), .text("t-informing")], "blocking regressions, then informing ones")
    }

    @Test func informingRegressionsAloneDoNotRejectAndFlakesCanCountAsFailures() throws {
        let world = try Self.world()
        var rules = AggregationRules()
        rules.informing = [try Pattern("informing|regressed")]
        #expect(!(try PayloadAggregation.run(payload: "P", rules: rules, on: world.database)).rejected)
        rules.flakesArePasses = false
        rules.minimumAttempts = 20
        let strict = verdicts(try PayloadAggregation.run(payload: "P", rules: rules, on: world.database))
        #expect(strict["t-flaky"]?["passes"] == .integer(4))
        #expect(strict["t-regressed"]?["verdict"] == .text("too-few-attempts"))
        #expect(try PayloadAggregation.run(payload: "nope", rules: rules, on: world.database).jobs == 0)
    }
}
