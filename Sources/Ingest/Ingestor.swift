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
    public var readerThreads = 1
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

/// Loads artifact trees into a database: the walk and the reading of runs happen on reader
/// threads, the writing on the calling thread, one transaction per run.
public struct Ingestor {
    public let options: IngestOptions

    public init(options: IngestOptions) {
        self.options = options
    }

    /// Ingests into `database`, which the caller opened and holds the writer lock for.
    ///
    /// Bad input never throws: it becomes problems. This throws only when the database fails
    /// (e.g. the disk is full); runs written before that stay written.
    public func run(into database: Database, events: IngestEvents = IngestEvents(),
                    clock: @escaping @Sendable () -> Date = { Date() }) throws -> IngestSummary {
        let started = clock()
        var summary = IngestSummary()
        var counts = BatchCounts()
        let batchID = try IngestBatches.begin(in: database, roots: options.roots, at: Int64(started.timeIntervalSince1970))
        summary.batchID = batchID
        let loader = try RunLoader(database: database, batchID: batchID) { Int64(clock().timeIntervalSince1970) }

        func record(_ problems: [Problem], stored: Bool) throws {
            for problem in problems {
                if !stored { try loader.record(problem) }
                summary.problems += 1
                events.problem(problem)
            }
        }

        do {
            let (locations, walkProblems) = ArtifactWalker().findRuns(roots: options.roots)
            try record(walkProblems.map { Problem(path: $0.path, kind: $0.kind, reason: $0.reason) }, stored: false)
            summary.runsFound = locations.count
            let fingerprints = try IngestBatches.sourceFingerprints(in: database)
            let reads = startReaders(locations: locations, fingerprints: fingerprints)
            defer { reads.close() }

            var done = 0
            while let read = reads.pop() {
                switch read {
                case .unchanged:
                    summary.runs.unchanged += 1
                case .unfinished:
                    summary.runs.unfinished += 1
                case let .unreadable(_, problems):
                    summary.runs.unreadable += 1
                    try record(problems, stored: false)
                case let .loaded(load):
                    switch try loader.load(load) {
                    case .new: summary.runs.new += 1
                    case .replaced: summary.runs.replaced += 1
                    case let .duplicate(existing):
                        summary.runs.duplicate += 1
                        try record([Problem(path: load.sourcePath, kind: "duplicate-run",
                                            reason: "job \(load.run.job) build \(load.run.buildID) is already loaded from \(existing); not loaded again")],
                                   stored: false)
                        done += 1
                        events.progress(done, locations.count, summary.casesRead)
                        continue
                    }
                    try record(load.problems, stored: true)
                    summary.casesRead += load.casesRead
                    for result in load.results {
                        switch result.outcome {
                        case .pass: summary.results.pass += 1
                        case .fail: summary.results.fail += 1
                        case .flake: summary.results.flake += 1
                        case .skip: summary.results.skip += 1
                        }
                    }
                }
                done += 1
                events.progress(done, locations.count, summary.casesRead)
            }
        } catch {
            summary.seconds = clock().timeIntervalSince(started)
            try? IngestBatches.finish(batchID, in: database, status: .failed, counts: counts.filled(from: summary),
                                      at: Int64(clock().timeIntervalSince1970))
            throw error
        }
        summary.seconds = clock().timeIntervalSince(started)
        counts = counts.filled(from: summary)
        try IngestBatches.finish(batchID, in: database, status: summary.problems == 0 ? .complete : .problems,
                                 counts: counts, at: Int64(clock().timeIntervalSince1970))
        return summary
    }

    /// Starts the reader threads; they read runs in walk order and push what they read.
    private func startReaders(locations: [RunLocation], fingerprints: [String: String]) -> BoundedQueue<RunRead> {
        let queue = BoundedQueue<RunRead>(capacity: 8)
        let work = WorkList(locations)
        let threads = max(1, options.readerThreads)
        let remaining = Countdown(threads) { queue.close() }
        let limits = options.limits
        let payloadSources = options.payloadSources
        for index in 0..<threads {
            let thread = Thread {
                let reader = RunReader(knownFingerprints: fingerprints, limits: limits, payloadSources: payloadSources)
                while let location = work.next() {
                    if !queue.push(reader.read(location)) { break }
                }
                remaining.countDown()
            }
            thread.name = "cisignal-reader-\(index)"
            thread.stackSize = 8 << 20
            thread.start()
        }
        return queue
    }
}

/// Hands out run locations to reader threads, each once.
final class WorkList: @unchecked Sendable {
    private let lock = NSLock()
    private let items: [RunLocation]
    private var position = 0

    init(_ items: [RunLocation]) {
        self.items = items
    }

    func next() -> RunLocation? {
        lock.lock()
        defer { lock.unlock() }
        guard position < items.count else { return nil }
        position += 1
        return items[position - 1]
    }
}

/// Runs `action` once, when `countDown` has been called `count` times.
final class Countdown: @unchecked Sendable {
    private let lock = NSLock()
    private var count: Int
    private let action: @Sendable () -> Void

    init(_ count: Int, action: @escaping @Sendable () -> Void) {
        self.count = count
        self.action = action
    }

    func countDown() {
        lock.lock()
        count -= 1
        let fire = count == 0
        lock.unlock()
        if fire { action() }
    }
}

extension BatchCounts {
    func filled(from summary: IngestSummary) -> BatchCounts {
        var counts = self
        counts.runsNew = summary.runs.new
        counts.runsReplaced = summary.runs.replaced
        counts.runsUnchanged = summary.runs.unchanged
        counts.runsUnfinished = summary.runs.unfinished
        counts.resultsLoaded = summary.results.total
        counts.casesRead = summary.casesRead
        counts.problems = summary.problems
        return counts
    }
}
