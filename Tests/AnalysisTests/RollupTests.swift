import Foundation
import Store
import Testing
@testable import Analysis

/// Rules small enough to reason about: platform from the job name, component from the [sig-x] tag.
struct TestRules: RollupRules {
    var currentDays = 3
    var previousDays = 3
    var ignoredPrefix = "ignored"
    var variantKey = "platform"
    var ownerOfNetwork = "team-network"
    var variantKeys: [String] { [variantKey] }
    func variants(ofJob name: String) -> [String: String] {
        [variantKey: name.contains("aws") ? "aws" : name.contains("gcp") ? "gcp" : ""]
    }
    func keepsJob(_ name: String) -> Bool { !name.contains("excluded") }
    func component(testName: String, classname: String, suite: String) -> (component: String, owner: String) {
        guard let open = testName.firstIndex(of: "["), let close = testName.firstIndex(of: "]"), open < close else {
            return ("unowned", "")
        }
        let tag = String(testName[testName.index(after: open)..<close])
        return (tag, tag == "sig-network" ? ownerOfNetwork : "")
    }
    func ignoresTest(_ name: String) -> Bool { name.hasPrefix(ignoredPrefix) }
    func isInfrastructureTest(_ name: String) -> Bool { name.hasPrefix("install should succeed") }

}

/// A database built run by run through the loader, with rates worked out by hand.
final class HandBuiltWorld {
    let directory: String
    let database: Database
    let loader: RunLoader
    private var build = 0

    static let t1 = "[sig-network] t1", t2 = "[sig-node] t2", t3 = "[sig-node] t3 skipped everywhere"
    static let install = "install should succeed: overall"

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("rollup-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        database = try Database(path: directory + "/db.sqlite")
        let batch = try IngestBatches.begin(in: database, roots: [], at: 0)
        loader = try RunLoader(database: database, batchID: batch)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Unix seconds of a UTC day and time.
    static func at(_ day: String, _ hour: Int = 10, _ minute: Int = 0, _ second: Int = 0) -> Int64 {
        Day(day)!.startUnixSeconds + Int64(hour * 3600 + minute * 60 + second)
    }

    /// Loads one run; results are (test name, passes, failures, skips).
    func run(_ job: String, _ started: Int64, _ result: RunResult, payload: String? = nil,
             _ results: [(String, Int, Int, Int)]) throws {
        build += 1
        let load = RunLoad(
            sourcePath: "/world/\(job)/\(build)", fingerprint: "f\(build)",
            run: JobRun(job: job, buildID: String(build), runType: .periodic, startedAt: started,
                        finishedAt: started + 3600, result: result, payloadTag: payload),
            results: results.map { TestResult(name: $0.0, classname: "", suitePath: "s", passes: $0.1, failures: $0.2, skips: $0.3) },
            sources: [], problems: [], junitFiles: 1, junitComplete: true, casesRead: results.count)
        _ = try loader.load(load)
    }

    static func standard() throws -> HandBuiltWorld {
        let world = try HandBuiltWorld()
        let (a, b) = ("periodic-a-aws", "periodic-b-gcp")
        try world.run(a, at("2026-11-08"), .success, payload: "P1", [(t1, 1, 0, 0), (t2, 1, 0, 0), (t3, 0, 0, 1)])
        try world.run(a, at("2026-11-09"), .failure, payload: "P1", [(t1, 0, 1, 0), (t2, 1, 1, 0), (t3, 0, 0, 1)])
        try world.run(a, at("2026-11-10", 23, 59, 59), .failure, payload: "P2", [(t1, 0, 1, 0), (t2, 0, 1, 0)])
        // The first second after the current window, and the last second of the previous one.
        try world.run(a, at("2026-11-11", 0), .failure, payload: "P3", [(t1, 0, 1, 0)])
        try world.run(a, at("2026-11-07", 23, 59, 59), .success, payload: "P0", [(t1, 1, 0, 0), (t2, 1, 0, 0)])
        // An install that failed: an infrastructure failure, not test failures.
        try world.run(a, at("2026-11-09", 12), .failure, payload: "P1", [(install, 0, 1, 0), (t3, 0, 0, 1)])
        try world.run(b, at("2026-11-09", 11), .success, payload: "P1", [(t1, 1, 0, 0)])
        try world.run(b, at("2026-11-09", 13), .failure, payload: "P1",
                      [(t1, 0, 1, 0), (t2, 1, 0, 0), ("ignored bookkeeping", 0, 1, 0)])
        // A filtered-out job counts nowhere.
        try world.run("periodic-excluded-aws", at("2026-11-09"), .failure, [(t1, 0, 5, 0)])
        return world
    }

    func rows(_ query: RateQuery, _ filter: RateFilter = RateFilter()) throws -> [String: [String: Cell]] {
        let table = try query.run(filter, on: database)
        var rows: [String: [String: Cell]] = [:]
        for row in table.rows {
            let named = Dictionary(uniqueKeysWithValues: zip(table.columns, row))
            if case let .text(name)? = named["name"] ?? named["component"] { rows[name] = named }
        }
        return rows
    }
}

func approx(_ cell: Cell?, _ value: Double) -> Bool {
    guard let number = cell?.numeric else { return false }
    return abs(number - value) < 1e-9
}

@Suite struct RollupTests {
    let asOf = Day("2026-11-10")!

