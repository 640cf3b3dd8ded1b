import Configuration
import Analysis
import ArgumentParser
import Foundation
import Store

/// `cisignal rollup`: brings daily and window totals up to date.
struct RollupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollup",
        abstract: "Compute pass, fail and flake totals per day, then for the current and previous windows.",
        discussion: """
            Classifies tests (component, owner, ignored, infrastructure) and jobs (variants, filters) \
            with the configuration; recomputes the daily totals of the days that ingests touched since \
            the last rollup (all days when a class changed); then sums the current window (the \
            configured number of days ending with --as-of, included) and the previous one. The \
            results are in the window_* tables, and printed by `cisignal tests | jobs | flaky | components`.
            """
    )

    @OptionGroup var options: AnalysisOptions

    @Flag(name: .shortAndLong, help: "Print nothing on success.")
    var quiet = false

    func run() throws {
        let settings = try options.settings()
        try requireDatabase(options.databasePath(settings))
        let (database, lock) = try openForWriting(options.databasePath(settings))
        defer { withExtendedLifetime(lock) {} }
        let summary = try runRollup(on: database, settings: settings, asOf: options.day)
        if !quiet {
            let windows = summary.windows
            print("rollup as of \(windows.asOf): current \(windows.current.lowerBound)..\(windows.current.upperBound.adding(days: -1)), "
                  + "previous \(windows.previous.lowerBound)..\(windows.previous.upperBound.adding(days: -1))")
            print("days recomputed: \(summary.daysRecomputed.count)"
                  + (summary.rulesChanged ? " (what the configuration counts changed: all days)" : "")
                  + ", tests classified: \(summary.testsClassified), jobs classified: \(summary.jobsClassified)")
            if summary.undatedRuns > 0 {
                print("runs without a start or finish time (in no day, counted nowhere): \(summary.undatedRuns)")
            }
            print(String(format: "time: %.2f s", summary.seconds))
        }
    }
}

/// Runs the rollup, turning database failures into exit 4.
func runRollup(on database: Database, settings: Configuration.Settings, asOf: Day, reclassify: Bool = true) throws -> RollupSummary {
    do {
        return try Rollup(rules: settings).run(on: database, asOf: asOf, reclassify: reclassify)
    } catch let error as StoreError {
        FileHandle.standardError.write(Data("cisignal: \(error)\n".utf8))
        throw ExitStatus.cannotRun.code
    }
}
