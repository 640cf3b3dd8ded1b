import TestSupport
import Foundation
import Store
import Testing

/// Kills `cisignal ingest` with SIGKILL part-way, several times, then lets it finish: the result
/// must equal a clean, uninterrupted load.
@Suite(.serialized) struct CrashSafetyTests {
    /// Kill moments tried until this many interrupted a load (README "Reliability" quotes it).
    static let killPoints = 24

    @Test func aLoadKilledAtTwentyFourMomentsIsCompletedByTheNextRun() throws {
        let tree = try ProwTree.busyTree(runs: 100, cases: 400)
        func ingest(_ db: String) -> [String] { ["ingest", tree.root, "--db", db, "--quiet"] }
        let clean = tree.directory.file("clean.sqlite")
        #expect(try run(cisignalBinary, ingest(clean)).status == 0)
        let expected = try CanonicalDump.of(databaseAt: clean)
        #expect(expected.filter { $0.hasPrefix("run\t") }.count == 100)
        // How long a full load takes, to spread the kills over it.
        let fullLoad = try secondsTaken { _ = try run(cisignalBinary, ingest(tree.directory.file("timed.sqlite"))) }

        var interrupted = 0
        var tried: [String] = []
        var schedule = KillSchedule(seed: 2026, duration: fullLoad)
        for attempt in 0..<60 where interrupted < Self.killPoints {
            let moment = schedule.next()
            let db = tree.directory.file("killed-\(attempt).sqlite")
            var kills = 0
            if try runAndKill(cisignalBinary, ingest(db), after: moment) { kills += 1 } else { schedule.tooLate() }
            // Every fourth time the run that picks up the pieces is killed too.
            if attempt % 4 == 3, try runAndKill(cisignalBinary, ingest(db), after: moment / 2) { kills += 1 }
            interrupted += kills > 0 ? 1 : 0
            tried.append(String(format: "%.3f", moment))
            let final = try run(cisignalBinary, ingest(db))
            #expect(final.status == 0, "after a kill at \(moment) s: \(final.stderr)")
            #expect(try CanonicalDump.of(databaseAt: db) == expected, "after a kill at \(moment) s")
            // A killed load's batch is marked interrupted by the next one (a load killed before it
            // wrote its batch row left none); nothing stays "running".
            let database = try Database(path: db, readOnly: true)
            let marked = try database.integer("SELECT count(*) FROM ingest_batches WHERE status = 'interrupted'") ?? 0
            #expect(marked <= Int64(kills), "after a kill at \(moment) s")
            #expect(try database.integer("SELECT count(*) FROM ingest_batches WHERE status = 'running'") == 0)
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) }
        }
        #expect(interrupted >= Self.killPoints, "only \(interrupted) kills interrupted a load (moments \(tried))")
        print("ingest: \(interrupted) of \(tried.count) kills interrupted a load, each completed to the clean result; full load \(String(format: "%.2f", fullLoad)) s")
    }

    @Test func aReplacementKilledAtAnyMomentLeavesTheOldOrTheNewRunWhole() throws {
        let tree = try ProwTree.busyTree(runs: 30, cases: 400)
        let db = tree.directory.file("db.sqlite")
        #expect(try run(cisignalBinary, ["ingest", tree.root, "--db", db, "--quiet"]).status == 0)
        // Every run changes: one more failing case in each.
        for build in 0..<30 {
            let path = "logs/periodic-job-\(build % 3)/\(5000 + build)/artifacts/e2e/junit/junit_e2e.xml"
            let xml = ProwTree.junit((0..<400).map { ProwTree.pass("[sig-test] case \($0) should work [Suite:openshift/conformance/parallel]") }
                                     + [ProwTree.fail("new failure")])
            try tree.directory.write(path, try gzipped(Array(xml.utf8)))
        }
        let clean = tree.directory.file("clean.sqlite")
        try FileManager.default.copyItem(atPath: db, toPath: clean)
        #expect(try run(cisignalBinary, ["ingest", tree.root, "--db", clean, "--quiet"]).status == 0)
        let start = Date()
        let timing = tree.directory.file("timing.sqlite")
        try FileManager.default.copyItem(atPath: db, toPath: timing)
        _ = try run(cisignalBinary, ["ingest", tree.root, "--db", timing, "--quiet"])
        let fullReplace = Date().timeIntervalSince(start)

        _ = try runAndKill(cisignalBinary, ["ingest", tree.root, "--db", db, "--quiet"], after: fullReplace * 0.5)
        // Half replaced: every run is either all old (400 results) or all new (401).
        let database = try Database(path: db, readOnly: true)
        let statement = try database.prepare("SELECT count(*) FROM test_results GROUP BY run_id")
        var sizes = Set<Int64>()
        while try statement.step() { sizes.insert(statement.int64(0)) }
        #expect(sizes.isSubset(of: [400, 401]), "a run was half replaced: \(sizes)")
        #expect(try run(cisignalBinary, ["ingest", tree.root, "--db", db, "--quiet"]).status == 0)
        #expect(try CanonicalDump.of(databaseAt: db) == CanonicalDump.of(databaseAt: clean))
    }
}
