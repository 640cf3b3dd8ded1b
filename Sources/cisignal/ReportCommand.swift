import Analysis
import ArgumentParser
import Foundation
import Nightly
import Reports

/// `cisignal report`.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the Markdown report, charts and CSV files for a day from the database.",
        discussion: """
            Brings the rollup up to date, runs component readiness (recording regressions, as the \
            nightly does; for a day before the last recorded one it only looks), judges the newest \
            payloads, and writes DIR/YYYY-MM-DD/: summary.md, charts/*.svg and one CSV per table \
            (regressions, readiness-cells, payload-verdicts, tests, jobs, components, flaky-tests, \
            ingest-problems; columns in README, "Report files"). The folder is written under a \
            temporary name and renamed, and DIR/latest is switched to it, so a reader never sees half \
            a report. `cisignal nightly` does the same after an ingest.

            Exit codes: 0 written; 1 failed (the previous report stays); 2 usage error; 4 no database.
            """
    )

    @OptionGroup var report: ReportOptions
    @OptionGroup var options: AnalysisOptions

    func run() throws {
        let settings = try options.settings()
        let path = options.databasePath(settings)
        try requireDatabase(path)
        var plan = NightlyPlan(settings: settings, databasePath: path, reportsRoot: report.out ?? settings.reports, asOf: options.day)
        plan.kind = .report
        plan.triage = try report.loadTriage()
        plan.excel = report.excel
        let templates = try report.loadTemplates()
        let log = try NightlyLog(path: nil)
        guard let outcome = runNightly(plan, templates: templates, log: log) else { throw ExitStatus.problems.code }
        print((outcome.reportFolder as NSString).appendingPathComponent("summary.md"))
    }
}
