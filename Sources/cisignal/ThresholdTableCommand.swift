import Analysis
import ArgumentParser
import Foundation
import Reports

/// `cisignal threshold-table`.
struct ThresholdTableCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "threshold-table",
        abstract: "For each historical pass %, the largest number of passes out of N runs that is a regression.",
        discussion: """
            The rule is the one-sided Fisher's exact test itself (sample worse than basis, \
            p < 1 - confidence), computed for every pass count — not a fixed table. A basis given as \
            a pass % is rounded to whole runs (95% of 250 = 238). With the defaults, a 95% history \
            gives 7: 7 or fewer passes of 10 is a regression (p ≈ 0.015), 8 is not (p ≈ 0.095). \
            Columns: basis_pass_pct, basis_runs, basis_passes, runs, confidence_pct, \
            largest_regressed_passes (empty: no count is a regression), p_value_at_largest, \
            p_value_above (one pass more).
            """
    )

    @Option(name: .long, help: ArgumentHelp("Sample runs (N), e.g. an aggregated job's runs on one payload.", valueName: "n"))
    var runs = 10

    @Option(name: .long, help: ArgumentHelp("Basis (history) runs.", valueName: "n"))
    var basis = 250

    @Option(name: .long, help: ArgumentHelp("Confidence in percent, e.g. 95.", valueName: "percent"))
    var confidence = 95.0

    @Option(name: .long, help: ArgumentHelp("table, csv or json.", valueName: "format"))
    var format: TableFormat = .table

    func validate() throws {
        if !(1...1_000_000).contains(runs) { throw ValidationError("--runs must be between 1 and 1000000") }
        if !(1...1_000_000).contains(basis) { throw ValidationError("--basis must be between 1 and 1000000") }
        if !(confidence > 0 && confidence < 100) { throw ValidationError("--confidence must be above 0 and below 100") }
    }

    func run() throws {
        let table = thresholdTable(runs: runs, basisRuns: basis, confidence: confidence / 100)
        if format == .table {
            let alpha = ((1 - confidence / 100) * 1e6).rounded() / 1e6
            FileHandle.standardOutput.write(Data(
                "Fisher's exact test, one-sided (sample worse than basis), p < \(alpha); \(runs) runs against a basis of \(basis)\n".utf8))
        }
        FileHandle.standardOutput.write(Data(format.render(table, decimals: 6).utf8))
    }
}
