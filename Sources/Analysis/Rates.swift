import Foundation
import Store

/// Which rows of the window totals a rate query looks at.
public struct RateFilter: Sendable, Equatable {
    /// Only this component's tests.
    public var component: String?
    /// Only jobs with all these variants, e.g. ["platform": "aws"].
    public var variants: [String: String]
    /// Only this job.
    public var job: String?

    public init(component: String? = nil, variants: [String: String] = [:], job: String? = nil) {
        self.component = component
        self.variants = variants
        self.job = job
    }

    /// The variant filter as the JSON object the SQL reads.
    var variantsJSON: String {
        guard !variants.isEmpty,
              let data = try? JSONSerialization.data(withJSONObject: variants, options: [.sortedKeys]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}

/// The rate tables of `sql/queries/rates.sql`, as of the last rollup.
public enum RateQuery: String, CaseIterable, Sendable {
    case tests = "testRates"
    case jobs = "jobRates"
    case flaky = "flakyTests"
    case components = "componentRates"
    case variants = "variantRates"

    /// Runs the query with `filter` on `database`, in the order the SQL gives.
    public func run(_ filter: RateFilter, on database: Database) throws -> ResultTable {
        try database.prepare(named: "createScopedJobs", in: "rates.sql").run()
        try database.prepare(named: "createScopedTestWindows", in: "rates.sql").run()
        try database.prepare(named: "clearScopedJobs", in: "rates.sql").run()
        let scope = try database.prepare(named: "fillScopedJobs", in: "rates.sql")
        scope.bind(filter.variantsJSON, at: 1)
        scope.bind(filter.job, at: 2)
        try scope.run()
        let statement = try database.prepare(named: rawValue, in: "rates.sql")
        statement.bind(filter.component, at: 1)
        return try ResultTable.reading(statement)
    }

    /// The variant keys jobs were classified with.
    public static func variantKeys(on database: Database) throws -> [String] {
        let statement = try database.prepare(named: "variantKeys", in: "rates.sql")
        var keys: [String] = []
        while try statement.step() { keys.append(statement.text(0) ?? "") }
        return keys
    }

    /// Days changed by ingests since the last rollup.
    public static func daysChangedSinceRollup(on database: Database) throws -> Int {
        Int(try database.integer(SQLLibrary.statement(named: "dirtyDayCount", in: "rates.sql")) ?? 0)
    }

    /// The windows of the last rollup: name → (as of, first day, day after the last).
    public static func windows(on database: Database) throws -> [String: (asOf: String, start: String, end: String)] {
        let statement = try database.prepare(named: "windows", in: "rates.sql")
        var windows: [String: (String, String, String)] = [:]
        while try statement.step() {
            windows[statement.text(0) ?? ""] = (statement.text(1) ?? "", statement.text(2) ?? "", statement.text(3) ?? "")
        }
        return windows
    }
}
