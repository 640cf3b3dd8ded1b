import Foundation
import Testing
@testable import Store

@Suite struct RunLoaderTests {
    func sampleLoad(source: String = "/bucket/logs/job-a/100", build: String = "100",
                    results: [TestResult]? = nil) -> RunLoad {
        RunLoad(
            sourcePath: source,
            fingerprint: "fp-1",
            run: JobRun(job: "job-a", buildID: build, runType: .periodic, startedAt: 1_000, finishedAt: 1_600,
                        result: .failure, payloadTag: "4.18.0-0.nightly-2026-11-07-013000", url: "https://prow/100"),
            results: results ?? [
                TestResult(name: "t1", classname: "", suitePath: "e2e", passes: 1, durationSeconds: 1.5),
                TestResult(name: "t2", classname: "", suitePath: "e2e", passes: 1, failures: 1, durationSeconds: 2,
                           failureMessage: "timed out"),
                TestResult(name: "t3", classname: "c", suitePath: "e2e / inner", failures: 2, failureMessage: "timed out"),
                TestResult(name: "t4", classname: "", suitePath: "e2e", skips: 1),
            ],
            sources: [SourceRecord(path: source + "/finished.json", size: 10, mtimeNanoseconds: 5, crc32: 0xdead_beef, kind: .metadata)],
            problems: [Problem(path: source + "/artifacts/junit_bad.xml", kind: "malformed-xml", reason: "line 3: truncated")],
            junitFiles: 1, junitComplete: false, casesRead: 5)
    }

    func open() throws -> (TemporaryDirectory, Database, RunLoader) {
        let directory = TemporaryDirectory()
        let database = try Database(path: directory.file("db.sqlite"))
        let batch = try IngestBatches.begin(in: database, roots: ["/bucket"], at: 10)
        return (directory, database, try RunLoader(database: database, batchID: batch, clock: { 42 }))
    }

    @Test func outcomesFollowTheMetricDefinitions() {
        #expect(Outcome(passes: 1, failures: 1) == .flake)
        #expect(Outcome(passes: 0, failures: 2) == .fail)
        #expect(Outcome(passes: 3, failures: 0) == .pass)
        #expect(Outcome(passes: 0, failures: 0) == .skip)
    }

    @Test func aNewRunIsWrittenWhole() throws {
        let (_, database, loader) = try open()
        #expect(try loader.load(sampleLoad()) == .new)
        #expect(try database.integer("SELECT count(*) FROM job_runs") == 1)
        #expect(try database.integer("SELECT duration_seconds FROM job_runs") == 600)
        #expect(try database.integer("SELECT junit_complete FROM job_runs") == 0)
        #expect(try database.integer("SELECT test_results FROM job_runs") == 4)
        let outcomes = try database.prepare("""
            SELECT t.name, r.outcome, r.passes, r.failures, r.skips FROM test_results r JOIN tests t ON t.id = r.test_id ORDER BY t.name
            """)
        var rows: [String] = []
        while try outcomes.step() {
            rows.append("\(outcomes.text(0)!) \(outcomes.text(1)!) \(outcomes.int64(2))/\(outcomes.int64(3))/\(outcomes.int64(4))")
        }
        #expect(rows == ["t1 pass 1/0/0", "t2 flake 1/1/0", "t3 fail 0/2/0", "t4 skip 0/0/1"])
        // The same failure text is stored once.
        #expect(try database.integer("SELECT count(*) FROM failure_messages") == 1)
        #expect(try database.integer("SELECT count(DISTINCT failure_message_id) FROM test_results WHERE failure_message_id IS NOT NULL") == 1)
        #expect(try database.integer("SELECT count(*) FROM ingest_problems WHERE run_id IS NOT NULL AND at = 42") == 1)
        #expect(try database.integer("SELECT count(*) FROM ingest_sources WHERE digest = 'deadbeef'") == 1)
        #expect(try database.integer("SELECT count(*) FROM payloads") == 1)
    }

    @Test func reloadingFromTheSameSourceReplacesTheRunInPlace() throws {
        let (_, database, loader) = try open()
        _ = try loader.load(sampleLoad())
        let firstID = try database.integer("SELECT id FROM job_runs")
        var changed = sampleLoad(results: [TestResult(name: "t9", classname: "", suitePath: "e2e", passes: 1)])
        changed.fingerprint = "fp-2"
        #expect(try loader.load(changed) == .replaced)
        #expect(try database.integer("SELECT id FROM job_runs") == firstID)
        #expect(try database.integer("SELECT count(*) FROM test_results") == 1)
        #expect(try database.integer("SELECT source_fingerprint = 'fp-2' FROM job_runs") == 1)
        #expect(try IngestBatches.sourceFingerprints(in: database) == ["/bucket/logs/job-a/100": "fp-2"])
    }

    @Test func theSameRunFromAnotherSourceIsADuplicateAndWritesNothing() throws {
        let (_, database, loader) = try open()
        _ = try loader.load(sampleLoad())
        let result = try loader.load(sampleLoad(source: "/mirror/logs/job-a/100.tar.gz"))
        #expect(result == .duplicate(existingSource: "/bucket/logs/job-a/100"))
        #expect(try database.integer("SELECT count(*) FROM job_runs") == 1)
        #expect(try database.integer("SELECT count(*) FROM test_results") == 4)
    }

