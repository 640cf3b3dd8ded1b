import Artifacts
import Foundation
import Store

/// Settings of one ingest.
public struct IngestOptions: Sendable {
    /// Artifact roots: bucket roots, `logs/` folders, job folders, run folders or run archives.
    public var roots: [String]
    /// Caps on decompressed files.
    public var limits = DecompressionLimits()
    /// Threads that read and parse runs while the calling thread writes.
    public var readerThreads = 2
    /// Where the payload tag is looked for; see `RunMetadata.defaultPayloadSources`.
    public var payloadSources = RunMetadata.defaultPayloadSources

    public init(roots: [String]) {
        self.roots = roots
    }
}

/// What an ingest tells its caller while it works. Called on the thread that called `run`.
public struct IngestEvents {
    /// A problem met (already recorded in the database).
    public var problem: (Problem) -> Void
    /// Progress after each run: runs handled, runs found, test cases read so far.
    public var progress: (_ done: Int, _ total: Int, _ casesRead: Int) -> Void

    public init(problem: @escaping (Problem) -> Void = { _ in },
                progress: @escaping (Int, Int, Int) -> Void = { _, _, _ in }) {
        self.problem = problem
        self.progress = progress
    }
}

/// Loads artifact trees into a database: the walk happens on the calling thread, the reading
/// and parsing of runs on reader threads, and the writing on the calling thread again, in walk
/// order, one transaction per run.
public struct Ingestor {
    public let options: IngestOptions

    public init(options: IngestOptions) {
        self.options = options
    }

    /// Ingests into `database`, which the caller opened and holds the writer lock for.
    ///
    /// Bad input never throws: it becomes problems. This throws only when the database fails
    /// (e.g. the disk is full); runs written before that stay written. Reader threads have all
    /// returned when this returns.
    public func run(into database: Database, events: IngestEvents = IngestEvents(),
                    clock: @escaping @Sendable () -> Date = { Date() }) throws -> IngestSummary {
        let started = clock()
        var summary = IngestSummary()
        let batchID = try IngestBatches.begin(in: database, roots: options.roots, at: Int64(started.timeIntervalSince1970))
        summary.batchID = batchID
        let loader = try RunLoader(database: database, batchID: batchID) { Int64(clock().timeIntervalSince1970) }

        func report(_ problems: [Problem]) {
            summary.problems += problems.count
            problems.forEach(events.problem)
        }
        func skip(_ path: String, _ fingerprint: String, _ reason: SkipReason, _ problems: [Problem], snapshot: String? = nil) throws {
            // A fingerprint marked for retry never matches, so the source is read again next time.
            let retry = problems.contains { retryableProblemKinds.contains($0.kind) } || fingerprint.isEmpty
            try loader.recordSkipped(path: path, fingerprint: (retry ? Fingerprint.retryPrefix : "") + fingerprint,
                                     snapshot: snapshot, reason: reason, problems: problems)
            report(problems)
        }

        do {
            // Canonical roots: the same tree named another way (relative, through a link, one
            // run folder of a bucket loaded before) gives the same source paths.
            let roots = options.roots.map(Self.canonicalPath)
            let known = KnownSources(loaded: try IngestBatches.sourceFingerprints(in: database),
                                     skipped: try IngestBatches.skippedSources(in: database))
            // Run folders loaded before need no listing to be found again: their snapshots are checked.
            let knownFolders = Set(known.loaded.keys.filter { !ArtifactWalker.isArchiveName($0) })
            let (locations, walkProblems) = ArtifactWalker().findRuns(roots: roots, knownRunDirectories: knownFolders)
            let problems = walkProblems.map { Problem(path: $0.path, kind: $0.kind, reason: $0.reason) }
            try problems.forEach(loader.record)
            report(problems)
            summary.runsFound = locations.count
            let reads = startReaders(locations: locations, known: known, databasePath: database.path)
            defer {
                reads.cancel()
                reads.waitForReaders()
            }

            var done = 0
            while let read = reads.nextInOrder() {
                switch read {
                case .unchanged:
                    summary.runs.unchanged += 1
                case let .skippedAgain(_, reason):
                    summary.runs.count(reason)
                case let .unfinished(path, fingerprint, snapshot, problems):
                    summary.runs.unfinished += 1
                    try skip(path, fingerprint, .unfinished, problems, snapshot: snapshot)
                case let .unreadable(path, fingerprint, problems):
                    summary.runs.unreadable += 1
                    try skip(path, fingerprint, .unreadable, problems)
                case let .loaded(load):
                    var result = try loader.load(load)
                    if case let .duplicate(existing) = result, !FileManager.default.fileExists(atPath: existing) {
                        // Loaded before from a place that is gone: the run moved. Replace it.
                        result = try loader.load(load, replacingMovedSource: existing)
                    }
                    switch result {
                    case .new: summary.runs.new += 1
                    case .replaced: summary.runs.replaced += 1
                    case let .duplicate(existing):
                        summary.runs.duplicate += 1
                        let fingerprint = load.fingerprint.hasPrefix(Fingerprint.retryPrefix) ? "" : load.fingerprint
                        try skip(load.sourcePath, fingerprint, .duplicate, [Problem(
                            path: load.sourcePath, kind: "duplicate-run",
                            reason: "job \(load.run.job) build \(load.run.buildID) is already loaded from \(existing); not loaded again")],
                                 snapshot: load.snapshot)
                        done += 1
                        events.progress(done, locations.count, summary.casesRead)
                        continue
                    }
                    report(load.problems)
                    summary.casesRead += load.casesRead
                    for result in load.results { summary.results.count(result.outcome) }
                }
                done += 1
                events.progress(done, locations.count, summary.casesRead)
            }
        } catch {
            summary.seconds = clock().timeIntervalSince(started)
            try? IngestBatches.finish(batchID, in: database, status: .failed, counts: BatchCounts(summary),
                                      at: Int64(clock().timeIntervalSince1970))
            throw error
        }
        summary.seconds = clock().timeIntervalSince(started)
        try IngestBatches.finish(batchID, in: database, status: summary.problems == 0 ? .complete : .problems,
                                 counts: BatchCounts(summary), at: Int64(clock().timeIntervalSince1970))
        return summary
    }

