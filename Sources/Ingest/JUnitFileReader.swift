import Artifacts
import JUnit
import Store

/// What became of one candidate JUnit file.
enum JUnitFileOutcome: Equatable {
    /// Read whole; its cases were folded into the run.
    case loaded(cases: Int)
    /// Well-formed XML whose root is not a JUnit root: skipped, not a problem.
    case notJUnit
    /// Could not be read whole; none of its cases were kept.
    case problem(kind: String, reason: String)
}

/// A run's attempts, shared by reference with the JUnit reader's case callback.
final class RunAttempts {
    var attempts: TestAttempts

    init(expectedTests: Int = 0) {
        attempts = TestAttempts(expectedTests: expectedTests)
    }
}

/// Reads JUnit files from byte streams into a run's `TestAttempts`, a file at a time: a file's
/// cases are kept only when the whole file was read, so a bad file is never half-loaded.
final class JUnitFileReader {
    private let buffer: UnsafeMutableRawBufferPointer
    private let options: JUnitReader.Options
    private let limits: DecompressionLimits

    init(bufferSize: Int = 256 << 10, options: JUnitReader.Options = .init(), limits: DecompressionLimits) {
        buffer = .allocate(byteCount: bufferSize, alignment: 16)
        self.options = options
        self.limits = limits
    }

    deinit {
        buffer.deallocate()
    }

    /// Reads one file's bytes (gzip or plain, told apart by content) and folds its cases into
    /// `run.attempts`, all of them or — when the file cannot be read whole — none.
    func read(_ source: ByteSource, into run: RunAttempts) -> JUnitFileOutcome {
        run.attempts.beginFile()
        let reader = JUnitReader(options: options) { run.attempts.add($0) }
        do {
            let decoded = try decodedSource(source, limits: limits)
            var total: Int64 = 0
            while true {
                let count = try decoded.read(into: buffer)
                if count == 0 { break }
                // The cap is on the decoded size, so a plain file is held to it as a gzipped one is.
                total += Int64(count)
                if total > limits.maxBytes { throw ArtifactError.decompressedSizeLimit(limit: limits.maxBytes) }
                try reader.feed(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
            }
            let summary = try reader.finish()
            run.attempts.commitFile()
            return .loaded(cases: summary.cases)
        } catch {
            run.attempts.rollBackFile()
            switch error {
            case JUnitError.notJUnit: return .notJUnit
            case let error as JUnitError: return .problem(kind: error.kind, reason: error.description)
            case let error as ArtifactError: return .problem(kind: error.kind, reason: error.description)
            default: return .problem(kind: "unreadable", reason: "\(error)")
            }
        }
    }

    /// Reads a small file whole (metadata), up to `limit` bytes after decompression.
    func readSmallFile(_ source: ByteSource, limit: Int = 16 << 20) throws -> [UInt8] {
        let decoded = try decodedSource(source, limits: limits)
        var bytes: [UInt8] = []
        while true {
            let count = try decoded.read(into: buffer)
            if count == 0 { return bytes }
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[..<count]))
            if bytes.count > limit {
                throw ArtifactError.decompressedSizeLimit(limit: Int64(limit))
            }
        }
    }
}
