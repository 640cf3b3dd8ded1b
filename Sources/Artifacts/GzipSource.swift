#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CZlib

/// Limits on decompressed data, against damaged files and gzip bombs.
public struct DecompressionLimits: Sendable, Equatable {
    /// The most bytes one stream may inflate to (default 2 GiB).
    public var maxBytes: Int64
    /// The largest allowed ratio of output bytes to input bytes (default 1000), checked only once the
    /// output passes `ratioCheckThreshold`.
    public var maxRatio: Int

    /// Output size (16 MiB) below which the ratio is not checked: small, very regular files are fine.
    public static let ratioCheckThreshold: Int64 = 16 << 20

    /// Limits with the given values.
    public init(maxBytes: Int64 = 2 << 30, maxRatio: Int = 1000) {
        self.maxBytes = maxBytes
        self.maxRatio = maxRatio
    }
}

/// Inflates gzip data (RFC 1952) from an upstream source, streaming, with zlib's `inflate`.
///
/// Concatenated members are one stream. Zero padding after the last member is ignored; any other
/// trailing bytes give `gzipTrailingGarbage`. zlib checks each member's CRC and length. Output goes
/// straight into the caller's buffer; input is read in 256 KiB chunks.
public final class GzipSource: ByteSource {
    /// The size of the compressed input buffer: 256 KiB.
    public static let inputBufferSize = 256 * 1024

    private enum State {
        /// Expecting the first member's header.
        case start
        /// Inside a member.
        case inMember
        /// After a complete member: another member, zero padding or the end may follow.
        case afterMember
        /// Inside zero padding after the last member.
        case padding
        case finished
        case failed(ArtifactError)
    }

    private let upstream: ByteSource
    private let limits: DecompressionLimits
    private let stream: UnsafeMutablePointer<z_stream>
    private let input: UnsafeMutablePointer<UInt8>
    private var initialized = false
    private var upstreamEnded = false
    private var state = State.start
    private var totalIn: Int64 = 0
    private var totalOut: Int64 = 0

    /// A stream inflating the gzip bytes of `upstream`, within `limits`.
    public init(_ upstream: ByteSource, limits: DecompressionLimits = .init()) {
        self.upstream = upstream
        self.limits = limits
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        input = .allocate(capacity: Self.inputBufferSize)
    }

    deinit {
        if initialized { inflateEnd(stream) }
        stream.deinitialize(count: 1)
        stream.deallocate()
        input.deallocate()
    }

    /// The number of compressed bytes inflate has consumed so far.
    public var compressedBytesConsumed: Int64 { totalIn }

    /// The number of decompressed bytes delivered so far.
    public var decompressedBytes: Int64 { totalOut }

