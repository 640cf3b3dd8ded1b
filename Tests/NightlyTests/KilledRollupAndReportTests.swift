import Foundation
import Store
import TestSupport
import Testing

/// `rollup` and `report` killed with SIGKILL at 24 moments each: the next run ends exactly like an
/// uninterrupted one, and a killed report never takes away the last complete report or `latest`.
@Suite struct KilledRollupAndReportTests {
    /// Kill moments that must interrupt the command (README "Reliability" quotes it).
    static let killPoints = 24
    static let previousDay = "2026-11-19"
    /// Columns holding the wall-clock time of a run, which differ between any two runs, and the
    /// report folder, which differs between the copies compared here.
    static let wallClock: Set<String> = ["rollup_windows.computed_at", "report_history.written_at", "report_history.folder"]
    /// The loaded artifacts, which rollup and report only read: left out of the comparison, as
    /// they are the bulk of the database and copied unchanged.
    static let loadedTables: Set<String> = ["test_results", "tests", "failure_messages", "ingest_sources"]

    func dump(_ db: String) throws -> [String] {
        try tableDump(databaseAt: db, skipping: Self.loadedTables, ignoring: Self.wallClock)
    }

    /// Copies a database that no process has open (its WAL, if any, too).
    func copyDatabase(_ from: String, _ to: String) throws {
        for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: from + suffix) {
            try FileManager.default.copyItem(atPath: from + suffix, toPath: to + suffix)
        }
    }

    func removeDatabase(_ path: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    /// A site loaded into its database, big enough that a rollup or report takes a moment.
    func loadedSite(runsPerDay: Int, jobs: Int, tests: Int) throws -> SimulatedSite {
        let site = try SimulatedSite(seed: 11, runsPerDay: runsPerDay, jobs: jobs, tests: tests)
        let ingest = try run(cisignalBinary, ["ingest", site.artifacts, "--db", site.database, "--quiet"])
        #expect(ingest.status == 1, "the site has one corrupt file: \(ingest.stderr)")
        return site
    }

    @Test func aRollupKilledAtTwentyFourMomentsEndsLikeACleanOne() throws {
        let site = try loadedSite(runsPerDay: 12, jobs: 6, tests: 120)
        func rollup(_ db: String) -> [String] { ["rollup", "--db", db, "--as-of", SimulatedSite.lastDay] }
        let clean = site.dir.file("clean.sqlite")
        try copyDatabase(site.database, clean)
        var status: Int32 = -1
        let duration = try secondsTaken { status = try run(cisignalBinary, rollup(clean)).status }
        #expect(status == 0)
        let expected = try dump(clean)
        #expect(expected.contains { $0.hasPrefix("daily_test_totals |") } && expected.contains { $0.hasPrefix("window_test_totals |") })

        var interrupted = 0
        var tried = 0
        var schedule = KillSchedule(seed: 77, duration: duration)
        for attempt in 0..<60 where interrupted < Self.killPoints {
            let moment = schedule.next()
            let db = site.dir.file("killed-\(attempt).sqlite")
            try copyDatabase(site.database, db)
            tried += 1
            if try runAndKill(cisignalBinary, rollup(db), after: moment) { interrupted += 1 } else { schedule.tooLate() }
            let final = try run(cisignalBinary, rollup(db))
            #expect(final.status == 0, "after a kill at \(moment) s: \(final.stderr)")
            #expect(try dump(db) == expected, "after a kill at \(moment) s")
            removeDatabase(db)
        }
        #expect(interrupted >= Self.killPoints, "only \(interrupted) of \(tried) kills interrupted a rollup")
        print("rollup: \(interrupted) of \(tried) kills interrupted it, each completed to the clean result; full rollup \(String(format: "%.2f", duration)) s")
    }

    @Test func aReportKilledAtTwentyFourMomentsLeavesTheLastReportInPlace() throws {
        let site = try loadedSite(runsPerDay: 8, jobs: 4, tests: 80)
        // The starting point: yesterday's report written, `latest` pointing at it.
        #expect(try run(cisignalBinary, ["report", "--db", site.database, "--out", site.reports, "--as-of", Self.previousDay]).status == 0)
        let before = try folderSnapshot(site.reports)
        #expect(before.contains("latest -> \(Self.previousDay)"))

        func prepare(_ name: String) throws -> (db: String, out: String) {
            let db = site.dir.file(name + ".sqlite"), out = site.dir.file(name + "-reports")
            try copyDatabase(site.database, db)
            #expect(try run("/bin/cp", ["-a", site.reports, out]).status == 0)
            return (db, out)
        }
        func report(_ place: (db: String, out: String)) -> [String] {
            ["report", "--db", place.db, "--out", place.out, "--as-of", SimulatedSite.lastDay]
        }
        let clean = try prepare("clean")
        var status: Int32 = -1
        let duration = try secondsTaken { status = try run(cisignalBinary, report(clean)).status }
        #expect(status == 0)
        let expectedFiles = try folderSnapshot(clean.out, hidden: true)
        let expectedTables = try dump(clean.db)
        #expect(expectedFiles.contains("latest -> \(SimulatedSite.lastDay)"))
        let newDay = expectedFiles.filter { $0.hasPrefix(SimulatedSite.lastDay + "/") }
        #expect(newDay.count >= 9, "a summary and 8 CSVs: \(newDay)")

        var interrupted = 0
        var tried = 0
        var schedule = KillSchedule(seed: 78, duration: duration)
        for attempt in 0..<60 where interrupted < Self.killPoints {
            let moment = schedule.next()
            let place = try prepare("killed-\(attempt)")
            tried += 1
            if try runAndKill(cisignalBinary, report(place), after: moment) { interrupted += 1 } else { schedule.tooLate() }
            // What a reader sees now: yesterday's report whole, today's whole or absent, `latest`
            // at one of them.
            let seen = try folderSnapshot(place.out)
            let today = seen.filter { $0.hasPrefix(SimulatedSite.lastDay + "/") || $0 == SimulatedSite.lastDay }
            #expect(seen.filter { $0.hasPrefix(Self.previousDay) } == before.filter { $0.hasPrefix(Self.previousDay) },
                    "yesterday's report changed by a kill at \(moment) s")
            #expect(today.isEmpty || today == expectedFiles.filter { $0.hasPrefix(SimulatedSite.lastDay + "/") || $0 == SimulatedSite.lastDay },
                    "a partial report is visible after a kill at \(moment) s")
            let latest = seen.filter { $0.hasPrefix("latest") }
            #expect(latest == ["latest -> \(Self.previousDay)"] || (latest == ["latest -> \(SimulatedSite.lastDay)"] && !today.isEmpty),
                    "latest is \(latest) after a kill at \(moment) s")
            // The next report finishes the job and clears what the killed one left behind.
            let final = try run(cisignalBinary, report(place))
            #expect(final.status == 0, "after a kill at \(moment) s: \(final.stderr)")
            #expect(try folderSnapshot(place.out, hidden: true) == expectedFiles, "after a kill at \(moment) s")
            #expect(try dump(place.db) == expectedTables, "after a kill at \(moment) s")
            removeDatabase(place.db)
            try? FileManager.default.removeItem(atPath: place.out)
        }
        #expect(interrupted >= Self.killPoints, "only \(interrupted) of \(tried) kills interrupted a report")
        print("report: \(interrupted) of \(tried) kills interrupted it; latest always whole; full report \(String(format: "%.2f", duration)) s")
    }
}
