import Analysis
import Configuration
import Foundation
import Store

/// What a report is made from, besides the database: the results the nightly computed.
public struct ReportInputs: Sendable {
    /// The report's day.
    public var asOf: Day
    /// Today's component readiness.
    public var readiness: ReadinessReport
    /// Verdicts on the recent payloads, newest first.
    public var payloads: [(payload: RecentPayload, aggregation: PayloadAggregation?)]
    public var aggregationRules: AggregationRules
    public var triage: Triage
    /// Artifact roots: problem paths are shown relative to them.
    public var roots: [String]
    /// The time the report is written (unix seconds).
    public var now: Int64

    public init(asOf: Day, readiness: ReadinessReport, payloads: [(payload: RecentPayload, aggregation: PayloadAggregation?)],
                aggregationRules: AggregationRules, triage: Triage, roots: [String], now: Int64) {
        self.asOf = asOf
        self.readiness = readiness
        self.payloads = payloads
        self.aggregationRules = aggregationRules
        self.triage = triage
        self.roots = roots
        self.now = now
    }
}

/// A report before it is rendered: the summary's content, the charts (SVG by file name) and the
/// CSV tables (by file name).
public struct ReportParts: Sendable {
    public var content: ReportContent
    public var charts: [String: String]
    public var tables: [String: ResultTable]
}

/// Gathers a report from the database and the nightly's results.
public enum ReportBuilder {
    /// Rows shown in the summary's lists (the CSV files hold them all).
    public static let listLimit = 10

