import Analysis
import Configuration
import Foundation

/// Component readiness for people (a summary) and spreadsheets (a cell table).
public enum ReadinessTable {
    /// Every cell with its status, counts, rates, p- and q-values, revert window and triage.
    public static func cells(_ report: ReadinessReport, regressions: [TrackedRegression], triage: Triage) -> ResultTable {
        let tracked = Dictionary(regressions.filter { $0.status == "open" }.map { ($0.test + "\u{1F}" + $0.cell, $0) },
                                 uniquingKeysWith: { first, _ in first })
        let ordered = report.cells.sorted {
            ($0.status.severity, $1.component, $1.test, $1.cell) > ($1.status.severity, $0.component, $0.test, $0.cell)
        }
        let rows: [[Cell]] = ordered.map { cell in
            let regression = tracked[cell.test + "\u{1F}" + cell.cell]
            let entry = triage.entry(test: cell.test, cell: cell.cell)
            func number(_ value: Double?) -> Cell { value.map(Cell.number) ?? .null }
            func text(_ value: String?) -> Cell { value.map(Cell.text) ?? .null }
            return [
                .text(cell.component), .text(cell.test), .text(cell.cell), .text(cell.status.rawValue), .integer(cell.keptOpen ? 1 : 0),
                .integer(Int64(cell.sampleRuns)), .integer(Int64(cell.samplePasses)), number(cell.samplePassPct),
                .integer(Int64(cell.basisRuns)), .integer(Int64(cell.basisPasses)), number(cell.basisPassPct), number(cell.drop),
                number(cell.pWorse), number(cell.qValue), number(cell.openedBasisPassPct), number(cell.keepPValue),
                text(regression?.openedDay), text(regression?.lastGoodPayload ?? cell.lastGoodPayload),
                text(regression?.firstBadPayload ?? cell.firstBadPayload), text(entry?.bug), text(entry?.owner), text(entry?.note),
            ]
        }
        return ResultTable(columns: columns, rows: rows)
    }

    /// The columns of `cells`, in order (also readiness-cells.csv's).
    public static let columns = ["component", "test", "cell", "status", "kept_open", "sample_runs", "sample_passes",
                                 "sample_pass_pct", "basis_runs", "basis_passes", "basis_pass_pct", "pass_pct_drop", "p_value",
                                 "q_value", "opened_basis_pass_pct", "keep_p_value", "opened_day", "last_good_payload",
                                 "first_bad_payload", "bug", "triage_owner", "triage_note"]

    /// What kept a cell open, for people: "kept open: p 0.024 against the 92.5% basis it opened on";
    /// nil for a cell not kept open.
    public static func keptOpenNote(_ cell: ReadinessCell) -> String? {
        guard let p = cell.keepPValue, let opened = cell.openedBasisPassPct else { return nil }
        return String(format: "kept open: p %.2g against the %.1f%% basis it opened on", p, opened)
    }

    /// The component × cell grid: the cells (sorted), and each component's worst status per cell.
    public static func grid(_ report: ReadinessReport) -> (cells: [String], worst: [String: [String: CellStatus]]) {
        var worst: [String: [String: CellStatus]] = [:]
        for cell in report.cells {
            let current = worst[cell.component]?[cell.cell]
            if current == nil || cell.status.severity > current!.severity { worst[cell.component, default: [:]][cell.cell] = cell.status }
        }
        return (Array(Set(report.cells.map(\.cell))).sorted(), worst)
    }

    /// The symbol of a status in the grid: readable without colour.
    public static func symbol(_ status: CellStatus) -> String {
        switch status {
        case .extremeRegression: return "XX"
        case .significantRegression: return "X"
        case .missingBasis: return "?b"
        case .missingSample: return "?s"
        case .notSignificant: return "ok"
        case .significantImprovement: return "+"
        }
    }