    @Test func windowsAreHalfOpenAndAdjacent() {
        let windows = Windows(asOf: asOf, currentDays: 3, previousDays: 3)
        #expect(windows.current == Day("2026-11-08")!..<Day("2026-11-11")!)
        #expect(windows.previous == Day("2026-11-05")!..<Day("2026-11-08")!)
        #expect(Day("2026-02-30") == nil)
        #expect(Day("2024-02-29")?.description == "2024-02-29")
        #expect(Day(unixSeconds: HandBuiltWorld.at("2026-11-10", 23, 59, 59)) == asOf)
        #expect(Day(unixSeconds: -1).description == "1969-12-31")
    }

    @Test func everyTestMetricMatchesTheHandCount() throws {
        let world = try HandBuiltWorld.standard()
        _ = try Rollup(rules: TestRules()).run(on: world.database, asOf: asOf)
        let tests = try world.rows(.tests)
        let t1 = try #require(tests[HandBuiltWorld.t1])
        // Current window, both kept jobs: pass (a 11-08), fail (a 11-09), fail (a 11-10 23:59:59),
        // pass (b), fail (b). The 11-11 00:00 run is outside; the infra run and excluded job do not count.
        #expect(t1["runs"] == .integer(5))
        #expect(t1["passes"] == .integer(2))
        #expect(t1["failures"] == .integer(3))
        #expect(t1["flakes"] == .integer(0))
        #expect(approx(t1["pass_pct"], 40) && approx(t1["fail_pct"], 60) && approx(t1["flake_pct"], 0))
        #expect(approx(t1["working_pct"], 40))
        #expect(t1["previous_runs"] == .integer(1))
        #expect(approx(t1["previous_pass_pct"], 100))
        #expect(t1["component"] == .text("sig-network") && t1["owner"] == .text("team-network"))

        let t2 = try #require(tests[HandBuiltWorld.t2])
        // pass, flake (pass + fail in one run), fail, pass.
        #expect(t2["runs"] == .integer(4))
        #expect(approx(t2["pass_pct"], 50) && approx(t2["fail_pct"], 25) && approx(t2["flake_pct"], 25))
        #expect(approx(t2["working_pct"], 75))

        // Skips are not runs: no rate at all.
        let t3 = try #require(tests[HandBuiltWorld.t3])
        #expect(t3["runs"] == .integer(0) && t3["skips"] == .integer(2) && t3["pass_pct"] == .null)
        // An ignored test is nowhere; the install test counts only its own failure.
        #expect(tests["ignored bookkeeping"] == nil)
        #expect(tests[HandBuiltWorld.install]?["failures"] == .integer(1))
        #expect(tests[HandBuiltWorld.install]?["runs"] == .integer(1))
    }