    public static func build(_ inputs: ReportInputs, on database: Database) throws -> ReportParts {
        let asOf = inputs.asOf
        let previous = try ReportHistory.previousReport(on: database, before: asOf)
        let since = previous?.day ?? asOf.adding(days: -1)

        // Regressions: new, ongoing and resolved since the previous report.
        let history = try regressionHistory(on: database, since: since, asOf: asOf)
        let cells = Dictionary(inputs.readiness.cells.map { ($0.test + "\u{1F}" + $0.cell, $0) }, uniquingKeysWith: { a, _ in a })
        func row(_ regression: HistoryRow) -> ReportContent.RegressionRow {
            let cell = cells[regression.test + "\u{1F}" + regression.cell]
            let entry = inputs.triage.entry(test: regression.test, cell: regression.cell)
            var triage = "untriaged"
            if let entry {
                triage = "triaged: " + Markdown.link(entry.bug, to: entry.bug)
                if let owner = entry.owner, !owner.isEmpty { triage += " (" + Markdown.text(owner) + ")" }
                if let note = entry.note, !note.isEmpty { triage += " — " + Markdown.text(note) }
            }
            let window: String
            switch (regression.lastGoodPayload, regression.firstBadPayload) {
            case let (good?, bad?): window = Markdown.text(good) + " → " + Markdown.text(bad)
            case let (nil, bad?): window = "(none healthy in the windows) → " + Markdown.text(bad)
            default: window = "unknown"
            }
            return ReportContent.RegressionRow(
                test: Markdown.text(regression.test), component: Markdown.text(regression.component),
                owner: Markdown.text(regression.owner.isEmpty ? "—" : regression.owner),
                variant: Markdown.text(regression.cell),
                status: cell.map { $0.status.rawValue + (ReadinessTable.keptOpenNote($0).map { " (\($0))" } ?? "") }
                    ?? regression.status,
                basis: cell.map { counts($0.basisPasses, $0.basisRuns) } ?? percent(regression.basisPassPct),
                sample: cell.map { counts($0.samplePasses, $0.sampleRuns) } ?? "no runs",
                pValue: pValue(cell?.pWorse ?? regression.pValue),
                opened: Markdown.text(regression.openedDay), revertWindow: window, triage: triage,
                closed: Markdown.text(regression.closedDay ?? ""), lastSeen: Markdown.text(regression.lastSeenDay))
        }
        // As of the report's day: a regression closed after it was still open then.
        let openThen = history.filter { $0.status == "open" || ($0.closedDay ?? "") > asOf.description }
        let new = openThen.filter { $0.openedDay > since.description }
        let ongoing = openThen.filter { $0.openedDay <= since.description }
        let resolved = history.filter { $0.status == "closed" && ($0.closedDay ?? "") <= asOf.description }

        // Payload verdicts.
        let payloadRows = inputs.payloads.map { item -> ReportContent.PayloadRow in
            let judgement = item.aggregation.map(PayloadJudgement.init)
            let verdict: String
            switch judgement?.verdict {
            case "rejected"?: verdict = "REJECTED"
            case "accepted"?: verdict = "accepted (\(judgement!.judgedJobs) of \(item.aggregation!.jobs) jobs judged)"
            case "not-judged"?: verdict = "not judged: too few runs"
            default: verdict = "not judged: no runs"
            }
            return ReportContent.PayloadRow(payload: Markdown.text(item.payload.tag), firstRunAt: item.payload.firstRunAt,
                                            jobs: item.payload.jobs, runs: item.payload.runs, verdict: verdict,
                                            regressedTests: judgement?.regressedTests ?? 0)
        }
        let lastGood = try ReportHistory.lastGoodPayload(on: database, asOf: asOf)
        var headline = "No payloads in the last days."
        if let latest = inputs.payloads.first {
            let tag = Markdown.text(latest.payload.tag)
            if let aggregation = latest.aggregation {
                let judgement = PayloadJudgement(aggregation)
                let informing = judgement.informingRegressions > 0
                    ? " \(judgement.informingRegressions) informing test regression\(judgement.informingRegressions == 1 ? "" : "s") (not blocking)."
                    : ""
                switch judgement.verdict {
                case "rejected":
                    headline = "Latest payload \(tag) was **REJECTED**: \(judgement.regressedTests) test\(judgement.regressedTests == 1 ? "" : "s") "
                        + "regressed on \(judgement.regressedJobs) of \(aggregation.jobs) jobs.\(informing)"
                case "accepted":
                    headline = "Latest payload \(tag) was **accepted**: no blocking regression in \(judgement.judgedPairs) test results "
                        + "judged on \(judgement.judgedJobs) of \(aggregation.jobs) jobs.\(informing)"
                default:
                    headline = "Latest payload \(tag) was **not judged**: no test had the \(inputs.aggregationRules.minimumAttempts) "
                        + "attempts on one job that the rules need."
                }
            } else {
                headline = "Latest payload \(tag) was **not judged**: no runs."
            }
        }
        let verdict = ReportContent.Verdict(
            headline: headline, lastGoodPayload: lastGood.map(Markdown.text) ?? "none accepted yet",
            payloads: payloadRows, hasPayloads: !payloadRows.isEmpty,
            newCount: new.count, ongoingCount: ongoing.count, resolvedCount: resolved.count,
            rules: Markdown.text(inputs.aggregationRules.description))

        // Readiness grid: components × cells, the worst status of each.
        let readiness = readinessSection(inputs.readiness)

        // Rates.
        let testRates = try RateQuery.tests.run(RateFilter(), on: database)
        let jobRates = try RateQuery.jobs.run(RateFilter(), on: database)
        let componentRates = try RateQuery.components.run(RateFilter(), on: database)
        let flaky = try RateQuery.flaky.run(RateFilter(), on: database)
        let windows = try RateQuery.windows(on: database)
        let currentDays = window(windows["current"])
        // One scale for every trend, so bars compare across rows.
        let flakySeries = try flaky.rows.prefix(listLimit).map { row in
            try dailySeries("testDailyFlakes", name: text(row, flaky, "name"), days: currentDays, on: database).map { $0.map { $0 * 100 } }
        }
        let flakyScale = max(flakySeries.flatMap { $0.compactMap { $0 } }.max() ?? 0, 1)
        let flakyRows = zip(flaky.rows.prefix(listLimit), flakySeries).map { row, series -> ReportContent.FlakyRow in
            let name = text(row, flaky, "name")
            return ReportContent.FlakyRow(
                test: Markdown.text(name), component: Markdown.text(text(row, flaky, "component")),
                soleFailures: int(row, flaky, "sole_failures"), flakes: int(row, flaky, "flakes"), runs: int(row, flaky, "runs"),
                flakePct: percent(number(row, flaky, "flake_pct")), trend: Sparkline.render(series, maximum: flakyScale))
        }
        func jobRow(_ row: [Cell]) -> ReportContent.JobRow {
            ReportContent.JobRow(job: Markdown.text(text(row, jobRates, "name")), runs: int(row, jobRates, "runs"),
                                 passPct: percent(number(row, jobRates, "pass_pct")),
                                 previousPassPct: percent(number(row, jobRates, "previous_pass_pct")),
                                 change: points(number(row, jobRates, "pass_pct_change")), infraFailed: int(row, jobRates, "infra_failed"))
        }
        let worstJobRows = jobRates.rows.filter { number($0, jobRates, "pass_pct") != nil }.prefix(listLimit)
        let movers = jobRates.rows.filter { (number($0, jobRates, "pass_pct_change") ?? 0) != 0 }
            .sorted { abs(number($0, jobRates, "pass_pct_change")!) > abs(number($1, jobRates, "pass_pct_change")!) }
            .prefix(5)

        // Charts: pass rate per day over the basis and sample windows.
        var charts: [String: String] = [:]
        var chartLinks: [ReportContent.ChartLink] = []
        let chartDays = Array(days(inputs.readiness.basis.lowerBound..<inputs.readiness.sample.upperBound))
        let regressedComponents = Array(Set(inputs.readiness.cells.filter { $0.status.isRegression }.map(\.component))).sorted()
        for component in regressedComponents.prefix(6) {
            let series = try dailySeries("componentDailyPassRates", name: component, days: chartDays, on: database)
            let chart = LineChart(title: "Pass rate per day: \(component)", days: chartDays.map(\.description),
                                  series: [.init(name: component, values: series.map { $0.map { $0 * 100 } })])
            var file = "charts/component-\(slug(component)).svg"
            var suffix = 2
            while charts[file] != nil {
                file = "charts/component-\(slug(component))-\(suffix).svg"
                suffix += 1
            }
            charts[file] = chart.svg()
            chartLinks.append(.init(title: Markdown.text("Component \(component)"), file: file,
                                    alt: Markdown.text("pass rate per day of \(component)")))
        }
        let worstJobNames = worstJobRows.prefix(3).map { text($0, jobRates, "name") }
        if !worstJobNames.isEmpty {
            var lines: [LineChart.Series] = []
            for name in worstJobNames {
                let series = try dailySeries("jobDailyPassRates", name: name, days: chartDays, on: database)
                lines.append(.init(name: name, values: series.map { $0.map { $0 * 100 } }))
            }
            let file = "charts/worst-jobs.svg"
            charts[file] = LineChart(title: "Job pass rate per day: the worst jobs", days: chartDays.map(\.description), series: lines).svg()
            chartLinks.append(.init(title: "The worst jobs", file: file, alt: "pass rate per day of the three worst jobs"))
        }

        // Ingest health since the previous report.
        let ingest = try ingestSection(since: previous?.writtenAt ?? 0, until: inputs.now + 1, roots: inputs.roots, on: database)

        // The CSV tables.
        let regressionTable = regressionsTable(history, cells: cells, triage: inputs.triage, since: since)
        var verdictRows: [[Cell]] = []
        for item in inputs.payloads {
            guard let aggregation = item.aggregation else { continue }
            for row in aggregation.table.rows { verdictRows.append([.text(item.payload.tag)] + row) }
        }
        let verdictColumns = ["payload"] + (inputs.payloads.compactMap(\.aggregation).first?.table.columns ?? PayloadAggregation.columns)
        let tables: [String: ResultTable] = [
            "tests.csv": testRates,
            "jobs.csv": jobRates,
            "components.csv": componentRates,
            "flaky-tests.csv": flaky,
            "readiness-cells.csv": ReadinessTable.cells(inputs.readiness, regressions: try RegressionLog.open(on: database, closedOn: asOf.description),
                                                        triage: inputs.triage),
            "regressions.csv": regressionTable,
            "payload-verdicts.csv": ResultTable(columns: verdictColumns, rows: verdictRows),
            "ingest-problems.csv": ingest.table,
        ]
        let csvFiles = ReportCSV.files.map { ReportContent.FileLink(title: $0.title, file: $0.name) }

        let currentWindow = windows["current"], previousWindow = windows["previous"]
        let rateWindows = "\(currentWindow?.start ?? "?")..\(lastDay(currentWindow?.end)) against \(previousWindow?.start ?? "?")..\(lastDay(previousWindow?.end))"
        let content = ReportContent(
            asOf: asOf.description, since: since.description, firstReport: previous == nil, verdict: verdict, readiness: readiness,
            newRegressions: new.map(row), ongoingRegressions: ongoing.map(row), resolvedRegressions: resolved.map(row),
            flakyTests: flakyRows, worstJobs: worstJobRows.map(jobRow), jobMovers: movers.map(jobRow), ingest: ingest.section,
            charts: chartLinks, csvFiles: csvFiles,
            hasNewRegressions: !new.isEmpty, hasOngoingRegressions: !ongoing.isEmpty, hasResolvedRegressions: !resolved.isEmpty,
            hasFlakyTests: !flakyRows.isEmpty, hasWorstJobs: !worstJobRows.isEmpty, hasJobMovers: !movers.isEmpty,
            hasCharts: !chartLinks.isEmpty, rateWindows: rateWindows, trendScale: String(format: "%.1f%%", flakyScale),
            currentWindow: "\(currentWindow?.start ?? "?")..\(lastDay(currentWindow?.end))")
        return ReportParts(content: content, charts: charts, tables: tables)
    }

