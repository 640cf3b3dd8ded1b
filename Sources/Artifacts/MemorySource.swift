/// Bytes already in memory, delivered as a stream. `maxChunk` caps what one read returns, so a
/// reader can be driven with short reads (tests and fuzzing do).
public final class MemorySource: ByteSource {
    private let bytes: [UInt8]
    private let maxChunk: Int
    private var offset = 0

    /// A stream of `bytes`, at most `maxChunk` (≥ 1) of them per read.
    public init(_ bytes: [UInt8], maxChunk: Int = .max) {
        self.bytes = bytes
        self.maxChunk = max(1, maxChunk)
    }

    /// Copies the next bytes into `buffer`; 0 at the end.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = min(buffer.count, bytes.count - offset, maxChunk)
        guard n > 0 else { return 0 }
        bytes[offset..<(offset + n)].withUnsafeBytes { buffer.copyMemory(from: $0) }
        offset += n
        return n
    }
}
