import Analysis
import Configuration
import Foundation
import Ingest
import Reports
import Store

/// What a nightly run does, and with which rules.
public struct NightlyPlan: Sendable {
    public enum Kind: Sendable {
        case nightly
        case report
    }

    public var settings: Settings
    public var databasePath: String
    /// Where dated report folders and `latest` go.
    public var reportsRoot: String
    /// The report's day (the last day of the windows).
    public var asOf: Day
    /// What runs: the nightly job, or `cisignal report` (no nightly lock, no ingest, nothing
    /// announced: the next nightly digest still announces what the report recorded).
    public var kind = Kind.nightly
    public var readinessRules = ReadinessRules()
    public var aggregationRules = AggregationRules()
    /// How many of the newest payloads of the last `payloadDays` days are judged.
    public var payloadCount = 5
    public var payloadDays = 7
    public var triage = Triage()
    public var excel = false
    public var readerThreads = 2
    /// Seconds to wait for another writer (an ad-hoc `cisignal ingest`) to finish.
    public var waitSeconds = 600.0

    public init(settings: Settings, databasePath: String, reportsRoot: String, asOf: Day) {
        self.settings = settings
        self.databasePath = databasePath
        self.reportsRoot = reportsRoot
        self.asOf = asOf
    }
}

/// What a nightly run did.
public struct NightlyOutcome: Sendable {
    public struct StageTime: Sendable {
        public var stage: String
        public var seconds: Double
    }

    public var asOf: Day
    public var stages: [StageTime] = []
    public var ingest: IngestSummary?
    /// Problem lines of this run's ingest (file: reason).
    public var problemLines: [String] = []
    /// Open regressions no digest had announced: opened by this run, or recorded by a
    /// `cisignal report` or a failed nightly since the last digest.
    public var announcedRegressions: [AnnouncedRegression] = []
    /// Rejected payloads no digest had announced.
    public var announcedRejections: [(payload: String, judgement: PayloadJudgement, jobs: Int)] = []
    public var reportFolder: String = ""
    public var readinessRecorded = true

    /// True when a person should hear about this run: regressions opened, a payload was newly
    /// rejected, or the ingest had problems.
    public var isNoteworthy: Bool { !announcedRegressions.isEmpty || !announcedRejections.isEmpty || (ingest?.problems ?? 0) > 0 }

    /// The short digest cron mails: at most `maximumLines` lines.
    public func digest(maximumLines: Int = 30) -> [String] {
        var parts: [String] = []
        if !announcedRegressions.isEmpty { parts.append("\(announcedRegressions.count) new regression\(announcedRegressions.count == 1 ? "" : "s")") }
        if !announcedRejections.isEmpty { parts.append("\(announcedRejections.count) payload\(announcedRejections.count == 1 ? "" : "s") rejected") }
        if let problems = ingest?.problems, problems > 0 { parts.append("\(problems) ingest problem\(problems == 1 ? "" : "s")") }
        let lines = ["CISignal nightly \(asOf): " + (parts.isEmpty ? "nothing new" : parts.joined(separator: ", ")),
                     "report: " + (reportFolder as NSString).appendingPathComponent("summary.md")]
        var body: [String] = []
        if !announcedRejections.isEmpty {
            body.append("rejected payloads:")
            for (payload, judgement, jobs) in announcedRejections {
                body.append("- \(payload): \(judgement.regressedTests) test\(judgement.regressedTests == 1 ? "" : "s") regressed on "
                            + "\(judgement.regressedJobs) of \(jobs) jobs")
            }
        }
        if !announcedRegressions.isEmpty {
            body.append("new regressions:")
            for regression in announcedRegressions {
                let rates = regression.samplePct.map { String(format: "%.1f%% -> %.1f%%, p %.2g", regression.basisPct, $0, regression.pValue) }
                    ?? String(format: "basis %.1f%%, no runs in the sample", regression.basisPct)
                body.append("- \(regression.component) | \(regression.test) | \(regression.cell) | \(rates)"
                            + " | revert window \(regression.lastGoodPayload ?? "?") -> \(regression.firstBadPayload ?? "?")")
            }
        }
        if !problemLines.isEmpty {
            body.append("ingest problems:")
            body += problemLines.map { "- " + $0 }
        }
        let room = maximumLines - lines.count
        if body.count > room {
            body = Array(body.prefix(room - 1)) + ["… \(body.count - room + 1) more lines: see the report"]
        }
        // One line each, and no control characters from test names.
        return (lines + body).map { line in
            String(line.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : Character($0) })
        }
    }
}

