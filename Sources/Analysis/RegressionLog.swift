import Foundation
import Store

/// One tracked regression, as the `regressions` table keeps it.
public struct TrackedRegression: Sendable, Equatable {
    public var test: String
    public var component: String
    public var cell: String
    public var status: String
    public var openedDay: String
    public var firstBadPayload: String?
    public var lastGoodPayload: String?
    public var lastSeenDay: String
    public var lastFailure: String?
    public var closedDay: String?
    public var closedPayload: String?
    public var worstPassPct: Double
    public var basisPassPct: Double
    public var pValue: Double
    public var failingRuns: [String]
}

/// The regressions table, read.
public enum RegressionLog {
    /// Regressions open now, or closed on `day`.
    public static func open(on database: Database, closedOn day: String = "") throws -> [TrackedRegression] {
        let query = try database.prepare(named: "regressionRows", in: "readiness.sql")
        query.bind(day, at: 1)
        var rows: [TrackedRegression] = []
        while try query.step() {
            let runs = (try? JSONSerialization.jsonObject(with: Data((query.text(15) ?? "[]").utf8))) as? [String] ?? []
            rows.append(TrackedRegression(
                test: query.text(1) ?? "", component: query.text(2) ?? "", cell: query.text(3) ?? "", status: query.text(4) ?? "",
                openedDay: query.text(5) ?? "", firstBadPayload: query.text(6), lastGoodPayload: query.text(7),
                lastSeenDay: query.text(8) ?? "", lastFailure: query.text(9), closedDay: query.text(10),
                closedPayload: query.text(11), worstPassPct: query.double(12), basisPassPct: query.double(13),
                pValue: query.double(14), failingRuns: runs))
        }
        return rows
    }
}
