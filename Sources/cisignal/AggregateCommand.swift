import Analysis
import ArgumentParser
import Configuration
import Foundation
import Reports

/// `cisignal aggregate`.
struct AggregateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aggregate",
        abstract: "Judge a payload like an aggregated job: each test's passes on it against its history.",
        discussion: """
            For each job with runs on the payload and each test in them: attempts (runs the test ran \
            in), passes (flakes count as passes unless --flakes-as-failures), the basis (the same \
            job's --basis-days days before the payload's first run day, never the payload itself), the \
            one-sided Fisher's exact p-value, the largest pass count that would still be a regression, \
            and the verdict: regressed, regressed-informing, passed, too-few-attempts, skipped, or \
            no-history (assumed not regressed). Columns: job, job_runs, test, attempts, passes, \
            failures, flakes, basis_attempts, basis_passes, basis_pass_pct, p_value, \
            largest_regressed_passes, verdict. Exit codes: 0 the payload passes; 3 a blocking \
            (not informing) test regressed; 1 the payload has no runs; 2 usage; 4 no database.
            """
    )

    @Option(name: .long, help: ArgumentHelp("The payload tag, e.g. 4.18.0-0.nightly-2026-11-07-013000.", valueName: "tag"))
    var payload: String

    @Option(name: .long, help: ArgumentHelp("Only this job; repeat for several (default: every job with runs on the payload).", valueName: "name"))
    var job: [String] = []

    @Option(name: .long, help: ArgumentHelp("Confidence in percent.", valueName: "percent"))
    var confidence = 95.0

    @Option(name: .long, help: ArgumentHelp("Fewer attempts than this are not judged.", valueName: "n"))
    var minimumAttempts = 6

    @Option(name: .long, help: ArgumentHelp("Days of the job's history before the payload used as the basis.", valueName: "days"))
    var basisDays = 14

    @Flag(name: .long, help: "Count a flake (failed, then passed in one run) as a failure.")
    var flakesAsFailures = false

    @Option(name: .long, help: ArgumentHelp("A regex naming informing tests (reported, never rejecting); repeat for several.", valueName: "regex"))
    var informing: [String] = []

    @Option(name: .long, help: ArgumentHelp("table, csv, json or junit.", valueName: "format"))
    var format = "table"

    @OptionGroup var options: AnalysisOptions

    func validate() throws {
        if !(confidence > 0 && confidence < 100) { throw ValidationError("--confidence must be above 0 and below 100") }
        if minimumAttempts < 1 { throw ValidationError("--minimum-attempts must be at least 1") }
        if !(1...365).contains(basisDays) { throw ValidationError("--basis-days must be between 1 and 365") }
        if !["table", "csv", "json", "junit"].contains(format) { throw ValidationError("--format must be table, csv, json or junit") }
        for pattern in informing {
            do { _ = try Pattern(pattern) } catch { throw ValidationError("--informing: \(error)") }
        }
    }

    func run() throws {
        let settings = try options.settings()
        let path = options.databasePath(settings)
        try requireDatabase(path)
        let database = try openDatabase(path, readOnly: true)
        var rules = AggregationRules()
        rules.confidence = confidence / 100
        rules.minimumAttempts = minimumAttempts
        rules.basisDays = basisDays
        rules.flakesArePasses = !flakesAsFailures
        rules.informing = try informing.map { try Pattern($0) }
        let aggregation = try PayloadAggregation.run(payload: payload, jobs: job, rules: rules, on: database)
        guard aggregation.jobs > 0 else {
            FileHandle.standardError.write(Data("cisignal: no finished runs of payload \(payload)\(job.isEmpty ? "" : " on those jobs")\n".utf8))
            throw ExitStatus.problems.code
        }
        let out: String
        switch format {
        case "junit": out = AggregationJUnit.render(aggregation)
        case "table":
            out = "payload \(payload): \(aggregation.rejected ? "REJECTED" : "accepted") (\(aggregation.jobs) jobs)\n"
                + "rules: \(rules.description)\n" + TableFormat.table.render(aggregation.table, decimals: 4)
        default:
            // The rules, for the person running it; stdout stays one CSV or JSON document.
            FileHandle.standardError.write(Data("cisignal: rules: \(rules.description)\n".utf8))
            out = TableFormat(rawValue: format)!.render(aggregation.table, decimals: 6)
        }
        FileHandle.standardOutput.write(Data(out.utf8))
        if aggregation.rejected { throw ExitCode(3) }
    }
}
