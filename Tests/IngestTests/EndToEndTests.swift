import TestSupport
import Artifacts
import Foundation
import Store
import Testing

/// Runs the real `cisignal ingest` on small trees and checks the database row by row.
@Suite(.serialized) struct EndToEndTests {
    typealias Tree = ProwTree

    /// A tree with every kind of run and packaging the issue names.
    func buildTree() throws -> ProwTree {
        let tree = ProwTree()
        // 1001: gzip with .gz, gzip bytes under a plain .xml name; a retry makes "b" a flake.
        try tree.periodicRun(build: "1001", junit: [
            "artifacts/e2e/junit/junit_e2e_1.xml.gz": Tree.junit([Tree.pass("a"), Tree.fail("b", message: "b broke"), Tree.skip("c")]),
            "artifacts/e2e/junit/junit_e2e_2.xml": Tree.junit([Tree.pass("b"), Tree.fail("d"), Tree.fail("d")]),
            "artifacts/e2e/build-resources/pods.xml": "<pods><pod name=\"x\"/></pods>",
        ], gzip: ["artifacts/e2e/junit/junit_e2e_1.xml.gz", "artifacts/e2e/junit/junit_e2e_2.xml"])
        // 1002: the whole run packed as one .tar.gz beside the run folders.
        let staging = TemporaryDirectory("staging")
        try staging.write("1002/started.json", Tree.started(1_762_490_000))
        try staging.write("1002/finished.json", Tree.finished(1_762_493_600, "FAILURE"))
        try staging.write("1002/prowjob.json", Tree.prowjob(job: Tree.job, build: "1002"))
        try staging.write("1002/artifacts/e2e/junit/junit_x.xml", try gzipped(Array(Tree.junit([Tree.pass("a"), Tree.error("e")]).utf8)))
        let archive = tree.root + "/logs/\(Tree.job)/1002.tar.gz"
        #expect(try run("/bin/tar", ["-czf", archive, "-C", staging.path, "1002"]).status == 0)
        // 1003: unfinished.
        try tree.directory.write("logs/\(Tree.job)/1003/started.json", Tree.started(1_762_500_000))
        try tree.directory.write("logs/\(Tree.job)/1003/artifacts/junit.xml", Tree.junit([Tree.pass("a")]))
        // 1004: one truncated gzip file beside a good one.
        let good = try gzipped(Array(Tree.junit([Tree.pass("a"), Tree.pass("z")]).utf8))
        try tree.periodicRun(build: "1004", junit: ["artifacts/junit_ok.xml": Tree.junit([Tree.pass("a")])])
        try tree.directory.write("logs/\(Tree.job)/1004/artifacts/junit_cut.xml.gz", Array(good.prefix(good.count / 2)))
        // 2001: a presubmit with only started.json and finished.json.
        let presubmit = "pr-logs/pull/openshift_origin/4242/pull-ci-openshift-origin-master-e2e-gcp/2001/"
        try tree.directory.write(presubmit + "started.json", "{\"timestamp\": 1762480000, \"pull\": \"4242\"}")
        try tree.directory.write(presubmit + "finished.json", Tree.finished(1_762_480_600, "FAILURE"))
        try tree.directory.write(presubmit + "artifacts/junit_operator.xml", Tree.junit([Tree.fail("a")]))
        return tree
    }

