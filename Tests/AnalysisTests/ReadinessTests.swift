import Configuration
import Foundation
import Reports
import Store
import Testing
@testable import Analysis

@Suite struct ReadinessRuleTests {
    /// Test ids by name, given in order of first use (stable, collision-free).
    final class Identities: @unchecked Sendable {
        var ids: [String: Int64] = [:]
        func id(_ name: String) -> Int64 {
            if let id = ids[name] { return id }
            ids[name] = Int64(ids.count + 1)
            return ids[name]!
        }
    }
    let identities = Identities()

    func cell(_ name: String, sample: (runs: Int, passes: Int), basis: (runs: Int, passes: Int)) -> ReadinessCell {
        ReadinessCell(component: "c", testID: identities.id(name), test: name, cell: "platform=aws",
                      sampleRuns: sample.runs, samplePasses: sample.passes, sampleFailures: sample.runs - sample.passes,
                      basisRuns: basis.runs, basisPasses: basis.passes)
    }

    func classify(_ cells: [ReadinessCell], _ rules: ReadinessRules = ReadinessRules(), open: [String: Double] = [:]) -> [String: ReadinessCell] {
        var cells = cells
        Readiness.classify(&cells, rules: rules, open: open)
        return Dictionary(uniqueKeysWithValues: cells.map { ($0.test, $0) })
    }

    @Test func missingWindows() {
        let result = classify([cell("no-sample", sample: (0, 0), basis: (50, 50)), cell("no-basis", sample: (10, 2), basis: (0, 0))])
        #expect(result["no-sample"]?.status == .missingSample)
        #expect(result["no-basis"]?.status == .missingBasis)
    }

    @Test func theDefaultsAreTheAnchorsPlusFirstAttemptsAndFalseDiscoveryControl() {
        let rules = ReadinessRules()
        #expect(rules.confidence == 0.95 && rules.minimumFailures == 3 && rules.pityPoints == 5 && rules.extremePoints == 15)
        #expect(rules.falseDiscoveryRate == 0.05 && !rules.flakesArePasses && rules.keepConfidence == 0.8)
        #expect(rules.description.contains("Benjamini–Hochberg q < 0.05") && rules.description.contains("first-attempt pass rate"))
    }

    @Test func theMinimumFailuresBoundary() {
        // 2 failures of 10 against a perfect history: significant by p, but under the minimum.
        let result = classify([cell("two", sample: (10, 8), basis: (1000, 1000)), cell("three", sample: (10, 7), basis: (1000, 1000))])
        #expect(result["two"]!.pWorse! < 0.05)
        #expect(result["two"]?.status == .notSignificant)
        #expect(result["three"]?.status == .extremeRegression)
    }

    @Test func thePityBoundary() {
        // Large counts make small drops significant; the pity margin keeps them out.
        let below = cell("drop-4.9", sample: (1000, 951), basis: (10000, 10000))
        let at = cell("drop-5.0", sample: (1000, 950), basis: (10000, 10000))
        let result = classify([below, at])
        #expect(result["drop-4.9"]!.pWorse! < 1e-6 && result["drop-4.9"]?.status == .notSignificant)
        #expect(abs(result["drop-5.0"]!.drop! - 5) < 1e-9 && result["drop-5.0"]?.status == .significantRegression)
    }

    @Test func anExactDropIsNotLostToRounding() {
        // 65.714…% − 60.714…% is exactly 5 points, but 4.999999999999993 in doubles.
        let exact = cell("exact-5", sample: (2800, 1700), basis: (3500, 2300))
        #expect(exact.drop! < 5)
        #expect(classify([exact])["exact-5"]?.status == .significantRegression)
    }

    @Test func theExtremeBoundary() {
        let result = classify([cell("drop-15", sample: (100, 85), basis: (1000, 1000)), cell("drop-16", sample: (100, 84), basis: (1000, 1000))])
        #expect(result["drop-15"]?.status == .significantRegression, "exactly 15 points is not beyond 15")
        #expect(result["drop-16"]?.status == .extremeRegression)
    }

