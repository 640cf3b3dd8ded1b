import Foundation
import Ingest
import Store
import Testing
@testable import Simulation

/// Runs the real ingest over a simulated tree and checks it counts what the ground truth says.
@Suite struct IngestAgreementTests {
    private func rows(_ database: Database, _ sql: String) throws -> [[String]] {
        let statement = try database.prepare(sql)
        var result: [[String]] = []
        while try statement.step() {
            result.append((0..<statement.columnCount).map { statement.text($0) ?? "" })
        }
        return result
    }

    @Test func ingestLoadsExactlyTheGroundTruthTotals() throws {
        let folder = try TemporaryFolder()
        let summary = try Simulator.run(options: smallOptions(), path: folder.path)
        let truth = try groundTruth(folder.path)
        let totals = try #require(truth["totals"] as? [String: Any])
        let results = try #require(totals["results"] as? [String: Int])

        let database = try Database(path: folder.path + "/db.sqlite")
        let ingest = try Ingestor(options: IngestOptions(roots: [folder.path + "/logs", folder.path + "/pr-logs"])).run(into: database)

        #expect(ingest.runsFound == totals["runsFound"] as? Int)
        #expect(ingest.runsFound == summary.runs)
        #expect(ingest.runs.new == totals["runsLoaded"] as? Int)
        #expect(ingest.runs.unfinished == totals["runsUnfinished"] as? Int)
        #expect(ingest.runs.unreadable == 0 && ingest.runs.duplicate == 0)
        #expect(ingest.results.pass == results["pass"])
        #expect(ingest.results.fail == results["fail"])
        #expect(ingest.results.flake == results["flake"])
        #expect(ingest.results.skip == results["skip"])
        #expect(ingest.casesRead == totals["casesRead"] as? Int)
        #expect(ingest.problems == totals["problems"] as? Int)
        #expect(try database.integer("SELECT SUM(junit_files) FROM job_runs") == Int64(totals["junitFilesLoaded"] as? Int ?? -1))
        #expect(results["flake"]! > 0 && results["fail"]! > 0 && results["skip"]! > 0)
        #expect((totals["runsArchived"] as? Int ?? 0) > 0)

        // Every corrupt file is a problem of the announced kind, and its run still loads.
        let corrupt = try #require(truth["corruptFiles"] as? [[String: Any]])
        #expect(corrupt.count == 2)
        let expectedProblems = corrupt.map { [folder.path + "/" + ($0["path"] as! String), $0["kind"] as! String] }.sorted { $0[0] < $1[0] }
        #expect(try rows(database, "SELECT path, kind FROM ingest_problems ORDER BY path") == expectedProblems)
        for file in corrupt {
            let build = file["build"] as! String
            #expect(try rows(database, "SELECT junit_complete FROM job_runs WHERE build_id = '\(build)'") == [["0"]])
        }

        // Infra-failed runs: failed, complete JUnit, and no result but the install tests.
        let infra = try rows(database, """
            SELECT j.name, r.build_id FROM job_runs r JOIN jobs j ON j.id = r.job_id
            WHERE r.result = 'failure' AND r.junit_complete = 1 AND NOT EXISTS (
                SELECT 1 FROM test_results t JOIN tests s ON s.id = t.test_id
                WHERE t.run_id = r.id AND s.name NOT LIKE 'install should succeed:%')
            ORDER BY 1, 2
            """)
        let expectedInfra = try #require(truth["infraFailedRuns"] as? [[String: Any]])
            .map { [$0["job"] as! String, $0["build"] as! String] }.sorted { ($0[0], $0[1]) < ($1[0], $1[1]) }
        #expect(!expectedInfra.isEmpty)
        #expect(infra == expectedInfra)

        // Aborted runs load as aborted; payload tags come from the prowjob annotation.
        let aborted = try #require(truth["abortedRuns"] as? [[String: Any]]).map { $0["build"] as! String }.sorted()
        #expect(try rows(database, "SELECT build_id FROM job_runs WHERE result = 'aborted' ORDER BY 1").map { $0[0] } == aborted)
        let payloads = try #require(truth["payloads"] as? [[String: Any]]).map { $0["tag"] as! String }
        #expect(try rows(database, "SELECT tag FROM payloads ORDER BY tag").map { $0[0] } == payloads)
        #expect(try database.integer("SELECT COUNT(*) FROM job_runs WHERE run_type = 'presubmit'") == 3)
        #expect(try database.integer("SELECT COUNT(*) FROM job_runs WHERE run_type = 'batch'") == 1)
    }