    @Test func aTreeLoadsRowByRow() throws {
        let tree = try buildTree()
        let db = tree.directory.file("out.sqlite")
        let result = try run(cisignalBinary, ["ingest", tree.root, "--db", db, "--json"])
        #expect(result.status == 1, "exit status with one bad file: \(result.stderr)")
        #expect(result.stderr.contains("junit_cut.xml.gz"), "the problem line names the file: \(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "one line per problem: \(result.stderr)")

        let summary = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let runs = summary?["runs"] as? [String: Int]
        #expect(runs?["new"] == 4)
        #expect(runs?["unfinished"] == 1)
        #expect(summary?["problems"] as? Int == 1)
        let results = summary?["results"] as? [String: Int]
        #expect(results == ["pass": 3, "fail": 3, "flake": 1, "skip": 1, "total": 8])

        let database = try Database(path: db, readOnly: true)
        #expect(try rows(database, """
            SELECT j.name, r.build_id, r.run_type, r.started_at, r.duration_seconds, r.result, p.tag, r.pr_number,
                   r.url IS NOT NULL, r.junit_files, r.junit_complete, r.test_results
            FROM job_runs r JOIN jobs j ON j.id = r.job_id LEFT JOIN payloads p ON p.id = r.payload_id
            ORDER BY r.build_id
            """) == [
                "\(Tree.job) | 1001 | periodic | 1762480000 | 3600 | success | \(Tree.tag) | NULL | 1 | 2 | 1 | 4",
                "\(Tree.job) | 1002 | periodic | 1762490000 | 3600 | failure | \(Tree.tag) | NULL | 1 | 1 | 1 | 2",
                "\(Tree.job) | 1004 | periodic | 1762480000 | 3600 | success | \(Tree.tag) | NULL | 1 | 1 | 0 | 1",
                "pull-ci-openshift-origin-master-e2e-gcp | 2001 | presubmit | 1762480000 | 600 | failure | NULL | 4242 | 0 | 1 | 1 | 1",
            ])
        #expect(try rows(database, """
            SELECT r.build_id, t.name, s.path, x.passes, x.failures, x.skips, x.outcome, coalesce(m.text, '')
            FROM test_results x JOIN job_runs r ON r.id = x.run_id JOIN tests t ON t.id = x.test_id
            JOIN suites s ON s.id = x.suite_id LEFT JOIN failure_messages m ON m.id = x.failure_message_id
            ORDER BY r.build_id, t.name
            """) == [
                "1001 | a | openshift-tests | 1 | 0 | 0 | pass | ",
                "1001 | b | openshift-tests | 1 | 1 | 0 | flake | b broke\n\nstack",
                "1001 | c | openshift-tests | 0 | 0 | 1 | skip | ",
                "1001 | d | openshift-tests | 0 | 2 | 0 | fail | failed\n\nstack",
                "1002 | a | openshift-tests | 1 | 0 | 0 | pass | ",
                "1002 | e | openshift-tests | 0 | 1 | 0 | fail | panic",
                "1004 | a | openshift-tests | 1 | 0 | 0 | pass | ",
                "2001 | a | openshift-tests | 0 | 1 | 0 | fail | failed\n\nstack",
            ])
        #expect(try rows(database, "SELECT kind, path, reason, run_id IS NOT NULL FROM ingest_problems") == [
            "truncated-gzip | \(tree.root)/logs/\(Tree.job)/1004/artifacts/junit_cut.xml.gz | \(ArtifactError.truncatedGzip) | 1",
        ])
        #expect(try rows(database, "SELECT kind, count(*) FROM ingest_sources GROUP BY kind ORDER BY kind") == [
            "archive | 1", "junit | 5", "metadata | 11", "not-junit | 1", "problem | 1",
        ])
        #expect(try rows(database, "SELECT status, runs_new, runs_unfinished, results_loaded, cases_read, problems FROM ingest_batches") == [
            "problems | 4 | 1 | 8 | 10 | 1",
        ])
    }

    @Test func aSecondRunChangesNothingAndAChangedFileReloadsItsRun() throws {
        let tree = try buildTree()
        let db = tree.directory.file("out.sqlite")
        _ = try run(cisignalBinary, ["ingest", tree.root, "--db", db, "--quiet"])
        let before = try CanonicalDump.of(databaseAt: db)

        let again = try run(cisignalBinary, ["ingest", tree.root, "--db", db, "--json"])
        #expect(again.status == 0, "nothing new, nothing bad: \(again.stderr)")
        let summary = try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any]
        #expect((summary?["runs"] as? [String: Int])?["unchanged"] == 4)
        #expect((summary?["runs"] as? [String: Int])?["new"] == 0)
        #expect(try CanonicalDump.of(databaseAt: db) == before)

        // Rewrite one JUnit file of 1001: "d" now passes.
        let path = "logs/\(Tree.job)/1001/artifacts/e2e/junit/junit_e2e_2.xml"
        try tree.directory.write(path, try gzipped(Array(Tree.junit([Tree.pass("b"), Tree.pass("d")]).utf8)))
        let changed = try run(cisignalBinary, ["ingest", tree.root, "--db", db, "--json"])
        let changedRuns = (try JSONSerialization.jsonObject(with: Data(changed.stdout.utf8)) as? [String: Any])?["runs"] as? [String: Int]
        #expect(changedRuns?["replaced"] == 1)
        #expect(changedRuns?["unchanged"] == 3)
        let database = try Database(path: db, readOnly: true)
        #expect(try rows(database, """
            SELECT t.name, x.outcome FROM test_results x JOIN job_runs r ON r.id = x.run_id JOIN tests t ON t.id = x.test_id
            WHERE r.build_id = '1001' ORDER BY t.name
            """) == ["a | pass", "b | flake", "c | skip", "d | pass"])
        #expect(try database.integer("SELECT count(*) FROM job_runs") == 4)
    }

    @Test func usageErrorsExitTwoAndAnUnusableDatabaseExitsFour() throws {
        let noRoots = try run(cisignalBinary, ["ingest"])
        #expect(noRoots.status == 2)
        #expect(noRoots.stderr.contains("give at least one artifact root"))
        let badSize = try run(cisignalBinary, ["ingest", "/tmp", "--max-file-size", "lots"])
        #expect(badSize.status == 2)

        let directory = TemporaryDirectory()
        let notADatabase = try directory.write("x.sqlite", String(repeating: "garbage ", count: 500))
        let unusable = try run(cisignalBinary, ["ingest", directory.path, "--db", notADatabase])
        #expect(unusable.status == 4)
        #expect(unusable.stderr.contains("cannot open database \(notADatabase)"))
        #expect(unusable.stderr.split(separator: "\n").count == 1)
    }

    @Test func aLockedDatabaseGetsAClearMessage() throws {
        let directory = TemporaryDirectory()
        let db = directory.file("db.sqlite")
        let lock = try WriterLock(databasePath: db)
        let blocked = try run(cisignalBinary, ["ingest", directory.path, "--db", db])
        #expect(blocked.status == 4)
        #expect(blocked.stderr.contains("is being written by another cisignal run (pid \(getpid())"))
        withExtendedLifetime(lock) {}
    }

    @Test func helpDescribesEveryOption() throws {
        let help = try run(cisignalBinary, ["ingest", "--help"])
        #expect(help.status == 0)
        for option in ["--db", "--max-file-size", "--threads", "--wait", "--json", "--quiet"] {
            #expect(help.stdout.contains(option), "help lacks \(option)")
        }
    }

    @Test func quietPrintsNothingButProblemsAndAPipeGetsNoProgressLine() throws {
        let tree = try buildTree()
        let quiet = try run(cisignalBinary, ["ingest", tree.root, "--db", tree.directory.file("q.sqlite"), "--quiet"])
        #expect(quiet.status == 1)
        #expect(quiet.stdout.isEmpty)
        #expect(quiet.stderr.split(separator: "\n").count == 1, "\(quiet.stderr)")
        let piped = try run(cisignalBinary, ["ingest", tree.root, "--db", tree.directory.file("p.sqlite")])
        #expect(!piped.stderr.contains("\r"), "no progress line when standard error is not a terminal")
        #expect(piped.stdout.contains("runs: 4 new"))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "needs script(1) for a terminal"))
    func aTerminalGetsAProgressLine() throws {
        let tree = ProwTree()
        for build in 0..<40 {
            let cases = (0..<2000).map { Tree.pass("case \($0)") }
            try tree.periodicRun(build: String(build), junit: ["artifacts/junit.xml": Tree.junit(cases)])
        }
        let db = tree.directory.file("t.sqlite")
        // script(1) runs the command on a pseudo-terminal and copies what it shows.
        let shown = try run("/usr/bin/script", ["-qec", "'\(cisignalBinary)' ingest '\(tree.root)' --db '\(db)'", "/dev/null"])
        #expect(shown.status == 0, "\(shown.stdout)")
        #expect(shown.stdout.contains("ingest: "), "a progress line: \(shown.stdout.prefix(400))")
        #expect(shown.stdout.contains(" runs, "))
        #expect(shown.stdout.contains("runs: 40 new"))
    }
}
