// FuzzTargets: what the fuzzers run. Each target reads one input the way ingest does and checks
// the promises that must hold for every input: errors are single lines, limits bound what is kept,
// streams deliver exactly what they declare, unsafe archive paths are recognised as unsafe.
// A target must never throw or read outside its input; a broken promise stops the process with
// `preconditionFailure`, which is how libFuzzer (and the replay tests) learn of it.
import Artifacts
import JUnit

/// A reader the fuzzers exercise, with the check that runs one input through it.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// The streaming JUnit reader, fed in chunks.
    case junit
    /// Gzip detection and decompression, with small limits so the caps are reached.
    case gzip
    /// The tar reader over a (possibly gzipped) archive, reading some bodies and skipping others.
    case tar

    /// Runs one input through the target. Never throws; stops the process when a promise breaks.
    public func run(_ input: UnsafeRawBufferPointer) {
        let bytes = [UInt8](input)
        switch self {
        case .junit: FuzzChecks.junit(bytes)
        case .gzip: FuzzChecks.gzip(bytes)
        case .tar: FuzzChecks.tar(bytes)
        }
    }

    /// Runs `bytes` through the target (for replaying saved inputs).
    public func run(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { run($0) }
    }
}

/// The checks behind each target, as plain functions.
enum FuzzChecks {
    /// A chunk size that varies with the input, so reads split the input at many different places
    /// without taking bytes away from what the reader sees.
    static func chunkSize(for bytes: [UInt8]) -> Int {
        1 + (bytes.count &* 7919 &+ Int(bytes.first ?? 0)) % 4096
    }

    static func requireOneLine(_ message: String, _ what: String) {
        precondition(!message.isEmpty, "\(what): empty error message")
        precondition(!message.contains(where: { $0.isNewline }), "\(what): error message spans lines: \(message)")
    }

    static let junitOptions: JUnitReader.Options = {
        var options = JUnitReader.Options()
        options.maxMessageBytes = 256
        options.maxAttributeBytes = 4096
        options.maxCases = 500
        options.maxBufferedBytes = 64 * 1024
        return options
    }()

    static func junit(_ bytes: [UInt8]) {
        let options = junitOptions
        var delivered = 0
        let reader = JUnitReader(options: options) { testCase in
            delivered += 1
            precondition(delivered <= options.maxCases, "more cases delivered than maxCases")
            if let message = testCase.message {
                precondition(message.utf8.count <= options.maxMessageBytes, "message over maxMessageBytes")
            }
            precondition(testCase.name.utf8.count <= options.maxAttributeBytes, "name over maxAttributeBytes")
            precondition(testCase.time >= 0 && testCase.time.isFinite, "time not a finite non-negative number")
            precondition(testCase.flakyAttempts >= 0 && testCase.rerunFailures >= 0, "negative attempt count")
        }
        let chunk = chunkSize(for: bytes)
        do {
            var offset = 0
            while offset < bytes.count {
                let end = min(bytes.count, offset + chunk)
                try reader.feed(Array(bytes[offset..<end]))
                offset = end
            }
            let summary = try reader.finish()
            precondition(summary.cases == delivered, "summary counts \(summary.cases) cases, \(delivered) delivered")
        } catch {
            requireOneLine(error.description, "JUnitReader")
        }
    }

    static let gzipLimits = DecompressionLimits(maxBytes: 1 << 20, maxRatio: 50)

    static func gzip(_ bytes: [UInt8]) {
        var total: Int64 = 0
        do {
            let source = try decodedSource(MemorySource(bytes, maxChunk: chunkSize(for: bytes)), limits: gzipLimits)
            var buffer = [UInt8](repeating: 0, count: 1 + chunkSize(for: bytes.reversed()))
            while true {
                let n = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
                precondition(n >= 0 && n <= buffer.count, "read returned \(n) for a \(buffer.count)-byte buffer")
                if n == 0 { break }
                total += Int64(n)
                precondition(total <= gzipLimits.maxBytes, "decompressed past the size limit")
            }
        } catch let error as ArtifactError {
            requireOneLine(error.description, "gzip")
        } catch {
            preconditionFailure("gzip threw something other than an ArtifactError: \(error)")
        }
    }

    static func tar(_ bytes: [UInt8]) {
        do {
            let source = try decodedSource(MemorySource(bytes, maxChunk: chunkSize(for: bytes)), limits: gzipLimits)
            let reader = TarReader(source)
            var entries = 0
            while let entry = try reader.next() {
                entries += 1
                precondition(entry.size >= 0, "negative entry size")
                if isSafeArchivePath(entry.path) {
                    precondition(!entry.path.hasPrefix("/") && !entry.path.split(separator: "/").contains(".."),
                                 "unsafe path accepted: \(entry.path)")
                }
                // Read every other file body to its end; leave the rest for next() to skip.
                guard entry.kind == .file, entries % 2 == 1 else { continue }
                var buffer = [UInt8](repeating: 0, count: 1 + entries * 97 % 8192)
                var read: Int64 = 0
                while true {
                    let n = try buffer.withUnsafeMutableBytes { try reader.body.read(into: $0) }
                    if n == 0 { break }
                    read += Int64(n)
                    precondition(read <= entry.size, "body longer than its declared size")
                }
                precondition(read == entry.size, "body of \(read) bytes, \(entry.size) declared")
            }
        } catch let error as ArtifactError {
            requireOneLine(error.description, "tar")
        } catch {
            preconditionFailure("tar threw something other than an ArtifactError: \(error)")
        }
    }
}
