import Analysis
import ArgumentParser
import Configuration
import Foundation
import Reports
import Store

/// `cisignal readiness`.
struct ReadinessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "readiness",
        abstract: "Component readiness: the sample window against the basis, per component, test and variant cell.",
        discussion: """
            Statuses: extreme-regression, significant-regression, missing-basis, missing-sample, \
            not-significant, significant-improvement. A regression needs the one-sided Fisher's exact \
            test (p < 1 - confidence), at least --minimum-failures sample failures and a pass-rate \
            drop of at least --pity points (extreme beyond --extreme), and a Benjamini-Hochberg \
            q-value below --fdr (0.05; --no-fdr turns it off) across the cells whose counts allow a \
            regression. A trial is a run: by default a flake (failed, then passed on retry) counts \
            as a failure, i.e. the first attempt's pass rate, since retries hide regressions; \
            --flakes-as-passes counts the working % instead. --anchor-rules gives the plain Sippy-like rules (flakes as passes, no \
            FDR). The defaults were chosen on simulated worlds (README, Detection quality). An open \
            regression stays open while, against the basis pass % it opened on, p < 1 - \
            --keep-confidence with a failure in the sample (hysteresis). Each run records regressions \
            (opened, kept, closed, with the revert window: last good and first bad payload) unless \
            --no-record, which keeps nothing open and finds each regressed cell's revert window from \
            the counts as they are now; triage.yaml entries (test, cell, bug, owner, note) are shown \
            beside them. CSV/JSON columns: component, test, cell, status, kept_open, sample_runs, \
            sample_passes, sample_pass_pct, basis_runs, basis_passes, basis_pass_pct, pass_pct_drop, \
            p_value, q_value, opened_basis_pass_pct, keep_p_value, opened_day, last_good_payload, \
            first_bad_payload, bug, triage_owner, triage_note. Exit 0, or 3 with --fail-on-regression \
            when a cell regressed.
            """
    )

    @Option(name: .long, help: ArgumentHelp("The sample window FROM..TO (days included); default: the 7 days ending --as-of.", valueName: "from..to"))
    var sample: String?

    @Option(name: .long, help: ArgumentHelp("The basis window FROM..TO; default: the 28 days before the sample.", valueName: "from..to"))
    var basis: String?

    @Option(name: .long, help: ArgumentHelp("Variant keys that make a cell, comma-separated (arch = architecture).", valueName: "keys"))
    var columns = "platform,network,architecture"

    @Option(name: .long, help: ArgumentHelp("Confidence in percent.", valueName: "percent"))
    var confidence = 95.0

    @Option(name: .long, help: ArgumentHelp("Fewest sample failures of a regression.", valueName: "n"))
    var minimumFailures = 3

    @Option(name: .long, help: ArgumentHelp("Smallest pass-rate drop of a regression, in points.", valueName: "points"))
    var pity = 5.0

    @Option(name: .long, help: ArgumentHelp("A drop beyond this many points is extreme.", valueName: "points"))
    var extreme = 15.0

    @Option(name: .long, help: ArgumentHelp("Benjamini-Hochberg false-discovery rate across cells.", valueName: "rate"))
    var fdr = 0.05

    @Flag(name: .long, help: "No false-discovery-rate control: every cell is judged on its own p-value.")
    var noFdr = false

    @Option(name: .long, help: ArgumentHelp("Hysteresis: an open regression stays open while p < 1 - this (percent).", valueName: "percent"))
    var keepConfidence = 80.0

    @Option(name: .long, help: ArgumentHelp("The triage file; default: ./triage.yaml when present.", valueName: "path"))
    var triage: String?

    @Flag(name: .long, help: "Count a flake (failed, then passed in one run) as a pass (working %); by default it is a failure (first-attempt pass rate).")
    var flakesAsPasses = false

    @Flag(name: .long, help: "The plain anchor rules: flakes as passes and no FDR (with --no-record, also no hysteresis).")
    var anchorRules = false

    @Flag(name: .long, help: "Stateless: no hysteresis, and nothing recorded (opened, kept, closed) in the database.")
    var noRecord = false

    @Flag(name: .long, help: "Exit 3 when a cell regressed.")
    var failOnRegression = false

    @Option(name: .long, help: ArgumentHelp("table, csv or json.", valueName: "format"))
    var format: TableFormat = .table

    @OptionGroup var options: AnalysisOptions

    static func range(_ text: String) -> Range<Day>? {
        let parts = text.components(separatedBy: "..")
        guard parts.count == 2, let first = Day(parts[0]), let last = Day(parts[1]), first <= last else { return nil }
        return first..<last.adding(days: 1)
    }

    func validate() throws {
        for (name, value) in [("--sample", sample), ("--basis", basis)] {
            if let value, Self.range(value) == nil { throw ValidationError("\(name) '\(value)' is not FROM..TO, e.g. 2026-11-14..2026-11-20") }
        }
        if !(confidence > 0 && confidence < 100) || !(keepConfidence > 0 && keepConfidence < 100) {
            throw ValidationError("--confidence and --keep-confidence must be above 0 and below 100")
        }
        if !(fdr > 0 && fdr < 1) { throw ValidationError("--fdr must be between 0 and 1, e.g. 0.05") }
        if minimumFailures < 0 || pity < 0 || extreme < 0 { throw ValidationError("--minimum-failures, --pity and --extreme must not be negative") }
    }

    func run() throws {
        let settings = try options.settings()
        let path = options.databasePath(settings)
        try requireDatabase(path)
        var rules = ReadinessRules()
        rules.confidence = confidence / 100
        rules.minimumFailures = minimumFailures
        rules.pityPoints = pity
        rules.extremePoints = extreme
        rules.falseDiscoveryRate = noFdr || anchorRules ? nil : fdr
        rules.keepConfidence = keepConfidence / 100
        rules.flakesArePasses = flakesAsPasses || anchorRules
        // "arch" is what people type for the architecture variant.
        rules.columns = columns.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .map { $0 == "arch" ? "architecture" : $0 }
        let sampleRange = sample.flatMap(Self.range) ?? (options.day.adding(days: -6)..<options.day.adding(days: 1))
        let basisRange = basis.flatMap(Self.range) ?? (sampleRange.lowerBound.adding(days: -28)..<sampleRange.lowerBound)
        guard basisRange.upperBound <= sampleRange.lowerBound else {
            FileHandle.standardError.write(Data("cisignal: the basis must end before the sample starts (\(sampleRange.lowerBound))\n".utf8))
            throw ExitStatus.usage.code
        }
        let triageFile: Triage
        do {
            triageFile = try Triage.load(path: triage ?? "triage.yaml", required: triage != nil)
        } catch {
            FileHandle.standardError.write(Data("cisignal: \(error)\n".utf8))
            throw ExitStatus.usage.code
        }

        let (database, lock) = try openForWriting(path, wait: 30)
        defer { withExtendedLifetime(lock) {} }
        // The daily totals must be current; the stored classes are kept.
        _ = try runRollup(on: database, settings: settings, asOf: sampleRange.upperBound.adding(days: -1), reclassify: false)
        let keys = try RateQuery.variantKeys(on: database)
        for key in rules.columns where !keys.contains(key) {
            FileHandle.standardError.write(Data("cisignal: --columns \(key) is not a variant key; keys: \(keys.joined(separator: ", "))\n".utf8))
            throw ExitStatus.usage.code
        }
        let report: ReadinessReport
        do {
            report = try Readiness.run(on: database, sample: sampleRange, basis: basisRange, rules: rules, record: !noRecord)
        } catch let error as ReadinessError {
            FileHandle.standardError.write(Data("cisignal: \(error)\n".utf8))
            throw ExitStatus.usage.code
        }
        // Stateless with --no-record: nothing recorded is read either.
        let regressions = noRecord ? [] : try RegressionLog.open(on: database, closedOn: sampleRange.upperBound.adding(days: -1).description)
        let table = ReadinessTable.cells(report, regressions: regressions, triage: triageFile)
        let output = format == .table
            ? ReadinessTable.summary(report, regressions: regressions, triage: triageFile)
            : format.render(table, decimals: 4)
        FileHandle.standardOutput.write(Data(output.utf8))
        if failOnRegression && report.cells.contains(where: { $0.status.isRegression }) { throw ExitCode(3) }
    }
}