    @Test func improvementsAndNoise() {
        let result = classify([cell("better", sample: (100, 100), basis: (1000, 800)), cell("same", sample: (10, 9), basis: (100, 91))])
        #expect(result["better"]?.status == .significantImprovement)
        #expect(result["same"]?.status == .notSignificant)
    }

    @Test func falseDiscoveryControlRaisesTheBar() {
        // One borderline cell among many that fail now and then (5%, one failure in the sample):
        // significant alone, not after BH.
        var cells = [cell("borderline", sample: (20, 16), basis: (400, 390))]
        for index in 0..<200 { cells.append(cell("noisy-\(index)", sample: (20, 19), basis: (400, 380))) }
        var rules = ReadinessRules()
        rules.falseDiscoveryRate = nil
        let plain = classify(cells, rules)
        #expect(plain["borderline"]?.status.isRegression == true)
        rules.falseDiscoveryRate = 0.05
        let controlled = classify(cells, rules)
        #expect(controlled["borderline"]?.status == .notSignificant)
        #expect(controlled["borderline"]!.qValue! > 0.05 && controlled["borderline"]!.qValue! <= 1)
        // A strong regression survives BH.
        cells.append(cell("strong", sample: (20, 5), basis: (400, 400)))
        #expect(classify(cells, rules)["strong"]?.status == .extremeRegression)
    }

    @Test func cellsThatCannotRegressDoNotDiluteFalseDiscoveryControl() {
        // The same borderline cell among 200 tests that never failed, and 200 that failed twice in
        // the basis only: neither can ever reach three sample failures, so the family is the
        // borderline cell alone and its q-value is its p-value.
        var cells = [cell("borderline", sample: (20, 16), basis: (400, 390))]
        for index in 0..<200 { cells.append(cell("clean-\(index)", sample: (20, 20), basis: (400, 400))) }
        for index in 0..<200 { cells.append(cell("twice-\(index)", sample: (20, 20), basis: (400, 398))) }
        var rules = ReadinessRules()
        rules.falseDiscoveryRate = 0.05
        let result = classify(cells, rules)
        #expect(result["borderline"]?.status.isRegression == true)
        #expect(result["borderline"]!.qValue! == result["borderline"]!.pWorse!)
        #expect(result["clean-0"]!.qValue == nil && result["twice-0"]!.qValue == nil)
        // Margins that allow three sample failures but no significant p (a basis of two runs) are
        // left out too; one that could be significant is in.
        #expect(!Readiness.canRegress(cell("tiny-basis", sample: (10, 6), basis: (2, 1)), rules: rules))
        #expect(Readiness.canRegress(cell("could", sample: (20, 20), basis: (400, 397)), rules: rules))
        let report = ReadinessReport(sample: Day("2026-11-14")!..<Day("2026-11-21")!, basis: Day("2026-10-17")!..<Day("2026-11-14")!,
                                     rules: rules, cells: Array(result.values))
        #expect(report.cellsThatCanRegress == 1 && report.cellsTested == 401)
    }

    @Test func anOpenRegressionNeedsClearRecoveryToClose() throws {
        // p between 0.05 and 0.2 with a failure: a new cell is no regression, an open one stays open.
        let weak = cell("weak", sample: (20, 18), basis: (200, 196))
        let p = FisherExact.pValueWorse(sampleFailures: 2, samplePasses: 18, basisFailures: 4, basisPasses: 196)
        #expect(p > 0.05 && p < 0.2)
        #expect(classify([weak])["weak"]?.status == .notSignificant)
        let openKey = Readiness.key(weak.testID, weak.cell)
        let kept = classify([weak], open: [openKey: 99])["weak"]
        #expect(kept?.status.isRegression == true && kept?.keptOpen == true)
        // What kept it open is stated: the basis it opened against, and the sample's p against it.
        #expect(kept?.openedBasisPassPct == 99)
        let keepP = try #require(kept?.keepPValue)
        #expect(keepP == Readiness.keepPValue(weak, openedBasisPct: 99) && keepP < 0.2 && keepP != kept?.pWorse)
        #expect(classify([weak])["weak"]?.keepPValue == nil)
        // Recovered: no failures at all.
        let recovered = cell("weak", sample: (20, 20), basis: (200, 196))
        #expect(classify([recovered], open: [openKey: 98])["weak"]?.status == .notSignificant)
    }

