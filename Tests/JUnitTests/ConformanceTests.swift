// Conformance with publish-unit-test-result-action: for each fixture NAME.xml with a sibling
// NAME.results (that project's own parse, a Python repr), our case counts per result must match.
import Foundation
import Testing
@testable import JUnit

/// What a `.results` file says: number of cases per result, and whether parsing failed.
struct ExpectedResults {
    var counts: [String: Int] = [:]
    var parseFailed = false

    init(_ text: String) {
        // Each case is `UnitTestCase(... result='success', ...)`; `result_file=` does not match.
        var rest = text[...]
        while let r = rest.range(of: "result='") {
            let after = rest[r.upperBound...]
            let end = after.firstIndex(of: "'") ?? after.endIndex
            counts[String(after[..<end]), default: 0] += 1
            rest = after[end...]
        }
        parseFailed = !text.contains("errors=[]")
    }

    /// Their results mapped onto ours. `disabled` (tst) is a deliberate difference: their parser
    /// keeps it as its own result, we count it as skipped (it is not a run of the test).
    var asOurs: [CaseStatus: Int] {
        var out: [CaseStatus: Int] = [:]
        for (result, n) in counts {
            let status: CaseStatus? = switch result {
            case "success": .passed
            case "failure": .failed
            case "error": .errored
            case "skipped", "disabled": .skipped
            default: nil
            }
            if let status { out[status, default: 0] += n } else { Issue.record("unknown result '\(result)'") }
        }
        return out
    }
}

@Suite struct PublishUnitTestResultConformance {
    static func pairs() throws -> [(xml: URL, results: URL)] {
        let dir = try fixturesRoot().appendingPathComponent("publish-unit-test-result-action")
        return files(under: dir).filter { $0.pathExtension == "xml" }.compactMap { xml in
            let results = xml.deletingPathExtension().appendingPathExtension("results")
            return FileManager.default.fileExists(atPath: results.path) ? (xml, results) : nil
        }
    }

    @Test func fixturesArePresent() throws {
        let pairs = try Self.pairs()
        #expect(pairs.count >= 25, "expected the publish-unit-test-result-action fixtures, found \(pairs.count) pairs")
    }

    @Test func countsPerResultMatch() throws {
        for (xml, resultsURL) in try Self.pairs() {
            let expected = ExpectedResults(try String(contentsOf: resultsURL, encoding: .utf8))
            let name = xml.lastPathComponent
            if expected.parseFailed {
                #expect(throws: JUnitError.self, "\(name): their parser failed, ours must throw") { try parseFile(xml) }
                continue
            }
            let ours: [JUnitCase]
            do { ours = try parseFile(xml).cases } catch {
                Issue.record("\(name): their parser read it, ours threw \(error)")
                continue
            }
            var counts: [CaseStatus: Int] = [:]
            for c in ours { counts[c.status, default: 0] += 1 }
            let theirs = expected.asOurs
            #expect(ours.count == theirs.values.reduce(0, +), "\(name): case count")
            #expect(counts == theirs, "\(name): counts per result")
        }
    }

    @Test func notJUnitRootIsRejected() throws {
        let xml = try fixturesRoot().appendingPathComponent("publish-unit-test-result-action/non-junit.xml")
        #expect(throws: JUnitError.notJUnit(rootElement: "suites")) { try parseFile(xml) }
    }

    @Test func corruptXMLIsMalformed() throws {
        // pytest/corrupt-xml.xml is cut off in the middle of a <skipped> element's text.
        let xml = try fixturesRoot().appendingPathComponent("publish-unit-test-result-action/pytest/corrupt-xml.xml")
        let error = junitError { () throws(JUnitError) in try readJUnit(Array(try! Data(contentsOf: xml))) }
        #expect(error?.kind == "malformed-xml", "got \(String(describing: error))")
    }
}
