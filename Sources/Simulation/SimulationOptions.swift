/// Everything that shapes a simulated world. The same options and seed always give the same bytes.
public struct SimulationOptions: Sendable, Equatable {
    /// The seed of every random choice.
    public var seed: UInt64 = 1
    /// Nightly payload days, ending at `endDate`.
    public var days = 7
    /// Periodic jobs, taken in a fixed order that covers the variants early.
    public var jobs = 10
    /// Runs of each periodic job per day.
    public var runsPerDay = 10
    /// Tests in the e2e pool.
    public var tests = 1400
    /// The last payload day, `YYYY-MM-DD` (fixed by default, so output never depends on the clock).
    public var endDate = "2026-11-20"
    /// The release the jobs test, e.g. "4.18".
    public var release = "4.18"
    /// Presubmit runs of `pull-ci-openshift-origin-master-e2e-aws-ovn`, spread over the days.
    public var presubmits = 8
    /// Batch runs (pr-logs/pull/batch/...).
    public var batches = 1
    /// Single-test regressions to inject.
    public var regressions = 8
    /// Whole-component regressions to inject (several tests of one component each).
    public var componentRegressions = 2
    /// Share of runs packed as one BUILD.tar.gz instead of a folder.
    public var archiveShare = 0.10
    /// Share of periodic runs that fail before the tests (install failed or no JUnit at all).
    public var infraShare = 0.02
    /// Corrupt JUnit files to write (alternately a truncated gzip and a malformed XML).
    public var corruptFiles = 2
    /// Average bytes of `<system-out>` per test case (failures get four times as much; 0 writes
    /// none, as openshift-tests does for passing tests). The default keeps the default world near
    /// 200 MB of XML for about 1M test cases.
    public var outputBytes = 0
    /// Share of runs whose e2e JUnit is verbose, with `verboseOutputBytes` of output per case, so
    /// that some e2e files are several MB, as real ones often are.
    public var verboseShare = 0.02
    /// Average bytes of `<system-out>` per test case in a verbose run.
    public var verboseOutputBytes = 2000
    /// Threads writing runs (the output does not depend on it).
    public var threads = 2
    /// The zlib deflate level of gzipped files.
    public var gzipLevel: Int32 = 1

    /// The defaults: about 1M test cases.
    public init() {}

    /// The default options (for help texts and commands that start from them).
    public static let defaults = SimulationOptions()

    /// Checks ranges and the date; throws the first problem.
    public func validate() throws(SimulationError) {
        func check(_ condition: Bool, _ option: String, _ rule: String) throws(SimulationError) {
            if !condition { throw .invalidOption(option: option, rule: rule) }
        }
        try check((1...3650).contains(days), "--days", "must be between 1 and 3650")
        try check((1...JobCatalog.maximumJobs).contains(jobs), "--jobs", "must be between 1 and \(JobCatalog.maximumJobs)")
        try check((1...1000).contains(runsPerDay), "--runs-per-day", "must be between 1 and 1000")
        try check((1...100_000).contains(tests), "--tests", "must be between 1 and 100000")
        try check(CivilDate(parsing: endDate) != nil, "--end-date", "must be a date YYYY-MM-DD between 1970 and 9999")
        try check(!release.isEmpty && release.allSatisfy { $0.isNumber || $0 == "." }, "--release", "must look like 4.18")
        try check((0...10_000).contains(presubmits), "--presubmits", "must be between 0 and 10000")
        try check((0...1000).contains(batches), "--batches", "must be between 0 and 1000")
        try check((0...1000).contains(regressions), "--regressions", "must be between 0 and 1000")
        try check((0...100).contains(componentRegressions), "--component-regressions", "must be between 0 and 100")
        try check((0...1).contains(archiveShare), "--archive-share", "must be between 0 and 1")
        try check((0...0.5).contains(infraShare), "--infra-share", "must be between 0 and 0.5")
        try check((0...1000).contains(corruptFiles), "--corrupt-files", "must be between 0 and 1000")
        try check((0...1_000_000).contains(outputBytes), "--output-bytes", "must be between 0 and 1000000")
        try check((0...1).contains(verboseShare), "--verbose-share", "must be between 0 and 1")
        try check((0...1_000_000).contains(verboseOutputBytes), "--verbose-output-bytes", "must be between 0 and 1000000")
        try check((1...64).contains(threads), "--threads", "must be between 1 and 64")
        try check((1...9).contains(gzipLevel), "--gzip-level", "must be between 1 and 9")
    }
}

/// Why a simulation could not be made.
public enum SimulationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An option is out of range.
    case invalidOption(option: String, rule: String)
    /// The output folder holds files not made by `simulate`, or holds files and `--force` was not given.
    case outputNotEmpty(path: String, reason: String)
    /// A file or folder could not be created or written.
    case cannotWrite(path: String, reason: String)

    /// One line naming the problem.
    public var description: String {
        switch self {
        case .invalidOption(let option, let rule): return "\(option) \(rule)"
        case .outputNotEmpty(let path, let reason): return "\(path) is not empty: \(reason)"
        case .cannotWrite(let path, let reason): return "cannot write \(path): \(reason)"
        }
    }
}
