import Foundation
import Store

/// The rules of component readiness (DOMAIN.md, "Regression statistics").
public struct ReadinessRules: Sendable, Equatable {
    /// A regression needs p < 1 − confidence (one-sided Fisher's exact test, sample worse).
    public var confidence = 0.95
    /// Fewer sample failures than this is never a regression.
    public var minimumFailures = 3
    /// A pass-rate drop (in points) below this is never a regression ("pity").
    public var pityPoints = 5.0
    /// A significant drop of more than this many points is an extreme regression.
    public var extremePoints = 15.0
    /// When set, Benjamini–Hochberg false-discovery-rate control: a regression also needs its
    /// q-value below this. The family is the cells whose counts allow a regression at all — the most
    /// extreme split of their failures (all in the sample) has the minimum failures and p below
    /// 1 − confidence (Tarone's rule for discrete tests). That depends only on the table's margins,
    /// which Fisher's test conditions on, so leaving the other cells out keeps the control valid,
    /// and a test that never failed does not dilute it. The default, 0.05, was chosen on simulated
    /// worlds (README, "Detection quality", which gives its recall and false alarms); nil turns it
    /// off (the anchor rules).
    public var falseDiscoveryRate: Double? = 0.05
    /// Hysteresis: an open regression stays open while its sample, compared with the basis pass
    /// rate it was opened against, still gives p < 1 − keepConfidence and failed at least once (a
    /// looser bar than opening, and one the regression itself cannot wash out by filling the basis
    /// window), so cells do not flap night to night.
    public var keepConfidence = 0.80
    /// Whether a flake (failed, then passed in one run) counts as a pass (the test worked in the
    /// end: working %, what the anchor rules and payload verdicts use) or as a failure (the default:
    /// the first attempt's pass rate, since a retry only follows a failure — retries would
    /// otherwise hide a regression; README, "Detection quality").
    public var flakesArePasses = false
    /// The variant keys that make a cell, e.g. ["platform", "network", "architecture"].
    public var columns = ["platform", "network", "architecture"]

    public init() {}

    /// The rules as a sentence, for the output, as applied when regressions are recorded.
    public var description: String { description(hysteresis: true) }

    /// The rules as a sentence; `hysteresis` false for a readiness that records nothing and so
    /// keeps nothing open (`--no-record`).
    public func description(hysteresis: Bool) -> String {
        let alpha = ((1 - confidence) * 1e6).rounded() / 1e6
        let keep = ((1 - keepConfidence) * 1e6).rounded() / 1e6
        return "regression: one-sided Fisher's exact p < \(alpha), at least \(minimumFailures) sample failures, a drop of at least "
            + "\(pityPoints) points (extreme beyond \(extremePoints))"
            + (falseDiscoveryRate.map { ", Benjamini–Hochberg q < \($0) across the cells whose counts allow a regression" } ?? "")
            + (hysteresis ? "; an open regression stays open while p < \(keep) against the basis it opened on, with a failure in the sample"
                          : "; nothing recorded, so nothing is kept open (no hysteresis)")
            + "; flakes count as \(flakesArePasses ? "passes (working %)" : "failures (first-attempt pass rate)")"
    }
}

/// Why a readiness could not record.
public enum ReadinessError: Error, Equatable, CustomStringConvertible {
    /// Open regressions were recorded with other columns.
    case columnsChanged(recorded: String, asked: String)
    /// A readiness was already recorded for a later day.
    case backDated(asOf: String, recorded: String)

    public var description: String {
        switch self {
        case let .columnsChanged(recorded, asked):
            return "open regressions were recorded with --columns \(recorded); recording with \(asked) would track the same tests twice. "
                + "Use the same columns, or --no-record to look"
        case let .backDated(asOf, recorded):
            return "readiness was recorded as of \(recorded); \(asOf) is earlier and would rewrite that history. Use --no-record to look back"
        }
    }
}

/// The status of one readiness cell.
public enum CellStatus: String, Sendable, CaseIterable {
    case extremeRegression = "extreme-regression"
    case significantRegression = "significant-regression"
    case missingBasis = "missing-basis"
    case missingSample = "missing-sample"
    case notSignificant = "not-significant"
    case significantImprovement = "significant-improvement"

    /// Worse first: a grid cell shows its worst test's status.
    public var severity: Int {
        switch self {
        case .extremeRegression: return 5
        case .significantRegression: return 4
        case .missingBasis, .missingSample: return 2
        case .notSignificant: return 1
        case .significantImprovement: return 0
        }
    }

    public var isRegression: Bool { self == .extremeRegression || self == .significantRegression }
}