    @Test func jobRatesCountInfrastructureFailuresApart() throws {
        let world = try HandBuiltWorld.standard()
        _ = try Rollup(rules: TestRules()).run(on: world.database, asOf: asOf)
        let jobs = try world.rows(.jobs)
        let a = try #require(jobs["periodic-a-aws"])
        #expect(a["runs"] == .integer(4))
        #expect(a["succeeded"] == .integer(1) && a["failed"] == .integer(2) && a["infra_failed"] == .integer(1))
        #expect(approx(a["pass_pct"], 25))
        #expect(approx(a["pass_pct_without_infra"], 100.0 / 3))
        #expect(a["previous_runs"] == .integer(1) && approx(a["previous_pass_pct"], 100))
        #expect(jobs["periodic-b-gcp"]?["runs"] == .integer(2))
        #expect(jobs["periodic-excluded-aws"] == nil)
    }

    @Test func flakyTestsAreRankedByImpact() throws {
        let world = try HandBuiltWorld.standard()
        _ = try Rollup(rules: TestRules()).run(on: world.database, asOf: asOf)
        let table = try RateQuery.flaky.run(RateFilter(), on: world.database)
        let flaky = try world.rows(.flaky)
        // t1 never flaked in a run, but failed in some runs of P1 and passed in others on the same
        // job, and was the only failing test of two failed runs (a 11-09, b 11-09 13:00).
        #expect(flaky[HandBuiltWorld.t1]?["sole_failures"] == .integer(2))
        // On P1, job a passed (11-08) and failed (11-09) it; so did job b: two (job, payload) pairs.
        #expect(flaky[HandBuiltWorld.t1]?["mixed_payloads"] == .integer(2))
        #expect(flaky[HandBuiltWorld.t1]?["flakes"] == .integer(0))
        // t2 flaked once in 4 runs; it never failed a run alone (11-10 had t1 failing too).
        let t2 = try #require(flaky[HandBuiltWorld.t2])
        #expect(t2["flakes"] == .integer(1) && approx(t2["flake_pct"], 25) && t2["sole_failures"] == .integer(0))
        #expect(t2["first_flake_at"] == .text("2026-11-09T10:00:00Z"))
        #expect(t2["mixed_payloads"] == .integer(0))
        let names = table.rows.map { $0[table.column("name")!] }
        #expect(names.first == .text(HandBuiltWorld.t1), "most sole failures first")
    }

    @Test func filtersNarrowTheScope() throws {
        let world = try HandBuiltWorld.standard()
        _ = try Rollup(rules: TestRules()).run(on: world.database, asOf: asOf)
        let aws = try world.rows(.tests, RateFilter(variants: ["platform": "aws"]))
        #expect(aws[HandBuiltWorld.t1]?["runs"] == .integer(3))
        #expect(aws[HandBuiltWorld.t1]?["failures"] == .integer(2))
        let node = try world.rows(.tests, RateFilter(component: "sig-node"))
        #expect(Set(node.keys) == [HandBuiltWorld.t2, HandBuiltWorld.t3])
        let job = try world.rows(.tests, RateFilter(job: "periodic-b-gcp"))
        #expect(job[HandBuiltWorld.t1]?["runs"] == .integer(2))
        let none = try world.rows(.tests, RateFilter(variants: ["platform": "metal"]))
        #expect(none.isEmpty)
        let components = try world.rows(.components)
        #expect(components["sig-network"]?["runs"] == .integer(5))
        #expect(components["sig-node"]?["runs"] == .integer(4))
    }