    /// Fills the start of `buffer` with inflated bytes; returns the count, 0 only at the end of the data.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard buffer.count > 0 else { return 0 }
        do {
            return try step(into: buffer)
        } catch let error as ArtifactError {
            state = .failed(error)
            throw error
        }
    }

    private func step(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            switch state {
            case .failed(let error):
                throw error
            case .finished:
                return 0
            case .start:
                guard try ensureInput(2) else {
                    throw ArtifactError.truncatedGzip
                }
                guard stream.pointee.next_in[0] == 0x1f, stream.pointee.next_in[1] == 0x8b else {
                    throw ArtifactError.corruptGzip(reason: "not in gzip format")
                }
                try beginMember()
            case .afterMember:
                guard try ensureInput(1) else {
                    state = .finished
                    return 0
                }
                if stream.pointee.next_in[0] == 0 {
                    state = .padding
                    continue
                }
                guard try ensureInput(2) else { throw ArtifactError.gzipTrailingGarbage }
                guard stream.pointee.next_in[0] == 0x1f, stream.pointee.next_in[1] == 0x8b else {
                    throw ArtifactError.gzipTrailingGarbage
                }
                try beginMember()
            case .padding:
                guard try ensureInput(1) else {
                    state = .finished
                    return 0
                }
                let available = Int(stream.pointee.avail_in)
                let bytes = UnsafeBufferPointer(start: stream.pointee.next_in, count: available)
                if bytes.contains(where: { $0 != 0 }) { throw ArtifactError.gzipTrailingGarbage }
                stream.pointee.next_in += available
                stream.pointee.avail_in = 0
            case .inMember:
                let produced = try inflateMember(into: buffer)
                if produced > 0 { return produced }
            }
        }
    }

    private func beginMember() throws {
        if initialized {
            guard inflateReset(stream) == Z_OK else {
                throw ArtifactError.corruptGzip(reason: "zlib could not reset the inflate stream")
            }
        } else {
            let status = inflateInit2_(stream, 16 + MAX_WBITS, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
            guard status == Z_OK else {
                throw ArtifactError.corruptGzip(reason: "zlib could not start inflating (status \(status))")
            }
            initialized = true
        }
        state = .inMember
    }

    /// Inflates into `buffer` until it is full, the member ends, or the input runs out.
    private func inflateMember(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        // Never produce more than one byte past the size limit.
        let (room, overflow) = (limits.maxBytes - totalOut).addingReportingOverflow(1)
        let capacity = Int(min(Int64(buffer.count), overflow ? Int64.max : max(room, 1), Int64(UInt32.max)))
        let out = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
        stream.pointee.next_out = out
        stream.pointee.avail_out = uInt(capacity)
        var produced = 0
        while stream.pointee.avail_out > 0 {
            if stream.pointee.avail_in == 0 && !upstreamEnded {
                _ = try refill()
            }
            let inBefore = stream.pointee.avail_in
            let outBefore = stream.pointee.avail_out
            let status = inflate(stream, Z_NO_FLUSH)
            totalIn += Int64(inBefore - stream.pointee.avail_in)
            produced += Int(outBefore - stream.pointee.avail_out)
            switch status {
            case Z_OK:
                continue
            case Z_STREAM_END:
                state = .afterMember
            case Z_BUF_ERROR:
                // No progress was possible: the input ran out inside the member.
                if stream.pointee.avail_in == 0 && upstreamEnded { throw ArtifactError.truncatedGzip }
                continue
            case Z_DATA_ERROR:
                throw ArtifactError.corruptGzip(reason: zlibMessage() ?? "invalid compressed data")
            case Z_NEED_DICT:
                throw ArtifactError.corruptGzip(reason: "member needs a preset dictionary")
            case Z_MEM_ERROR:
                throw ArtifactError.corruptGzip(reason: "zlib ran out of memory")
            default:
                throw ArtifactError.corruptGzip(reason: zlibMessage() ?? "zlib error \(status)")
            }
            break
        }
        totalOut += Int64(produced)
        try checkLimits()
        return produced
    }

    private func checkLimits() throws {
        if totalOut > limits.maxBytes {
            throw ArtifactError.decompressedSizeLimit(limit: limits.maxBytes)
        }
        guard totalOut > DecompressionLimits.ratioCheckThreshold else { return }
        let (allowed, overflow) = Int64(limits.maxRatio).multipliedReportingOverflow(by: totalIn)
        if !overflow && totalOut > allowed {
            throw ArtifactError.compressionRatioLimit(limit: limits.maxRatio)
        }
    }

    private func zlibMessage() -> String? {
        guard let message = stream.pointee.msg else { return nil }
        return String(cString: message)
    }

    /// Makes at least `count` (at most a few) unread input bytes available; false if the upstream ends first.
    private func ensureInput(_ count: Int) throws -> Bool {
        while Int(stream.pointee.avail_in) < count {
            if upstreamEnded { return false }
            if try refill() == 0 && upstreamEnded && Int(stream.pointee.avail_in) < count { return false }
        }
        return true
    }

    /// Moves unread input to the front of the buffer and reads more after it; returns the bytes added.
    private func refill() throws -> Int {
        let pending = Int(stream.pointee.avail_in)
        if pending > 0, let next = stream.pointee.next_in, next != input {
            memmove(input, next, pending)
        }
        let free = UnsafeMutableRawBufferPointer(start: input + pending, count: Self.inputBufferSize - pending)
        let n = free.count > 0 ? try upstream.read(into: free) : 0
        if n == 0 && free.count > 0 { upstreamEnded = true }
        stream.pointee.next_in = input
        stream.pointee.avail_in = uInt(pending + n)
        return n
    }
}
