/// Writes a ustar archive to a sink (a file, memory, or a `GzipWriter` for `.tar.gz`), entry by entry.
///
/// Every header field that could vary is fixed — mode 0644, uid and gid 0, owner "root", the
/// caller's mtime — so the same entries always give the same bytes. A path of up to 100 bytes goes
/// in the name field; a longer one is split into ustar's prefix and name at a "/" when it fits, and
/// otherwise is written as a pax extended header (`path=`). `finish()` writes the two zero blocks
/// and pads the archive to a 10 KiB record, as tar(1) does.
public final class TarWriter {
    private static let blockSize = 512
    private static let recordSize = 10240
    /// The largest entry a ustar size field (11 octal digits) can hold.
    private static let maxSize: Int64 = (1 << 33) - 1

    private let sink: ByteSink
    private var offset: Int64 = 0
    private var isFinished = false

    /// A writer into `sink`.
    public init(sink: ByteSink) {
        self.sink = sink
    }

    /// Bytes written to the sink so far.
    public var bytesWritten: Int64 { offset }

    /// Adds a regular file at `path` (relative, "/"-separated) with the given body and modification
    /// time in seconds since the epoch.
    public func addFile(path: String, bytes: UnsafeRawBufferPointer, mtime: Int64) throws {
        guard !isFinished else { throw ArtifactWriteError.finished }
        guard Int64(bytes.count) <= Self.maxSize else {
            throw ArtifactWriteError.tarEntryUnsupported(reason: "\(bytes.count) bytes is over the ustar limit of 8 GiB")
        }
        let name = Array(path.utf8)
        guard !name.isEmpty, !name.contains(0) else {
            throw ArtifactWriteError.tarEntryUnsupported(reason: "the path is empty or contains NUL")
        }
        var header: [UInt8]
        if name.count <= 100 {
            header = Self.header(name: name[...], prefix: [], size: Int64(bytes.count), mtime: mtime, type: UInt8(ascii: "0"))
        } else if let split = Self.ustarSplit(name) {
            header = Self.header(name: name[(split + 1)...], prefix: name[..<split], size: Int64(bytes.count),
                                 mtime: mtime, type: UInt8(ascii: "0"))
        } else {
            let record = Self.paxRecord(key: "path", value: name)
            let paxName = Array("PaxHeaders/".utf8) + name.suffix(80).filter { $0 != UInt8(ascii: "/") }
            try emit(Self.header(name: paxName[...], prefix: [], size: Int64(record.count), mtime: mtime, type: UInt8(ascii: "x")))
            try emitBody(record)
            header = Self.header(name: name.suffix(100)[...], prefix: [], size: Int64(bytes.count), mtime: mtime,
                                 type: UInt8(ascii: "0"))
        }
        try emit(header)
        try emitBody(bytes)
    }

    /// Adds a regular file with the bytes of an array.
    public func addFile(path: String, bytes: [UInt8], mtime: Int64) throws {
        try bytes.withUnsafeBytes { try addFile(path: path, bytes: $0, mtime: mtime) }
    }

    /// Writes the end-of-archive blocks and the record padding. Does not finish the sink: a
    /// `GzipWriter` underneath is finished by its owner.
    public func finish() throws {
        guard !isFinished else { return }
        var padding = 2 * Self.blockSize
        let total = offset + Int64(padding)
        padding += Int((Int64(Self.recordSize) - total % Int64(Self.recordSize)) % Int64(Self.recordSize))
        try emit([UInt8](repeating: 0, count: padding))
        isFinished = true
    }

    // MARK: Writing

    private func emit(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try sink.write($0) }
        offset += Int64(bytes.count)
    }

    private func emitBody(_ bytes: UnsafeRawBufferPointer) throws {
        try sink.write(bytes)
        offset += Int64(bytes.count)
        let padding = (Self.blockSize - bytes.count % Self.blockSize) % Self.blockSize
        if padding > 0 { try emit([UInt8](repeating: 0, count: padding)) }
    }

    private func emitBody(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try emitBody($0) }
    }

    // MARK: Headers

    /// The index of the "/" that splits `name` into a prefix (≤ 155 bytes) and a name (≤ 100 bytes),
    /// or nil when none does.
    static func ustarSplit(_ name: [UInt8]) -> Int? {
        for index in name.indices.reversed() where name[index] == UInt8(ascii: "/") {
            let rest = name.count - index - 1
            if rest > 100 { return nil }
            if index <= 155 && rest > 0 && index > 0 { return index }
        }
        return nil
    }

    /// One pax record, "LENGTH key=value\n", where LENGTH counts the whole record including itself.
    static func paxRecord(key: String, value: [UInt8]) -> [UInt8] {
        let body = Array(" \(key)=".utf8) + value + [UInt8(ascii: "\n")]
        var length = body.count + 1
        while String(length).utf8.count + body.count != length { length += 1 }
        return Array(String(length).utf8) + body
    }

    static func header(name: ArraySlice<UInt8>, prefix: ArraySlice<UInt8>, size: Int64, mtime: Int64, type: UInt8) -> [UInt8] {
        var block = [UInt8](repeating: 0, count: blockSize)
        func put(_ bytes: some Collection<UInt8>, at start: Int) {
            for (index, byte) in bytes.enumerated() { block[start + index] = byte }
        }
        func octal(_ value: Int64, width: Int, at start: Int) {
            var digits = Array(String(max(0, value), radix: 8).utf8)
            if digits.count < width - 1 { digits = [UInt8](repeating: UInt8(ascii: "0"), count: width - 1 - digits.count) + digits }
            put(digits.suffix(width - 1), at: start)
        }
        put(name, at: 0)
        octal(0o644, width: 8, at: 100)
        octal(0, width: 8, at: 108)
        octal(0, width: 8, at: 116)
        octal(size, width: 12, at: 124)
        octal(min(max(mtime, 0), (1 << 33) - 1), width: 12, at: 136)
        block[156] = type
        put(Array("ustar\u{0}00".utf8), at: 257)
        put(Array("root".utf8), at: 265)
        put(Array("root".utf8), at: 297)
        put(prefix, at: 345)
        // The checksum is computed with its own field as eight spaces.
        put([UInt8](repeating: UInt8(ascii: " "), count: 8), at: 148)
        let sum = block.reduce(0) { $0 + Int($1) }
        var digits = Array(String(sum, radix: 8).utf8)
        if digits.count < 6 { digits = [UInt8](repeating: UInt8(ascii: "0"), count: 6 - digits.count) + digits }
        put(digits + [0, UInt8(ascii: " ")], at: 148)
        return block
    }
}
