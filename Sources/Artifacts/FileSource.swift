#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CZlib

/// A file read with read(2) in large chunks.
///
/// Counts the bytes delivered and keeps a CRC-32 (zlib's `crc32`) of them. Reads into a caller's
/// buffer of at least `chunkSize` bytes go straight to read(2); smaller reads are served from an
/// internal buffer of `chunkSize` bytes, so peeking a few bytes does not cost a system call each.
public final class FileSource: ByteSource {
    /// The size of one read(2): 256 KiB.
    public static let chunkSize = 256 * 1024

    private var fd: Int32
    private var buffer: UnsafeMutableRawPointer?
    private var bufferStart = 0
    private var bufferEnd = 0
    private var runningCRC: uLong = 0
    private var count: Int64 = 0

    /// Opens `path` for reading.
    public init(path: String) throws(ArtifactError) {
        var fd: Int32
        repeat { fd = open(path, O_RDONLY | O_CLOEXEC) } while fd < 0 && errno == EINTR
        guard fd >= 0 else { throw .cannotOpen(reason: errnoReason(errno)) }
        self.fd = fd
    }

    deinit {
        close()
        buffer?.deallocate()
    }

    /// The number of bytes delivered by `read(into:)` so far.
    public var bytesRead: Int64 { count }

    /// The CRC-32 (as zlib's `crc32`) of all bytes delivered so far.
    public var crc32: UInt32 { UInt32(truncatingIfNeeded: runningCRC) }

    /// Closes the file descriptor. Idempotent; later reads fail with `readFailed`.
    public func close() {
        if fd >= 0 {
            _ = closeDescriptor(fd)
            fd = -1
        }
    }

    /// Fills the start of `buffer`; returns the number of bytes written, 0 only at the end of the file.
    public func read(into target: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let out = target.baseAddress, target.count > 0 else { return 0 }
        let n: Int
        if bufferStart < bufferEnd {
            n = min(target.count, bufferEnd - bufferStart)
            out.copyMemory(from: buffer! + bufferStart, byteCount: n)
            bufferStart += n
        } else if target.count >= Self.chunkSize {
            n = try readSystem(into: out, count: target.count)
        } else {
            if buffer == nil { buffer = .allocate(byteCount: Self.chunkSize, alignment: 16) }
            let filled = try readSystem(into: buffer!, count: Self.chunkSize)
            n = min(filled, target.count)
            out.copyMemory(from: buffer!, byteCount: n)
            bufferStart = n
            bufferEnd = filled
        }
        if n > 0 {
            runningCRC = CZlib.crc32(runningCRC, out.assumingMemoryBound(to: Bytef.self), uInt(n))
            count += Int64(n)
        }
        return n
    }

    private func readSystem(into pointer: UnsafeMutableRawPointer, count: Int) throws(ArtifactError) -> Int {
        guard fd >= 0 else { throw .readFailed(reason: "the file is closed") }
        while true {
            let n = readDescriptor(fd, pointer, count)
            if n >= 0 { return n }
            if errno != EINTR { throw .readFailed(reason: errnoReason(errno)) }
        }
    }
}

/// close(2), callable from types that have their own `close()`.
func closeDescriptor(_ fd: Int32) -> Int32 {
    close(fd)
}

/// read(2), callable from types that have their own `read(into:)`.
func readDescriptor(_ fd: Int32, _ pointer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, pointer, count)
}
