import Foundation
import Store
import TestSupport
import Testing

/// Files built to exhaust memory: a 100 MB attribute, 10^6 nested elements, 10^6 test cases in
/// one file. Each is read with bounded memory (the peak resident size of the ingest is measured);
/// a limit that is hit is a recorded problem, and the other runs load.
@Suite struct ResourceLimitTests {
    typealias Tree = ProwTree

    /// Runs cisignal and returns its exit status, standard error and peak resident size in MB
    /// (measured by Python's resource module around the child).
    func runMeasured(_ arguments: [String]) throws -> (status: Int32, stderr: String, peakMB: Int) {
        let script = """
            import resource, subprocess, sys
            child = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            sys.stdout.write("%d %d\\n" % (child.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024))
            sys.stdout.write(child.stderr.decode("utf-8", "replace"))
            """
        let result = try run("/usr/bin/env", ["python3", "-c", script, cisignalBinary] + arguments)
        let first = result.stdout.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
        let numbers = first[0].split(separator: " ").compactMap { Int($0) }
        #expect(numbers.count == 2, "\(result.stdout) \(result.stderr)")
        return (Int32(numbers.first ?? -1), first.count > 1 ? String(first[1]) : "", numbers.last ?? -1)
    }

    @Test func aHundredMegabyteAttributeAndAMillionNestedElementsAreLimitsWithSmallMemory() throws {
        let tree = ProwTree()
        try tree.periodicRun(build: "1", junit: ["artifacts/junit_good.xml": Tree.junit([Tree.pass("good")])])
        var attribute = Array("<testsuite><testcase name=\"".utf8)
        attribute += [UInt8](repeating: UInt8(ascii: "a"), count: 100 << 20)
        attribute += Array("\"/></testsuite>".utf8)
        try tree.directory.write("logs/\(Tree.job)/1/artifacts/junit_attribute.xml", attribute)
        attribute = []
        let nested = "<testsuite>" + String(repeating: "<a>", count: 1_000_000) + String(repeating: "</a>", count: 1_000_000) + "</testsuite>"
        try tree.directory.write("logs/\(Tree.job)/1/artifacts/junit_nested.xml", nested)

        let db = tree.directory.file("db.sqlite")
        let result = try runMeasured(["ingest", tree.root, "--db", db, "--quiet"])
        #expect(result.status == 1, "\(result.stderr)")
        let database = try Database(path: db, readOnly: true)
        #expect(try rows(database, "SELECT replace(path, '\(tree.root)/logs/\(Tree.job)/1/artifacts/', ''), kind, reason FROM ingest_problems ORDER BY path") == [
            "junit_attribute.xml | xml-limit | XML safety limit exceeded: a name, tag, attribute value or text node longer than libxml2's 10,000,000-byte limit (line 1)",
            "junit_nested.xml | xml-limit | XML safety limit exceeded: elements nested deeper than 256 levels",
        ])
        #expect(try rows(database, "SELECT t.name FROM test_results x JOIN tests t ON t.id = x.test_id") == ["good"])
        #expect(result.peakMB > 0 && result.peakMB < 200, "peak resident size \(result.peakMB) MB")
        print("limits: 100 MB attribute and 10^6 nesting read with a peak of \(result.peakMB) MB")
    }

    @Test func aMillionTestCasesInOneFileLoadWithBoundedMemory() throws {
        let tree = ProwTree()
        var xml = Array("<testsuite name=\"big\">".utf8)
        xml.reserveCapacity(64 << 20)
        for index in 0..<1_000_000 {
            xml += Array("<testcase classname=\"pkg.Class\(index % 1000)\" name=\"test case number \(index)\"\(index % 100 == 0 ? "><failure message=\"m\"/></testcase>" : "/>")".utf8)
        }
        xml += Array("</testsuite>".utf8)
        try tree.periodicRun(build: "1", junit: [:])
        try tree.directory.write("logs/\(Tree.job)/1/artifacts/junit_million.xml.gz", try gzipped(xml))
        xml = []

        let db = tree.directory.file("db.sqlite")
        let result = try runMeasured(["ingest", tree.root, "--db", db, "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        let database = try Database(path: db, readOnly: true)
        #expect(try rows(database, "SELECT count(*), sum(failures) FROM test_results") == ["1000000 | 10000"])
        // Memory grows with the run's tests (a run is loaded whole or not at all), bounded by the
        // reader's limit of 2,000,000 cases a file; 10^6 cases take a few hundred MB.
        #expect(result.peakMB > 0 && result.peakMB < 768, "peak resident size \(result.peakMB) MB")
        print("limits: 10^6 test cases in one file loaded with a peak of \(result.peakMB) MB")
    }
}