    @Test func onlyTheDaysNewRunsTouchAreRecomputed() throws {
        let world = try HandBuiltWorld.standard()
        let first = try Rollup(rules: TestRules()).run(on: world.database, asOf: asOf)
        #expect(!first.rulesChanged && first.testsClassified == 5 && first.jobsClassified == 3)
        #expect(first.daysRecomputed.map(\.description) == ["2026-11-07", "2026-11-08", "2026-11-09", "2026-11-10", "2026-11-11"])
        let nothing = try Rollup(rules: TestRules()).run(on: world.database, asOf: asOf)
        #expect(nothing.daysRecomputed.isEmpty && !nothing.rulesChanged)

        try world.run("periodic-b-gcp", HandBuiltWorld.at("2026-11-10", 5), .success, payload: "P2", [(HandBuiltWorld.t1, 1, 0, 0)])
        let again = try Rollup(rules: TestRules()).run(on: world.database, asOf: asOf)
        #expect(again.daysRecomputed.map(\.description) == ["2026-11-10"])
        #expect(try world.rows(.tests)[HandBuiltWorld.t1]?["runs"] == .integer(6))

        // New rules: every class and day is redone, and the ignored test counts again.
        var rules = TestRules()
        rules.ignoredPrefix = "nothing is ignored"
        let changed = try Rollup(rules: rules).run(on: world.database, asOf: asOf)
        #expect(changed.rulesChanged && changed.daysRecomputed.count == 5)
        #expect(try world.rows(.tests)["ignored bookkeeping"]?["failures"] == .integer(1))

        // A class that only labels totals (component, owner) changes without recomputing days.
        var relabel = rules
        relabel.ownerOfNetwork = "team-other"
        let relabelled = try Rollup(rules: relabel).run(on: world.database, asOf: asOf)
        #expect(!relabelled.rulesChanged && relabelled.daysRecomputed.isEmpty && relabelled.testsClassified == 1)
        #expect(try world.rows(.tests)[HandBuiltWorld.t1]?["owner"] == .text("team-other"))
        // Without reclassifying (as the rate commands roll up), stored classes stay.
        let kept = try Rollup(rules: TestRules()).run(on: world.database, asOf: asOf, reclassify: false)
        #expect(kept.testsClassified == 0)
        #expect(try world.rows(.tests)[HandBuiltWorld.t1]?["owner"] == .text("team-other"))
    }

    @Test func aTestAloneFailingARunThatPassedIsNoSoleFailure() throws {
        let world = try HandBuiltWorld()
        // The job says success although t1 failed (a runner that does not gate on it).
        try world.run("periodic-a-aws", HandBuiltWorld.at("2026-11-09"), .success, [(HandBuiltWorld.t1, 0, 1, 0)])
        try world.run("periodic-a-aws", HandBuiltWorld.at("2026-11-10"), .failure, [(HandBuiltWorld.t1, 0, 1, 0)])
        _ = try Rollup(rules: TestRules()).run(on: world.database, asOf: asOf)
        let table = try RateQuery.tests.run(RateFilter(), on: world.database)
        #expect(table.rows.count == 1)
        let daily = try world.database.integer("SELECT sum(sole_failures) FROM daily_test_totals")
        #expect(daily == 1)
    }

    @Test func renamedVariantKeysReplaceTheOldOnes() throws {
        let world = try HandBuiltWorld.standard()
        _ = try Rollup(rules: TestRules()).run(on: world.database, asOf: asOf)
        var renamed = TestRules()
        renamed.variantKey = "cloud"
        _ = try Rollup(rules: renamed).run(on: world.database, asOf: asOf)
        #expect(try world.rows(.tests, RateFilter(variants: ["cloud": "aws"]))[HandBuiltWorld.t1]?["runs"] == .integer(3))
        #expect(try world.rows(.tests, RateFilter(variants: ["platform": "aws"])).isEmpty)
        #expect(try RateQuery.variantKeys(on: world.database) == ["cloud"])
    }

