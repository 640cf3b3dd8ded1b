import Configuration
import Foundation
import Ingest
import Simulation
import Store
import Testing
@testable import Analysis

/// Rollups of a simulated world, checked against its ground truth.
@Suite struct SimulatedWorldTests {
    /// Simulates, ingests and rolls up a world whose every day is in the current window.
    static func rolledUpWorld() throws -> (folder: String, database: Database, truth: [String: Any]) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("analysis-world-\(UUID().uuidString)").path
        var options = SimulationOptions()
        options.seed = 11
        options.days = 10
        options.jobs = 6
        options.runsPerDay = 6
        options.tests = 300
        options.presubmits = 4
        _ = try Simulator.run(options: options, path: folder)
        let truth = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: folder + "/ground-truth.json"))) as? [String: Any])
        let database = try Database(path: folder + "/db.sqlite")
        _ = try Ingestor(options: IngestOptions(roots: [folder + "/logs", folder + "/pr-logs"])).run(into: database)
        var settings = Settings.defaults
        settings.windowLengths = WindowLengths(currentDays: options.days + 1, previousDays: 7)
        _ = try Rollup(rules: settings).run(on: database, asOf: Day(options.endDate)!)
        return (folder, database, truth)
    }

    @Test func totalsEqualTheGroundTruthAndFlakeRatesItsProbabilities() throws {
        let (folder, database, truth) = try Self.rolledUpWorld()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let totals = try #require(truth["totals"] as? [String: Any])
        let results = try #require(totals["results"] as? [String: Int])
        let tests = try RateQuery.tests.run(RateFilter(), on: database)
        func sum(_ column: String) -> Int64 {
            let index = tests.column(column)!
            return tests.rows.reduce(0) { total, row in
                if case let .integer(value) = row[index] { return total + value }
                return total
            }
        }
        // Every loaded result is in the current window, and the default configuration ignores none
        // of the simulated tests; infrastructure failures keep only their install results, which
        // are all the results they have.
        #expect(sum("passes") == Int64(results["pass"]!))
        #expect(sum("failures") == Int64(results["fail"]!))
        #expect(sum("flakes") == Int64(results["flake"]!))
        #expect(sum("skips") == Int64(results["skip"]!))
        #expect(sum("previous_runs") == 0)

        // Each flaky test's flake rate lies within a binomial 99% interval of its true rate.
        let flaky = try #require(truth["flakyTests"] as? [[String: Any]])
        #expect(flaky.count >= 3)
        let name = tests.column("name")!, runs = tests.column("runs")!, flakes = tests.column("flakes")!
        for entry in flaky {
            let test = try #require(entry["test"] as? String)
            let probability = try #require(entry["flakeProbability"] as? Double)
            let row = try #require(tests.rows.first { $0[name] == .text(test) }, "\(test) has no rates")
            guard case let .integer(n) = row[runs], case let .integer(k) = row[flakes], n > 0 else {
                Issue.record("\(test): no runs")
                continue
            }
            let measured = Double(k) / Double(n)
            let margin = 2.576 * (probability * (1 - probability) / Double(n)).squareRoot() + 0.5 / Double(n)
            #expect(abs(measured - probability) <= margin,
                    "\(test): measured \(k)/\(n) = \(measured), true \(probability), 99% margin \(margin)")
        }

        // Jobs: infrastructure failures are counted apart, exactly as the ground truth lists them.
        let infra = try #require(truth["infraFailedRuns"] as? [[String: Any]])
        let jobs = try RateQuery.jobs.run(RateFilter(), on: database)
        let infraColumn = jobs.column("infra_failed")!
        let counted = jobs.rows.reduce(Int64(0)) { total, row in
            if case let .integer(value) = row[infraColumn] { return total + value }
            return total
        }
        #expect(counted == Int64(infra.count))
    }
}
