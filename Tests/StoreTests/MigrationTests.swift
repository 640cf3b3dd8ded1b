import Foundation
import Testing
@testable import Store

@Suite struct MigrationTests {
    @Test func migrationsAreEmbeddedAndNumberedInOrder() throws {
        let migrations = Migrations.all
        #expect(!migrations.isEmpty)
        #expect(migrations.map(\.version) == migrations.map(\.version).sorted())
        #expect(Set(migrations.map(\.version)).count == migrations.count, "two migrations share a number")
        #expect(migrations.first?.name == "migrations/0001_ingest.sql")
    }

    @Test func openingAppliesEveryMigrationAndRecordsTheVersion() throws {
        let directory = TemporaryDirectory()
        let database = try Database(path: directory.file("db.sqlite"))
        #expect(try Migrations.version(of: database) == Migrations.latestVersion)
        #expect(try database.integer("SELECT count(*) FROM schema_migrations") == Int64(Migrations.all.count))
        for table in ["jobs", "job_runs", "payloads", "suites", "tests", "test_results", "failure_messages",
                      "ingest_sources", "ingest_problems", "ingest_batches"] {
            #expect(try database.integer("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '\(table)'") == 1,
                    "missing table \(table)")
        }
        #expect(try database.integer("SELECT count(*) FROM pragma_journal_mode WHERE journal_mode = 'wal'") == 1)
    }

    @Test func reopeningAppliesNothingTwice() throws {
        let directory = TemporaryDirectory()
        _ = try Database(path: directory.file("db.sqlite"))
        let again = try Database(path: directory.file("db.sqlite"))
        #expect(try again.integer("SELECT count(*) FROM schema_migrations") == Int64(Migrations.all.count))
    }

    @Test func aNewerSchemaIsRefusedWithItsVersion() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("db.sqlite")
        try Database(path: path).execute("PRAGMA user_version = 999")
        #expect(throws: StoreError.schemaTooNew(path: path, found: 999, known: Migrations.latestVersion)) {
            _ = try Database(path: path)
        }
    }

    @Test func aFileThatIsNotADatabaseGivesAClearError() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("notes.txt")
        try Data(String(repeating: "not a database\n", count: 100).utf8).write(to: URL(fileURLWithPath: path))
        do {
            _ = try Database(path: path)
            Issue.record("opening a text file as a database succeeded")
        } catch let error as StoreError {
            guard case let .cannotOpen(errorPath, reason) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(errorPath == path)
            #expect(reason.contains("not a database"))
        }
    }

    @Test func namedStatementsAreFoundAndMissingOnesNamed() throws {
        let sql = try SQLLibrary.statement(named: "insertJob", in: "ingest.sql")
        #expect(sql.hasSuffix("INSERT INTO jobs (name) VALUES (?1);"))
        #expect(throws: StoreError.missingStatement(file: "queries/ingest.sql", name: "noSuchStatement")) {
            _ = try SQLLibrary.statement(named: "noSuchStatement", in: "ingest.sql")
        }
    }

    @Test func queryFilesSplitOnNameLines() {
        let statements = SQLLibrary.namedStatements(in: """
            -- header comment
            -- name: first
            -- a comment
            SELECT 1;

            -- name: second
            SELECT 2;
            """)
        #expect(statements == ["first": "-- a comment\nSELECT 1;", "second": "SELECT 2;"])
    }

    @Test func rollupMigrationBackfillsSuitesAndMarksTheDaysOfEarlierRuns() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("db.sqlite")
        let old = try Database(path: path, readOnly: false, busyTimeoutMilliseconds: 1000, migratingThrough: 1)
        #expect(try Migrations.version(of: old) == 1)
        try old.execute("""
            INSERT INTO ingest_batches (id, started_at, roots) VALUES (1, 0, '[]');
            INSERT INTO jobs (id, name) VALUES (1, 'job');
            INSERT INTO suites (id, path) VALUES (1, 'first'), (2, 'second');
            INSERT INTO tests (id, name) VALUES (1, 't');
            INSERT INTO job_runs (id, job_id, build_id, started_at, source_path, source_fingerprint, junit_files,
                                  junit_complete, test_results, batch_id)
                 VALUES (1, 1, '1', 1794009600, '/a', 'f', 1, 1, 1, 1),
                        (2, 1, '2', 1794096000, '/b', 'f', 1, 1, 1, 1);
            INSERT INTO test_results (run_id, test_id, suite_id, passes, failures, skips, outcome, duration_seconds)
                 VALUES (1, 1, 1, 1, 0, 0, 'pass', 1), (2, 1, 2, 1, 0, 0, 'pass', 1);
            """)
        let migrated = try Database(path: path)
        #expect(try Migrations.version(of: migrated) == Migrations.latestVersion)
        #expect(try migrated.integer("SELECT suite_id FROM tests WHERE id = 1") == 1)
        #expect(try migrated.integer("SELECT count(*) FROM rollup_dirty_days WHERE day IN ('2026-11-07', '2026-11-08')") == 2)
    }
}