    @Test func measuredFlakesOfFlakyTestsAreBinomiallyPlausible() throws {
        let folder = try TemporaryFolder()
        var options = smallOptions(seed: 11, tests: 400)
        options.runsPerDay = 6
        options.corruptFiles = 0
        _ = try Simulator.run(options: options, path: folder.path)
        let truth = try groundTruth(folder.path)
        let flaky = try #require(truth["flakyTests"] as? [[String: Any]])
        #expect(flaky.count >= 10)
        let database = try Database(path: folder.path + "/db.sqlite")
        _ = try Ingestor(options: IngestOptions(roots: [folder.path])).run(into: database)

        var observedTotal = 0.0, expectedTotal = 0.0, varianceTotal = 0.0
        for test in flaky {
            let name = test["test"] as! String
            let q = test["flakeProbability"] as! Double
            let statement = try database.prepare("""
                SELECT COALESCE(SUM(t.outcome = 'flake'), 0), COUNT(*) FROM test_results t JOIN tests s ON s.id = t.test_id
                WHERE s.name = ? AND t.outcome != 'skip'
                """)
            statement.bind(name, at: 1)
            #expect(try statement.step())
            let flakes = Double(statement.int64(0)), runs = Double(statement.int64(1))
            #expect(runs > 50)
            let sd = (runs * q * (1 - q)).squareRoot()
            #expect(abs(flakes - runs * q) <= 4 * sd + 2, "\(name): \(flakes) flakes in \(runs) runs, expected \(runs * q)")
            observedTotal += flakes
            expectedTotal += runs * q
            varianceTotal += runs * q * (1 - q)
        }
        #expect(abs(observedTotal - expectedTotal) <= 4 * varianceTotal.squareRoot())
        // The formula is stated in the ground truth.
        #expect((truth["flakeProbabilityFormula"] as? String)?.contains("(1 - p) * r * p") == true)
    }

    @Test func regressedTestsFailMoreAfterTheirFirstBadPayload() throws {
        let folder = try TemporaryFolder()
        var options = smallOptions(seed: 3, tests: 300)
        options.days = 6
        options.runsPerDay = 8
        options.regressions = 4
        options.componentRegressions = 1
        _ = try Simulator.run(options: options, path: folder.path)
        let truth = try groundTruth(folder.path)
        let regressions = try #require(truth["regressions"] as? [[String: Any]])
        let flakyNames = Set(try #require(truth["flakyTests"] as? [[String: Any]]).map { $0["test"] as! String })
        #expect(regressions.count >= 7)
        #expect(regressions.contains { $0["componentWide"] is String })
        let database = try Database(path: folder.path + "/db.sqlite")
        _ = try Ingestor(options: IngestOptions(roots: [folder.path])).run(into: database)

        var before = (runs: 0.0, good: 0.0), after = (runs: 0.0, good: 0.0)
        for regression in regressions {
            let name = regression["test"] as! String
            #expect(!flakyNames.contains(name))
            #expect((regression["component"] as! String) == String(name.dropFirst().prefix { $0 != "]" }))
            let jobs = (regression["jobs"] as! [String]).map { "'\($0)'" }.joined(separator: ",")
            let first = regression["firstBadPayload"] as! String
            let fixed = regression["fixedAtPayload"] as? String ?? "9"
            let statement = try database.prepare("""
                SELECT p.tag >= ? AND p.tag < ?, SUM(t.outcome IN ('pass', 'flake')), COUNT(*)
                FROM test_results t JOIN tests s ON s.id = t.test_id JOIN job_runs r ON r.id = t.run_id
                JOIN jobs j ON j.id = r.job_id JOIN payloads p ON p.id = r.payload_id
                WHERE s.name = ? AND j.name IN (\(jobs)) AND t.outcome != 'skip' GROUP BY 1
                """)
            statement.bind(first, at: 1)
            statement.bind(fixed, at: 2)
            statement.bind(name, at: 3)
            while try statement.step() {
                if statement.int64(0) == 1 {
                    after.runs += Double(statement.int64(2)); after.good += Double(statement.int64(1))
                } else {
                    before.runs += Double(statement.int64(2)); before.good += Double(statement.int64(1))
                }
            }
        }
        #expect(before.runs > 0 && after.runs > 0)
        #expect(before.good / before.runs > 0.97)
        #expect(after.good / after.runs < 0.9)
    }
}