    // MARK: - Sections

    static func readinessSection(_ report: ReadinessReport) -> ReportContent.ReadinessSection {
        let (columns, worst) = ReadinessTable.grid(report)
        // Components with a regression first, then by name.
        let components = worst.keys.sorted { a, b in
            let (x, y) = (worst[a]!.values.map(\.severity).max() ?? 0, worst[b]!.values.map(\.severity).max() ?? 0)
            return x != y ? x > y : a < b
        }
        let rows = components.map { component in
            ReportContent.GridRow(component: Markdown.text(component), cells: columns.map { column in
                worst[component]?[column].map { Markdown.text(ReadinessTable.symbol($0)) } ?? ""
            })
        }
        // Headers show the values only; the keys are stated once.
        let headers = columns.map { cell in
            Markdown.text(cell.split(separator: " ").map { $0.split(separator: "=", maxSplits: 1).last.map(String.init) ?? "" }.joined(separator: " "))
        }
        let last = report.sample.upperBound.adding(days: -1), basisLast = report.basis.upperBound.adding(days: -1)
        return ReportContent.ReadinessSection(
            sample: "\(report.sample.lowerBound)..\(last)", basis: "\(report.basis.lowerBound)..\(basisLast)",
            columns: Markdown.text(report.rules.columns.joined(separator: ", ")), gridColumns: headers, gridRows: rows,
            hasGrid: !rows.isEmpty,
            legend: Markdown.text("XX extreme regression, X significant regression, ?b missing basis, ?s missing sample, ok not significant, + significant improvement"),
            rules: Markdown.text(report.rulesDescription), cellsTested: report.cellsTested,
            expectedFalseAlarms: String(format: "%.1f", report.expectedFalseAlarms),
            regressedCells: report.cells.filter { $0.status.isRegression }.count)
    }