    @Test func aLongRegressionIsNotWashedOutByItsOwnBasis() {
        // Opened against a 100% basis; weeks later the basis holds the regression too (75%), so the
        // sample (70%) is no longer worse than it — but still clearly worse than when it opened.
        let old = cell("old", sample: (40, 28), basis: (160, 120))
        #expect(classify([old])["old"]?.status == .notSignificant)
        let kept = classify([old], open: [Readiness.key(old.testID, old.cell): 100])["old"]
        #expect(kept?.status == .extremeRegression && kept?.keptOpen == true)
    }

    @Test func everyRuleCanBeChanged() {
        // 4 failures in 40 against 1 in 200 (drop 9.5 points, p ≈ 0.002): a regression by the anchors.
        let sample = (runs: 40, passes: 36), basis = (runs: 200, passes: 199)
        var rules = ReadinessRules()
        rules.falseDiscoveryRate = nil
        #expect(classify([cell("t", sample: sample, basis: basis)], rules)["t"]?.status == .significantRegression)
        var stricter = rules
        stricter.confidence = 0.999
        #expect(classify([cell("t", sample: sample, basis: basis)], stricter)["t"]?.status == .notSignificant)
        stricter = rules
        stricter.minimumFailures = 5
        #expect(classify([cell("t", sample: sample, basis: basis)], stricter)["t"]?.status == .notSignificant)
        stricter = rules
        stricter.pityPoints = 10
        #expect(classify([cell("t", sample: sample, basis: basis)], stricter)["t"]?.status == .notSignificant)
        var sharper = rules
        sharper.extremePoints = 9
        #expect(classify([cell("t", sample: sample, basis: basis)], sharper)["t"]?.status == .extremeRegression)
    }

    @Test func theGridShowsEachCellsWorstStatus() {
        func entry(_ test: String, _ component: String, _ variant: String, _ status: CellStatus) -> ReadinessCell {
            var value = cell(test, sample: (10, 10), basis: (10, 10))
            value.component = component
            value.cell = variant
            value.status = status
            return value
        }
        let report = ReadinessReport(
            sample: Day("2026-11-14")!..<Day("2026-11-21")!, basis: Day("2026-10-17")!..<Day("2026-11-14")!, rules: ReadinessRules(),
            cells: [entry("a", "net", "platform=aws", .notSignificant), entry("b", "net", "platform=aws", .extremeRegression),
                    entry("c", "net", "platform=aws", .significantRegression), entry("d", "net", "platform=gcp", .significantImprovement),
                    entry("e", "net", "platform=gcp", .notSignificant), entry("f", "auth", "platform=aws", .missingBasis),
                    entry("g", "auth", "platform=aws", .significantImprovement)])
        let (columns, worst) = ReadinessTable.grid(report)
        #expect(columns == ["platform=aws", "platform=gcp"])
        #expect(worst["net"]?["platform=aws"] == .extremeRegression)
        #expect(worst["net"]?["platform=gcp"] == .notSignificant)
        #expect(worst["auth"]?["platform=aws"] == .missingBasis && worst["auth"]?["platform=gcp"] == nil)
        let summary = ReadinessTable.summary(report, regressions: [], triage: Triage())
        let gridLines = summary.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(gridLines.contains(["net", "XX", "ok"]) && gridLines.contains(["auth", "?b"]), "\(summary)")
    }