/// A regression as a digest announces it.
public struct AnnouncedRegression: Sendable, Equatable {
    public var id: Int64
    public var test: String
    public var component: String
    public var cell: String
    /// The basis pass % it is compared with, and today's sample pass % (nil: no runs today).
    public var basisPct: Double
    public var samplePct: Double?
    public var pValue: Double
    public var lastGoodPayload: String?
    public var firstBadPayload: String?
}

/// The nightly job.
public enum NightlyPipeline {
    /// Runs the plan under the nightly lock; every stage's time and result goes to `log`.
    public static func run(_ plan: NightlyPlan, templates: ReportTemplates, log: NightlyLog,
                           clock: @escaping @Sendable () -> Date = { Date() }) throws -> NightlyOutcome {
        // Two nightlies never overlap: the second stops at once. (A report does not take this lock:
        // it and a nightly take turns on the writer lock below.)
        var nightlyLock: WriterLock?
        if plan.kind == .nightly {
            do {
                nightlyLock = try WriterLock(databasePath: plan.databasePath, timeoutSeconds: 0, suffix: ".nightly.lock")
            } catch let StoreError.busy(_, holder) {
                throw NightlyError.alreadyRunning(lock: plan.databasePath + ".nightly.lock", holder: holder)
            }
            if plan.settings.roots.isEmpty { throw NightlyError.noRoots }
        }
        defer { withExtendedLifetime(nightlyLock) {} }

        log.write("nightly start: as of \(plan.asOf), database \(plan.databasePath), reports \(plan.reportsRoot)")
        var outcome = NightlyOutcome(asOf: plan.asOf)
        let started = Date()
        let job = plan.kind == .nightly ? "nightly" : "report"
        func stage<T>(_ name: String, _ body: () throws -> T) throws -> T {
            let start = Date()
            do {
                let value = try body()
                let seconds = Date().timeIntervalSince(start)
                outcome.stages.append(.init(stage: name, seconds: seconds))
                return value
            } catch {
                log.write("stage \(name) failed after \(String(format: "%.2f", Date().timeIntervalSince(start))) s: \(error)")
                throw NightlyError.stageFailed(job: job, stage: name, reason: "\(error)")
            }
        }
        func logged(_ name: String, _ detail: String) {
            log.write(String(format: "stage %@ %.2f s: %@", name, outcome.stages.last?.seconds ?? 0, detail))
        }

        let writer: WriterLock
        do {
            writer = try WriterLock(databasePath: plan.databasePath, timeoutSeconds: plan.waitSeconds)
        } catch {
            log.write("cannot take the database: \(error)")
            throw NightlyError.stageFailed(job: job, stage: "lock", reason: "\(error)")
        }
        defer { withExtendedLifetime(writer) {} }
        let database = try stage("open") { try Database(path: plan.databasePath) }

        // 1. Ingest.
        if plan.kind == .nightly {
            var options = IngestOptions(roots: plan.settings.roots)
            options.readerThreads = plan.readerThreads
            options.payloadSources = plan.settings.payloadSources
            nonisolated(unsafe) var problems: [String] = []
            let events = IngestEvents(problem: { problem in problems.append(problem.description) })
            let summary = try stage("ingest") { try Ingestor(options: options).run(into: database, events: events, clock: clock) }
            outcome.ingest = summary
            outcome.problemLines = Array(problems.prefix(10))
            for line in problems { log.write("problem: " + line) }
            // The stage's own time is logged; the summary's time line is left out.
            logged("ingest", summary.lines.filter { !$0.hasPrefix("time:") }.joined(separator: "; "))
        }

        // 2. Rollup.
        let rollup = try stage("rollup") { try Rollup(rules: plan.settings).run(on: database, asOf: plan.asOf, clock: clock) }
        logged("rollup", "\(rollup.daysRecomputed.count) days recomputed")

        // 3. Readiness and regressions.
        let sample = plan.asOf.adding(days: -6)..<plan.asOf.adding(days: 1)
        let basis = sample.lowerBound.adding(days: -28)..<sample.lowerBound
        let readiness: ReadinessReport = try stage("readiness") {
            do {
                return try Readiness.run(on: database, sample: sample, basis: basis, rules: plan.readinessRules, record: true)
            } catch ReadinessError.backDated(let asOf, let recorded) {
                // A report for an earlier day than the regressions were recorded for: look, do not rewrite.
                log.write("readiness as of \(asOf) not recorded: regressions are recorded up to \(recorded)")
                outcome.readinessRecorded = false
                return try Readiness.run(on: database, sample: sample, basis: basis, rules: plan.readinessRules, record: false)
            }
        }
        let open = try RegressionLog.open(on: database).filter { $0.status == "open" }
        logged("readiness", "\(readiness.cellsTested) cells tested, \(readiness.cells.filter { $0.status.isRegression }.count) regressed, "
               + "\(open.count) open")

        // 4. Payload verdicts.
        let payloadDays = plan.asOf.adding(days: -(plan.payloadDays - 1))..<plan.asOf.adding(days: 1)
        let judged: [(payload: RecentPayload, aggregation: PayloadAggregation?)] = try stage("payloads") {
            let payloads = try ReportHistory.recentPayloads(on: database, days: payloadDays, limit: plan.payloadCount)
            var judged: [(payload: RecentPayload, aggregation: PayloadAggregation?)] = []
            try database.inTransaction {
                for payload in payloads {
                    let aggregation = try PayloadAggregation.run(payload: payload.tag, rules: plan.aggregationRules, on: database)
                    guard aggregation.jobs > 0 else {
                        judged.append((payload, nil))
                        continue
                    }
                    try ReportHistory.record(aggregation, day: plan.asOf, on: database)
                    judged.append((payload, aggregation))
                }
            }
            return judged
        }
        logged("payloads", judged.map { "\($0.payload.tag) " + ($0.aggregation.map { PayloadJudgement($0).verdict } ?? "no runs") }
            .joined(separator: ", "))

        // 5. Report.
        let folder: String = try stage("report") {
            let now = Int64(clock().timeIntervalSince1970)
            let inputs = ReportInputs(asOf: plan.asOf, readiness: readiness, payloads: judged, aggregationRules: plan.aggregationRules,
                                      triage: plan.triage, roots: plan.settings.roots, now: now)
            let parts = try ReportBuilder.build(inputs, on: database)
            let files = try ReportRenderer.files(parts, templates: templates, excel: plan.excel)
            let folder = try ReportFolder.write(files, day: plan.asOf.description, root: plan.reportsRoot)
            try ReportHistory.recordReport(day: plan.asOf, folder: folder, writtenAt: now, on: database)
            return folder
        }
        outcome.reportFolder = folder
        logged("report", folder)

        // 6. What the digest announces: what no digest has announced yet, recorded as announced
        // only now that the report is written (a nightly that failed before announces it next time).
        if plan.kind == .nightly {
            try stage("announce") {
                let cells = Dictionary(readiness.cells.map { ($0.test + "\u{1F}" + $0.cell, $0) }, uniquingKeysWith: { a, _ in a })
                let tracked = Dictionary(open.map { ($0.test + "\u{1F}" + $0.cell, $0) }, uniquingKeysWith: { a, _ in a })
                for (id, test, cellName) in try ReportHistory.unannouncedRegressions(on: database) {
                    guard let regression = tracked[test + "\u{1F}" + cellName] else { continue }
                    let cell = cells[test + "\u{1F}" + cellName]
                    outcome.announcedRegressions.append(AnnouncedRegression(
                        id: id, test: test, component: regression.component, cell: cellName,
                        basisPct: cell?.basisPassPct ?? regression.basisPassPct, samplePct: cell?.samplePassPct,
                        pValue: cell?.pWorse ?? regression.pValue, lastGoodPayload: regression.lastGoodPayload,
                        firstBadPayload: regression.firstBadPayload))
                }
                let aggregations = Dictionary(judged.compactMap { $0.aggregation.map { ($0.payload, $0) } }, uniquingKeysWith: { a, _ in a })
                for payload in try ReportHistory.unannouncedRejections(on: database, asOf: plan.asOf) {
                    // Payloads no longer among the recent ones are judged again for the digest's counts.
                    let aggregation = try aggregations[payload] ?? PayloadAggregation.run(payload: payload, rules: plan.aggregationRules, on: database)
                    outcome.announcedRejections.append((payload, PayloadJudgement(aggregation), aggregation.jobs))
                }
                try ReportHistory.markAnnounced(payloads: outcome.announcedRejections.map(\.payload),
                                                regressions: outcome.announcedRegressions.map(\.id), day: plan.asOf, on: database)
            }
            logged("announce", "\(outcome.announcedRegressions.count) regressions, \(outcome.announcedRejections.count) rejected payloads")
        }
        log.write(String(format: "nightly done in %.2f s: ", Date().timeIntervalSince(started))
                  + outcome.stages.map { String(format: "%@ %.2f s", $0.stage, $0.seconds) }.joined(separator: ", "))
        return outcome
    }
}
