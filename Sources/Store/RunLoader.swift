import Foundation

/// Writes job runs into the database, each in one transaction: all of a run or none of it.
///
/// Statements are prepared once; jobs, payloads, tests and suites are looked up once and then
/// remembered, so loading a result costs one bound insert.
public final class RunLoader {
    /// What happened to a run handed to `load`.
    public enum LoadResult: Equatable, Sendable {
        /// The run was not in the database before.
        case new
        /// The run was loaded before from the same source; its rows were replaced.
        case replaced
        /// The same job and build id were already loaded from another source; nothing was written.
        case duplicate(existingSource: String)
    }

    let database: Database
    let batchID: Int64
    let clock: () -> Int64
    private let findJob, insertJob, findPayload, insertPayload, findTest, insertTest: Statement
    private let findSuite, insertSuite, findMessage, insertMessage: Statement
    private let findRunBySource, findRunByIdentity, insertRun, updateRun: Statement
    private let upsertSkipped, deleteSkipped: Statement
    private let deleteRunResults, deleteRunSources, insertResult, insertResults, insertSource, insertProblem: Statement
    /// Rows written by one execution of `insertResults`.
    static let resultsPerStatement = 64
    /// Parameters of one row of `insertResult`.
    private static let resultParameters: Int32 = 9
    private var jobIDs: [String: Int64] = [:]
    private var payloadIDs: [String: Int64] = [:]
    private var testIDs: [TestIdentity: Int64] = [:]
    private var suiteIDs: [String: Int64] = [:]

    /// A loader that records its rows as part of ingest batch `batchID`.
    public init(database: Database, batchID: Int64, clock: @escaping () -> Int64 = { Int64(Date().timeIntervalSince1970) }) throws {
        self.database = database
        self.batchID = batchID
        self.clock = clock
        func statement(_ name: String) throws -> Statement { try database.prepare(named: name, in: "ingest.sql") }
        findJob = try statement("findJob")
        insertJob = try statement("insertJob")
        findPayload = try statement("findPayload")
        insertPayload = try statement("insertPayload")
        findTest = try statement("findTest")
        insertTest = try statement("insertTest")
        findSuite = try statement("findSuite")
        insertSuite = try statement("insertSuite")
        findMessage = try statement("findFailureMessage")
        insertMessage = try statement("insertFailureMessage")
        findRunBySource = try statement("findRunBySource")
        findRunByIdentity = try statement("findRunByIdentity")
        insertRun = try statement("insertRun")
        updateRun = try statement("updateRun")
        deleteRunResults = try statement("deleteRunResults")
        deleteRunSources = try statement("deleteRunSources")
        insertResult = try statement("insertResult")
        insertResults = try database.prepare(
            SQLLibrary.multiRowInsert(named: "insertResult", in: "ingest.sql", rows: Self.resultsPerStatement),
            context: "preparing ingest.sql:insertResult for \(Self.resultsPerStatement) rows")
        insertSource = try statement("insertSource")
        insertProblem = try statement("insertProblem")
        upsertSkipped = try statement("upsertSkippedSource")
        deleteSkipped = try statement("deleteSkippedSource")
    }

    /// Loads one run in one transaction. A run loaded before from the same source is replaced.
    ///
    /// - Parameter movedFrom: the source the same run was loaded from before, when the caller knows
    ///   it is gone: the run is then replaced in place instead of being a duplicate.
    public func load(_ load: RunLoad, replacingMovedSource movedFrom: String? = nil) throws -> LoadResult {
        do {
            return try database.inTransaction { try write(load, movedFrom: movedFrom) }
        } catch {
            // Caches may name rows the rollback removed.
            forgetCachedIDs()
            throw error
        }
    }

    /// Records a problem that belongs to no loaded run (e.g. an unreadable directory).
    public func record(_ problem: Problem) throws {
        try database.inTransaction { try insert(problem, runID: nil) }
    }