/// One test in one variant cell.
public struct ReadinessCell: Sendable, Equatable {
    public var component: String
    public var testID: Int64
    public var test: String
    public var cell: String
    public var sampleRuns: Int, samplePasses: Int, sampleFailures: Int
    public var basisRuns: Int, basisPasses: Int
    public var lastFailureAt: Int64?
    public var pWorse: Double?
    public var pBetter: Double?
    public var qValue: Double?
    public var status: CellStatus = .notSignificant
    /// For a cell kept open by hysteresis: the basis pass % its regression was opened against, and
    /// the p-value of the sample against it (what kept it open; `pWorse` is against the current basis).
    public var openedBasisPassPct: Double?
    public var keepPValue: Double?
    /// Kept open by hysteresis rather than opened by the full rules.
    public var keptOpen: Bool { keepPValue != nil }
    /// For a regressed cell of a readiness that records nothing: the revert window found now from
    /// the per-payload counts (a recorded regression keeps the one found when it opened).
    public var lastGoodPayload: String?
    public var firstBadPayload: String?

    public var samplePassPct: Double? { sampleRuns > 0 ? 100 * Double(samplePasses) / Double(sampleRuns) : nil }
    public var basisPassPct: Double? { basisRuns > 0 ? 100 * Double(basisPasses) / Double(basisRuns) : nil }
    /// Basis pass % minus sample pass %, in points.
    public var drop: Double? {
        guard let sample = samplePassPct, let basis = basisPassPct else { return nil }
        return basis - sample
    }
}

/// What one readiness computed.
public struct ReadinessReport: Sendable {
    public var sample: Range<Day>
    public var basis: Range<Day>
    public var rules: ReadinessRules
    /// Whether regressions were recorded (and so kept open by hysteresis).
    public var recorded = true
    /// Every cell with runs in either window.
    public var cells: [ReadinessCell]
    /// Cells with runs in both windows: the tests of significance done.
    public var cellsTested: Int { cells.filter { $0.sampleRuns > 0 && $0.basisRuns > 0 }.count }
    /// How many of those would be flagged by chance alone at the confidence, with no other guard.
    public var expectedFalseAlarms: Double { Double(cellsTested) * (1 - rules.confidence) }
    /// Cells whose counts allow a regression at all — the false-discovery-rate family, i.e. the
    /// cells classify gave a q-value (none when false-discovery-rate control is off).
    public var cellsThatCanRegress: Int { cells.filter { $0.qValue != nil }.count }
    /// The rules as applied by this readiness.
    public var rulesDescription: String { rules.description(hysteresis: recorded) }
}

/// Component readiness: the sample window against the basis window, per component, test and cell.
public enum Readiness {
    /// Computes the cells (the rollup's daily totals must be current) and applies the rules. With
    /// `record`, the open regressions are kept open by hysteresis and the `regressions` table is
    /// updated: opens, keeps and closes, with revert windows; without it, the readiness is
    /// stateless: the plain rules, nothing read or written of the tracked regressions.
    public static func run(on database: Database, sample: Range<Day>, basis: Range<Day>, rules: ReadinessRules,
                           record: Bool) throws -> ReadinessReport {
        func statement(_ name: String) throws -> Statement { try database.prepare(named: name, in: "readiness.sql") }
        let columnSet = rules.columns.joined(separator: ",")
        if record {
            let sets = try statement("openColumnSets")
            while try sets.step() {
                if let recorded = sets.text(0), recorded != columnSet { throw ReadinessError.columnsChanged(recorded: recorded, asked: columnSet) }
            }
            let asOf = sample.upperBound.adding(days: -1).description
            if let last = try statement("lastRecordedDay").stepText(), last > asOf {
                throw ReadinessError.backDated(asOf: asOf, recorded: last)
            }
        }
        // Cells: each kept payload job's values of the chosen columns.
        try statement("createCells").run()
        try statement("clearCells").run()
        var jobVariants: [Int64: [String: String]] = [:]
        let variants = try statement("keptJobVariants")
        while try variants.step() { jobVariants[variants.int64(0), default: [:]][variants.text(1) ?? ""] = variants.text(2) ?? "" }
        let insertCell = try statement("insertCell")
        var jobsOfCell: [String: [Int64]] = [:]
        for (job, values) in jobVariants {
            let cell = cellName(values, columns: rules.columns)
            jobsOfCell[cell, default: []].append(job)
            insertCell.bind(job, at: 1)
            insertCell.bind(cell, at: 2)
            try insertCell.run()
        }