    @Test func theRulesLineSaysWhetherRegressionsAreKeptOpen() {
        var report = ReadinessReport(sample: Day("2026-11-14")!..<Day("2026-11-21")!, basis: Day("2026-10-17")!..<Day("2026-11-14")!,
                                     rules: ReadinessRules(), cells: [])
        #expect(report.rulesDescription.contains("stays open while p < 0.2"))
        report.recorded = false
        #expect(report.rulesDescription.contains("nothing is kept open (no hysteresis)") && !report.rulesDescription.contains("stays open"))
        #expect(ReadinessTable.summary(report, regressions: [], triage: Triage()).contains("no hysteresis"))
    }

    @Test func theChangepointIsWhereTheRateDropped() {
        let series = [("p1", 10, 10), ("p2", 10, 10), ("p3", 10, 9), ("p4", 10, 4), ("p5", 10, 5), ("p6", 10, 3)]
            .map { RevertWindow.Point(payload: $0.0, runs: $0.1, passes: $0.2) }
        #expect(RevertWindow.find(series)! == ("p3", "p4"))
        let steady = (1...5).map { RevertWindow.Point(payload: "p\($0)", runs: 10, passes: 10) }
        #expect(RevertWindow.find(steady) == nil)
        let better = [RevertWindow.Point(payload: "a", runs: 10, passes: 2), RevertWindow.Point(payload: "b", runs: 10, passes: 10)]
        #expect(RevertWindow.find(better) == nil, "a rise is no regression")
        #expect(RevertWindow.find([RevertWindow.Point(payload: "only", runs: 5, passes: 0)]) == nil)
    }
}

@Suite struct ReadinessLifecycleTests {
    /// Job a on aws: 28 healthy days (payload per day), then 7 days where t-bad fails half the time
    /// from payload D30 on; t-good stays healthy.
    static func world(badFrom: Int = 30, days: Int = 35) throws -> HandBuiltWorld {
        let world = try HandBuiltWorld()
        let start = Day("2026-10-01")!
        for offset in 0..<days {
            let day = start.adding(days: offset)
            for run in 0..<4 {
                let bad = offset >= badFrom && run % 2 == 0
                try world.run("job-a-aws", day.startUnixSeconds + Int64(3600 * (run + 1)), bad ? .failure : .success,
                              payload: "D\(offset)", [("t-good", 1, 0, 0), ("t-bad", bad ? 0 : 1, bad ? 1 : 0, 0)])
            }
        }
        return world
    }

    /// Job a on aws for 35 days, rolled up as of day 34 (2026-11-04): from day 28 on, t-flaky fails
    /// its first attempt in half the runs and passes on retry.
    static func flakyWorld() throws -> HandBuiltWorld {
        let world = try HandBuiltWorld()
        let start = Day("2026-10-01")!
        for offset in 0..<35 {
            for run in 0..<4 {
                let flakes = offset >= 28 && run % 2 == 0
                try world.run("job-a-aws", start.adding(days: offset).startUnixSeconds + Int64(3600 * (run + 1)), .success,
                              payload: "D\(offset)", [("t-flaky", 1, flakes ? 1 : 0, 0)])
            }
        }
        _ = try Rollup(rules: TestRules(currentDays: 7, previousDays: 7)).run(on: world.database, asOf: Day("2026-11-04")!)
        return world
    }

    func rules() -> ReadinessRules {
        var rules = ReadinessRules()
        rules.columns = ["platform"]
        return rules
    }

