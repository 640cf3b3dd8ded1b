import Configuration
import Foundation
import Store

/// How a payload's runs are judged against history (job aggregation).
public struct AggregationRules: Sendable, Equatable {
    /// Confidence of a regression, e.g. 0.95: p < 1 − confidence.
    public var confidence = 0.95
    /// Fewer attempts than this are not judged.
    public var minimumAttempts = 6
    /// Days of the same job's history before the payload's first day.
    public var basisDays = 14
    /// Whether a flake (failed, then passed in one run) counts as a pass.
    public var flakesArePasses = true
    /// Tests whose regressions are reported but do not reject the payload (regexes on the name).
    public var informing: [Pattern] = []

    public init() {}

    /// The rules as a sentence, for the output.
    public var description: String {
        let alpha = ((1 - confidence) * 1e6).rounded() / 1e6
        return "one-sided Fisher's exact test against the same job's \(basisDays) days before the payload, p < \(alpha); "
            + "at least \(minimumAttempts) attempts (fewer: too-few-attempts, not judged); a test that only skipped is not judged; "
            + "flakes count as \(flakesArePasses ? "passes" : "failures"); "
            + "a test with no history is assumed not regressed; informing tests do not reject the payload"
    }
}

/// The verdict on one test of one job.
public enum TestVerdict: String, Sendable {
    case regressed
    /// Regressed, but the test is informing: reported, not rejecting.
    case regressedInforming = "regressed-informing"
    case passed
    /// Fewer attempts than the minimum.
    case tooFewAttempts = "too-few-attempts"
    /// Only skipped on this payload.
    case skipped
    /// No attempts in the basis: assumed not regressed.
    case noHistory = "no-history"
}

/// One payload's aggregation: a row per job and test, and whether the payload is rejected.
public struct PayloadAggregation: Sendable {
    public var payload: String
    public var rules: AggregationRules
    /// Columns: job, job_runs, test, attempts, passes, failures, flakes, basis_attempts,
    /// basis_passes, basis_pass_pct, p_value, largest_regressed_passes, verdict.
    public var table: ResultTable
    /// Jobs with runs on the payload.
    public var jobs: Int

    /// The columns of `table`, in order.
    public static let columns = ["job", "job_runs", "test", "attempts", "passes", "failures", "flakes", "basis_attempts",
                                 "basis_passes", "basis_pass_pct", "p_value", "largest_regressed_passes", "verdict"]

    /// True when a test that is not informing regressed.
    public var rejected: Bool {
        guard let verdict = table.column("verdict") else { return false }
        return table.rows.contains { $0[verdict] == .text(TestVerdict.regressed.rawValue) }
    }

    /// Aggregates `payload` on `database`, for the jobs named (all with runs on it when empty).
    public static func run(payload: String, jobs onlyJobs: [String] = [], rules: AggregationRules,
                           on database: Database) throws -> PayloadAggregation {
        let jobsQuery = try database.prepare(named: "payloadJobs", in: "aggregate.sql")
        jobsQuery.bind(payload, at: 1)
        var jobs: [(id: Int64, name: String, runs: Int64, firstDay: String)] = []
        while try jobsQuery.step() {
            let name = jobsQuery.text(1) ?? ""
            if onlyJobs.isEmpty || onlyJobs.contains(name) {
                jobs.append((jobsQuery.int64(0), name, jobsQuery.int64(2), jobsQuery.text(3) ?? ""))
            }
        }
        let sample = try database.prepare(named: "sampleCounts", in: "aggregate.sql")
        let basis = try database.prepare(named: "basisCounts", in: "aggregate.sql")
        var rows: [[Cell]] = []
        for job in jobs {
            guard let first = Day(job.firstDay) else { continue }
            basis.bind(job.id, at: 1)
            basis.bind(first.adding(days: -rules.basisDays).description, at: 2)
            basis.bind(first.description, at: 3)
            basis.bind(payload, at: 4)
            var history: [Int64: (attempts: Int, passes: Int)] = [:]
            while try basis.step() {
                let passes = Int(basis.int64(2) + (rules.flakesArePasses ? basis.int64(3) : 0))
                history[basis.int64(0)] = (Int(basis.int64(1)), passes)
            }
            basis.reset()
            sample.bind(payload, at: 1)
            sample.bind(job.id, at: 2)
            var jobRows: [[Cell]] = []
            while try sample.step() {
                let name = sample.text(1) ?? ""
                let attempts = Int(sample.int64(2)), flakes = Int(sample.int64(4))
                let passes = Int(sample.int64(3)) + (rules.flakesArePasses ? flakes : 0)
                let failures = attempts - passes
                let past = history[sample.int64(0)] ?? (0, 0)
                var p: Double?
                var largest: Int?
                let verdict: TestVerdict
                if attempts == 0 {
                    verdict = .skipped
                } else if attempts < rules.minimumAttempts {
                    verdict = .tooFewAttempts
                } else if past.attempts == 0 {
                    verdict = .noHistory
                } else {
                    let value = FisherExact.pValueWorse(sampleFailures: failures, samplePasses: passes,
                                                        basisFailures: past.attempts - past.passes, basisPasses: past.passes)
                    p = value
                    largest = largestRegressedPassCount(runs: attempts, basisRuns: past.attempts, basisPasses: past.passes,
                                                        confidence: rules.confidence)
                    verdict = value < 1 - rules.confidence ? (rules.informing.contains { $0.matches(name) } ? .regressedInforming : .regressed) : .passed
                }
                jobRows.append([
                    .text(job.name), .integer(job.runs), .text(name), .integer(Int64(attempts)), .integer(Int64(passes)),
                    .integer(Int64(failures)), .integer(Int64(flakes)), .integer(Int64(past.attempts)), .integer(Int64(past.passes)),
                    past.attempts > 0 ? .number(100 * Double(past.passes) / Double(past.attempts)) : .null,
                    p.map(Cell.number) ?? .null, largest.map { .integer(Int64($0)) } ?? .null, .text(verdict.rawValue),
                ])
            }
            sample.reset()
            // Blocking regressions first, then informing ones, then the rest; within each, by p-value, then name.
            func rank(_ row: [Cell]) -> Int {
                guard case let .text(verdict) = row[12] else { return 9 }
                return [TestVerdict.regressed, .regressedInforming, .passed, .noHistory, .tooFewAttempts, .skipped]
                    .firstIndex { $0.rawValue == verdict } ?? 9
            }
            jobRows.sort { a, b in
                if rank(a) != rank(b) { return rank(a) < rank(b) }
                let (pa, pb) = (a[10].numeric ?? 2, b[10].numeric ?? 2)
                if pa != pb { return pa < pb }
                if case let .text(x) = a[2], case let .text(y) = b[2] { return x < y }
                return false
            }
            rows += jobRows
        }
        let table = ResultTable(columns: columns, rows: rows)
        return PayloadAggregation(payload: payload, rules: rules, table: table, jobs: jobs.count)
    }
}
