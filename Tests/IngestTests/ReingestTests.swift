import TestSupport
import Foundation
import Store
import Testing

/// What later ingests do with a tree loaded before: other spellings, moves, duplicates, retries.
@Suite(.serialized) struct ReingestTests {
    typealias Tree = ProwTree

    func summary(_ result: (status: Int32, stdout: String, stderr: String)) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result)")
    }

    func runs(_ result: (status: Int32, stdout: String, stderr: String)) throws -> [String: Int] {
        try #require(try summary(result)["runs"] as? [String: Int])
    }

    func ingest(_ arguments: String..., in directory: String? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
        guard let directory else { return try run(cisignalBinary, ["ingest", "--json"] + arguments) }
        return try run("/bin/sh", ["-c", "cd '\(directory)' && '\(cisignalBinary)' ingest --json " + arguments.map { "'\($0)'" }.joined(separator: " ")])
    }

    func twoRuns() throws -> ProwTree {
        let tree = ProwTree()
        try tree.periodicRun(build: "1", junit: ["artifacts/junit.xml": Tree.junit([Tree.pass("a"), Tree.fail("b")])])
        try tree.periodicRun(build: "2", junit: ["artifacts/junit.xml": Tree.junit([Tree.pass("a")])])
        return tree
    }

    @Test func theSameTreeNamedAnotherWayIsUnchanged() throws {
        let tree = try twoRuns()
        let db = tree.directory.file("db.sqlite")
        #expect(try runs(try ingest(tree.root, "--db", db))["new"] == 2)
        // Relative, with a trailing slash, and one run folder on its own: nothing new, no duplicates.
        let relative = try ingest("./", "--db", db, in: tree.root)
        #expect(relative.status == 0, "\(relative.stderr)")
        #expect(try runs(relative) == ["new": 0, "replaced": 0, "unchanged": 2, "unfinished": 0, "duplicate": 0, "unreadable": 0])
        let oneRun = try ingest(tree.root + "/logs/\(Tree.job)/1", "--db", db)
        #expect(oneRun.status == 0, "\(oneRun.stderr)")
        #expect(try runs(oneRun)["unchanged"] == 1)
    }

    @Test func aMovedRunIsReplacedNotDuplicated() throws {
        let tree = try twoRuns()
        let db = tree.directory.file("db.sqlite")
        _ = try ingest(tree.root, "--db", db)
        try FileManager.default.createDirectory(atPath: tree.root + "/mirror", withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: tree.root + "/logs", toPath: tree.root + "/mirror/logs")
        let moved = try ingest(tree.root, "--db", db)
        #expect(moved.status == 0, "\(moved.stderr)")
        #expect(try runs(moved)["replaced"] == 2)
        let database = try Database(path: db, readOnly: true)
        #expect(try database.integer("SELECT count(*) FROM job_runs WHERE source_path LIKE '%/mirror/logs/%'") == 2)
        #expect(try database.integer("SELECT count(*) FROM test_results") == 3)
    }

    @Test func aRunFolderAndItsArchiveLoadOnceAndComplainOnce() throws {
        let tree = try twoRuns()
        let staging = TemporaryDirectory("staging")
        try staging.write("1/started.json", Tree.started(1))
        try staging.write("1/finished.json", Tree.finished(2))
        try staging.write("1/prowjob.json", Tree.prowjob(job: Tree.job, build: "1"))
        try staging.write("1/artifacts/junit.xml", Tree.junit([Tree.pass("other")]))
        #expect(try run("/bin/tar", ["-czf", tree.root + "/logs/\(Tree.job)/1.tar.gz", "-C", staging.path, "1"]).status == 0)
        let db = tree.directory.file("db.sqlite")
        for threads in ["1", "3"] {
            try? FileManager.default.removeItem(atPath: db)
            let first = try ingest(tree.root, "--db", db, "--threads", threads)
            #expect(first.status == 1)
            #expect(try runs(first)["duplicate"] == 1)
            #expect(first.stderr.contains("1.tar.gz: job \(Tree.job) build 1 is already loaded from \(tree.root)/logs/\(Tree.job)/1;"))
            // The folder (first in walk order) wins, whatever the number of threads.
            let database = try Database(path: db, readOnly: true)
            #expect(try database.integer("SELECT count(*) FROM test_results x JOIN tests t ON t.id = x.test_id WHERE t.name = 'other'") == 0)
            let second = try ingest(tree.root, "--db", db, "--threads", threads)
            #expect(second.status == 0, "the duplicate is reported once: \(second.stderr)")
            #expect(try runs(second)["duplicate"] == 1)
            #expect(try summary(second)["problems"] as? Int == 0)
        }
    }

    @Test func aFileOverTheSizeLimitIsReadAgainUntilItLoads() throws {
        let tree = ProwTree()
        let big = Tree.junit((0..<300).map { Tree.pass("case \($0) with a long enough name to be big") })
        try tree.periodicRun(build: "1", junit: ["artifacts/junit.xml": big])
        let db = tree.directory.file("db.sqlite")
        let limited = try ingest(tree.root, "--db", db, "--max-file-size", "8KiB")
        #expect(limited.status == 1)
        #expect(try runs(limited)["new"] == 1)
        let again = try ingest(tree.root, "--db", db, "--max-file-size", "8KiB")
        #expect(try runs(again)["replaced"] == 1, "a run with a size-limit problem is read again")
        let raised = try ingest(tree.root, "--db", db)
        #expect(raised.status == 0)
        #expect(try runs(raised)["replaced"] == 1)
        #expect(try runs(try ingest(tree.root, "--db", db))["unchanged"] == 1)
        let database = try Database(path: db, readOnly: true)
        #expect(try database.integer("SELECT count(*) FROM test_results") == 300)
        #expect(try database.integer("SELECT junit_complete FROM job_runs") == 1)
    }

    @Test func anUnfinishedArchiveIsReadOnceUntilItChanges() throws {
        let tree = ProwTree()
        let staging = TemporaryDirectory("staging")
        try staging.write("7/started.json", Tree.started(1))
        try staging.write("7/artifacts/junit.xml", Tree.junit([Tree.pass("a")]))
        try staging.write("7/artifacts/junit_bad.xml", "<testsuite><testcase name=\"x\">")
        let archive = tree.root + "/logs/\(Tree.job)/7.tar.gz"
        try FileManager.default.createDirectory(atPath: tree.root + "/logs/\(Tree.job)", withIntermediateDirectories: true)
        #expect(try run("/bin/tar", ["-czf", archive, "-C", staging.path, "7"]).status == 0)
        let db = tree.directory.file("db.sqlite")
        let first = try ingest(tree.root, "--db", db)
        #expect(try runs(first)["unfinished"] == 1)
        #expect(try summary(first)["problems"] as? Int == 1, "its broken JUnit is reported: \(first.stderr)")
        let second = try ingest(tree.root, "--db", db)
        #expect(second.status == 0)
        #expect(try runs(second)["unfinished"] == 1)
        #expect(try summary(second)["problems"] as? Int == 0)
        // Finished now: the archive is rewritten with finished.json, and loads.
        try staging.write("7/finished.json", Tree.finished(5))
        try FileManager.default.removeItem(atPath: archive)
        #expect(try run("/bin/tar", ["-czf", archive, "-C", staging.path, "7"]).status == 0)
        let third = try ingest(tree.root, "--db", db)
        #expect(try runs(third)["new"] == 1)
        let database = try Database(path: db, readOnly: true)
        #expect(try database.integer("SELECT count(*) FROM ingest_skipped_sources") == 0)
    }

    @Test func aChangedArchiveReplacesItsRun() throws {
        let tree = ProwTree()
        let staging = TemporaryDirectory("staging")
        try staging.write("8/started.json", Tree.started(1))
        try staging.write("8/finished.json", Tree.finished(5))
        try staging.write("8/artifacts/junit.xml", Tree.junit([Tree.fail("a")]))
        let archive = tree.root + "/logs/\(Tree.job)/8.tgz"
        try FileManager.default.createDirectory(atPath: tree.root + "/logs/\(Tree.job)", withIntermediateDirectories: true)
        #expect(try run("/bin/tar", ["-czf", archive, "-C", staging.path, "8"]).status == 0)
        let db = tree.directory.file("db.sqlite")
        _ = try ingest(tree.root, "--db", db)
        try staging.write("8/artifacts/junit.xml", Tree.junit([Tree.pass("a"), Tree.pass("b")]))
        try FileManager.default.removeItem(atPath: archive)
        #expect(try run("/bin/tar", ["-czf", archive, "-C", staging.path, "8"]).status == 0)
        #expect(try runs(try ingest(tree.root, "--db", db))["replaced"] == 1)
        let database = try Database(path: db, readOnly: true)
        #expect(try database.integer("SELECT count(*) FROM test_results WHERE outcome = 'pass'") == 2)
        #expect(try database.integer("SELECT count(*) FROM test_results") == 2)
    }

    @Test func readerThreadsChangeNothingButSpeed() throws {
        let tree = ProwTree()
        for build in 0..<12 {
            let cases = (0..<50).map { build % 4 == 0 && $0 % 7 == 0 ? Tree.fail("t\($0)") : Tree.pass("t\($0)") }
            try tree.periodicRun(job: "job-\(build % 3)", build: String(100 + build), junit: ["artifacts/junit.xml": Tree.junit(cases)])
        }
        let one = tree.directory.file("one.sqlite"), four = tree.directory.file("four.sqlite")
        _ = try ingest(tree.root, "--db", one, "--threads", "1")
        _ = try ingest(tree.root, "--db", four, "--threads", "4")
        #expect(try CanonicalDump.of(databaseAt: one) == CanonicalDump.of(databaseAt: four))
    }

    @Test func aRootThatDoesNotExistIsAUsageError() throws {
        let result = try ingest("/no/such/root", "--db", "/tmp/never.sqlite")
        #expect(result.status == 2)
        #expect(result.stderr.contains("artifact root '/no/such/root' does not exist"))
        #expect(!FileManager.default.fileExists(atPath: "/tmp/never.sqlite"))
    }
}