    /// The summary for a terminal: rules, false-alarm estimate, the component × cell grid (each
    /// grid cell the worst status of its tests) with a legend, then the regressions.
    public static func summary(_ report: ReadinessReport, regressions: [TrackedRegression], triage: Triage) -> String {
        let last = report.sample.upperBound.adding(days: -1), basisLast = report.basis.upperBound.adding(days: -1)
        var out = "readiness: sample \(report.sample.lowerBound)..\(last), basis \(report.basis.lowerBound)..\(basisLast)\n"
        out += "rules: \(report.rulesDescription)\n"
        out += String(format: "cells tested: %d; expected false alarms at %.0f%% confidence with no other guard: %.1f\n",
                      report.cellsTested, report.rules.confidence * 100, report.expectedFalseAlarms)
        if let rate = report.rules.falseDiscoveryRate {
            out += String(format: "Benjamini–Hochberg over the %d cells whose counts allow a regression: of the regressions the test "
                          + "opens, at most %g%% are expected to be false alarms (regressions kept open by hysteresis are not counted)\n",
                          report.cellsThatCanRegress, rate * 100)
        }
        let (columns, worst) = grid(report)
        var grid = ResultTable(columns: ["component"] + columns, rows: [])
        for component in worst.keys.sorted() {
            grid.rows.append([.text(component)] + columns.map { column in worst[component]?[column].map { .text(symbol($0)) } ?? .text("") })
        }
        out += "\n" + TableFormat.table.render(grid)
        out += "legend: XX extreme regression, X significant regression, ?b missing basis, ?s missing sample, ok not significant, + significant improvement\n"
        // Every regressed cell with its counts, and what the regressions table knows of it.
        let tracked = Dictionary(regressions.filter { $0.status == "open" }.map { ($0.test + "\u{1F}" + $0.cell, $0) },
                                 uniquingKeysWith: { first, _ in first })
        let regressed = report.cells.filter { $0.status.isRegression }
            .sorted { ($0.component, $0.test, $0.cell) < ($1.component, $1.test, $1.cell) }
        out += "\nregressed cells: \(regressed.count)\n"
        for cell in regressed {
            let regression = tracked[cell.test + "\u{1F}" + cell.cell]
            let entry = triage.entry(test: cell.test, cell: cell.cell)
            out += "- \(cell.component) | \(cell.test) | \(cell.cell) | \(cell.status.rawValue) | "
                + String(format: "sample %d/%d (%.1f%%) vs basis %d/%d (%.1f%%), p %.2g",
                         cell.samplePasses, cell.sampleRuns, cell.samplePassPct ?? 0, cell.basisPasses, cell.basisRuns,
                         cell.basisPassPct ?? 0, cell.pWorse ?? 1)
                + (keptOpenNote(cell).map { " | " + $0 } ?? "")
                + (regression.map { " | opened \($0.openedDay) | revert window: \($0.lastGoodPayload ?? "?") -> \($0.firstBadPayload ?? "?")" }
                   ?? cell.firstBadPayload.map { " | revert window (not recorded): \(cell.lastGoodPayload ?? "?") -> \($0)" } ?? "")
                + (entry.map { " | triaged: \($0.bug)" + ($0.owner.map { " (\($0))" } ?? "") } ?? " | untriaged") + "\n"
        }
        // Open regressions this readiness has no cell for (no runs in either window, e.g. a job
        // that stopped): still open, shown with the day they were last seen.
        let present = Set(report.cells.map { $0.test + "\u{1F}" + $0.cell })
        let unseen = regressions.filter { $0.status == "open" && !present.contains($0.test + "\u{1F}" + $0.cell) }
        if !unseen.isEmpty {
            out += "\nopen regressions without runs in these windows: \(unseen.count)\n"
            for regression in unseen {
                out += "- \(regression.component) | \(regression.test) | \(regression.cell) | opened \(regression.openedDay), last seen \(regression.lastSeenDay)\n"
            }
        }
        let closed = regressions.filter { $0.status == "closed" }
        if !closed.isEmpty {
            out += "\nclosed today: \(closed.count)\n"
            for regression in closed {
                out += "- \(regression.component) | \(regression.test) | \(regression.cell) | opened \(regression.openedDay), closed \(regression.closedDay ?? "?")\n"
            }
        }
        return out
    }
}
