/// One entry of a tar archive, as its header describes it.
public struct TarEntry: Sendable, Equatable {
    /// What an entry is.
    public enum Kind: Sendable, Equatable {
        /// A regular file (types '0', '\0', '7'); its body is the file's bytes.
        case file
        /// A directory (type '5', or an old-style name ending in "/").
        case directory
        /// A symbolic link (type '2'); `linkTarget` is where it points.
        case symlink
        /// A hard link (type '1'); `linkTarget` is the archive path of the linked entry.
        case hardlink
        /// Anything else: devices, FIFOs, GNU sparse or volume headers...
        case other
    }

    /// The path as written in the archive, after pax/GNU long names, with any leading "./" removed
    /// ("./" itself becomes "."). A directory's trailing "/" is kept if the archive has it.
    public var path: String
    /// The entry type.
    public var kind: Kind
    /// The size of the entry's body in bytes.
    public var size: Int64
    /// The target of a symbolic or hard link; nil for other kinds.
    public var linkTarget: String?
    /// The modification time, in seconds since the epoch.
    public var mtime: Int64

    /// An entry with the given fields.
    public init(path: String, kind: Kind, size: Int64, linkTarget: String? = nil, mtime: Int64 = 0) {
        self.path = path
        self.kind = kind
        self.size = size
        self.linkTarget = linkTarget
        self.mtime = mtime
    }
}

/// A streaming tar reader: headers one by one, each body as a stream; never extracts to disk.
///
/// Understands ustar (with the prefix field), pax extended headers ('x': path, linkpath, size,
/// mtime; 'g' global headers are skipped), GNU long names ('L') and long links ('K'), and GNU
/// base-256 numbers. Header checksums are verified. Two zero blocks end the archive; an archive
/// that simply stops after a complete entry is accepted too.
public final class TarReader {
    private static let blockSize = 512
    private static let bufferSize = 64 * 1024
    /// The largest pax or GNU long-name header body accepted.
    private static let maxMetadataSize: Int64 = 1 << 20

    private let source: ByteSource
    private let buffer: UnsafeMutableRawPointer
    private var bufferStart = 0
    private var bufferEnd = 0
    /// Bytes of the archive consumed so far.
    private var offset: Int64 = 0
    private var bodyRemaining: Int64 = 0
    private var paddingRemaining = 0
    private var generation = 0
    private var finished = false

    /// A reader of the tar archive in `source` (already decompressed, see `decodedSource`).
    public init(_ source: ByteSource) {
        self.source = source
        buffer = .allocate(byteCount: Self.bufferSize, alignment: 16)
    }

    deinit {
        buffer.deallocate()
    }

    /// The current entry's body as a stream of exactly `size` bytes, valid until the next call to
    /// `next()` (after which it reads as empty).
    public var body: ByteSource {
        TarBody(reader: self, generation: generation)
    }

