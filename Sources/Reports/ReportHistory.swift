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

    /// The verdict recorded for `payload` before, if any: "accepted" or "rejected".
    public static func recordedVerdict(of payload: String, on database: Database) throws -> String? {
        let query = try statement("payloadVerdict", database)
        query.bind(payload, at: 1)
        defer { query.reset() }
        return try query.step() ? query.text(0) : nil
    }

    /// Records an aggregation's verdict as of `day`.
    public static func record(_ aggregation: PayloadAggregation, day: Day, on database: Database) throws {
        let insert = try statement("upsertPayloadVerdict", database)
        insert.bind(aggregation.payload, at: 1)
        insert.bind(aggregation.rejected ? "rejected" : "accepted", at: 2)
        insert.bind(aggregation.jobs, at: 3)
        insert.bind(regressedTests(aggregation), at: 4)
        insert.bind(day.description, at: 5)
        try insert.run()
    }

    /// Blocking (job, test) regressions of an aggregation.
    public static func regressedTests(_ aggregation: PayloadAggregation) -> Int {
        guard let verdict = aggregation.table.column("verdict") else { return 0 }
        return aggregation.table.rows.filter { $0[verdict] == .text(TestVerdict.regressed.rawValue) }.count
    }

    /// The newest accepted payload judged on or before `day`.
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
