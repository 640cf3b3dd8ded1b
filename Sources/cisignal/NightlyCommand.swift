import Analysis
import ArgumentParser
import Foundation
import Nightly
import Reports

/// `cisignal nightly`.
struct NightlyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nightly",
        abstract: "The nightly job: ingest, rollup, readiness and regressions, payload verdicts, report.",
        discussion: """
            Made for cron. Prints nothing when nothing new happened; when regressions opened, a \
            payload was newly rejected or the ingest had problems, prints a digest of at most 30 \
            lines (cron mails it) pointing at the report. Every stage and its time goes to the log \
            (default: REPORTS/nightly.log). Two nightly runs never overlap: the second exits at once \
            with a message. An ad-hoc `cisignal ingest` or `cisignal report` holding the database is \
            waited for (--wait). The report's day is yesterday (UTC) unless --as-of says otherwise: the \
            last whole day when cron runs in the small hours.

            Exit codes: 0 success (also with bad input files: they are in the digest and the \
            report); 1 the run failed or another nightly run holds the lock; 2 usage error; 3 with \
            --fail-on-regression, when the digest announces new regressions.
            """
    )

    @OptionGroup var report: ReportOptions
    @OptionGroup var options: AnalysisOptions

    @Option(name: .long, help: ArgumentHelp("The log file, appended to; default: REPORTS/nightly.log.", valueName: "path"))
    var log: String?

    @Option(name: .long, help: ArgumentHelp("Seconds to wait for another writer (e.g. an ad-hoc ingest) to finish.", valueName: "seconds"))
    var wait = 600.0

    @Flag(name: .long, help: "Exit 3 when new regressions opened.")
    var failOnRegression = false

    @Flag(name: .long, help: "Print the digest even when nothing new happened.")
    var verbose = false

    func validate() throws {
        if wait < 0 { throw ValidationError("--wait must not be negative") }
    }

    func run() throws {
        let settings = try options.settings()
        let reportsRoot = report.out ?? settings.reports
        // By default the last whole day (UTC): cron runs in the small hours, and today has barely begun.
        let asOf = options.asOf.flatMap(Day.init) ?? Day.today().adding(days: -1)
        var plan = NightlyPlan(settings: settings, databasePath: options.databasePath(settings), reportsRoot: reportsRoot, asOf: asOf)
        plan.triage = try report.loadTriage()
        plan.excel = report.excel
        plan.waitSeconds = wait
        if settings.roots.isEmpty {
            FileHandle.standardError.write(Data("cisignal: \(NightlyError.noRoots)\n".utf8))
            throw ExitStatus.usage.code
        }
        let templates = try report.loadTemplates()
        let logFile: NightlyLog
        do {
            logFile = try NightlyLog(path: log ?? (reportsRoot as NSString).appendingPathComponent("nightly.log"))
        } catch {
            FileHandle.standardError.write(Data("cisignal: \(error)\n".utf8))
            throw ExitStatus.problems.code
        }
        guard let outcome = runNightly(plan, templates: templates, log: logFile) else { throw ExitStatus.problems.code }
        if outcome.isNoteworthy || verbose {
            print(outcome.digest().joined(separator: "\n"))
        }
        if failOnRegression && !outcome.announcedRegressions.isEmpty { throw ExitCode(3) }
    }
}
