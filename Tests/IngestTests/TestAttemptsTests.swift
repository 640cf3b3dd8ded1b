import TestSupport
import JUnit
import Store
import Testing
@testable import Ingest

@Suite struct TestAttemptsTests {
    func fold(_ cases: [JUnitCase]) -> [String: TestResult] {
        var attempts = TestAttempts()
        for testCase in cases { attempts.add(testCase) }
        return Dictionary(uniqueKeysWithValues: attempts.results.map { ($0.name, $0) })
    }

    @Test func failedThenPassedIsAFlake() {
        let results = fold([
            JUnitCase(name: "a", time: 1, status: .failed, message: "boom"),
            JUnitCase(name: "a", time: 2, status: .passed),
        ])
        #expect(results["a"]?.passes == 1)
        #expect(results["a"]?.failures == 1)
        #expect(results["a"]?.outcome == .flake)
        #expect(results["a"]?.durationSeconds == 3)
        #expect(results["a"]?.failureMessage == "boom")
    }

    @Test func twoPassesArePassAndErrorsAreFailures() {
        let results = fold([
            JUnitCase(name: "p", status: .passed), JUnitCase(name: "p", status: .passed),
            JUnitCase(name: "e", status: .errored, message: "first"), JUnitCase(name: "e", status: .failed, message: "second"),
        ])
        #expect(results["p"]?.outcome == .pass)
        #expect(results["p"]?.passes == 2)
        #expect(results["e"]?.outcome == .fail)
        #expect(results["e"]?.failures == 2)
        #expect(results["e"]?.failureMessage == "first")
    }

    @Test func surefireFlakyAndRerunChildrenCountAsAttempts() {
        let results = fold([
            JUnitCase(name: "flaky", status: .passed, flakyAttempts: 2, message: "flaked"),
            JUnitCase(name: "rerun", status: .failed, rerunFailures: 2, message: "still failing"),
        ])
        #expect(results["flaky"]?.passes == 1)
        #expect(results["flaky"]?.failures == 2)
        #expect(results["flaky"]?.outcome == .flake)
        #expect(results["flaky"]?.failureMessage == "flaked")
        #expect(results["rerun"]?.failures == 3)
        #expect(results["rerun"]?.outcome == .fail)
    }

    @Test func skipsAreNotRunsButAreCounted() {
        let results = fold([
            JUnitCase(name: "s", status: .skipped),
            JUnitCase(name: "sp", status: .skipped), JUnitCase(name: "sp", status: .passed),
        ])
        #expect(results["s"]?.outcome == .skip)
        #expect(results["s"]?.skips == 1)
        #expect(results["sp"]?.outcome == .pass)
        #expect(results["sp"]?.skips == 1)
    }

    @Test func classnameIsPartOfATestsIdentityAndTheFirstSuiteIsKept() {
        let results = {
            var attempts = TestAttempts()
            attempts.add(JUnitCase(name: "t", classname: "A", suitePath: "one", status: .passed))
            attempts.add(JUnitCase(name: "t", classname: "B", suitePath: "two", status: .failed))
            attempts.add(JUnitCase(name: "t", classname: "A", suitePath: "three", status: .failed))
            return attempts
        }()
        #expect(results.results.count == 2)
        #expect(results.casesRead == 3)
        #expect(results.results[0].suitePath == "one")
        #expect(results.results[0].outcome == .flake)
        #expect(results.results[1].outcome == .fail)
    }

    @Test func aCommittedFileKeepsItsCasesInFirstMetOrder() {
        var run = TestAttempts()
        run.add(JUnitCase(name: "x", status: .failed, message: "m1"))
        run.beginFile()
        run.add(JUnitCase(name: "y", status: .passed))
        run.add(JUnitCase(name: "x", status: .passed))
        #expect(run.casesRead == 1, "cases of an open file do not count yet")
        run.commitFile()
        #expect(run.results.map(\.name) == ["x", "y"])
        #expect(run.results[0].outcome == .flake)
        #expect(run.casesRead == 3)
    }

    @Test func aRolledBackFileLeavesNoTrace() {
        var run = TestAttempts()
        run.beginFile()
        run.add(JUnitCase(name: "x", time: 1, status: .passed))
        run.add(JUnitCase(name: "y", status: .skipped))
        run.commitFile()
        let before = run.results

        run.beginFile()
        run.add(JUnitCase(name: "x", time: 5, status: .failed, message: "bad file"))
        run.add(JUnitCase(name: "x", time: 5, status: .failed))
        run.add(JUnitCase(name: "new", status: .failed))
        run.rollBackFile()
        #expect(run.results == before)
        #expect(run.casesRead == 2)

        // The index was restored too: a later file folds into the right rows.
        run.beginFile()
        run.add(JUnitCase(name: "new", status: .passed))
        run.add(JUnitCase(name: "x", status: .failed, message: "real"))
        run.commitFile()
        #expect(run.results.map(\.name) == ["x", "y", "new"])
        #expect(run.results[0].outcome == .flake)
        #expect(run.results[0].failureMessage == "real")
        #expect(run.results[2].outcome == .pass)
    }
}