    @Test func aRegressionOpensWithItsRevertWindowAndClosesWhenItRecovers() throws {
        let world = try Self.world()
        _ = try Rollup(rules: TestRules(currentDays: 7, previousDays: 7)).run(on: world.database, asOf: Day("2026-11-04")!)
        let sample = Day("2026-10-29")!..<Day("2026-11-05")!, basis = Day("2026-10-01")!..<Day("2026-10-29")!
        let report = try Readiness.run(on: world.database, sample: sample, basis: basis, rules: rules(), record: true)
        let bad = try #require(report.cells.first { $0.test == "t-bad" })
        #expect(bad.status == .extremeRegression)
        #expect(bad.sampleRuns == 28 && bad.sampleFailures == 10)
        #expect(report.cells.first { $0.test == "t-good" }?.status == .notSignificant)
        let open = try RegressionLog.open(on: world.database)
        #expect(open.count == 1)
        #expect(open.first?.firstBadPayload == "D30" && open.first?.lastGoodPayload == "D29")
        #expect(open.first?.cell == "platform=aws" && open.first?.openedDay == "2026-11-04")
        #expect(open.first?.failingRuns.count == 10)

        // The same night again: kept, not opened twice.
        _ = try Readiness.run(on: world.database, sample: sample, basis: basis, rules: rules(), record: true)
        #expect(try world.database.integer("SELECT count(*) FROM regressions") == 1)

        // Fixed: two clean weeks later the sample has no failures, and it closes.
        for offset in 35..<49 {
            let day = Day("2026-10-01")!.adding(days: offset)
            for run in 0..<4 {
                try world.run("job-a-aws", day.startUnixSeconds + Int64(3600 * (run + 1)), .success,
                              payload: "D\(offset)", [("t-good", 1, 0, 0), ("t-bad", 1, 0, 0)])
            }
        }
        _ = try Rollup(rules: TestRules(currentDays: 7, previousDays: 7)).run(on: world.database, asOf: Day("2026-11-18")!)
        let later = try Readiness.run(on: world.database, sample: Day("2026-11-12")!..<Day("2026-11-19")!,
                                      basis: Day("2026-10-15")!..<Day("2026-11-12")!, rules: rules(), record: true)
        #expect(later.cells.first { $0.test == "t-bad" }?.status == .notSignificant)
        #expect(try world.database.integer("SELECT count(*) FROM regressions WHERE status = 'closed' AND closed_day = '2026-11-18' AND closed_payload = 'D48'") == 1)
        #expect(try RegressionLog.open(on: world.database).filter { $0.status == "open" }.isEmpty)
    }

    @Test func aBackDatedReadinessReadsNothingAfterItsDay() throws {
        // Bad from day 30 to the end (day 48); readiness as of day 34 (2026-11-04).
        let world = try Self.world(badFrom: 30, days: 49)
        _ = try Rollup(rules: TestRules(currentDays: 7, previousDays: 7)).run(on: world.database, asOf: Day("2026-11-04")!)
        _ = try Readiness.run(on: world.database, sample: Day("2026-10-29")!..<Day("2026-11-05")!,
                              basis: Day("2026-10-01")!..<Day("2026-10-29")!, rules: rules(), record: true)
        let regression = try #require(try RegressionLog.open(on: world.database).first)
        #expect(regression.firstBadPayload == "D30")
        // Builds are numbered in load order, 4 a day: days 0-34 are builds 1-140.
        let builds = regression.failingRuns.compactMap { Int($0.split(separator: "/").last ?? "") }
        #expect(builds.count == 10 && builds.allSatisfy { $0 <= 140 }, "\(builds)")
    }

    @Test func flakesCountAsFailuresUnlessToldOtherwise() throws {
        // Half the first attempts fail from day 28 on, and every retry passes: the first-attempt
        // pass rate (the default) sees the regression; the working % (flakes as passes) cannot.
        let world = try Self.flakyWorld()
        var rules = ReadinessRules()
        rules.columns = ["platform"]
        let sample = Day("2026-10-29")!..<Day("2026-11-05")!, basis = Day("2026-10-01")!..<Day("2026-10-29")!
        let strict = try Readiness.run(on: world.database, sample: sample, basis: basis, rules: rules, record: false)
        #expect(strict.cells.first?.samplePasses == 14 && strict.cells.first?.sampleFailures == 14)
        #expect(strict.cells.first?.status == .extremeRegression)
        rules.flakesArePasses = true
        let working = try Readiness.run(on: world.database, sample: sample, basis: basis, rules: rules, record: false)
        #expect(working.cells.first?.status == .notSignificant)
        #expect(working.cells.first?.samplePasses == 28)
    }

