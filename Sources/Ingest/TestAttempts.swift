import JUnit
import Store

/// The tests of one job run, with every attempt of each folded into one `TestResult`.
///
/// A test is identified by its name and classname; the same test met again (a retry in the same
/// file, or a case in another JUnit file of the run) adds to its counts.
public struct TestAttempts: Sendable {
    private struct Key: Hashable {
        var name: String
        var classname: String
    }

    private var index: [Key: Int] = [:]
    /// The folded results, in the order their tests were first met.
    public private(set) var results: [TestResult] = []
    /// The number of JUnit test cases folded in.
    public private(set) var casesRead = 0

    public init() {}

    /// Folds in one JUnit test case.
    ///
    /// A passed case is one passed attempt plus a failed one for each Surefire flaky failure before
    /// it; a failed or errored case is one failed attempt plus one for each Surefire re-run failure;
    /// a skipped case is one skip.
    public mutating func add(_ testCase: JUnitCase) {
        var passes = 0, failures = 0, skips = 0
        switch testCase.status {
        case .passed: passes = 1
        case .failed, .errored: failures = 1
        case .skipped: skips = 1
        }
        failures += testCase.flakyAttempts + testCase.rerunFailures
        casesRead += 1
        add(TestResult(name: testCase.name, classname: testCase.classname, suitePath: testCase.suitePath,
                       passes: passes, failures: failures, skips: skips, durationSeconds: testCase.time,
                       failureMessage: failures > 0 ? testCase.message : nil))
    }

    /// Folds in every result of `other` (e.g. one JUnit file read whole).
    public mutating func merge(_ other: TestAttempts) {
        for result in other.results { add(result) }
        casesRead += other.casesRead
    }

    private mutating func add(_ result: TestResult) {
        let key = Key(name: result.name, classname: result.classname)
        guard let position = index[key] else {
            index[key] = results.count
            results.append(result)
            return
        }
        results[position].passes += result.passes
        results[position].failures += result.failures
        results[position].skips += result.skips
        results[position].durationSeconds += result.durationSeconds
        if results[position].failureMessage == nil {
            results[position].failureMessage = result.failureMessage
        }
    }
}
