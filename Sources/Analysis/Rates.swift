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

    /// The column rows are sorted by unless told otherwise, and whether descending.
    public var defaultSort: (column: String, descending: Bool) {
        switch self {
        case .tests: return ("fail_pct", true)
        case .jobs: return ("pass_pct", false)
        case .flaky: return ("sole_failures", true)
        case .components: return ("working_pct", false)
        case .variants: return ("working_pct", false)
        }
    }

    /// Runs the query with `filter` on `database`.
    public func run(_ filter: RateFilter, on database: Database) throws -> ResultTable {
        let statement = try database.prepare(named: rawValue, in: "rates.sql")
        statement.bind(filter.component, at: 1)
        statement.bind(filter.variantsJSON, at: 2)
        statement.bind(filter.job, at: 3)
        var table = try ResultTable.reading(statement)
        if self == .flaky, let sole = table.column("sole_failures"), let flakes = table.column("flakes") {
            // Most impact first: runs failed by this test alone, then runs it flaked in.
            table.rows.sort { a, b in
                let (x, y) = (a[sole].numeric ?? 0, b[sole].numeric ?? 0)
                return x != y ? x > y : (a[flakes].numeric ?? 0) > (b[flakes].numeric ?? 0)
            }
        }
        return table
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
