import Foundation
import TestSupport
import Testing

@Suite struct NightlyCommandTests {
    @Test func printsADigestWhenSomethingHappenedAndNothingOnAQuietNight() throws {
        let site = try SimulatedSite()
        let first = try run(cisignalBinary, ["nightly", "--config", site.config, "--as-of", SimulatedSite.lastDay])
        #expect(first.status == 0, "\(first.stderr)")
        let lines = first.stdout.split(separator: "\n")
        #expect(!lines.isEmpty && lines.count <= 30)
        #expect(lines.first?.hasPrefix("CISignal nightly 2026-11-20:") == true)
        #expect(first.stdout.contains("report: \(site.reports)/2026-11-20/summary.md"))
        #expect(FileManager.default.fileExists(atPath: site.reports + "/nightly.log"))

        let second = try run(cisignalBinary, ["nightly", "--config", site.config, "--as-of", SimulatedSite.lastDay])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.isEmpty, "a quiet night printed: \(second.stdout)")
        #expect(second.stderr.isEmpty)
    }

    @Test func failOnRegressionExitsThreeWhenRegressionsOpened() throws {
        let site = try SimulatedSite()
        let result = try run(cisignalBinary, ["nightly", "--config", site.config, "--as-of", SimulatedSite.lastDay, "--fail-on-regression"])
        let opened = result.stdout.contains("new regression")
        #expect(opened, "the simulated site should open regressions on its first night")
        #expect(result.status == (opened ? 3 : 0))
        // The next night opens nothing: 0.
        let again = try run(cisignalBinary, ["nightly", "--config", site.config, "--as-of", SimulatedSite.lastDay, "--fail-on-regression"])
        #expect(again.status == 0)
    }

    @Test func whatAReportRecordedIsStillAnnouncedByTheNextNightly() throws {
        let site = try SimulatedSite()
        #expect(try run(cisignalBinary, ["ingest", "--config", site.config, "--quiet"]).status == 1)
        #expect(try run(cisignalBinary, ["report", "--config", site.config, "--as-of", SimulatedSite.lastDay]).status == 0)
        let nightly = try run(cisignalBinary, ["nightly", "--config", site.config, "--as-of", SimulatedSite.lastDay, "--fail-on-regression"])
        #expect(nightly.stdout.contains("new regression"), "the regressions the report recorded were never announced: \(nightly.stdout)")
        #expect(nightly.status == 3)
        let next = try run(cisignalBinary, ["nightly", "--config", site.config, "--as-of", SimulatedSite.lastDay, "--fail-on-regression"])
        #expect(next.status == 0 && next.stdout.isEmpty, "announced once: \(next.stdout)")
    }

    @Test func usageErrorsExitTwo() throws {
        let dir = TemporaryDirectory()
        try dir.write("empty.yaml", "database: \(dir.file("db.sqlite"))\n")
        let noRoots = try run(cisignalBinary, ["nightly", "--config", dir.file("empty.yaml")])
        #expect(noRoots.status == 2)
        #expect(noRoots.stderr.contains("no artifact roots"))
        let badDate = try run(cisignalBinary, ["nightly", "--as-of", "yesterday"])
        #expect(badDate.status == 2)
    }

    @Test func reportWritesFromTheDatabaseAlone() throws {
        let site = try SimulatedSite()
        #expect(try run(cisignalBinary, ["ingest", "--config", site.config, "--quiet"]).status == 1, "the corrupt file is a problem")
        let out = site.dir.file("other-reports")
        let result = try run(cisignalBinary, ["report", "--config", site.config, "--as-of", SimulatedSite.lastDay, "--out", out])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == out + "/2026-11-20/summary.md\n")
        let summary = try String(contentsOfFile: out + "/latest/summary.md", encoding: .utf8)
        #expect(summary.hasPrefix("# CI signal — 2026-11-20"))
        #expect(summary.contains("Problems: 1 ("))
    }
}
