import Analysis
import Foundation
import Store

/// A payload seen in the periodic runs of a window.
public struct RecentPayload: Sendable, Equatable {
    public var tag: String
    public var firstRunAt: String
    public var runs: Int
    public var jobs: Int
}

/// What reports remember between nights (`sql/queries/report.sql`): payload verdicts, reports
/// written, and the recent payloads to judge.
public enum ReportHistory {
    static func statement(_ name: String, _ database: Database) throws -> Statement {
        try database.prepare(named: name, in: "report.sql")
    }

    /// Payloads of periodic runs on days in `days`, newest first, at most `limit`.
    public static func recentPayloads(on database: Database, days: Range<Day>, limit: Int) throws -> [RecentPayload] {
        let query = try statement("recentPayloads", database)
        query.bind(days.lowerBound.description, at: 1)
        query.bind(days.upperBound.description, at: 2)
        query.bind(limit, at: 3)
        var payloads: [RecentPayload] = []
        while try query.step() {
            payloads.append(RecentPayload(tag: query.text(0) ?? "", firstRunAt: query.text(1) ?? "",
                                          runs: Int(query.int64(2)), jobs: Int(query.int64(3))))
        }
        return payloads
    }

    /// Records an aggregation's verdict as of `day`: accepted, rejected, or not-judged when no
    /// test had enough attempts on any job (such a payload is never the last good one).
    public static func record(_ aggregation: PayloadAggregation, day: Day, on database: Database) throws {
        let judgement = PayloadJudgement(aggregation)
        let insert = try statement("upsertPayloadVerdict", database)
        insert.bind(aggregation.payload, at: 1)
        insert.bind(judgement.verdict, at: 2)
        insert.bind(aggregation.jobs, at: 3)
        insert.bind(judgement.regressedTests, at: 4)
        insert.bind(day.description, at: 5)
        try insert.run()
    }

    /// Rejected payloads, first judged on or before `day`, that no digest has announced.
    public static func unannouncedRejections(on database: Database, asOf day: Day) throws -> [String] {
        let query = try statement("unannouncedRejections", database)
        query.bind(day.description, at: 1)
        var payloads: [String] = []
        while try query.step() { payloads.append(query.text(0) ?? "") }
        return payloads
    }

    /// Open regressions no digest has announced: (id, test, cell).
    public static func unannouncedRegressions(on database: Database) throws -> [(id: Int64, test: String, cell: String)] {
        let query = try statement("unannouncedRegressions", database)
        var rows: [(id: Int64, test: String, cell: String)] = []
        while try query.step() { rows.append((query.int64(0), query.text(1) ?? "", query.text(2) ?? "")) }
        return rows
    }

    /// Records that a digest of `day` announced these rejections and regressions.
    public static func markAnnounced(payloads: [String], regressions: [Int64], day: Day, on database: Database) throws {
        try database.inTransaction {
            let payload = try statement("markRejectionAnnounced", database)
            for tag in payloads {
                payload.bind(tag, at: 1)
                try payload.run()
            }
            let regression = try statement("markRegressionAnnounced", database)
            for id in regressions {
                regression.bind(id, at: 1)
                regression.bind(day.description, at: 2)
                try regression.run()
            }
        }
    }

    /// The newest accepted payload first judged on or before `day`.
    public static func lastGoodPayload(on database: Database, asOf day: Day) throws -> String? {
        let query = try statement("lastGoodPayload", database)
        query.bind(day.description, at: 1)
        defer { query.reset() }
        return try query.step() ? query.text(0) : nil
    }

    /// The newest report before `day`: its day and when it was written (unix seconds).
    public static func previousReport(on database: Database, before day: Day) throws -> (day: Day, writtenAt: Int64)? {
        let query = try statement("previousReport", database)
        query.bind(day.description, at: 1)
        defer { query.reset() }
        guard try query.step(), let text = query.text(0), let found = Day(text) else { return nil }
        return (found, query.int64(1))
    }

    /// Records a report written for `day` into `folder` at `writtenAt` (unix seconds).
    public static func recordReport(day: Day, folder: String, writtenAt: Int64, on database: Database) throws {
        let insert = try statement("recordReport", database)
        insert.bind(day.description, at: 1)
        insert.bind(folder, at: 2)
        insert.bind(writtenAt, at: 3)
        try insert.run()
    }
}

/// What an aggregation says of a payload, counted for people.
public struct PayloadJudgement: Sendable, Equatable {
    /// accepted, rejected, or not-judged (no test had enough attempts on any job).
    public var verdict: String
    /// (job, test) pairs judged: passed or regressed.
    public var judgedPairs = 0
    /// Jobs with at least one judged test.
    public var judgedJobs = 0
    /// Blocking regressions: (job, test) pairs, distinct tests, distinct jobs.
    public var regressedPairs = 0
    public var regressedTests = 0
    public var regressedJobs = 0
    /// (job, test) pairs of informing tests that regressed (reported, not rejecting).
    public var informingRegressions = 0

    public init(_ aggregation: PayloadAggregation) {
        let table = aggregation.table
        var judgedJobs = Set<String>(), regressedTests = Set<String>(), regressedJobs = Set<String>()
        if let verdict = table.column("verdict"), let job = table.column("job"), let test = table.column("test") {
            for row in table.rows {
                guard case let .text(value) = row[verdict], case let .text(jobName) = row[job],
                      case let .text(testName) = row[test] else { continue }
                switch TestVerdict(rawValue: value) {
                case .regressed:
                    regressedPairs += 1
                    regressedTests.insert(testName)
                    regressedJobs.insert(jobName)
                case .regressedInforming:
                    informingRegressions += 1
                case .passed:
                    break
                default:
                    continue
                }
                judgedPairs += 1
                judgedJobs.insert(jobName)
            }
        }
        self.judgedJobs = judgedJobs.count
        self.regressedTests = regressedTests.count
        self.regressedJobs = regressedJobs.count
        verdict = aggregation.rejected ? "rejected" : judgedPairs > 0 ? "accepted" : "not-judged"
    }
}
