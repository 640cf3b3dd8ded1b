import Analysis
import Configuration
import Foundation
import Reports
import Simulation
import Store

/// What `cisignal demo` builds.
public struct DemoPlan: Sendable {
    /// The folder everything goes to: artifacts/, cisignal.sqlite, reports/, cisignal.yaml, triage.yaml.
    public var folder: String
    public var seed: UInt64 = 7
    /// The last simulated day: the last night's report day.
    public var endDate = "2026-11-20"
    /// Nightly runs replayed, one per day, ending at `endDate`.
    public var nights = 3

    public init(folder: String) { self.folder = folder }

    /// The simulated world: 36 days (a 28-day basis and a 7-day sample, and one more), 8 jobs
    /// with 6 runs a day (the fewest a payload verdict judges), 150 tests, injected regressions
    /// and flaky tests, two corrupt files.
    public var simulation: SimulationOptions {
        var options = SimulationOptions()
        options.seed = seed
        options.days = 36
        options.jobs = 8
        options.runsPerDay = 6
        options.tests = 150
        options.endDate = endDate
        options.regressions = 6
        options.componentRegressions = 1
        options.presubmits = 4
        options.corruptFiles = 2
        return options
    }
}

/// `cisignal demo`: a small simulated world, and the nightly job run on it for a few nights.
public enum Demo {
    /// Simulates the world and runs the nightly for each night, each with a clock at 04:00 UTC the
    /// next morning (so the output depends on the seed and date only). After the second-to-last
    /// night the first open regression is triaged in `triage.yaml`, to show how triage appears.
    public static func run(_ plan: DemoPlan, templates: ReportTemplates, progress: (String) -> Void = { _ in })
        throws -> (outcome: NightlyOutcome, reportsRoot: String) {
        let folder = URL(fileURLWithPath: plan.folder).standardizedFileURL.path
        let artifacts = folder + "/artifacts", reports = folder + "/reports", database = folder + "/cisignal.sqlite"
        progress("simulating a world into \(artifacts)")
        try Simulator.prepareOutput(path: artifacts, force: false)
        _ = try Simulator.run(options: plan.simulation, path: artifacts)
        var settings = Settings.defaults
        settings.roots = [artifacts]
        settings.database = database
        settings.reports = reports
        // Owning teams, as a site's cisignal.yaml would name them (components.owners).
        settings.componentRules.owners = ["sig-network": "Networking", "sig-storage": "Storage", "sig-auth": "Auth",
                                          "sig-node": "Node", "sig-apps": "Workloads", "sig-api-machinery": "API Server",
                                          "sig-instrumentation": "Monitoring", "sig-cli": "CLI"]
        let owners = settings.componentRules.owners.sorted { $0.key < $1.key }.map { "\(quoted($0.key)): \(quoted($0.value))" }
        let yaml = "# Written by `cisignal demo`: run `cisignal nightly --config \(folder)/cisignal.yaml` to go on.\n"
            + "roots: [\(quoted(artifacts))]\ndatabase: \(quoted(database))\nreports: \(quoted(reports))\n"
            + "components:\n  owners: {\(owners.joined(separator: ", "))}\n"
        try yaml.write(toFile: folder + "/cisignal.yaml", atomically: true, encoding: .utf8)

        guard let end = Day(plan.endDate) else { throw NightlyError.stageFailed(job: "demo", stage: "setup", reason: "bad end date \(plan.endDate)") }
        let log = try NightlyLog(path: reports + "/nightly.log")
        var last: NightlyOutcome?
        var triage = Triage()
        for night in stride(from: plan.nights - 1, through: 0, by: -1) {
            let day = end.adding(days: -night)
            let morning = Date(timeIntervalSince1970: TimeInterval(day.adding(days: 1).startUnixSeconds + 4 * 3600))
            progress("nightly as of \(day)")
            var nightly = NightlyPlan(settings: settings, databasePath: database, reportsRoot: reports, asOf: day)
            nightly.triage = triage
            nightly.waitSeconds = 0
            nightly.payloadCount = 3
            last = try NightlyPipeline.run(nightly, templates: templates, log: log, clock: { morning })
            if night == 1, let first = try openRegressions(database).first {
                let entry = TriageEntry(test: first.test, cell: first.cell, bug: "https://issues.example.com/browse/DEMO-101",
                                        owner: first.component, note: "demo: triaged after the second night")
                triage = Triage(entries: [entry])
                let text = "# Written by `cisignal demo`: one triaged regression.\n- test: \(quoted(entry.test))\n  cell: \(quoted(first.cell))\n"
                    + "  bug: \(entry.bug)\n  owner: \(quoted(first.component))\n  note: \(quoted(entry.note ?? ""))\n"
                try text.write(toFile: folder + "/triage.yaml", atomically: true, encoding: .utf8)
            }
        }
        return (last!, reports)
    }

    static func openRegressions(_ path: String) throws -> [TrackedRegression] {
        let database = try Database(path: path)
        return try RegressionLog.open(on: database).filter { $0.status == "open" }
    }

    /// A YAML double-quoted scalar.
    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
