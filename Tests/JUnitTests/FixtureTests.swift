// The action-junit-report and maven-surefire fixtures: everything parses or fails cleanly, and
// the flaky/rerun files yield what their writers meant.
import Foundation
import Testing
@testable import JUnit

@Suite struct FixtureTests {
    @Test func everyFileParsesOrThrowsCleanly() throws {
        let root = try fixturesRoot()
        var checked = 0
        for dir in ["action-junit-report", "maven-surefire"] {
            for url in files(under: root.appendingPathComponent(dir)) {
                checked += 1
                do {
                    let (cases, summary) = try parseFile(url)
                    #expect(cases.count == summary.cases)
                } catch let error as JUnitError {
                    // LICENSE/SOURCE text files and the corrupt fixture end up here.
                    _ = error.kind
                }
            }
        }
        #expect(checked >= 40, "expected the action-junit-report and maven-surefire fixtures, found \(checked) files")
    }

    @Test func corruptJUnitIsMalformed() throws {
        // TEST-test.CorruptTest.xml stops inside an unterminated CDATA section of <system-out>.
        let dir = try fixturesRoot().appendingPathComponent("action-junit-report/corrupt-junit")
        let found = files(under: dir)
        #expect(!found.isEmpty)
        for url in found {
            do {
                _ = try parseFile(url)
                Issue.record("\(url.lastPathComponent) parsed, expected malformed")
            } catch let error as JUnitError {
                #expect(error.kind == "malformed-xml", "\(url.lastPathComponent): \(error)")
            }
        }
    }

    @Test func surefireFlakyTest() throws {
        let url = try fixturesRoot().appendingPathComponent("maven-surefire/TEST-org.acme.FlakyTest.xml")
        let (cases, summary) = try parseFile(url)
        #expect(summary == JUnitFileSummary(cases: 2, suites: 1, rootElement: "testsuite"))
        #expect(cases.map(\.name) == ["testFlaky", "testStable"])
        let flaky = cases[0]
        #expect(flaky.status == .passed) // It passed in the end.
        #expect(flaky.flakyAttempts == 4) // Three <flakyFailure>, one <flakyError>.
        #expect(flaky.rerunFailures == 0)
        #expect(flaky.suitePath == "org.acme.FlakyTest")
        #expect(flaky.time == 0.034)
        let message = try #require(flaky.message)
        #expect(message.hasPrefix("expected: <1> but was: <0>\n\norg.opentest4j.AssertionFailedError: expected: <1> but was: <0>\n\tat org.junit"))
        #expect(!message.contains("INFO  [io.quarkus]")) // The nested <system-out> is not part of it.
        #expect(message.utf8.count <= 4096)
        #expect(cases[1].flakyAttempts == 0 && cases[1].message == nil && cases[1].status == .passed)
    }

    @Test func actionJUnitReportSurefireFlaky() throws {
        let root = try fixturesRoot().appendingPathComponent("action-junit-report")
        let webhook = try parseFile(root.appendingPathComponent("maven_surefire_flaky/surefire-report.xml")).cases
        #expect(webhook.count == 1)
        #expect(webhook[0].name == "createWebhook" && webhook[0].status == .passed && webhook[0].flakyAttempts == 1)
        #expect(webhook[0].message?.hasPrefix("Expected: <false>\n     but: was <true>\n\njava.lang.AssertionError:") == true)
        #expect(webhook[0].message?.contains("Some error output here") == false)

        let marathon = try parseFile(root.appendingPathComponent("junit_flaky_failure/marathon_junit_report.xml")).cases
        #expect(marathon == [JUnitCase(name: "testFlakyFailure", classname: "com.mikepenz.Class", suitePath: "omni",
                                       time: 1.86, flakyAttempts: 1, message: "junit.framework.AssertionFailedError")])

        let mixed = try parseFile(root.appendingPathComponent("junit_flaky_failure/mixed_flaky_and_passed.xml")).cases
        #expect(mixed.map(\.name) == ["testFlaky", "testPassed", "testAnotherPassed"])
        #expect(mixed.map(\.flakyAttempts) == [1, 0, 0])
        #expect(mixed.allSatisfy { $0.status == .passed })
    }

    @Test func retriedCasesAreWrittenOncePerAttempt() throws {
        let dir = try fixturesRoot().appendingPathComponent("action-junit-report/flaky_retries")
        func statuses(_ file: String) throws -> [String] {
            try parseFile(dir.appendingPathComponent(file)).cases.map { "\($0.classname).\($0.name)=\($0.status.rawValue)" }
        }
        // Failure, then error, then a pass: a flake in our terms. A same-named case of another class stays apart.
        #expect(try statuses("flaky_with_classname_file.xml") == [
            "test_foo.TestFoo.test_foo=failed", "test_foo.TestFoo.test_foo=errored", "test_foo.TestFoo.test_foo=passed",
            "test_bar.TestBar.test_foo=passed", "test_baz.TestBaz.test_baz=passed",
        ])
        #expect(try statuses("flaky_success_first.xml") == [
            "test_order.TestOrder.test_success_first=passed", "test_order.TestOrder.test_success_first=failed",
            "test_order.TestOrder.test_success_first=errored",
        ])
        #expect(try statuses("flaky_all_failures.xml") == [
            "test_always_fails.TestAlwaysFails.test_always_fails=failed",
            "test_always_fails.TestAlwaysFails.test_always_fails=failed",
            "test_always_fails.TestAlwaysFails.test_always_fails=errored",
        ])
        let foo = try parseFile(dir.appendingPathComponent("flaky_with_classname_file.xml")).cases[0]
        #expect(foo.file == "/home/runner/work/foo/bar/test_foo.py" && foo.line == 42 && foo.time == 1.842)
        #expect(foo.message == "it failed\n\n'NoneType' object is not iterable")
    }
}