    /// The absolute path without links or `.` and `..`, or the path as given when it cannot be resolved.
    static func canonicalPath(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Starts the reader threads; they read runs and hand them back in walk order.
    private func startReaders(locations: [RunLocation], known: KnownSources, databasePath: String) -> OrderedReads {
        let threads = max(1, options.readerThreads)
        let reads = OrderedReads(locations, window: 4 * threads)
        let limits = options.limits
        let payloadSources = options.payloadSources
        for index in 0..<threads {
            reads.readerStarted()
            let thread = Thread {
                // Each reader looks snapshots up through its own read-only connection.
                let snapshots = try? SourceSnapshots(databasePath: databasePath)
                let reader = RunReader(known: known, snapshots: snapshots, limits: limits, payloadSources: payloadSources)
                while let (position, location) = reads.nextLocation() {
                    reads.deliver(reader.read(location), at: position)
                }
                reads.readerFinished()
            }
            thread.name = "cisignal-reader-\(index)"
            thread.stackSize = 8 << 20
            thread.start()
        }
        return reads
    }
}

extension IngestSummary.Runs {
    mutating func count(_ reason: SkipReason) {
        switch reason {
        case .unfinished: unfinished += 1
        case .duplicate: duplicate += 1
        case .unreadable: unreadable += 1
        }
    }
}

extension IngestSummary.Results {
    mutating func count(_ outcome: Outcome) {
        switch outcome {
        case .pass: pass += 1
        case .fail: fail += 1
        case .flake: flake += 1
        case .skip: skip += 1
        }
    }
}

extension BatchCounts {
    init(_ summary: IngestSummary) {
        self.init()
        runsNew = summary.runs.new
        runsReplaced = summary.runs.replaced
        runsUnchanged = summary.runs.unchanged
        runsUnfinished = summary.runs.unfinished
        runsDuplicate = summary.runs.duplicate
        runsUnreadable = summary.runs.unreadable
        resultsLoaded = summary.results.total
        casesRead = summary.casesRead
        problems = summary.problems
    }
}
