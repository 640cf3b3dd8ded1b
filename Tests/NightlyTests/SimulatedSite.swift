import Configuration
import Foundation
import Simulation
import TestSupport

/// A small simulated CI site for the nightly tests: artifacts, a configuration naming them, and
/// where the database, reports and log go.
final class SimulatedSite {
    let dir = TemporaryDirectory("nightly")
    var artifacts: String { dir.file("artifacts") }
    var database: String { dir.file("cisignal.sqlite") }
    var reports: String { dir.file("reports") }
    var config: String { dir.file("cisignal.yaml") }
    static let lastDay = "2026-11-20"

    init(seed: UInt64 = 3, runsPerDay: Int = 6, jobs: Int = 4, tests: Int = 60) throws {
        var options = SimulationOptions()
        options.seed = seed
        options.days = 36
        options.jobs = jobs
        options.runsPerDay = runsPerDay
        options.tests = tests
        options.regressions = 3
        options.componentRegressions = 0
        options.presubmits = 0
        options.batches = 0
        options.corruptFiles = 1
        options.endDate = Self.lastDay
        try Simulator.prepareOutput(path: artifacts, force: false)
        _ = try Simulator.run(options: options, path: artifacts)
        try "roots: [\"\(artifacts)\"]\ndatabase: \"\(database)\"\nreports: \"\(reports)\"\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
    }

    var settings: Settings {
        var settings = Settings.defaults
        settings.roots = [artifacts]
        settings.database = database
        settings.reports = reports
        return settings
    }
}