        let counts = try statement("cellCounts")
        counts.bind(sample.lowerBound.description, at: 1)
        counts.bind(sample.upperBound.description, at: 2)
        counts.bind(basis.lowerBound.description, at: 3)
        counts.bind(basis.upperBound.description, at: 4)
        counts.bind(rules.flakesArePasses ? 1 : 0, at: 5)
        var cells: [ReadinessCell] = []
        while try counts.step() {
            cells.append(ReadinessCell(
                component: counts.text(0) ?? "", testID: counts.int64(1), test: counts.text(2) ?? "", cell: counts.text(3) ?? "",
                sampleRuns: Int(counts.int64(4)), samplePasses: Int(counts.int64(5)), sampleFailures: Int(counts.int64(6)),
                basisRuns: Int(counts.int64(7)), basisPasses: Int(counts.int64(8)),
                lastFailureAt: counts.isNull(9) ? nil : counts.int64(9)))
        }

        var open: [String: (id: Int64, worst: Double)] = [:]
        var openedBasis: [String: Double] = [:]
        if record {
            let openQuery = try statement("openRegressions")
            while try openQuery.step() {
                let cellKey = key(openQuery.int64(1), openQuery.text(2) ?? "")
                open[cellKey] = (openQuery.int64(0), openQuery.double(3))
                openedBasis[cellKey] = openQuery.double(4)
            }
        }
        classify(&cells, rules: rules, open: openedBasis)

        if record {
            try database.inTransaction {
                try updateLifecycle(cells, open: open, jobsOfCell: jobsOfCell, sample: sample, basis: basis,
                                    columns: columnSet, database: database)
            }
        } else {
            // Stateless: each regressed cell's revert window as the counts show it now.
            for index in cells.indices where cells[index].status.isRegression {
                let series = try payloadSeries(test: cells[index].testID, jobs: jobsOfCell[cells[index].cell] ?? [],
                                               days: basis.lowerBound..<sample.upperBound,
                                               database: database)
                if let window = RevertWindow.find(series) {
                    cells[index].lastGoodPayload = window.lastGood
                    cells[index].firstBadPayload = window.firstBad
                }
            }
        }
        var report = ReadinessReport(sample: sample, basis: basis, rules: rules, cells: cells)
        report.recorded = record
        return report
    }

    /// A cell's name: "key=value" for each column, "?" for an unknown value.
    static func cellName(_ values: [String: String], columns: [String]) -> String {
        columns.map { key in key + "=" + ((values[key]).flatMap { $0.isEmpty ? nil : $0 } ?? "?") }.joined(separator: " ")
    }

    static func key(_ test: Int64, _ cell: String) -> String { "\(test)\u{1F}\(cell)" }

    /// Applies the rules to every cell: statuses, p- and q-values, and hysteresis for the open
    /// regressions (`open`: their cells, with the basis pass % each was opened against).
    static func classify(_ cells: inout [ReadinessCell], rules: ReadinessRules, open: [String: Double]) {
        let alpha = 1 - rules.confidence
        let tolerance = 1e-9
        for index in cells.indices {
            let cell = cells[index]
            guard cell.sampleRuns > 0 else { cells[index].status = .missingSample; continue }
            guard cell.basisRuns > 0 else { cells[index].status = .missingBasis; continue }
            let sampleFailures = cell.sampleRuns - cell.samplePasses
            let basisFailures = cell.basisRuns - cell.basisPasses
            cells[index].pWorse = FisherExact.pValueWorse(sampleFailures: sampleFailures, samplePasses: cell.samplePasses,
                                                          basisFailures: basisFailures, basisPasses: cell.basisPasses)
            cells[index].pBetter = FisherExact.pValueBetter(sampleFailures: sampleFailures, samplePasses: cell.samplePasses,
                                                            basisFailures: basisFailures, basisPasses: cell.basisPasses)
        }
        // Benjamini–Hochberg over the cells whose margins allow a regression (see ReadinessRules).
        let tested = cells.indices.filter { cells[$0].pWorse != nil }
        if rules.falseDiscoveryRate != nil {
            let ordered = tested.filter { canRegress(cells[$0], rules: rules) }.sorted { cells[$0].pWorse! < cells[$1].pWorse! }
            var running = 1.0
            for (rank, index) in ordered.enumerated().reversed() {
                running = min(running, cells[index].pWorse! * Double(ordered.count) / Double(rank + 1))
                cells[index].qValue = running
            }
        }
        for index in tested {
            let cell = cells[index]
            let drop = cell.drop ?? 0
            let p = cell.pWorse!
            // Drops are ratios of counts: compare with a tolerance, so an exact 5.0 is not 4.9999999.
            let passesGuards = cell.sampleFailures >= rules.minimumFailures && drop >= rules.pityPoints - tolerance
            let significant = p < alpha && (rules.falseDiscoveryRate.map { (cell.qValue ?? 1) < $0 } ?? true)
            if passesGuards && significant {
                cells[index].status = drop > rules.extremePoints + tolerance ? .extremeRegression : .significantRegression
            } else if let openedPct = open[key(cell.testID, cell.cell)], cell.sampleFailures > 0,
                      case let keepP = keepPValue(cell, openedBasisPct: openedPct), keepP < 1 - rules.keepConfidence {
                let openedDrop = openedPct - (cell.samplePassPct ?? 0)
                cells[index].status = openedDrop > rules.extremePoints + tolerance ? .extremeRegression : .significantRegression
                cells[index].openedBasisPassPct = openedPct
                cells[index].keepPValue = keepP
            } else if (cell.pBetter ?? 1) < alpha && -drop >= rules.pityPoints - tolerance {
                cells[index].status = .significantImprovement
            } else {
                cells[index].status = .notSignificant
            }
        }
    }

