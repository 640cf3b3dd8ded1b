import CZlib

/// Passes another source's bytes through unchanged, counting them and keeping their CRC-32
/// (e.g. for an archive member's ledger digest).
public final class CRC32Source: ByteSource {
    private let upstream: ByteSource
    private var runningCRC: uLong = 0
    /// The number of bytes passed through so far.
    public private(set) var bytesRead: Int64 = 0

    /// Wraps `upstream`.
    public init(_ upstream: ByteSource) {
        self.upstream = upstream
    }

    /// The CRC-32 (as zlib's `crc32`) of all bytes passed through so far.
    public var crc32: UInt32 { UInt32(truncatingIfNeeded: runningCRC) }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = try upstream.read(into: buffer)
        if count > 0, let base = buffer.baseAddress {
            runningCRC = CZlib.crc32(runningCRC, base.assumingMemoryBound(to: Bytef.self), uInt(count))
            bytesRead += Int64(count)
        }
        return count
    }
}
