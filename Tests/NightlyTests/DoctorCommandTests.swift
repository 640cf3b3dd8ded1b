import Foundation
import Store
import TestSupport
import Testing

@Suite struct DoctorCommandTests {
    @Test func aHealthyDatabaseHasNoProblemsAndDamageIsNamed() throws {
        let site = try SimulatedSite()
        #expect(try run(cisignalBinary, ["ingest", "--config", site.config, "--quiet"]).status == 1, "the corrupt file")
        let healthy = try run(cisignalBinary, ["doctor", "--db", site.database])
        #expect(healthy.status == 0, "\(healthy.stdout)")
        #expect(healthy.stdout.contains("ok      integrity: SQLite integrity_check: ok"))
        #expect(healthy.stdout.contains("note    daysAwaitingRollup: "), "ingested, not rolled up")
        #expect(healthy.stdout.hasSuffix("no problems found\n"))

        // Half a run: the ledger says more results than are stored. An interrupted ingest.
        let database = try Database(path: site.database)
        try database.execute("DELETE FROM test_results WHERE run_id = (SELECT min(id) FROM job_runs WHERE test_results > 0) AND test_id = (SELECT min(test_id) FROM test_results WHERE run_id = (SELECT min(id) FROM job_runs WHERE test_results > 0))")
        try database.execute("INSERT INTO ingest_batches (started_at, roots, status) VALUES (0, '[]', 'running')")
        let damaged = try run(cisignalBinary, ["doctor", "--db", site.database])
        #expect(damaged.status == 1)
        #expect(damaged.stdout.contains("PROBLEM runsWithWrongResultCount: 1 runs whose stored results differ"))
        #expect(damaged.stdout.contains("note    unfinishedBatches: 1 ingests did not finish"))
        #expect(damaged.stdout.hasSuffix("1 problem found\n"))
    }

    @Test func aMissingOrUnreadableDatabaseExitsFour() throws {
        let dir = TemporaryDirectory()
        #expect(try run(cisignalBinary, ["doctor", "--db", dir.file("none.sqlite")]).status == 4)
        try dir.write("garbage.sqlite", String(repeating: "not a database ", count: 400))
        let garbage = try run(cisignalBinary, ["doctor", "--db", dir.file("garbage.sqlite")])
        #expect(garbage.status == 4)
        #expect(garbage.stderr.contains("garbage.sqlite"))
    }
}