    /// Whether a cell's margins (runs in each window, failures in both together) allow a regression
    /// at all: with every failure in the sample, at least the minimum failures and p < 1 − confidence.
    static func canRegress(_ cell: ReadinessCell, rules: ReadinessRules) -> Bool {
        guard cell.sampleRuns > 0, cell.basisRuns > 0 else { return false }
        let failures = cell.sampleRuns - cell.samplePasses + cell.basisRuns - cell.basisPasses
        let most = min(failures, cell.sampleRuns)
        guard most >= rules.minimumFailures else { return false }
        let p = FisherExact.pValueWorse(sampleFailures: most, samplePasses: cell.sampleRuns - most,
                                        basisFailures: failures - most, basisPasses: cell.basisRuns - (failures - most))
        return p < 1 - rules.confidence
    }

    /// How strongly an open regression's sample still says it is there: the p-value of the sample
    /// against the basis pass rate the regression was opened against (as counts over the current
    /// basis size). It stays open while this is under 1 − keepConfidence.
    static func keepPValue(_ cell: ReadinessCell, openedBasisPct: Double) -> Double {
        let runs = max(cell.basisRuns, cell.sampleRuns)
        let passes = Int((openedBasisPct / 100 * Double(runs)).rounded())
        return FisherExact.pValueWorse(sampleFailures: cell.sampleRuns - cell.samplePasses, samplePasses: cell.samplePasses,
                                       basisFailures: runs - passes, basisPasses: passes)
    }

    /// Opens, keeps and closes regressions for this readiness.
    static func updateLifecycle(_ cells: [ReadinessCell], open: [String: (id: Int64, worst: Double)],
                                jobsOfCell: [String: [Int64]], sample: Range<Day>, basis: Range<Day>,
                                columns: String, database: Database) throws {
        let day = sample.upperBound.adding(days: -1).description
        func statement(_ name: String) throws -> Statement { try database.prepare(named: name, in: "readiness.sql") }
        let insert = try statement("insertRegression"), keep = try statement("keepRegressionOpen")
        let close = try statement("closeRegression")
        var seen = Set<String>()
        var newestPayload: String?
        for cell in cells {
            let cellKey = key(cell.testID, cell.cell)
            seen.insert(cellKey)
            let existing = open[cellKey]
            if cell.status.isRegression {
                let series = try payloadSeries(test: cell.testID, jobs: jobsOfCell[cell.cell] ?? [],
                                               days: basis.lowerBound..<sample.upperBound, database: database)
                newestPayload = series.last?.payload ?? newestPayload
                let failing = try failingRuns(test: cell.testID, days: sample, database: database)
                if let existing {
                    keep.bind(existing.id, at: 1)
                    keep.bind(day, at: 2)
                    keep.bind(cell.lastFailureAt, at: 3)
                    keep.bind(cell.samplePassPct ?? 0, at: 4)
                    keep.bind(cell.pWorse ?? 1, at: 5)
                    keep.bind(failing, at: 6)
                    try keep.run()
                } else {
                    let window = RevertWindow.find(series)
                    insert.bind(cell.testID, at: 1)
                    insert.bind(cell.component, at: 2)
                    insert.bind(cell.cell, at: 3)
                    insert.bind(day, at: 4)
                    insert.bind(window?.firstBad, at: 5)
                    insert.bind(window?.lastGood, at: 6)
                    insert.bind(cell.lastFailureAt, at: 7)
                    insert.bind(cell.samplePassPct ?? 0, at: 8)
                    insert.bind(cell.basisPassPct ?? 0, at: 9)
                    insert.bind(cell.pWorse ?? 1, at: 10)
                    insert.bind(failing, at: 11)
                    insert.bind(columns, at: 12)
                    try insert.run()
                }
            } else if let existing, cell.status != .missingSample, cell.status != .missingBasis {
                // The evidence says it recovered (a missing window says nothing: it stays open).
                let series = try payloadSeries(test: cell.testID, jobs: jobsOfCell[cell.cell] ?? [], days: sample, database: database)
                close.bind(existing.id, at: 1)
                close.bind(day, at: 2)
                close.bind(series.last?.payload, at: 3)
                try close.run()
            }
        }
    }

