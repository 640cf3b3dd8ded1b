/// What one report shows, ready for a template: every text field is already escaped for Markdown
/// (templates print them with triple braces, `{{{name}}}`), numbers are formatted, and lists that
/// may be empty come with a `has…` flag so a template can leave out a table's header.
///
/// Field names are the template's vocabulary; `reports/templates/summary.md.mustache` uses them all.
public struct ReportContent: Sendable {
    /// The report's day, YYYY-MM-DD.
    public var asOf: String
    /// The day counted from: the previous report's day, or the day before when there was none.
    public var since: String
    public var firstReport: Bool
    public var verdict: Verdict
    public var readiness: ReadinessSection
    public var newRegressions: [RegressionRow]
    public var ongoingRegressions: [RegressionRow]
    public var resolvedRegressions: [RegressionRow]
    public var flakyTests: [FlakyRow]
    public var worstJobs: [JobRow]
    public var jobMovers: [JobRow]
    public var ingest: IngestSection
    public var charts: [ChartLink]
    public var csvFiles: [FileLink]
    /// Whether each list has rows (a template's guard for a table header).
    public var hasNewRegressions: Bool
    public var hasOngoingRegressions: Bool
    public var hasResolvedRegressions: Bool
    public var hasFlakyTests: Bool
    public var hasWorstJobs: Bool
    public var hasJobMovers: Bool
    public var hasCharts: Bool
    /// The window the rates compare: "2026-11-14..2026-11-20 against 2026-11-07..2026-11-13".
    public var rateWindows: String
    /// The top of the flaky trends' common scale (a full bar), e.g. "16.7%".
    public var trendScale: String
    /// The current window alone: "2026-11-14..2026-11-20".
    public var currentWindow: String

    /// Payload health: the verdict line first.
    public struct Verdict: Sendable {
        /// One sentence, e.g. "Latest payload X was REJECTED: 3 tests regressed on 2 jobs."
        public var headline: String
        public var lastGoodPayload: String
        public var payloads: [PayloadRow]
        public var hasPayloads: Bool
        public var newCount: Int
        public var ongoingCount: Int
        public var resolvedCount: Int
        /// The aggregation rules, as a sentence.
        public var rules: String
    }

    public struct PayloadRow: Sendable {
        public var payload: String
        public var firstRunAt: String
        public var jobs: Int
        public var runs: Int
        /// "accepted", "REJECTED", or "not judged (…)"
        public var verdict: String
        public var regressedTests: Int
    }

    public struct ReadinessSection: Sendable {
        public var sample: String
        public var basis: String
        public var columns: String
        public var gridColumns: [String]
        public var gridRows: [GridRow]
        public var hasGrid: Bool
        public var legend: String
        public var rules: String
        public var cellsTested: Int
        public var expectedFalseAlarms: String
        public var regressedCells: Int
    }

    public struct GridRow: Sendable {
        public var component: String
        public var cells: [String]
    }

    public struct RegressionRow: Sendable {
        public var test: String
        public var component: String
        public var owner: String
        public var variant: String
        public var status: String
        /// "97.2% (245/252)"
        public var basis: String
        public var sample: String
        public var pValue: String
        public var opened: String
        /// "4.18.0-…-05 → 4.18.0-…-06", or "unknown"
        public var revertWindow: String
        /// A link to the bug, "untriaged", or the bug and owner.
        public var triage: String
        public var closed: String
        public var lastSeen: String
    }

    public struct FlakyRow: Sendable {
        public var test: String
        public var component: String
        public var soleFailures: Int
        public var flakes: Int
        public var runs: Int
        public var flakePct: String
        /// Flake % per day of the current window, as a sparkline.
        public var trend: String
    }

    public struct JobRow: Sendable {
        public var job: String
        public var runs: Int
        public var passPct: String
        public var previousPassPct: String
        public var change: String
        public var infraFailed: Int
    }

    public struct IngestSection: Sendable {
        public var runsLoaded: Int
        public var resultsLoaded: Int
        public var runsInDatabase: Int
        public var problems: Int
        public var hasProblems: Bool
        /// The first few problems, one line each.
        public var problemLines: [String]
        public var moreProblems: Int
        public var hasMoreProblems: Bool
        public var lastStatus: String
    }

    public struct ChartLink: Sendable {
        public var title: String
        public var file: String
        public var alt: String
    }

    public struct FileLink: Sendable {
        public var title: String
        public var file: String
    }
}
