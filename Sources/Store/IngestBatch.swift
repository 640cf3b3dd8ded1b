import Foundation

/// The counts of one ingest invocation, as stored in its `ingest_batches` row.
public struct BatchCounts: Sendable, Equatable {
    public var runsNew = 0
    public var runsReplaced = 0
    public var runsUnchanged = 0
    public var runsUnfinished = 0
    public var runsDuplicate = 0
    public var runsUnreadable = 0
    public var resultsLoaded = 0
    public var casesRead = 0
    public var problems = 0

    public init() {}
}

/// Why a source was seen but not loaded.
public enum SkipReason: String, Sendable {
    /// No finished.json yet.
    case unfinished
    /// The same job and build id were loaded from another source.
    case duplicate
    /// It could not be read (e.g. an archive broken before its finished.json).
    case unreadable
}

/// A source seen but not loaded: the fingerprint it had then, and why.
public struct SkippedSource: Sendable, Equatable {
    public var fingerprint: String
    public var reason: SkipReason

    public init(fingerprint: String, reason: SkipReason) {
        self.fingerprint = fingerprint
        self.reason = reason
    }
}

/// How an ingest invocation ended.
public enum BatchStatus: String, Sendable {
    /// Everything found was loaded.
    case complete
    /// It finished, but some files could not be read.
    case problems
    /// It stopped early on an error.
    case failed
}

/// The audit rows of ingest invocations.
public enum IngestBatches {
    /// Starts a batch and returns its id. Batches left running by a dead process are marked
    /// interrupted first; call this only while holding the writer lock.
    public static func begin(in database: Database, roots: [String], at time: Int64) throws -> Int64 {
        try database.inTransaction {
            try database.prepare(named: "markInterruptedBatches", in: "ingest.sql").run()
            let begin = try database.prepare(named: "beginBatch", in: "ingest.sql")
            begin.bind(time, at: 1)
            let rootsJSON = (try? JSONSerialization.data(withJSONObject: roots)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
            begin.bind(rootsJSON, at: 2)
            try begin.run()
            return database.lastInsertedRowID
        }
    }

    /// Records the end of a batch with its counts.
    public static func finish(_ batchID: Int64, in database: Database, status: BatchStatus, counts: BatchCounts, at time: Int64) throws {
        try database.inTransaction {
            let finish = try database.prepare(named: "finishBatch", in: "ingest.sql")
            finish.bind(time, at: 1)
            finish.bind(status.rawValue, at: 2)
            finish.bind(counts.runsNew, at: 3)
            finish.bind(counts.runsReplaced, at: 4)
            finish.bind(counts.runsUnchanged, at: 5)
            finish.bind(counts.runsUnfinished, at: 6)
            finish.bind(counts.resultsLoaded, at: 7)
            finish.bind(counts.casesRead, at: 8)
            finish.bind(counts.problems, at: 9)
            finish.bind(batchID, at: 10)
            finish.bind(counts.runsDuplicate, at: 11)
            finish.bind(counts.runsUnreadable, at: 12)
            try finish.run()
        }
    }

    /// Every skipped source's fingerprint and reason.
    public static func skippedSources(in database: Database) throws -> [String: SkippedSource] {
        let query = try database.prepare(named: "skippedSources", in: "ingest.sql")
        var skipped: [String: SkippedSource] = [:]
        while try query.step() {
            if let path = query.text(0), let fingerprint = query.text(1), let reason = query.text(2).flatMap(SkipReason.init) {
                skipped[path] = SkippedSource(fingerprint: fingerprint, reason: reason)
            }
        }
        return skipped
    }

    /// Every loaded run's source path and fingerprint.
    public static func sourceFingerprints(in database: Database) throws -> [String: String] {
        let query = try database.prepare(named: "sourceFingerprints", in: "ingest.sql")
        var fingerprints: [String: String] = [:]
        while try query.step() {
            if let path = query.text(0), let fingerprint = query.text(1) { fingerprints[path] = fingerprint }
        }
        return fingerprints
    }
}