    @Test func recordingIsRefusedForAnEarlierDayOrOtherColumns() throws {
        let world = try Self.world()
        _ = try Rollup(rules: TestRules(currentDays: 7, previousDays: 7)).run(on: world.database, asOf: Day("2026-11-04")!)
        _ = try Readiness.run(on: world.database, sample: Day("2026-10-29")!..<Day("2026-11-05")!,
                              basis: Day("2026-10-01")!..<Day("2026-10-29")!, rules: rules(), record: true)
        #expect(throws: ReadinessError.backDated(asOf: "2026-11-03", recorded: "2026-11-04")) {
            _ = try Readiness.run(on: world.database, sample: Day("2026-10-28")!..<Day("2026-11-04")!,
                                  basis: Day("2026-09-30")!..<Day("2026-10-28")!, rules: rules(), record: true)
        }
        var other = rules()
        other.columns = ["platform", "network"]
        #expect(throws: ReadinessError.columnsChanged(recorded: "platform", asked: "platform,network")) {
            _ = try Readiness.run(on: world.database, sample: Day("2026-10-29")!..<Day("2026-11-05")!,
                                  basis: Day("2026-10-01")!..<Day("2026-10-29")!, rules: other, record: true)
        }
        // Looking back without recording is always allowed.
        _ = try Readiness.run(on: world.database, sample: Day("2026-10-28")!..<Day("2026-11-04")!,
                              basis: Day("2026-09-30")!..<Day("2026-10-28")!, rules: other, record: false)
    }

    @Test func aMissingBasisOrSampleSaysNothingAndKeepsARegressionOpen() throws {
        let world = try Self.world()
        _ = try Rollup(rules: TestRules(currentDays: 7, previousDays: 7)).run(on: world.database, asOf: Day("2026-11-04")!)
        _ = try Readiness.run(on: world.database, sample: Day("2026-10-29")!..<Day("2026-11-05")!,
                              basis: Day("2026-10-01")!..<Day("2026-10-29")!, rules: rules(), record: true)
        // A later night whose windows hold no runs at all (the job stopped): nothing closes, and the
        // summary still lists it.
        let empty = try Readiness.run(on: world.database, sample: Day("2026-12-10")!..<Day("2026-12-17")!,
                                      basis: Day("2026-11-12")!..<Day("2026-12-10")!, rules: rules(), record: true)
        #expect(empty.cells.isEmpty)
        let open = try RegressionLog.open(on: world.database)
        #expect(open.count == 1 && open.first?.status == "open")
        let summary = ReadinessTable.summary(empty, regressions: open, triage: Triage())
        #expect(summary.contains("open regressions without runs in these windows: 1"))
        // Only a sample, no basis: still open.
        let noBasis = try Readiness.run(on: world.database, sample: Day("2026-10-29")!..<Day("2026-11-05")!,
                                        basis: Day("2026-12-10")!..<Day("2026-12-17")!, rules: rules(), record: false)
        #expect(noBasis.cells.allSatisfy { $0.status == .missingBasis })
    }

    @Test func theRevertWindowCountsFlakesAsTheFailuresTheyStartWith() throws {
        let world = try Self.flakyWorld()
        _ = try Readiness.run(on: world.database, sample: Day("2026-10-29")!..<Day("2026-11-05")!,
                              basis: Day("2026-10-01")!..<Day("2026-10-29")!, rules: rules(), record: true)
        let regression = try #require(try RegressionLog.open(on: world.database).first)
        #expect(regression.firstBadPayload == "D28" && regression.lastGoodPayload == "D27")
        // Its links are the runs where the test failed first and passed on retry (14 in the
        // sample; the newest 10 are kept).
        #expect(regression.failingRuns.count == 10)
    }

    @Test func withoutRecordingTheRevertWindowIsStillFound() throws {
        let world = try Self.world()
        _ = try Rollup(rules: TestRules(currentDays: 7, previousDays: 7)).run(on: world.database, asOf: Day("2026-11-04")!)
        let report = try Readiness.run(on: world.database, sample: Day("2026-10-29")!..<Day("2026-11-05")!,
                                       basis: Day("2026-10-01")!..<Day("2026-10-29")!, rules: rules(), record: false)
        let bad = try #require(report.cells.first { $0.test == "t-bad" })
        #expect(bad.lastGoodPayload == "D29" && bad.firstBadPayload == "D30")
        #expect(report.cells.first { $0.test == "t-good" }?.firstBadPayload == nil)
        let table = ReadinessTable.cells(report, regressions: [], triage: Triage())
        let column = try #require(table.columns.firstIndex(of: "first_bad_payload"))
        #expect(table.rows.first == nil || table.rows[0][column] == .text("D30"))
        #expect(ReadinessTable.summary(report, regressions: [], triage: Triage()).contains("revert window (not recorded): D29 -> D30"))
    }

    @Test func aTriagedRegressionIsShownAsTriagedNotHidden() throws {
        let world = try Self.world()
        _ = try Rollup(rules: TestRules(currentDays: 7, previousDays: 7)).run(on: world.database, asOf: Day("2026-11-04")!)
        let report = try Readiness.run(on: world.database, sample: Day("2026-10-29")!..<Day("2026-11-05")!,
                                       basis: Day("2026-10-01")!..<Day("2026-10-29")!, rules: rules(), record: true)
        let triage = Triage(entries: [TriageEntry(test: "t-bad", cell: "platform=aws", bug: "https://issues.example/BUG-7",
                                                  owner: "team-a", note: "reverting")])
        let regressions = try RegressionLog.open(on: world.database)
        let summary = ReadinessTable.summary(report, regressions: regressions, triage: triage)
        #expect(summary.contains("regressed cells: 1"))
        #expect(summary.contains("| t-bad | platform=aws | extreme-regression |") && summary.contains("triaged: https://issues.example/BUG-7 (team-a)"))
        let table = ReadinessTable.cells(report, regressions: regressions, triage: triage)
        let row = try #require(table.rows.first { $0[1] == .text("t-bad") })
        #expect(row[3] == .text("extreme-regression"))
        #expect(row[table.columns.firstIndex(of: "bug")!] == .text("https://issues.example/BUG-7"))
        #expect(row[table.columns.firstIndex(of: "triage_note")!] == .text("reverting"))
    }

    @Test func withoutRecordingNothingIsWritten() throws {
        let world = try Self.world()
        _ = try Rollup(rules: TestRules(currentDays: 7, previousDays: 7)).run(on: world.database, asOf: Day("2026-11-04")!)
        _ = try Readiness.run(on: world.database, sample: Day("2026-10-29")!..<Day("2026-11-05")!,
                              basis: Day("2026-10-01")!..<Day("2026-10-29")!, rules: rules(), record: false)
        #expect(try world.database.integer("SELECT count(*) FROM regressions") == 0)
    }
}

