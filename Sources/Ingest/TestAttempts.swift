import JUnit
import Store

/// The tests of one job run, with every attempt of each folded into one `TestResult`.
///
/// A test is identified by its name and classname; the same test met again (a retry in the same
/// file, or a case in another JUnit file of the run) adds to its counts.
///
/// Cases are folded in a file at a time: `beginFile`, `add` each case, then `commitFile` when the
/// whole file was read, or `rollBackFile` to undo every change that file made — so a bad file is
/// never half-loaded, without copying each good file's cases twice.
public struct TestAttempts: Sendable {
    private var index: [TestIdentity: Int] = [:]
    /// The folded results, in the order their tests were first met.
    public private(set) var results: [TestResult] = []
    /// The number of JUnit test cases folded in (in committed files).
    public private(set) var casesRead = 0

    /// The open file: results before it, and the earlier results it changed, as they were.
    private var fileStart: Int?
    private var casesInFile = 0
    private var changedBeforeFile: [Int: TestResult] = [:]

    /// - Parameter expectedTests: a capacity hint, e.g. the previous run's number of tests.
    public init(expectedTests: Int = 0) {
        index.reserveCapacity(expectedTests)
        results.reserveCapacity(expectedTests)
    }

    /// Starts a file; its cases count only once `commitFile` is called.
    public mutating func beginFile() {
        precondition(fileStart == nil, "beginFile called twice without commitFile or rollBackFile")
        fileStart = results.count
        casesInFile = 0
        changedBeforeFile.removeAll(keepingCapacity: true)
    }

    /// Keeps everything the open file added.
    public mutating func commitFile() {
        casesRead += casesInFile
        fileStart = nil
        changedBeforeFile.removeAll(keepingCapacity: true)
    }

    /// Undoes everything the open file added.
    public mutating func rollBackFile() {
        guard let start = fileStart else { return }
        for result in results[start...] { index[result.identity] = nil }
        results.removeSubrange(start...)
        for (position, previous) in changedBeforeFile { results[position] = previous }
        fileStart = nil
        changedBeforeFile.removeAll(keepingCapacity: true)
    }

    /// Folds in one JUnit test case (outside a file, it counts at once).
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
        if fileStart == nil { casesRead += 1 } else { casesInFile += 1 }

        let identity = TestIdentity(name: testCase.name, classname: testCase.classname)
        guard let position = index[identity] else {
            index[identity] = results.count
            results.append(TestResult(identity: identity, suitePath: testCase.suitePath, passes: passes,
                                      failures: failures, skips: skips, durationSeconds: testCase.time,
                                      failureMessage: failures > 0 ? testCase.message : nil))
            return
        }
        if let start = fileStart, position < start, changedBeforeFile[position] == nil {
            changedBeforeFile[position] = results[position]
        }
        results[position].passes += passes
        results[position].failures += failures
        results[position].skips += skips
        results[position].durationSeconds += testCase.time
        if failures > 0, results[position].failureMessage == nil {
            results[position].failureMessage = testCase.message
        }
    }
}