    struct HistoryRow {
        var test: String, component: String, owner: String, cell: String, status: String, openedDay: String
        var firstBadPayload: String?, lastGoodPayload: String?, lastSeenDay: String, lastFailureAt: String?
        var closedDay: String?, closedPayload: String?, worstPassPct: Double, basisPassPct: Double, pValue: Double
        var failingRuns: String
    }

    static func regressionHistory(on database: Database, since: Day, asOf: Day) throws -> [HistoryRow] {
        let query = try database.prepare(named: "regressionHistory", in: "report.sql")
        query.bind(since.description, at: 1)
        query.bind(asOf.description, at: 2)
        var rows: [HistoryRow] = []
        while try query.step() {
            rows.append(HistoryRow(
                test: query.text(1) ?? "", component: query.text(2) ?? "", owner: query.text(3) ?? "", cell: query.text(4) ?? "",
                status: query.text(5) ?? "", openedDay: query.text(6) ?? "", firstBadPayload: query.text(7),
                lastGoodPayload: query.text(8), lastSeenDay: query.text(9) ?? "", lastFailureAt: query.text(10),
                closedDay: query.text(11), closedPayload: query.text(12), worstPassPct: query.double(13),
                basisPassPct: query.double(14), pValue: query.double(15), failingRuns: query.text(16) ?? "[]"))
        }
        return rows
    }