    @Test func runsWithoutTimesAreCountedAsUndated() throws {
        let world = try HandBuiltWorld()
        let load = RunLoad(
            sourcePath: "/world/undated", fingerprint: "u",
            run: JobRun(job: "periodic-a-aws", buildID: "u1", result: .failure),
            results: [TestResult(name: HandBuiltWorld.t1, classname: "", suitePath: "s", failures: 1)],
            sources: [], problems: [], junitFiles: 1, junitComplete: true, casesRead: 1)
        _ = try world.loader.load(load)
        // Only a finish time: the run belongs to that day, and its failure time is the finish.
        let finishedOnly = RunLoad(
            sourcePath: "/world/finished-only", fingerprint: "f",
            run: JobRun(job: "periodic-a-aws", buildID: "f1", finishedAt: HandBuiltWorld.at("2026-11-09", 8), result: .failure),
            results: [TestResult(name: HandBuiltWorld.t1, classname: "", suitePath: "s", passes: 1, failures: 1)],
            sources: [], problems: [], junitFiles: 1, junitComplete: true, casesRead: 2)
        _ = try world.loader.load(finishedOnly)
        let summary = try Rollup(rules: TestRules()).run(on: world.database, asOf: asOf)
        #expect(summary.undatedRuns == 1)
        let flaky = try world.rows(.flaky)
        #expect(flaky[HandBuiltWorld.t1]?["first_flake_at"] == .text("2026-11-09T08:00:00Z"))
        #expect(flaky[HandBuiltWorld.t1]?["runs"] == .integer(1))
    }

    @Test func perVariantCombinationRates() throws {
        let world = try HandBuiltWorld.standard()
        _ = try Rollup(rules: TestRules()).run(on: world.database, asOf: asOf)
        let table = try RateQuery.variants.run(RateFilter(), on: world.database)
        let name = table.column("name")!, variants = table.column("variants")!, runs = table.column("runs")!
        let t1 = table.rows.filter { $0[name] == .text(HandBuiltWorld.t1) }
        #expect(Set(t1.map { $0[variants] }) == [.text("platform=aws"), .text("platform=gcp")])
        #expect(t1.first { $0[variants] == .text("platform=aws") }?[runs] == .integer(3))
    }

    @Test func aReplacedRunMovesItsTotalsEvenToAnotherDay() throws {
        let world = try HandBuiltWorld.standard()
        _ = try Rollup(rules: TestRules()).run(on: world.database, asOf: asOf)
        // Reload build 7 (job b, 11-09 11:00) from the same source: now failing t1, and started
        // on 11-10 (its started.json was wrong before).
        let load = RunLoad(
            sourcePath: "/world/periodic-b-gcp/7", fingerprint: "changed",
            run: JobRun(job: "periodic-b-gcp", buildID: "7", runType: .periodic, startedAt: HandBuiltWorld.at("2026-11-10", 11),
                        finishedAt: nil, result: .failure, payloadTag: "P1"),
            results: [TestResult(name: HandBuiltWorld.t1, classname: "", suitePath: "s", failures: 1)],
            sources: [], problems: [], junitFiles: 1, junitComplete: true, casesRead: 1)
        #expect(try world.loader.load(load) == .replaced)
        let again = try Rollup(rules: TestRules()).run(on: world.database, asOf: asOf)
        #expect(again.daysRecomputed.map(\.description) == ["2026-11-09", "2026-11-10"])
        let t1 = try #require(try world.rows(.tests)[HandBuiltWorld.t1])
        #expect(t1["runs"] == .integer(5) && t1["failures"] == .integer(4))
        #expect(try world.database.integer("SELECT sum(runs) FROM daily_test_totals WHERE day = '2026-11-09' AND job_id = (SELECT id FROM jobs WHERE name = 'periodic-b-gcp')") == 2)
    }
}
