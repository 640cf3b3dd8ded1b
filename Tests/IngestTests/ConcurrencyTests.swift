import Foundation
import Store
import TestSupport
import Testing

/// Two writers never run at once: a second ingest waits (`--wait`) or exits 4 saying who holds the
/// database; readers meanwhile see whole runs only.
@Suite struct ConcurrencyTests {
    func start(_ arguments: [String]) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: cisignalBinary)
        process.arguments = arguments
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        return (process, errors)
    }

    @Test func aSecondIngestWaitsOrSaysWhoIsWriting() throws {
        let first = try ProwTree.busyTree(runs: 20, cases: 100)
        let second = try ProwTree.busyTree(runs: 20, cases: 100, firstBuild: 9000, seed: 8)
        let db = first.directory.file("db.sqlite")
        #expect(try run(cisignalBinary, ["ingest", first.root, "--db", db, "--quiet"]).status == 0)

        // Another writer holds the database (as an ingest in progress would).
        var lock: WriterLock? = try WriterLock(databasePath: db)
        let refused = try run(cisignalBinary, ["ingest", second.root, "--db", db, "--quiet"])
        #expect(refused.status == 4)
        #expect(refused.stderr.contains("is being written by another cisignal run (pid \(getpid())"), "\(refused.stderr)")
        #expect(refused.stderr.contains("--wait"), "the message says how to wait: \(refused.stderr)")
        #expect(refused.stderr.split(separator: "\n").count == 1)

        // A waiting ingest starts when the lock is released and loads everything.
        let started = Date()
        let (waiting, _) = try start(["ingest", second.root, "--db", db, "--quiet", "--wait", "60"])
        usleep(1_000_000)
        #expect(waiting.isRunning, "the second ingest did not wait")
        lock = nil
        waiting.waitUntilExit()
        #expect(waiting.terminationStatus == 0)
        #expect(Date().timeIntervalSince(started) >= 1)
        withExtendedLifetime(lock) {}
        let database = try Database(path: db, readOnly: true)
        #expect(try database.integer("SELECT count(*) FROM job_runs") == 40)

        // A wait that runs out says so, with the same message.
        let holder = try WriterLock(databasePath: db)
        let timedOut = try run(cisignalBinary, ["ingest", second.root, "--db", db, "--quiet", "--wait", "0.5"])
        #expect(timedOut.status == 4 && timedOut.stderr.contains("is being written by another cisignal run"))
        withExtendedLifetime(holder) {}
    }

    @Test func twoIngestsStartedTogetherBothLoadAndNothingIsLost() throws {
        let first = try ProwTree.busyTree(runs: 80, cases: 300)
        let second = try ProwTree.busyTree(runs: 80, cases: 300, firstBuild: 9000, seed: 8)
        let clean = first.directory.file("clean.sqlite")
        #expect(try run(cisignalBinary, ["ingest", first.root, "--db", clean, "--quiet"]).status == 0)
        #expect(try run(cisignalBinary, ["ingest", second.root, "--db", clean, "--quiet"]).status == 0)
        let expected = try CanonicalDump.of(databaseAt: clean)

        for round in 0..<3 {
            let db = first.directory.file("raced-\(round).sqlite")
            let (a, aErrors) = try start(["ingest", first.root, "--db", db, "--quiet", "--wait", "120"])
            let (b, bErrors) = try start(["ingest", second.root, "--db", db, "--quiet", "--wait", "120"])
            a.waitUntilExit()
            b.waitUntilExit()
            let messages = [aErrors, bErrors].map { String(decoding: $0.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) }
            #expect(a.terminationStatus == 0 && b.terminationStatus == 0, "\(messages)")
            #expect(try CanonicalDump.of(databaseAt: db) == expected, "round \(round)")
        }
    }

    @Test func readersDuringAnIngestSeeWholeRunsOnly() throws {
        let small = try ProwTree.busyTree(runs: 10, cases: 100, firstBuild: 9000, seed: 8)
        let big = try ProwTree.busyTree(runs: 300, cases: 400)
        let db = small.directory.file("db.sqlite")
        #expect(try run(cisignalBinary, ["ingest", small.root, "--db", db, "--quiet"]).status == 0)
        // A rollup to answer rate queries from while the ingest writes.
        let day = "2025-11-07"
        #expect(try run(cisignalBinary, ["rollup", "--db", db, "--as-of", day]).status == 0)

        let (writer, writerErrors) = try start(["ingest", big.root, "--db", db, "--quiet"])
        var observations = 0
        var runCounts: [Int64] = []
        var doctorRuns = 0
        while writer.isRunning {
            // One statement is one snapshot: every run visible has all its results.
            let database = try Database(path: db, readOnly: true)
            let snapshot = try rows(database, """
                SELECT count(*), coalesce(sum(r.test_results <> (SELECT count(*) FROM test_results x WHERE x.run_id = r.id)), 0)
                FROM job_runs r
                """)
            let parts = snapshot[0].split(separator: "|").map { Int64($0.trimmingCharacters(in: .whitespaces))! }
            #expect(parts[1] == 0, "\(parts[1]) runs visible without all their results")
            runCounts.append(parts[0])
            observations += 1
            if observations % 5 == 0 {
                // Another process reading: doctor checks the ledger against the rows without locking.
                let doctor = try run(cisignalBinary, ["doctor", "--db", db])
                #expect(!doctor.stdout.contains("PROBLEM"), "\(doctor.stdout)")
                // A rate query answers from the stored rollup without waiting for the writer.
                let jobs = try run(cisignalBinary, ["jobs", "--db", db, "--as-of", day, "--format", "csv"])
                #expect(jobs.status == 0 && jobs.stdout.contains("periodic-job-0"), "\(jobs.stderr)")
                doctorRuns += 1
            }
        }
        writer.waitUntilExit()
        let message = String(decoding: writerErrors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(writer.terminationStatus == 0, "\(message)")
        #expect(observations >= 5, "the ingest ended before the readers could look (\(observations) looks)")
        #expect(runCounts == runCounts.sorted(), "runs disappeared between looks: \(runCounts)")
        #expect(try Database(path: db, readOnly: true).integer("SELECT count(*) FROM job_runs") == 310)
        print("readers: \(observations) snapshots and \(doctorRuns) doctor and jobs runs during one ingest, runs seen \(runCounts.first ?? 0) → \(runCounts.last ?? 0)")
    }
}