    static func regressionsTable(_ history: [HistoryRow], cells: [String: ReadinessCell], triage: Triage, since: Day) -> ResultTable {
        let rows: [[Cell]] = history.map { regression in
            let cell = cells[regression.test + "\u{1F}" + regression.cell]
            let entry = triage.entry(test: regression.test, cell: regression.cell)
            let change = regression.status == "closed" ? "resolved" : (regression.openedDay > since.description ? "new" : "ongoing")
            func optional(_ value: String?) -> Cell { value.map(Cell.text) ?? .null }
            func count(_ value: Int?) -> Cell { value.map { .integer(Int64($0)) } ?? .null }
            let runs = ((try? JSONSerialization.jsonObject(with: Data(regression.failingRuns.utf8))) as? [String]) ?? []
            return [
                .text(change), .text(regression.test), .text(regression.component), .text(regression.owner), .text(regression.cell),
                .text(regression.status), cell.map { .text($0.status.rawValue) } ?? .null,
                count(cell?.basisRuns), count(cell?.basisPasses), cell?.basisPassPct.map(Cell.number) ?? .null,
                .number(regression.basisPassPct),
                count(cell?.sampleRuns), count(cell?.samplePasses), cell?.samplePassPct.map(Cell.number) ?? .null,
                .number(regression.worstPassPct), cell?.pWorse.map(Cell.number) ?? .null, .number(regression.pValue),
                .text(regression.openedDay), optional(regression.lastGoodPayload), optional(regression.firstBadPayload),
                .text(regression.lastSeenDay), optional(regression.lastFailureAt), optional(regression.closedDay),
                optional(regression.closedPayload), optional(entry?.bug), optional(entry?.owner), optional(entry?.note),
                .text(runs.joined(separator: " ")),
            ]
        }
        return ResultTable(columns: ReportCSV.regressionColumns, rows: rows)
    }

    static func ingestSection(since: Int64, until: Int64, roots: [String], on database: Database)
        throws -> (section: ReportContent.IngestSection, table: ResultTable) {
        let health = try database.prepare(named: "ingestHealth", in: "report.sql")
        health.bind(since, at: 1)
        health.bind(until, at: 2)
        _ = try health.step()
        let runsLoaded = Int(health.int64(1)), results = Int(health.int64(2)), lastStatus = health.text(4) ?? "no ingest yet"
        let inDatabase = Int(health.int64(5))
        health.reset()
        let problems = try database.prepare(named: "ingestProblems", in: "report.sql")
        problems.bind(since, at: 1)
        problems.bind(until, at: 2)
        var rows: [[Cell]] = []
        while try problems.step() {
            let path = relative(problems.text(2) ?? "", to: roots)
            rows.append([.text(problems.text(0) ?? ""), .text(problems.text(1) ?? ""), .text(path),
                         .text(problems.text(3) ?? ""), .integer(problems.int64(4))])
        }
        let shown = rows.prefix(listLimit).map { row -> String in
            guard case let .text(kind) = row[1], case let .text(path) = row[2], case let .text(reason) = row[3] else { return "" }
            return Markdown.text("\(path): \(kind): \(reason)")
        }
        let section = ReportContent.IngestSection(
            runsLoaded: runsLoaded, resultsLoaded: results, runsInDatabase: inDatabase, problems: rows.count,
            hasProblems: !rows.isEmpty, problemLines: shown, moreProblems: max(0, rows.count - shown.count),
            hasMoreProblems: rows.count > shown.count, lastStatus: Markdown.text(lastStatus))
        return (section, ResultTable(columns: ReportCSV.problemColumns, rows: rows))
    }