    /// Records a source that was not loaded, with its fingerprint and its problems, in one
    /// transaction: until the fingerprint changes, later ingests only stat it.
    public func recordSkipped(path: String, fingerprint: String, snapshot: String?, reason: SkipReason,
                              problems: [Problem]) throws {
        try database.inTransaction {
            upsertSkipped.bind(path, at: 1)
            upsertSkipped.bind(fingerprint, at: 2)
            upsertSkipped.bind(reason.rawValue, at: 3)
            upsertSkipped.bind(batchID, at: 4)
            upsertSkipped.bind(snapshot, at: 5)
            try upsertSkipped.run()
            for problem in problems { try insert(problem, runID: nil) }
        }
    }

    private func write(_ load: RunLoad, movedFrom: String?) throws -> LoadResult {
        let jobID = try id(of: load.run.job, cache: &jobIDs, find: findJob, insert: insertJob)
        var existingRunID: Int64?
        findRunBySource.bind(load.sourcePath, at: 1)
        if try findRunBySource.step() { existingRunID = findRunBySource.int64(0) }
        findRunBySource.reset()

        findRunByIdentity.bind(jobID, at: 1)
        findRunByIdentity.bind(load.run.buildID, at: 2)
        if try findRunByIdentity.step() {
            let otherID = findRunByIdentity.int64(0)
            let otherSource = findRunByIdentity.text(1) ?? ""
            findRunByIdentity.reset()
            if otherID != existingRunID {
                guard existingRunID == nil, let movedFrom, movedFrom == otherSource else {
                    return .duplicate(existingSource: otherSource)
                }
                existingRunID = otherID
            }
        } else {
            findRunByIdentity.reset()
        }

        let payloadID = try load.run.payloadTag.map { try id(of: $0, cache: &payloadIDs, find: findPayload, insert: insertPayload) }
        let runID: Int64
        let statement = existingRunID == nil ? insertRun : updateRun
        bindRun(load, jobID: jobID, payloadID: payloadID, to: statement)
        if let existingRunID {
            statement.bind(existingRunID, at: 20)
            try statement.run()
            deleteRunResults.bind(existingRunID, at: 1)
            try deleteRunResults.run()
            deleteRunSources.bind(existingRunID, at: 1)
            try deleteRunSources.run()
            runID = existingRunID
        } else {
            try statement.run()
            runID = database.lastInsertedRowID
        }

        var lastSuite: (path: String, id: Int64)?
        let fullChunks = load.results.count / Self.resultsPerStatement * Self.resultsPerStatement
        for (position, result) in load.results.enumerated() {
            // Results of one run nearly always share a suite: skip the lookup then.
            let suiteID: Int64
            if let lastSuite, lastSuite.path == result.suitePath {
                suiteID = lastSuite.id
            } else {
                suiteID = try id(of: result.suitePath, cache: &suiteIDs, find: findSuite, insert: insertSuite)
                lastSuite = (result.suitePath, suiteID)
            }
            let testID = try self.testID(result.identity, suiteID: suiteID)
            let messageID = try result.failureMessage.map(messageID(for:))
            // Full chunks go through the many-row statement, the rest one row at a time.
            let inChunk = position < fullChunks
            let statement = inChunk ? insertResults : insertResult
            let base = inChunk ? Int32(position % Self.resultsPerStatement) * Self.resultParameters : 0
            statement.bind(runID, at: base + 1)
            statement.bind(testID, at: base + 2)
            statement.bind(suiteID, at: base + 3)
            statement.bind(result.passes, at: base + 4)
            statement.bind(result.failures, at: base + 5)
            statement.bind(result.skips, at: base + 6)
            statement.bind(Self.outcomeText[result.outcome]!, at: base + 7)
            statement.bind(result.durationSeconds, at: base + 8)
            statement.bind(messageID, at: base + 9)
            if !inChunk || (position + 1) % Self.resultsPerStatement == 0 {
                try statement.run()
            }
        }
        for source in load.sources {
            insertSource.bind(source.path, at: 1)
            insertSource.bind(runID, at: 2)
            insertSource.bind(source.size, at: 3)
            insertSource.bind(source.mtimeNanoseconds, at: 4)
            insertSource.bind(String(format: "%08x", source.crc32), at: 5)
            insertSource.bind(source.kind.rawValue, at: 6)
            insertSource.bind(batchID, at: 7)
            try insertSource.run()
        }
        for problem in load.problems {
            try insert(problem, runID: runID)
        }
        deleteSkipped.bind(load.sourcePath, at: 1)
        try deleteSkipped.run()
        return existingRunID == nil ? .new : .replaced
    }

