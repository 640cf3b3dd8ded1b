import Analysis
import ArgumentParser
import Configuration
import Foundation
import Reports
import Store

/// What the rate commands share: filters, sorting, output format.
struct RateOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Only this component's tests, e.g. sig-network.", valueName: "name"))
    var component: String?

    @Option(name: .long, help: ArgumentHelp("Only jobs with this variant; repeat for several, e.g. --variant platform=aws.", valueName: "key=value"))
    var variant: [String] = []

    @Option(name: .long, help: ArgumentHelp("Only this job.", valueName: "name"))
    var job: String?

    @Option(name: .long, help: ArgumentHelp("Print at most this many rows.", valueName: "n"))
    var limit: Int?

    @Option(name: .long, help: ArgumentHelp("Sort by this column (see the README for the columns); default depends on the command.", valueName: "column"))
    var sort: String?

    @Flag(name: .long, help: "Sort ascending (the default order of --sort is descending).")
    var ascending = false

    @Option(name: .long, help: ArgumentHelp("table, csv or json.", valueName: "format"))
    var format: TableFormat = .table

    func validate() throws {
        if let limit, limit < 0 { throw ValidationError("--limit must not be negative") }
        for item in variant where !item.contains("=") {
            throw ValidationError("--variant '\(item)' is not key=value, e.g. platform=aws")
        }
    }

    var filter: RateFilter {
        var variants: [String: String] = [:]
        for item in variant {
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            variants[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        return RateFilter(component: component, variants: variants, job: job)
    }
}

extension TableFormat: ExpressibleByArgument {}

/// Runs a rate query after making sure the rollup is current for the as-of day, and prints it.
func printRates(_ query: RateQuery, options: AnalysisOptions, rates: RateOptions) throws {
    let settings = try options.settings()
    let path = options.databasePath(settings)
    guard FileManager.default.fileExists(atPath: path) else {
        FileHandle.standardError.write(Data("cisignal: no database at \(path); run `cisignal ingest` first\n".utf8))
        throw ExitStatus.cannotRun.code
    }
    let (database, lock) = try openForWriting(path, wait: 30)
    defer { withExtendedLifetime(lock) {} }
    // The rollup is incremental: with nothing new and the same as-of it only re-sums the windows.
    _ = try runRollup(on: database, settings: settings, asOf: options.day)
    var table = try query.run(rates.filter, on: database)
    if let sort = rates.sort, table.column(sort) == nil {
        FileHandle.standardError.write(Data("cisignal: --sort '\(sort)' is not a column; columns: \(table.columns.joined(separator: ", "))\n".utf8))
        throw ExitStatus.usage.code
    }
    if table.rows.isEmpty {
        let windows = Windows(asOf: options.day, currentDays: settings.windowLengths.currentDays,
                              previousDays: settings.windowLengths.previousDays)
        FileHandle.standardError.write(Data(("cisignal: nothing matches in the window \(windows.current.lowerBound)"
            + "..\(windows.current.upperBound.adding(days: -1)) or the one before it\n").utf8))
    }
    if let sort = rates.sort {
        table = table.sorted(by: sort, descending: !rates.ascending)
    } else if query != .flaky {
        table = table.sorted(by: query.defaultSort.column, descending: query.defaultSort.descending)
    }
    if let limit = rates.limit { table = table.prefix(limit) }
    FileHandle.standardOutput.write(Data(rates.format.render(table).utf8))
}

/// `cisignal tests`.
struct TestsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tests",
        abstract: "Pass, fail, flake and working rates per test, current window against the previous one.",
        discussion: "Default order: fail % descending. Rates are percentages; runs count job runs (skips are not runs)."
    )
    @OptionGroup var options: AnalysisOptions
    @OptionGroup var rates: RateOptions
    func run() throws { try printRates(.tests, options: options, rates: rates) }
}

/// `cisignal jobs`.
struct JobsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "Job pass rates, infrastructure failures counted apart, current window against the previous one.",
        discussion: "Default order: pass % ascending. --component does not apply to jobs."
    )
    @OptionGroup var options: AnalysisOptions
    @OptionGroup var rates: RateOptions
    func run() throws { try printRates(.jobs, options: options, rates: rates) }
}

/// `cisignal flaky`.
struct FlakyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flaky",
        abstract: "Flaky tests ranked by impact in the current window.",
        discussion: """
            Impact: job runs in which the test was the only failing test (sole_failures), then runs \
            it flaked in (failed and passed in the same run). mixed_payloads counts payloads in which \
            it failed in some runs and passed in others.
            """
    )
    @OptionGroup var options: AnalysisOptions
    @OptionGroup var rates: RateOptions
    func run() throws { try printRates(.flaky, options: options, rates: rates) }
}

/// `cisignal components`.
struct ComponentsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "components",
        abstract: "Rates per component: all runs of its tests, current window against the previous one.",
        discussion: "Default order: working % ascending."
    )
    @OptionGroup var options: AnalysisOptions
    @OptionGroup var rates: RateOptions
    func run() throws { try printRates(.components, options: options, rates: rates) }
}
