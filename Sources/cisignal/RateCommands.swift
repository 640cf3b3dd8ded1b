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

    @Option(name: .long, help: ArgumentHelp("Only jobs with this variant; repeat for several keys, e.g. --variant platform=aws.", valueName: "key=value"))
    var variant: [String] = []

    @Option(name: .long, help: ArgumentHelp("Only this job.", valueName: "name"))
    var job: String?

    @Option(name: .long, help: ArgumentHelp("Print at most this many rows.", valueName: "n"))
    var limit: Int?

    @Option(name: .long, help: ArgumentHelp("Sort by this column, descending (see the README for the columns); default: the command's order.", valueName: "column"))
    var sort: String?

    @Flag(name: .long, help: "With --sort, sort ascending.")
    var ascending = false

    @Option(name: .long, help: ArgumentHelp("table, csv or json.", valueName: "format"))
    var format: TableFormat = .table

    func validate() throws {
        if let limit, limit < 0 { throw ValidationError("--limit must not be negative") }
        var keys = Set<String>()
        for item in variant {
            guard let equals = item.firstIndex(of: "="), equals != item.startIndex else {
                throw ValidationError("--variant '\(item)' is not key=value, e.g. platform=aws")
            }
            let key = String(item[..<equals])
            guard keys.insert(key).inserted else {
                throw ValidationError("--variant \(key) is given twice; a job has one value for each key")
            }
        }
        if ascending && sort == nil { throw ValidationError("--ascending goes with --sort") }
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

/// Prints a rate query from the stored rollup.
///
/// The rate commands read. They write only when the stored windows cannot answer: no rollup yet,
/// or another `--as-of` than the last rollup's. Then, when no other process writes, they bring
/// the rollup up to date keeping the stored classes (a query never reclassifies with its own
/// configuration what the nightly classified).
func printRates(_ query: RateQuery, options: AnalysisOptions, rates: RateOptions) throws {
    let settings = try options.settings()
    let path = options.databasePath(settings)
    try requireDatabase(path)
    let stored = try openReading(path) { try RateQuery.windows(on: $0)["current"]?.asOf }
    let asOf = options.asOf ?? stored ?? Day.today().description
    if stored != asOf {
        let lock: WriterLock
        do {
            lock = try WriterLock(databasePath: path, timeoutSeconds: 0)
        } catch let error as StoreError {
            FileHandle.standardError.write(Data(("cisignal: the rollup has no windows as of \(asOf) and \(error); "
                + "run `cisignal rollup --as-of \(asOf)` when it is done\n").utf8))
            throw ExitStatus.cannotRun.code
        }
        defer { withExtendedLifetime(lock) {} }
        let database = try openDatabase(path, readOnly: false)
        _ = try runRollup(on: database, settings: settings, asOf: Day(asOf)!, reclassify: false)
    }
    let database = try openDatabase(path, readOnly: true)
    let keys = try RateQuery.variantKeys(on: database)
    for key in rates.filter.variants.keys where !keys.contains(key) {
        FileHandle.standardError.write(Data("cisignal: --variant \(key) is not a variant key; keys: \(keys.joined(separator: ", "))\n".utf8))
        throw ExitStatus.usage.code
    }
    var table = try query.run(rates.filter, on: database)
    if let sort = rates.sort {
        guard table.column(sort) != nil else {
            FileHandle.standardError.write(Data("cisignal: --sort '\(sort)' is not a column; columns: \(table.columns.joined(separator: ", "))\n".utf8))
            throw ExitStatus.usage.code
        }
        table = table.sorted(by: sort, descending: !rates.ascending)
    }
    if let limit = rates.limit { table = table.prefix(limit) }
    let changed = try RateQuery.daysChangedSinceRollup(on: database)
    if changed > 0 {
        FileHandle.standardError.write(Data("cisignal: note: \(changed) day(s) changed since the last rollup; `cisignal rollup` brings them in\n".utf8))
    }
    if table.rows.isEmpty {
        FileHandle.standardError.write(Data("cisignal: nothing matches in the windows as of \(asOf)\n".utf8))
    }
    FileHandle.standardOutput.write(Data(rates.format.render(table).utf8))
}

/// Opens the database, turning failures into exit 4.
func openDatabase(_ path: String, readOnly: Bool) throws -> Database {
    do {
        return try Database(path: path, readOnly: readOnly)
    } catch let error as StoreError {
        FileHandle.standardError.write(Data("cisignal: \(error)\n".utf8))
        throw ExitStatus.cannotRun.code
    }
}

/// Reads something from the database through a short-lived read-only connection.
func openReading<T>(_ path: String, _ body: (Database) throws -> T) throws -> T {
    try body(try openDatabase(path, readOnly: true))
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
            A test is listed when it flaked in a run (failed, then passed), or failed in some runs \
            and passed in others of the same payload on the same job (mixed_payloads). Impact: \
            failed job runs in which it was the only failing test (sole_failures), then flakes. \
            Infrastructure tests are left out.
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

/// `cisignal variants`.
struct VariantsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "variants",
        abstract: "Rates per test and variant combination, current window against the previous one.",
        discussion: "A variant combination is all of a job's variants, e.g. \"release=4.18 platform=aws network=ovn architecture=amd64 upgrade=no-upgrade topology=ha\". Default order: working % ascending."
    )
    @OptionGroup var options: AnalysisOptions
    @OptionGroup var rates: RateOptions
    func run() throws { try printRates(.variants, options: options, rates: rates) }
}