    // MARK: - Helpers

    /// Per day of `days`, the ratio (passes / runs, or flakes / runs) of a named series; nil where no runs.
    static func dailySeries(_ queryName: String, name: String, days: [Day], on database: Database) throws -> [Double?] {
        guard let first = days.first, let last = days.last else { return [] }
        let query = try database.prepare(named: queryName, in: "report.sql")
        query.bind(first.description, at: 1)
        query.bind(last.adding(days: 1).description, at: 2)
        query.bind(name, at: 3)
        var values: [String: Double] = [:]
        while try query.step() {
            let runs = query.int64(1)
            if runs > 0 { values[query.text(0) ?? ""] = Double(query.int64(2)) / Double(runs) }
        }
        query.reset()
        return days.map { values[$0.description] }
    }

    static func days(_ range: Range<Day>) -> [Day] {
        var out: [Day] = []
        var day = range.lowerBound
        while day < range.upperBound {
            out.append(day)
            day = day.adding(days: 1)
        }
        return out
    }

    static func window(_ window: (asOf: String, start: String, end: String)?) -> [Day] {
        guard let window, let start = Day(window.start), let end = Day(window.end), start < end else { return [] }
        return days(start..<end)
    }

    static func lastDay(_ end: String?) -> String { end.flatMap(Day.init).map { $0.adding(days: -1).description } ?? "?" }

    /// A file name part made of lowercase letters, digits and dashes only: never a path.
    static func slug(_ text: String) -> String {
        var out = ""
        for scalar in text.lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) { out.unicodeScalars.append(scalar) } else if !out.hasSuffix("-") { out += "-" }
        }
        out = String(out.trimmingCharacters(in: CharacterSet(charactersIn: "-")).prefix(60))
        return out.isEmpty ? "unnamed" : out
    }

    static func relative(_ path: String, to roots: [String]) -> String {
        for root in roots.sorted(by: { $0.count > $1.count }) {
            let prefix = root.hasSuffix("/") ? root : root + "/"
            if path.hasPrefix(prefix) { return String(path.dropFirst(prefix.count)) }
        }
        return path
    }

    static func counts(_ passes: Int, _ runs: Int) -> String {
        runs > 0 ? String(format: "%.1f%% (%d/%d)", 100 * Double(passes) / Double(runs), passes, runs) : "no runs"
    }

    static func percent(_ value: Double?) -> String { value.map { String(format: "%.1f%%", $0) } ?? "—" }

    static func points(_ value: Double?) -> String { value.map { String(format: "%+.1f", $0) } ?? "—" }

    static func pValue(_ value: Double) -> String { value < 0.001 ? String(format: "%.1e", value) : String(format: "%.3f", value) }

    static func text(_ row: [Cell], _ table: ResultTable, _ column: String) -> String {
        guard let index = table.column(column), case let .text(value) = row[index] else { return "" }
        return value
    }

    static func int(_ row: [Cell], _ table: ResultTable, _ column: String) -> Int {
        guard let index = table.column(column), case let .integer(value) = row[index] else { return 0 }
        return Int(value)
    }

    static func number(_ row: [Cell], _ table: ResultTable, _ column: String) -> Double? {
        guard let index = table.column(column) else { return nil }
        return row[index].numeric
    }
}