    @Test func aFailureMidRunLeavesNothingOfThatRun() throws {
        let (_, database, loader) = try open()
        try database.execute("""
            CREATE TRIGGER refuse_boom BEFORE INSERT ON tests WHEN NEW.name = 'boom'
            BEGIN SELECT RAISE(ABORT, 'refused'); END;
            """)
        let bad = sampleLoad(results: [TestResult(name: "ok", classname: "", suitePath: "s", passes: 1),
                                       TestResult(name: "boom", classname: "", suitePath: "s", passes: 1)])
        #expect(throws: StoreError.self) { _ = try loader.load(bad) }
        for table in ["job_runs", "test_results", "jobs", "tests", "suites", "payloads", "ingest_sources", "ingest_problems"] {
            #expect(try database.integer("SELECT count(*) FROM \(table)") == 0, "\(table) kept rows of a failed load")
        }
        // The loader still works afterwards, with its caches consistent with the table.
        #expect(try loader.load(sampleLoad()) == .new)
        #expect(try database.integer("SELECT count(*) FROM test_results r JOIN tests t ON t.id = r.test_id") == 4)
    }

    @Test func batchesRecordCountsAndInterruptedOnesAreMarked() throws {
        let (_, database, _) = try open()
        let second = try IngestBatches.begin(in: database, roots: ["/x"], at: 20)
        #expect(try database.integer("SELECT count(*) FROM ingest_batches WHERE status = 'interrupted'") == 1)
        var counts = BatchCounts()
        counts.runsNew = 3
        counts.problems = 1
        try IngestBatches.finish(second, in: database, status: .problems, counts: counts, at: 30)
        #expect(try database.integer("SELECT runs_new FROM ingest_batches WHERE id = \(second) AND status = 'problems' AND finished_at = 30") == 3)
    }

    @Test func theWriterLockIsExclusiveAndNamesItsHolder() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("db.sqlite")
        var first: WriterLock? = try WriterLock(databasePath: path)
        do {
            _ = try WriterLock(databasePath: path, timeoutSeconds: 0.2)
            Issue.record("a second writer lock was granted")
        } catch let StoreError.busy(busyPath, holder) {
            #expect(busyPath == path)
            #expect(holder.contains("pid \(getpid())"))
        }
        first = nil
        _ = first
        _ = try WriterLock(databasePath: path)
    }

    @Test func runsOfManyResultsAreWrittenInChunksAndWhole() throws {
        let (_, database, loader) = try open()
        let count = RunLoader.resultsPerStatement * 2 + 3
        var results: [TestResult] = []
        for index in 0..<count {
            let classname = index % 2 == 0 ? "" : "C"
            let suite = index < 70 ? "a" : "b"
            let fails = index % 5 == 0
            let message: String? = fails ? "m\(index % 2)" : nil
            results.append(TestResult(name: "test \(index)", classname: classname, suitePath: suite,
                                      passes: index % 3 == 0 ? 0 : 1, failures: fails ? 1 : 0, skips: index % 7 == 0 ? 1 : 0,
                                      durationSeconds: Double(index) / 4, failureMessage: message))
        }
        _ = try loader.load(sampleLoad(results: results))
        let stored = try database.prepare("""
            SELECT t.name, t.classname, s.path, r.passes, r.failures, r.skips, r.outcome, r.duration_seconds, m.text
            FROM test_results r JOIN tests t ON t.id = r.test_id JOIN suites s ON s.id = r.suite_id
            LEFT JOIN failure_messages m ON m.id = r.failure_message_id ORDER BY t.id
            """)
        var seen = 0
        while try stored.step() {
            let expected = results[seen]
            #expect(stored.text(0) == expected.name)
            #expect(stored.text(1) == expected.classname)
            #expect(stored.text(2) == expected.suitePath)
            #expect(stored.int64(3) == Int64(expected.passes))
            #expect(stored.int64(4) == Int64(expected.failures))
            #expect(stored.int64(5) == Int64(expected.skips))
            #expect(stored.text(6) == expected.outcome.rawValue)
            #expect(stored.double(7) == expected.durationSeconds)
            #expect(stored.text(8) == expected.failureMessage)
            seen += 1
        }
        #expect(seen == count)
        #expect(try database.integer("SELECT count(*) FROM failure_messages") == 2)
    }

    @Test func aOneRowInsertIsRewrittenForManyRows() throws {
        let sql = try SQLLibrary.multiRowInsert(named: "insertResult", in: "ingest.sql", rows: 3)
        #expect(sql.contains("(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"))
        #expect(sql.contains("(?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)"))
        #expect(sql.contains("(?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27);"))
        #expect(!sql.contains("?28"))
        #expect(try SQLLibrary.multiRowInsert(named: "insertResult", in: "ingest.sql", rows: 1)
                == SQLLibrary.statement(named: "insertResult", in: "ingest.sql"))
    }
}
