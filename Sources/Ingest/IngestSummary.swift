import Foundation

/// What one `ingest` did, for people (`lines`) and for scripts (`json`).
public struct IngestSummary: Sendable, Equatable {
    /// Job runs by what became of them.
    public struct Runs: Sendable, Equatable, Codable {
        public var new = 0
        public var replaced = 0
        public var unchanged = 0
        public var unfinished = 0
        /// The same job and build id already loaded from another place.
        public var duplicate = 0
        /// Could not be read at all (e.g. an archive broken before its finished.json).
        public var unreadable = 0
    }

    /// Loaded (run, test) results by outcome.
    public struct Results: Sendable, Equatable, Codable {
        public var pass = 0
        public var fail = 0
        public var flake = 0
        public var skip = 0
        public var total: Int { pass + fail + flake + skip }
    }

    public var batchID: Int64 = 0
    public var runs = Runs()
    public var results = Results()
    /// JUnit test cases read (before attempts of a test are folded together).
    public var casesRead = 0
    /// Runs found by the walk.
    public var runsFound = 0
    public var problems = 0
    public var seconds = 0.0

    public var casesPerSecond: Double { seconds > 0 ? Double(casesRead) / seconds : 0 }

    /// The summary as lines for a terminal.
    public var lines: [String] {
        [
            "runs: \(runs.new) new, \(runs.replaced) replaced, \(runs.unchanged) unchanged, \(runs.unfinished) unfinished"
                + (runs.duplicate > 0 ? ", \(runs.duplicate) duplicate" : "")
                + (runs.unreadable > 0 ? ", \(runs.unreadable) unreadable" : ""),
            "results: \(results.total) loaded (\(results.pass) pass, \(results.fail) fail, \(results.flake) flake, \(results.skip) skip) from \(casesRead) test cases",
            "problems: \(problems)" + (problems > 0 ? " (see the ingest_problems table, batch \(batchID))" : ""),
            String(format: "time: %.2f s, %.0f test cases/s", seconds, casesPerSecond),
        ]
    }

    /// The summary as one JSON object.
    public var json: String {
        struct Document: Encodable {
            var batch: Int64
            var runs: Runs
            var results: [String: Int]
            var casesRead: Int
            var problems: Int
            var seconds: Double
            var casesPerSecond: Double
        }
        let document = Document(
            batch: batchID, runs: runs,
            results: ["pass": results.pass, "fail": results.fail, "flake": results.flake, "skip": results.skip, "total": results.total],
            casesRead: casesRead, problems: problems,
            seconds: (seconds * 1000).rounded() / 1000, casesPerSecond: casesPerSecond.rounded())
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(document)) ?? Data("{}".utf8), as: UTF8.self)
    }
}
