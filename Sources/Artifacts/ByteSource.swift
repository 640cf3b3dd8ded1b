#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A forward-only stream of bytes.
public protocol ByteSource: AnyObject {
    /// Fills the start of `buffer`; returns the number of bytes written, 0 only at the end of the stream.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

extension ByteSource {
    /// Reads until `buffer` is full or the stream ends; returns the number of bytes written.
    func readFully(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        var filled = 0
        while filled < buffer.count {
            let n = try read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
            if n == 0 { break }
            filled += n
        }
        return filled
    }
}

/// Bytes already taken from `upstream` (at most a few), delivered before the rest of `upstream`.
final class PrefixedSource: ByteSource {
    private var prefix: [UInt8]
    private var prefixOffset = 0
    private let upstream: ByteSource

    init(prefix: [UInt8], upstream: ByteSource) {
        self.prefix = prefix
        self.upstream = upstream
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard buffer.count > 0 else { return 0 }
        if prefixOffset < prefix.count {
            let n = min(buffer.count, prefix.count - prefixOffset)
            prefix.withUnsafeBytes { bytes in
                buffer.baseAddress!.copyMemory(from: bytes.baseAddress! + prefixOffset, byteCount: n)
            }
            prefixOffset += n
            if prefixOffset == prefix.count { prefix = [] ; prefixOffset = 0 }
            return n
        }
        return try upstream.read(into: buffer)
    }
}

/// Looks at the first two bytes of `upstream`: gzip magic `1f 8b` gives a `GzipSource` over it,
/// anything else gives the bytes as they are. The peeked bytes are not lost.
///
/// Detection is by content, never by file name.
public func decodedSource(_ upstream: ByteSource, limits: DecompressionLimits = .init()) throws -> ByteSource {
    var magic: [UInt8] = [0, 0]
    let n = try magic.withUnsafeMutableBytes { try upstream.readFully(into: $0) }
    if n == 0 { return upstream }
    let source = PrefixedSource(prefix: Array(magic[..<n]), upstream: upstream)
    if n == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
        return GzipSource(source, limits: limits)
    }
    return source
}

/// True when the file at `path` starts with the gzip magic bytes `1f 8b`; false when it does not
/// or cannot be read.
public func isGzipFile(_ path: String) -> Bool {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return false }
    defer { _ = close(fd) }
    var magic: (UInt8, UInt8) = (0, 0)
    var got = 0
    withUnsafeMutableBytes(of: &magic) { bytes in
        while got < 2 {
            let n = pread(fd, bytes.baseAddress! + got, 2 - got, off_t(got))
            if n > 0 { got += n } else if n < 0 && errno == EINTR { continue } else { break }
        }
    }
    return got == 2 && magic.0 == 0x1f && magic.1 == 0x8b
}
