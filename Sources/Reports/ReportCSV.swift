import Analysis
import Foundation

/// The CSV files of a report: names, titles and columns, in a stable, documented order.
///
/// The columns listed here are the contract with spreadsheets: a test checks every file's header
/// against them, and README's "Report files" section prints them.
public enum ReportCSV {
    public struct File: Sendable {
        public var name: String
        public var title: String
        public var columns: [String]
    }

    public static let regressionColumns = [
        "change", "test", "component", "owner", "cell", "status", "readiness_status", "basis_runs", "basis_passes",
        "basis_pass_pct", "opened_basis_pass_pct", "sample_runs", "sample_passes", "sample_pass_pct", "worst_pass_pct",
        "p_value", "last_recorded_p_value", "opened_day",
        "last_good_payload", "first_bad_payload", "last_seen_day", "last_failure_at", "closed_day", "closed_payload", "bug",
        "triage_owner", "triage_note", "failing_runs",
    ]

    public static let problemColumns = ["at", "kind", "path", "reason", "batch_id"]

    /// Every CSV file of a report, in the order the summary lists them.
    public static let files: [File] = [
        File(name: "regressions.csv", title: "Regressions (new, ongoing, resolved)", columns: regressionColumns),
        File(name: "readiness-cells.csv", title: "Readiness cells",
             columns: ReadinessTable.columns),
        File(name: "payload-verdicts.csv", title: "Payload verdicts", columns: ["payload"] + PayloadAggregation.columns),
        File(name: "tests.csv", title: "Test pass rates",
             columns: ["name", "classname", "component", "owner", "runs", "passes", "failures", "flakes", "skips", "pass_pct",
                       "fail_pct", "flake_pct", "working_pct", "previous_runs", "previous_pass_pct", "previous_fail_pct",
                       "previous_flake_pct", "previous_working_pct", "pass_pct_change", "working_pct_change"]),
        File(name: "jobs.csv", title: "Job pass rates",
             columns: ["name", "variants", "runs", "succeeded", "failed", "infra_failed", "aborted", "pass_pct",
                       "pass_pct_without_infra", "previous_runs", "previous_pass_pct", "previous_pass_pct_without_infra",
                       "pass_pct_change"]),
        File(name: "components.csv", title: "Component pass rates",
             columns: ["component", "tests", "runs", "passes", "failures", "flakes", "pass_pct", "fail_pct", "flake_pct",
                       "working_pct", "previous_runs", "previous_working_pct", "working_pct_change"]),
        File(name: "flaky-tests.csv", title: "Flaky tests",
             columns: ["name", "classname", "component", "owner", "sole_failures", "flakes", "runs", "flake_pct", "failures",
                       "first_flake_at", "last_flake_at", "mixed_payloads"]),
        File(name: "ingest-problems.csv", title: "Ingest problems", columns: problemColumns),
    ]

    /// Decimals of every non-integer number (rates in percent, p-values).
    public static let decimals = 6

    /// A table as a CSV file: RFC 4180, UTF-8, a header row; with `excel`, a byte-order mark first
    /// so Excel reads it as UTF-8.
    public static func data(_ table: ResultTable, excel: Bool) -> Data {
        let text = CSV.render(table, decimals: decimals)
        return (excel ? Data([0xEF, 0xBB, 0xBF]) : Data()) + Data(text.utf8)
    }
}
