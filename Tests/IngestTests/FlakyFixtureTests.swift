import Artifacts
import Foundation
import Store
import Testing
@testable import Ingest

/// Real reports that hold flaky tests must fold into flakes (and only those tests).
@Suite struct FlakyFixtureTests {
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
        #expect(surefire.values.contains(.flake), "\(surefire)")
        let marathon = try outcomes("action-junit-report/junit_flaky_failure/marathon_junit_report.xml")
        #expect(marathon == ["testFlakyFailure": .flake])
        let mixed = try outcomes("action-junit-report/junit_flaky_failure/mixed_flaky_and_passed.xml")
        #expect(mixed == ["testFlaky": .flake, "testPassed": .pass, "testAnotherPassed": .pass])
        let surefireReport = try outcomes("action-junit-report/maven_surefire_flaky/surefire-report.xml")
        #expect(surefireReport.values.contains(.flake), "\(surefireReport)")
    }

    @Test func theSameCaseWrittenAgainWithADifferentResultIsAFlake() throws {
        let successFirst = try outcomes("action-junit-report/flaky_retries/flaky_success_first.xml")
        #expect(successFirst == ["test_success_first": .flake])
        let allFailures = try outcomes("action-junit-report/flaky_retries/flaky_all_failures.xml")
        #expect(!allFailures.values.contains(.flake), "\(allFailures)")
        #expect(allFailures.values.contains(.fail))
    }
}
