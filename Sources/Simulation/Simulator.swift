import Dispatch
import Foundation

/// What one simulation wrote.
public struct SimulationSummary: Sendable {
    /// The output folder.
    public var outputPath: String
    /// The ground truth file.
    public var groundTruthPath: String
    /// Runs written (folders and archives).
    public var runs: Int
    /// Runs packed as BUILD.tar.gz.
    public var archivedRuns: Int
    /// `<testcase>` elements written.
    public var casesWritten: Int
    /// Uncompressed JUnit XML bytes.
    public var xmlBytes: Int64
    /// Bytes on disk.
    public var storedBytes: Int64
    /// Wall-clock seconds.
    public var seconds: Double

    /// A few lines for people.
    public var lines: [String] {
        [
            "output: \(outputPath) (ground truth: \(groundTruthPath))",
            "runs: \(runs) (\(archivedRuns) as .tar.gz), test cases: \(casesWritten)",
            String(format: "bytes: %.1f MB of JUnit XML, %.1f MB on disk", Double(xmlBytes) / 1e6, Double(storedBytes) / 1e6),
            String(format: "time: %.2f s, %.0f test cases/s", seconds, seconds > 0 ? Double(casesWritten) / seconds : 0),
        ]
    }
}

/// Writes a simulated world: the artifact tree and `ground-truth.json`.
public enum Simulator {
    /// The ground truth's file name inside the output folder.
    public static let groundTruthName = "ground-truth.json"

    /// Makes `path` ready: created when missing; an empty folder is used as is; a non-empty one
    /// only with `force`, and then only when it holds a ground-truth.json (made by simulate), in
    /// which case its contents are removed.
    public static func prepareOutput(path: String, force: Bool) throws(SimulationError) {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if !manager.fileExists(atPath: path, isDirectory: &isDirectory) {
            do {
                try manager.createDirectory(atPath: path, withIntermediateDirectories: true)
            } catch {
                throw .cannotWrite(path: path, reason: "cannot create the folder")
            }
            return
        }
        guard isDirectory.boolValue else { throw .outputNotEmpty(path: path, reason: "it is a file, not a folder") }
        let entries = ((try? manager.contentsOfDirectory(atPath: path)) ?? []).sorted()
        if entries.isEmpty { return }
        guard force else { throw .outputNotEmpty(path: path, reason: "give --force to replace an earlier simulation") }
        guard entries.contains(groundTruthName) else {
            throw .outputNotEmpty(path: path, reason: "it has no \(groundTruthName), so it was not made by simulate; not clearing it")
        }
        for entry in entries {
            do {
                try manager.removeItem(atPath: path + "/" + entry)
            } catch {
                throw .cannotWrite(path: path + "/" + entry, reason: "cannot remove it")
            }
        }
    }

    /// Plans and writes the world for `options` into the prepared folder `path`.
    public static func run(options: SimulationOptions, path: String) throws(SimulationError) -> SimulationSummary {
        try options.validate()
        let started = DispatchTime.now()
        let world = World(options: options)
        let content = JUnitContent(pool: world.pool, outputBytes: options.outputBytes, seed: options.seed)
        let work = WorkQueue(count: world.runs.count)
        let threads = min(options.threads, max(1, world.runs.count))
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            let writer: RunWriter
            do throws(SimulationError) {
                writer = try RunWriter(world: world, content: content, outputRoot: path)
            } catch {
                work.fail(error)
                return
            }
            while let index = work.next() {
                do throws(SimulationError) {
                    work.store(try writer.write(world.runs[index]), at: index)
                } catch {
                    work.fail(error)
                    return
                }
            }
        }
        if let error = work.error { throw error }
        let tallies = work.tallies.map { $0 ?? RunTally() }
        let truthPath = path + "/" + groundTruthName
        let text = Array(GroundTruth.document(world: world, tallies: tallies).text.utf8)
        let buffer = ByteBuffer(capacity: text.count)
        buffer.append(text)
        try FileWriting.write(truthPath, buffer.bytes, mtime: world.payloads.last!.builtAt + 86_400)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        return SimulationSummary(
            outputPath: path, groundTruthPath: truthPath, runs: world.runs.count,
            archivedRuns: world.runs.filter(\.archived).count,
            casesWritten: tallies.reduce(0) { $0 + $1.casesWritten },
            xmlBytes: tallies.reduce(0) { $0 + $1.xmlBytes }, storedBytes: tallies.reduce(0) { $0 + $1.storedBytes },
            seconds: seconds)
    }
}

/// Hands run indices to writer threads and collects their tallies by index, so the result does
/// not depend on which thread wrote which run.
private final class WorkQueue: @unchecked Sendable {
    private let lock = NSLock()
    private let count: Int
    private var position = 0
    private(set) var tallies: [RunTally?]
    private(set) var error: SimulationError?

    init(count: Int) {
        self.count = count
        tallies = Array(repeating: nil, count: count)
    }

    func next() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard position < count, error == nil else { return nil }
        position += 1
        return position - 1
    }

    func store(_ tally: RunTally, at index: Int) {
        lock.lock()
        tallies[index] = tally
        lock.unlock()
    }

    func fail(_ failure: SimulationError) {
        lock.lock()
        if error == nil { error = failure }
        lock.unlock()
    }
}
