import TestSupport
import Foundation
import Store
import Testing

/// Every kind of bad input becomes one recorded problem naming the file; everything else loads.
@Suite(.serialized) struct BadInputTests {
    typealias Tree = ProwTree

    func fixture(_ path: String) throws -> [UInt8] {
        let full = fixturesRoot + "/" + path
        #expect(FileManager.default.fileExists(atPath: full), "missing fixture \(full)")
        return Array(try Data(contentsOf: URL(fileURLWithPath: full)))
    }

    @Test func eachBadFileIsOneProblemAndTheRestLoads() throws {
        let tree = ProwTree()
        let runPath = "logs/\(Tree.job)/3001/"
        try tree.periodicRun(build: "3001", junit: ["artifacts/junit_good.xml": Tree.junit([Tree.pass("good")])])
        try tree.directory.write(runPath + "artifacts/junit_empty.xml", "")
        try tree.directory.write(runPath + "artifacts/junit_utf8.xml", [UInt8]("<testsuite><testcase name=\"caf".utf8) + [0xC3, 0x28] + [UInt8]("\"/></testsuite>".utf8))
        try tree.directory.write(runPath + "artifacts/junit_nul.xml", [UInt8]("<testsuite><testcase name=\"a".utf8) + [0] + [UInt8]("\"/></testsuite>".utf8))
        let large = Tree.junit((0..<400).map { Tree.pass("case \($0) with a name long enough to add up") })
        try tree.directory.write(runPath + "artifacts/junit_large.xml.gz", try gzipped(Array(large.utf8)))
        try tree.directory.write(runPath + "artifacts/junit_corrupt_pytest.xml", try fixture("publish-unit-test-result-action/pytest/corrupt-xml.xml"))
        try tree.directory.write(runPath + "artifacts/sub/TEST-test.CorruptTest.xml",
                                 try fixture("action-junit-report/corrupt-junit/e2e-tests/corrupt/target/sf-reports/TEST-test.CorruptTest.xml"))
        try tree.directory.write(runPath + "artifacts/non-junit.xml", try fixture("publish-unit-test-result-action/non-junit.xml"))
        var flipped = try gzipped(Array(Tree.junit([Tree.pass("x")]).utf8))
        flipped[flipped.count / 2] ^= 0xFF
        try tree.directory.write(runPath + "artifacts/junit_flipped.xml.gz", flipped)

        // A run whose finished.json is not JSON still loads, with a problem.
        try tree.periodicRun(build: "3003", junit: ["artifacts/junit.xml": Tree.junit([Tree.fail("f")])])
        try tree.directory.write("logs/\(Tree.job)/3003/finished.json", "{\"timestamp\": 17")
        // An archive that is not a tar at all: the run cannot be read; a problem, not a crash.
        try tree.directory.write("logs/\(Tree.job)/3002.tar.gz", try gzipped(Array(String(repeating: "not a tar header ", count: 64).utf8)))

        let db = tree.directory.file("out.sqlite")
        let result = try run(cisignalBinary, ["ingest", tree.root, "--db", db, "--max-file-size", "16KiB"])
        #expect(result.status == 1, "\(result.stderr)")
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 9, "one line per problem:\n\(result.stderr)")
        #expect(lines.allSatisfy { $0.hasPrefix("cisignal: problem: \(tree.root)/logs/") }, "each line names its file:\n\(result.stderr)")

        let database = try Database(path: db, readOnly: true)
        let base = "\(tree.root)/logs/\(Tree.job)/"
        #expect(try rows(database, "SELECT replace(path, '\(base)', ''), kind FROM ingest_problems ORDER BY path") == [
            "3001/artifacts/junit_corrupt_pytest.xml | malformed-xml",
            "3001/artifacts/junit_empty.xml | empty-file",
            "3001/artifacts/junit_flipped.xml.gz | corrupt-gzip",
            "3001/artifacts/junit_large.xml.gz | size-limit",
            "3001/artifacts/junit_nul.xml | malformed-xml",
            "3001/artifacts/junit_utf8.xml | malformed-xml",
            "3001/artifacts/sub/TEST-test.CorruptTest.xml | malformed-xml",
            "3002.tar.gz | bad-tar-header",
            "3003/finished.json | malformed-json",
        ].sorted())
        #expect(try rows(database, """
            SELECT r.build_id, r.junit_files, r.junit_complete, r.result, group_concat(t.name || '=' || x.outcome)
            FROM job_runs r LEFT JOIN test_results x ON x.run_id = r.id LEFT JOIN tests t ON t.id = x.test_id
            GROUP BY r.id ORDER BY r.build_id
            """) == ["3001 | 1 | 0 | success | good=pass",
                     // finished.json is unreadable, so the result comes from prowjob.json's state.
                     "3003 | 1 | 1 | success | f=fail"])
        #expect(try rows(database, "SELECT kind FROM ingest_sources WHERE path LIKE '%non-junit.xml'") == ["not-junit"])
        #expect(try rows(database, "PRAGMA integrity_check") == ["ok"])
    }
}
