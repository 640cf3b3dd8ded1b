import TestSupport
import Artifacts
import Foundation
import Store
import Testing
@testable import Ingest

/// The publish-unit-test-result-action fixtures, read through the same path as a run's JUnit files
/// (file → gzip detection → JUnit reader → attempts), plain and gzipped with and without `.gz`.
@Suite struct GzipConformanceTests {
    struct Expected {
        var cases = 0
        var byResult: [String: Int] = [:]
        /// Their cases folded as we fold attempts: by (class name, test name), as repr'd in the file.
        var outcomes: [Outcome: Int] = [:]
        var parseErrors = false
    }

    /// Their counts from NAME.results. `disabled` is counted as skipped by us (deliberately).
    static func expected(_ resultsPath: String) throws -> Expected {
        let text = try String(contentsOfFile: resultsPath, encoding: .utf8)
        var expected = Expected()
        expected.parseErrors = !text.contains("errors=[]")
        var className = "", folded: [String: (passes: Int, failures: Int)] = [:], order: [String] = []
        for line in text.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("class_name=") { className = trimmed }
            if trimmed.hasPrefix("test_name=") {
                let key = className + "|" + trimmed
                if folded[key] == nil { order.append(key) }
                folded[key, default: (0, 0)] = folded[key, default: (0, 0)]
                className = key
            }
            guard trimmed.hasPrefix("result='") else { continue }
            var result = String(trimmed.dropFirst("result='".count).prefix { $0 != "'" })
            if result == "disabled" { result = "skipped" }
            expected.byResult[result, default: 0] += 1
            expected.cases += 1
            switch result {
            case "success": folded[className]!.passes += 1
            case "failure", "error": folded[className]!.failures += 1
            default: break
            }
        }
        for key in order {
            expected.outcomes[Outcome(passes: folded[key]!.passes, failures: folded[key]!.failures), default: 0] += 1
        }
        return expected
    }

    static var fixtures: [String] {
        let folder = fixturesRoot + "/publish-unit-test-result-action"
        let names = (FileManager.default.enumerator(atPath: folder)?.allObjects as? [String]) ?? []
        return names.filter { $0.hasSuffix(".xml") && names.contains(String($0.dropLast(4)) + ".results") }
            .map { folder + "/" + $0 }.sorted()
    }

    @Test func theFixturesArePresent() {
        #expect(Self.fixtures.count >= 25, "expected the conformance fixtures at \(fixturesRoot)")
    }

    @Test(arguments: fixtures)
    func countsMatchPlainAndGzipped(_ xmlPath: String) throws {
        let expected = try Self.expected(String(xmlPath.dropLast(4)) + ".results")
        let plain = try Array(Data(contentsOf: URL(fileURLWithPath: xmlPath)))
        let directory = TemporaryDirectory()
        let variants = [
            try directory.write("plain.xml", plain),
            try directory.write("gzipped.xml.gz", try gzipped(plain)),
            try directory.write("gzip-bytes-under-plain-name.xml", try gzipped(plain)),
        ]
        let reader = JUnitFileReader(limits: DecompressionLimits())
        for variant in variants {
            let run = RunAttempts()
            let outcome = reader.read(try FileSource(path: variant), into: run)
            let attempts = run.attempts
            if expected.parseErrors {
                #expect(outcome != .loaded(cases: 0) && !(outcome.isLoaded), "\(variant): expected a parse error, got \(outcome)")
                #expect(attempts.casesRead == 0, "a bad file's cases were kept")
                continue
            }
            #expect(outcome == .loaded(cases: expected.cases), "\(xmlPath) as \(variant)")
            var outcomes: [Outcome: Int] = [:]
            for result in attempts.results { outcomes[result.outcome, default: 0] += 1 }
            #expect(outcomes == expected.outcomes, "\(xmlPath) as \(variant)")
        }
    }
}

extension JUnitFileOutcome {
    var isLoaded: Bool {
        if case .loaded = self { return true }
        return false
    }
}
