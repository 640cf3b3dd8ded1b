#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CZlib

/// Errors writing artifact bytes. `description` is one line, without the path.
public enum ArtifactWriteError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A write(2) failed, e.g. "no space left on device".
    case writeFailed(reason: String)
    /// zlib's deflate reported an error (its status code).
    case deflateFailed(status: Int32)
    /// A write after `finish()`.
    case finished
    /// A tar entry is larger than a ustar header can describe (8 GiB), or its path cannot be stored.
    case tarEntryUnsupported(reason: String)

    /// One line describing the problem.
    public var description: String {
        switch self {
        case .writeFailed(let reason): return "write failed: \(reason)"
        case .deflateFailed(let status): return "zlib deflate failed (status \(status))"
        case .finished: return "write after the stream was finished"
        case .tarEntryUnsupported(let reason): return "tar entry cannot be written: \(reason)"
        }
    }
}

/// A destination for a stream of bytes.
public protocol ByteSink: AnyObject {
    /// Takes all of `bytes` (or throws).
    func write(_ bytes: UnsafeRawBufferPointer) throws
}

extension ByteSink {
    /// Takes all of `bytes`.
    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }
}

/// Writes to an open POSIX file descriptor, retrying short writes. Does not own the descriptor.
public final class FileDescriptorSink: ByteSink {
    /// The descriptor written to.
    public let fd: Int32

    /// A sink writing to `fd`.
    public init(fd: Int32) {
        self.fd = fd
    }

    /// Writes all of `bytes` with write(2).
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard var next = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            let n = posixWrite(fd, next, remaining)
            if n < 0 {
                if errno == EINTR { continue }
                throw ArtifactWriteError.writeFailed(reason: errnoReason(errno))
            }
            next += n
            remaining -= n
        }
    }
}

/// Collects bytes in memory; `bytes` is the whole stream so far. `removeAll()` keeps the capacity.
public final class MemorySink: ByteSink {
    /// Everything written since the last `removeAll()`.
    public private(set) var bytes: [UInt8] = []

    /// An empty sink.
    public init() {}

    /// Appends `bytes`.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        self.bytes.append(contentsOf: bytes)
    }

    /// Forgets the bytes, keeping the storage for reuse.
    public func removeAll() {
        bytes.removeAll(keepingCapacity: true)
    }
}

/// Compresses a stream into gzip (RFC 1952) with zlib's streaming `deflate`, into a sink.
///
/// The header has a zero modification time and no file name, so the same input always gives the
/// same bytes. A writer is reusable: after `finish()`, `reset(sink:)` starts a new member.
public final class GzipWriter: ByteSink {
    /// The compressed output buffer size: 256 KiB.
    public static let outputBufferSize = 256 * 1024

    private var sink: ByteSink
    private let stream: UnsafeMutablePointer<z_stream>
    private let output: UnsafeMutablePointer<UInt8>
    private var isFinished = false
    /// Uncompressed bytes taken since the stream began.
    public private(set) var bytesIn: Int64 = 0
    /// Compressed bytes given to the sink since the stream began.
    public private(set) var bytesOut: Int64 = 0

    /// A writer compressing at `level` (0 none ... 1 fastest ... 9 smallest) into `sink`.
    public init(sink: ByteSink, level: Int32 = 6) throws {
        self.sink = sink
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        output = .allocate(capacity: Self.outputBufferSize)
        let status = deflateInit2_(stream, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY,
                                   zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            output.deallocate()
            throw ArtifactWriteError.deflateFailed(status: status)
        }
    }

    deinit {
        deflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        output.deallocate()
    }

    /// Compresses `bytes`; output reaches the sink whenever the output buffer fills.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard !isFinished else { throw ArtifactWriteError.finished }
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        var offset = 0
        while offset < bytes.count {
            // avail_in is 32-bit: feed at most 1 GiB at a time.
            let chunk = min(bytes.count - offset, 1 << 30)
            stream.pointee.next_in = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: UInt8.self) + offset)
            stream.pointee.avail_in = uInt(chunk)
            try run(flush: Z_NO_FLUSH)
            offset += chunk
        }
        bytesIn += Int64(bytes.count)
    }

    /// Ends the gzip member (the CRC-32 and length trailer) and hands the rest to the sink.
    public func finish() throws {
        guard !isFinished else { return }
        stream.pointee.next_in = nil
        stream.pointee.avail_in = 0
        try run(flush: Z_FINISH)
        isFinished = true
    }

    /// Starts a new gzip stream into `sink`, with the same level; the previous one should be finished.
    public func reset(sink: ByteSink) throws {
        let status = deflateReset(stream)
        guard status == Z_OK else { throw ArtifactWriteError.deflateFailed(status: status) }
        self.sink = sink
        isFinished = false
        bytesIn = 0
        bytesOut = 0
    }

    private func run(flush: Int32) throws {
        while true {
            stream.pointee.next_out = output
            stream.pointee.avail_out = uInt(Self.outputBufferSize)
            let status = deflate(stream, flush)
            guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                throw ArtifactWriteError.deflateFailed(status: status)
            }
            let produced = Self.outputBufferSize - Int(stream.pointee.avail_out)
            if produced > 0 {
                try sink.write(UnsafeRawBufferPointer(start: output, count: produced))
                bytesOut += Int64(produced)
            }
            if flush == Z_FINISH {
                if status == Z_STREAM_END { return }
            } else if stream.pointee.avail_in == 0 && stream.pointee.avail_out > 0 {
                return
            }
        }
    }
}

/// write(2), reachable from inside types that have their own `write`.
private func posixWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, bytes, count)
}