    /// The next entry's header, or nil at the end of the archive. Skips the unread rest of the
    /// previous entry's body.
    public func next() throws -> TarEntry? {
        if finished { return nil }
        try skip(bodyRemaining + Int64(paddingRemaining))
        bodyRemaining = 0
        paddingRemaining = 0
        generation += 1

        var paxPath: String?
        var paxLinkPath: String?
        var paxSize: Int64?
        var paxMtime: Int64?
        var longName: String?
        var longLink: String?
        var header = [UInt8](repeating: 0, count: Self.blockSize)

        while true {
            var headerOffset = offset
            var got = try readHeaderBlock(&header)
            let pendingMetadata = paxPath != nil || paxLinkPath != nil || paxSize != nil || longName != nil || longLink != nil
            if got == 0 {
                if pendingMetadata { throw ArtifactError.truncatedTar }
                finished = true
                return nil
            }
            if header.allSatisfy({ $0 == 0 }) {
                // End-of-archive marker: a second zero block (or the end of the data) must follow.
                headerOffset = offset
                got = try readHeaderBlock(&header)
                if got == 0 || header.allSatisfy({ $0 == 0 }) {
                    if pendingMetadata { throw ArtifactError.truncatedTar }
                    finished = true
                    return nil
                }
                // A lone zero block: carry on with the header that follows it.
            }
            try verifyChecksum(header, at: headerOffset)

            guard let headerSize = Self.number(header[124..<136]), headerSize >= 0 else {
                throw ArtifactError.badTarHeader(offset: headerOffset, reason: "invalid size field")
            }
            let type = header[156]
            switch type {
            case UInt8(ascii: "x"), UInt8(ascii: "g"):
                let records = try readMetadata(size: headerSize, at: headerOffset)
                guard type == UInt8(ascii: "x") else { continue }  // global headers are not used
                for (key, value) in try Self.paxRecords(records, at: headerOffset) {
                    switch key {
                    case "path": paxPath = value
                    case "linkpath": paxLinkPath = value
                    case "size":
                        guard let size = Int64(value), size >= 0 else {
                            throw ArtifactError.badTarHeader(offset: headerOffset, reason: "invalid pax size \"\(value)\"")
                        }
                        paxSize = size
                    case "mtime":
                        let seconds = value.split(separator: ".", maxSplits: 1).first.map(String.init) ?? value
                        paxMtime = Int64(seconds)
                    default: break
                    }
                }
                continue
            case UInt8(ascii: "L"):
                longName = Self.string(try readMetadata(size: headerSize, at: headerOffset)[...])
                continue
            case UInt8(ascii: "K"):
                longLink = Self.string(try readMetadata(size: headerSize, at: headerOffset)[...])
                continue
            default:
                break
            }

            let name = Self.string(header[0..<100])
            let isUstar = header[257..<263].elementsEqual(Array("ustar\0".utf8))
            let prefix = isUstar ? Self.string(header[345..<500]) : ""
            let headerPath = prefix.isEmpty ? name : prefix + "/" + name
            let path = paxPath ?? longName ?? headerPath

            let kind: TarEntry.Kind
            switch type {
            case 0, UInt8(ascii: "0"), UInt8(ascii: "7"): kind = path.hasSuffix("/") ? .directory : .file
            case UInt8(ascii: "1"): kind = .hardlink
            case UInt8(ascii: "2"): kind = .symlink
            case UInt8(ascii: "5"): kind = .directory
            default: kind = .other
            }
            let linkTarget: String? = (kind == .symlink || kind == .hardlink)
                ? (paxLinkPath ?? longLink ?? Self.string(header[157..<257])) : nil
            let size = paxSize ?? headerSize
            guard size <= Self.maxEntrySize else {
                throw ArtifactError.badTarHeader(offset: headerOffset, reason: "entry size \(size) is larger than any real file")
            }
            let mtime = paxMtime ?? Self.number(header[136..<148]) ?? 0

            bodyRemaining = size
            paddingRemaining = Int((Int64(Self.blockSize) - size % Int64(Self.blockSize)) % Int64(Self.blockSize))
            return TarEntry(path: Self.strippingDotSlash(path), kind: kind, size: size, linkTarget: linkTarget, mtime: mtime)
        }
    }

    // MARK: Body

    fileprivate func readBody(into target: UnsafeMutableRawBufferPointer, generation: Int) throws -> Int {
        guard generation == self.generation, bodyRemaining > 0, target.count > 0 else { return 0 }
        let wanted = Int(min(Int64(target.count), bodyRemaining))
        let n = try readSome(into: UnsafeMutableRawBufferPointer(rebasing: target[..<wanted]))
        if n == 0 { throw ArtifactError.truncatedTar }
        bodyRemaining -= Int64(n)
        return n
    }

    // MARK: Headers

    /// Reads one header block; returns 0 at the clean end of the data, throws if it ends inside the block.
    private func readHeaderBlock(_ header: inout [UInt8]) throws -> Int {
        let got = try header.withUnsafeMutableBytes { try readExactly(into: $0) }
        if got != 0 && got != Self.blockSize { throw ArtifactError.truncatedTar }
        return got
    }

    private func verifyChecksum(_ header: [UInt8], at headerOffset: Int64) throws {
        guard let stored = Self.number(header[148..<156]) else {
            throw ArtifactError.badTarHeader(offset: headerOffset, reason: "invalid checksum field")
        }
        var unsigned: Int64 = 0
        var signed: Int64 = 0
        for (index, byte) in header.enumerated() {
            let value = (148..<156).contains(index) ? UInt8(ascii: " ") : byte
            unsigned += Int64(value)
            signed += Int64(Int8(bitPattern: value))
        }
        guard stored == unsigned || stored == signed else {
            throw ArtifactError.badTarHeader(offset: headerOffset, reason: "checksum mismatch (not a tar archive, or damaged)")
        }
    }

    /// The body of a pax or GNU long-name header, with its padding consumed.
    private func readMetadata(size: Int64, at headerOffset: Int64) throws -> [UInt8] {
        guard size <= Self.maxMetadataSize else {
            throw ArtifactError.badTarHeader(offset: headerOffset, reason: "extended header of \(size) bytes is too large")
        }
        var bytes = [UInt8](repeating: 0, count: Int(size))
        let got = try bytes.withUnsafeMutableBytes { try readExactly(into: $0) }
        guard got == Int(size) else { throw ArtifactError.truncatedTar }
        try skip(Int64((Self.blockSize - Int(size) % Self.blockSize) % Self.blockSize))
        return bytes
    }