    private func bindRun(_ load: RunLoad, jobID: Int64, payloadID: Int64?, to statement: Statement) {
        let run = load.run
        statement.bind(jobID, at: 1)
        statement.bind(run.buildID, at: 2)
        statement.bind(run.runType?.rawValue, at: 3)
        statement.bind(run.startedAt, at: 4)
        statement.bind(run.finishedAt, at: 5)
        statement.bind(run.durationSeconds, at: 6)
        statement.bind(run.result?.rawValue, at: 7)
        statement.bind(payloadID, at: 8)
        statement.bind(run.prNumber, at: 9)
        statement.bind(run.refsJSON, at: 10)
        statement.bind(run.revision, at: 11)
        statement.bind(run.url, at: 12)
        statement.bind(load.sourcePath, at: 13)
        statement.bind(load.fingerprint, at: 14)
        statement.bind(load.junitFiles, at: 15)
        statement.bind(load.junitComplete ? 1 : 0, at: 16)
        statement.bind(load.results.count, at: 17)
        statement.bind(batchID, at: 18)
        statement.bind(load.snapshot, at: 19)
    }

    private func insert(_ problem: Problem, runID: Int64?) throws {
        insertProblem.bind(batchID, at: 1)
        insertProblem.bind(problem.path, at: 2)
        insertProblem.bind(problem.kind, at: 3)
        insertProblem.bind(problem.reason, at: 4)
        insertProblem.bind(runID, at: 5)
        insertProblem.bind(clock(), at: 6)
        try insertProblem.run()
    }

    /// The id of the row named `key`, from the cache, the table, or a new row.
    private func id(of key: String, cache: inout [String: Int64], find: Statement, insert: Statement) throws -> Int64 {
        if let id = cache[key] { return id }
        find.bind(key, at: 1)
        defer { find.reset() }
        let id: Int64
        if try find.step() {
            id = find.int64(0)
        } else {
            insert.bind(key, at: 1)
            try insert.run()
            id = database.lastInsertedRowID
        }
        cache[key] = id
        return id
    }

    private func testID(_ key: TestIdentity, suiteID: Int64) throws -> Int64 {
        if let id = testIDs[key] { return id }
        findTest.bind(key.name, at: 1)
        findTest.bind(key.classname, at: 2)
        defer { findTest.reset() }
        let id: Int64
        if try findTest.step() {
            id = findTest.int64(0)
        } else {
            insertTest.bind(key.name, at: 1)
            insertTest.bind(key.classname, at: 2)
            insertTest.bind(suiteID, at: 3)
            try insertTest.run()
            id = database.lastInsertedRowID
        }
        testIDs[key] = id
        return id
    }

    /// The id of a failure text, shared by every result with the same text.
    private func messageID(for text: String) throws -> Int64 {
        let digest = Self.digest(text)
        findMessage.bind(digest, at: 1)
        findMessage.bind(text, at: 2)
        defer { findMessage.reset() }
        if try findMessage.step() { return findMessage.int64(0) }
        insertMessage.bind(digest, at: 1)
        insertMessage.bind(text, at: 2)
        try insertMessage.run()
        return database.lastInsertedRowID
    }

    private func forgetCachedIDs() {
        jobIDs = [:]
        payloadIDs = [:]
        testIDs = [:]
        suiteIDs = [:]
    }

    /// The outcome words, bound without copying.
    private static let outcomeText: [Outcome: StaticText] = Dictionary(
        uniqueKeysWithValues: Outcome.allCases.map { ($0, StaticText($0.rawValue)) })

    /// 64-bit FNV-1a of the text's UTF-8 bytes, as a signed integer for SQLite.
    static func digest(_ text: String) -> Int64 {
        var hash = FNV1a()
        hash.add(text)
        return Int64(bitPattern: hash.value)
    }
}
