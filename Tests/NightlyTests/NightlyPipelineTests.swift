import Analysis
import Foundation
@testable import Nightly
import Reports
import Store
import TestSupport
import Testing

@Suite struct NightlyPipelineTests {
    func plan(_ site: SimulatedSite, day: String = SimulatedSite.lastDay) -> NightlyPlan {
        var plan = NightlyPlan(settings: site.settings, databasePath: site.database, reportsRoot: site.reports, asOf: Day(day)!)
        plan.waitSeconds = 0
        return plan
    }

    @Test func aFirstNightIsNoteworthyAndAQuietNightIsSilent() throws {
        let site = try SimulatedSite()
        let log = try NightlyLog(path: site.dir.file("nightly.log"))
        let first = try NightlyPipeline.run(plan(site), templates: try ReportTemplates.builtIn(), log: log)
        #expect(first.ingest?.runs.new ?? 0 > 0)
        #expect(first.ingest?.problems == 1, "the corrupt file")
        #expect(first.isNoteworthy)
        let digest = first.digest()
        #expect(digest.count <= 30)
        #expect(digest[0].hasPrefix("CISignal nightly 2026-11-20: "))
        #expect(digest[1] == "report: " + site.reports + "/2026-11-20/summary.md")
        #expect(digest.contains("ingest problems:"))
        // Each stage is timed in the log.
        let logged = try String(contentsOfFile: site.dir.file("nightly.log"), encoding: .utf8)
        for stage in ["ingest", "rollup", "readiness", "payloads", "report"] {
            #expect(logged.contains("stage \(stage) "), "no timing for \(stage)")
        }
        #expect(logged.contains("nightly done in "))

        // Nothing new: nothing loaded, no regression opened, no payload newly rejected.
        let second = try NightlyPipeline.run(plan(site), templates: try ReportTemplates.builtIn(), log: log)
        #expect(second.ingest?.runs.new == 0)
        #expect(second.announcedRegressions.isEmpty)
        #expect(second.announcedRejections.isEmpty)
        #expect(!second.isNoteworthy)
    }

    @Test func regressionsThatOpenAreInTheDigestWithTheirRevertWindow() throws {
        let site = try SimulatedSite()
        let outcome = try NightlyPipeline.run(plan(site), templates: try ReportTemplates.builtIn(), log: try NightlyLog(path: nil))
        let database = try Database(path: site.database)
        let open = try RegressionLog.open(on: database).filter { $0.status == "open" }
        #expect(outcome.announcedRegressions.count == open.count)
        #expect(!open.isEmpty, "the simulated site opens regressions")
        let digest = outcome.digest(maximumLines: 1000).joined(separator: "\n")
        for regression in open {
            #expect(digest.contains(regression.test))
            if let bad = regression.firstBadPayload { #expect(digest.contains("-> \(bad)")) }
        }
    }

    @Test func aPayloadNothingCouldBeJudgedOnIsNeverTheLastGoodOne() throws {
        // Two runs a job a day: fewer than the 6 attempts a verdict needs.
        let site = try SimulatedSite(runsPerDay: 2)
        let outcome = try NightlyPipeline.run(plan(site), templates: try ReportTemplates.builtIn(), log: try NightlyLog(path: nil))
        let database = try Database(path: site.database)
        #expect(try rows(database, "SELECT DISTINCT verdict FROM payload_verdicts") == ["not-judged"])
        let summary = try String(contentsOfFile: outcome.reportFolder + "/summary.md", encoding: .utf8)
        #expect(summary.contains("was **not judged**"))
        #expect(summary.contains("Last good payload: **none accepted yet**"))
    }

    @Test func theDigestIsCutAtItsLimit() {
        var outcome = NightlyOutcome(asOf: Day("2026-11-20")!)
        outcome.reportFolder = "/r/2026-11-20"
        outcome.problemLines = (0..<50).map { "file\($0): broken\nwith a second line" }
        let digest = outcome.digest(maximumLines: 30)
        #expect(digest.count == 30)
        #expect(digest.last!.hasPrefix("… "))
        #expect(digest.allSatisfy { !$0.contains("\n") })
    }

    @Test func aSecondNightlyExitsAtOnceWhileOneRuns() throws {
        let site = try SimulatedSite()
        let held = try WriterLock(databasePath: site.database, suffix: ".nightly.lock")
        defer { withExtendedLifetime(held) {} }
        let started = Date()
        #expect {
            _ = try NightlyPipeline.run(plan(site), templates: try ReportTemplates.builtIn(), log: try NightlyLog(path: nil))
        } throws: { error in
            guard case NightlyError.alreadyRunning = error else { return false }
            return true
        }
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(!FileManager.default.fileExists(atPath: site.reports), "the locked-out run wrote nothing")
    }

    @Test func aReportForAnEarlierDayLooksWithoutRewritingRegressions() throws {
        let site = try SimulatedSite()
        _ = try NightlyPipeline.run(plan(site), templates: try ReportTemplates.builtIn(), log: try NightlyLog(path: nil))
        let database = try Database(path: site.database)
        let before = try rows(database, "SELECT id, status, last_seen_day FROM regressions ORDER BY id")
        var earlier = plan(site, day: "2026-11-18")
        earlier.kind = .report
        let outcome = try NightlyPipeline.run(earlier, templates: try ReportTemplates.builtIn(), log: try NightlyLog(path: nil))
        #expect(!outcome.readinessRecorded)
        #expect(try rows(database, "SELECT id, status, last_seen_day FROM regressions ORDER BY id") == before)
        #expect(FileManager.default.fileExists(atPath: site.reports + "/2026-11-18/summary.md"))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: site.reports + "/latest") == "2026-11-20", "latest stays the newest day")
    }
}