@Suite struct TriageTests {
    @Test func entriesMatchByTestAndCellAndBadFilesAreNamed() throws {
        let triage = try Triage.parse(yaml: """
            - test: t-bad
              cell: platform=aws
              bug: https://issues.example/BUG-1
              owner: team-a
            - test: t-bad
              bug: https://issues.example/BUG-2
            """, file: "triage.yaml")
        #expect(triage.entry(test: "t-bad", cell: "platform=aws")?.bug == "https://issues.example/BUG-1")
        #expect(triage.entry(test: "t-bad", cell: "platform=gcp")?.bug == "https://issues.example/BUG-2")
        #expect(triage.entry(test: "t-other", cell: "platform=aws") == nil)
        #expect(try Triage.parse(yaml: "", file: "t.yaml").entries.isEmpty)
        #expect(throws: ConfigurationError.self) { _ = try Triage.parse(yaml: "- test: x\n", file: "t.yaml") }
        do {
            _ = try Triage.parse(yaml: "- test: x\n", file: "t.yaml")
        } catch {
            #expect(error.description.contains("t.yaml") && error.description.contains("needs 'bug'"))
        }
        #expect(throws: ConfigurationError.self) { _ = try Triage.load(path: "/no/such/triage.yaml", required: true) }
        #expect(try Triage.load(path: "/no/such/triage.yaml", required: false).entries.isEmpty)
    }
}