    /// The test's runs and passes per payload in a cell's jobs, in the order payloads first ran.
    static func payloadSeries(test: Int64, jobs: [Int64], days: Range<Day>, database: Database) throws -> [RevertWindow.Point] {
        try database.prepare(named: "createCellJobs", in: "readiness.sql").run()
        try database.prepare(named: "clearCellJobs", in: "readiness.sql").run()
        let insert = try database.prepare(named: "insertCellJob", in: "readiness.sql")
        for job in jobs {
            insert.bind(job, at: 1)
            try insert.run()
        }
        let query = try database.prepare(named: "payloadCounts", in: "readiness.sql")
        query.bind(test, at: 1)
        query.bind(days.lowerBound.description, at: 2)
        query.bind(days.upperBound.description, at: 3)
        var points: [RevertWindow.Point] = []
        while try query.step() {
            points.append(RevertWindow.Point(payload: query.text(0) ?? "", runs: Int(query.int64(2)), passes: Int(query.int64(3))))
        }
        return points
    }

    /// The newest runs of the test in the cell's jobs (set by payloadSeries) in which it failed —
    /// finally, or before a retry passed (a flake) — as a JSON array.
    static func failingRuns(test: Int64, days: Range<Day>, database: Database) throws -> String {
        let query = try database.prepare(named: "failingRuns", in: "readiness.sql")
        query.bind(test, at: 1)
        query.bind(days.lowerBound.description, at: 2)
        query.bind(days.upperBound.description, at: 3)
        var runs: [String] = []
        while try query.step() { runs.append(query.text(0) ?? "") }
        let data = (try? JSONSerialization.data(withJSONObject: runs, options: [.withoutEscapingSlashes])) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

extension Statement {
    /// The first column of the first row as text, or nil.
    func stepText() throws -> String? {
        defer { reset() }
        return try step() ? text(0) : nil
    }
}

/// Where a test went bad: the changepoint in its per-payload pass counts.
public enum RevertWindow {
    public struct Point: Sendable, Equatable {
        public var payload: String
        public var runs: Int
        public var passes: Int

        public init(payload: String, runs: Int, passes: Int) {
            self.payload = payload
            self.runs = runs
            self.passes = passes
        }
    }

    /// The split of the series into a healthier "before" and a worse "after" that best explains
    /// the counts (most likely two binomial segments); nil when there is no such split.
    public static func find(_ series: [Point]) -> (lastGood: String, firstBad: String)? {
        guard series.count >= 2 else { return nil }
        func logLikelihood(_ passes: Int, _ runs: Int) -> Double {
            guard runs > 0 else { return 0 }
            let rate = Double(passes) / Double(runs)
            var value = 0.0
            if passes > 0 { value += Double(passes) * log(rate) }
            if runs > passes { value += Double(runs - passes) * log(1 - rate) }
            return value
        }
        let totalRuns = series.reduce(0) { $0 + $1.runs }, totalPasses = series.reduce(0) { $0 + $1.passes }
        var best: (index: Int, value: Double)?
        var beforeRuns = 0, beforePasses = 0
        for index in 1..<series.count {
            beforeRuns += series[index - 1].runs
            beforePasses += series[index - 1].passes
            let afterRuns = totalRuns - beforeRuns, afterPasses = totalPasses - beforePasses
            // Only a split where the later payloads pass less is a regression.
            guard Double(afterPasses) * Double(beforeRuns) < Double(beforePasses) * Double(afterRuns) else { continue }
            let value = logLikelihood(beforePasses, beforeRuns) + logLikelihood(afterPasses, afterRuns)
            if best == nil || value > best!.value + 1e-9 { best = (index, value) }
        }
        guard let best else { return nil }
        return (series[best.index - 1].payload, series[best.index].payload)
    }
}
