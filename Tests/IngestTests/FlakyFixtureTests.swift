import TestSupport
import Artifacts
import Foundation
import Store
import Testing
@testable import Ingest

/// Real reports that hold flaky tests must fold into flakes (and only those tests).
@Suite struct FlakyFixtureTests {
    /// (passes, failures, skips) per test name.
    func counts(_ relativePath: String) throws -> [String: [Int]] {
        let path = fixturesRoot + "/" + relativePath
        let run = RunAttempts()
        _ = JUnitFileReader(limits: DecompressionLimits()).read(try FileSource(path: path), into: run)
        return Dictionary(uniqueKeysWithValues: run.attempts.results.map { ($0.name, [$0.passes, $0.failures, $0.skips]) })
    }

    func outcomes(_ relativePath: String) throws -> [String: Outcome] {
        let path = fixturesRoot + "/" + relativePath
        #expect(FileManager.default.fileExists(atPath: path), "missing fixture \(path)")
        let run = RunAttempts()
        let outcome = JUnitFileReader(limits: DecompressionLimits()).read(try FileSource(path: path), into: run)
        let attempts = run.attempts
        #expect(outcome.isLoaded, "\(path): \(outcome)")
        return Dictionary(uniqueKeysWithValues: attempts.results.map { ($0.name, $0.outcome) })
    }

    @Test func surefireFlakyFailuresBeforeAPassAreFlakes() throws {
        let surefire = try outcomes("maven-surefire/TEST-org.acme.FlakyTest.xml")
        #expect(surefire == ["testFlaky": .flake, "testStable": .pass])
        // Three flakyFailure and one flakyError before the pass: four failed attempts, one passed.
        #expect(try counts("maven-surefire/TEST-org.acme.FlakyTest.xml") == ["testFlaky": [1, 4, 0], "testStable": [1, 0, 0]])
        let marathon = try outcomes("action-junit-report/junit_flaky_failure/marathon_junit_report.xml")
        #expect(marathon == ["testFlakyFailure": .flake])
        let mixed = try outcomes("action-junit-report/junit_flaky_failure/mixed_flaky_and_passed.xml")
        #expect(mixed == ["testFlaky": .flake, "testPassed": .pass, "testAnotherPassed": .pass])
        #expect(try counts("action-junit-report/maven_surefire_flaky/surefire-report.xml") == ["createWebhook": [1, 1, 0]])
        #expect(try counts("action-junit-report/junit_flaky_failure/marathon_junit_report.xml") == ["testFlakyFailure": [1, 1, 0]])
    }

    @Test func theSameCaseWrittenAgainWithADifferentResultIsAFlake() throws {
        let successFirst = try outcomes("action-junit-report/flaky_retries/flaky_success_first.xml")
        #expect(successFirst == ["test_success_first": .flake])
        // Passed, then failed, then errored: one pass, two failures.
        #expect(try counts("action-junit-report/flaky_retries/flaky_success_first.xml") == ["test_success_first": [1, 2, 0]])
        let allFailures = try outcomes("action-junit-report/flaky_retries/flaky_all_failures.xml")
        #expect(!allFailures.values.contains(.flake), "\(allFailures)")
        #expect(allFailures.values.contains(.fail))
    }
}