    /// The records "length key=value\n" of a pax extended header.
    static func paxRecords(_ bytes: [UInt8], at headerOffset: Int64) throws -> [(String, String)] {
        let malformed = ArtifactError.badTarHeader(offset: headerOffset, reason: "malformed pax extended header")
        var records: [(String, String)] = []
        var start = 0
        while start < bytes.count {
            if bytes[start] == 0 { break }  // NUL padding some writers leave
            var index = start
            var length = 0
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                length = length * 10 + Int(bytes[index] - UInt8(ascii: "0"))
                guard length <= bytes.count else { throw malformed }
                index += 1
            }
            let end = start + length
            guard index > start, index < bytes.count, bytes[index] == UInt8(ascii: " "),
                  end <= bytes.count, end > index + 1, bytes[end - 1] == UInt8(ascii: "\n") else { throw malformed }
            let record = bytes[(index + 1)..<(end - 1)]
            guard let equals = record.firstIndex(of: UInt8(ascii: "=")) else { throw malformed }
            records.append((String(decoding: record[..<equals], as: UTF8.self),
                            String(decoding: record[(equals + 1)...], as: UTF8.self)))
            start = end
        }
        return records
    }

    /// A numeric header field: octal digits (space or NUL terminated), or GNU base-256.
    /// Sizes above this (1 PiB) are not believed: they only come from broken or hostile headers.
    static let maxEntrySize: Int64 = 1 << 50

    static func number(_ field: ArraySlice<UInt8>) -> Int64? {
        guard let first = field.first else { return nil }
        if first & 0x80 != 0 {
            guard first != 0xff else { return nil }  // negative
            var value = Int64(first & 0x7f)
            for byte in field.dropFirst() {
                guard value < (Int64.max >> 8) else { return nil }
                value = value << 8 | Int64(byte)
            }
            return value
        }
        var value: Int64 = 0
        var index = field.startIndex
        while index < field.endIndex, field[index] == UInt8(ascii: " ") { index += 1 }
        while index < field.endIndex {
            let byte = field[index]
            if byte == 0 || byte == UInt8(ascii: " ") { break }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "7"), value < (Int64.max >> 3) else { return nil }
            value = value << 3 | Int64(byte - UInt8(ascii: "0"))
            index += 1
        }
        return value
    }

    /// A NUL-terminated string field.
    static func string(_ field: ArraySlice<UInt8>) -> String {
        let end = field.firstIndex(of: 0) ?? field.endIndex
        return String(decoding: field[..<end], as: UTF8.self)
    }

    static func strippingDotSlash(_ path: String) -> String {
        var result = Substring(path)
        while result.hasPrefix("./") {
            result = result.dropFirst(2)
            while result.hasPrefix("/") { result = result.dropFirst() }
        }
        if result.isEmpty && !path.isEmpty { return "." }
        return String(result)
    }

    // MARK: Buffered input

    /// Reads some bytes (at least one unless the data has ended) into `target`.
    private func readSome(into target: UnsafeMutableRawBufferPointer) throws -> Int {
        guard target.count > 0 else { return 0 }
        if bufferStart == bufferEnd {
            if target.count >= Self.bufferSize {
                let n = try source.read(into: target)
                offset += Int64(n)
                return n
            }
            bufferStart = 0
            bufferEnd = try source.read(into: UnsafeMutableRawBufferPointer(start: buffer, count: Self.bufferSize))
            if bufferEnd == 0 { return 0 }
        }
        let n = min(target.count, bufferEnd - bufferStart)
        target.baseAddress!.copyMemory(from: buffer + bufferStart, byteCount: n)
        bufferStart += n
        offset += Int64(n)
        return n
    }

    /// Reads until `target` is full or the data ends; returns the bytes read.
    private func readExactly(into target: UnsafeMutableRawBufferPointer) throws -> Int {
        var filled = 0
        while filled < target.count {
            let n = try readSome(into: UnsafeMutableRawBufferPointer(rebasing: target[filled...]))
            if n == 0 { break }
            filled += n
        }
        return filled
    }

    /// Consumes `count` bytes; the data ending first means the archive is truncated.
    private func skip(_ count: Int64) throws {
        var remaining = count
        while remaining > 0 {
            if bufferStart == bufferEnd {
                bufferStart = 0
                bufferEnd = try source.read(into: UnsafeMutableRawBufferPointer(start: buffer, count: Self.bufferSize))
                if bufferEnd == 0 { throw ArtifactError.truncatedTar }
            }
            let n = Int(min(remaining, Int64(bufferEnd - bufferStart)))
            bufferStart += n
            offset += Int64(n)
            remaining -= Int64(n)
        }
    }
}

/// The body of the current tar entry.
private final class TarBody: ByteSource {
    private let reader: TarReader
    private let generation: Int

    init(reader: TarReader, generation: Int) {
        self.reader = reader
        self.generation = generation
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        try reader.readBody(into: buffer, generation: generation)
    }
}

/// True when `path` is safe to use under a destination directory: non-empty, relative, without a
/// ".." component and without NUL. Unsafe entries are not an error of the reader; callers skip them.
public func isSafeArchivePath(_ path: String) -> Bool {
    guard !path.isEmpty, !path.hasPrefix("/"), !path.utf8.contains(0) else { return false }
    return !path.split(separator: "/", omittingEmptySubsequences: true).contains("..")
}
