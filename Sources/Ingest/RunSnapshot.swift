import Artifacts
import Foundation
import Store

/// What a run directory looked like when it was read: every directory's modification time, and
/// the size and modification time of every file ingest reads (metadata and JUnit candidates).
///
/// Any file added to, removed from or renamed in a directory changes that directory's mtime, and
/// a file rewritten in place changes its own; so when every entry still stats the same, nothing
/// ingest would read has changed — proven with one `stat` per entry and no directory listing.
/// Files ingest never reads (logs, must-gather) are left out: their changes do not matter.
struct RunSnapshot: Equatable {
    enum Entry: Equatable {
        case directory(relativePath: String, mtimeNanoseconds: Int64)
        case file(relativePath: String, size: Int64, mtimeNanoseconds: Int64)
    }

    var entries: [Entry]

    /// The snapshot of a listing.
    init(_ listing: RunListing) {
        entries = listing.directories.map { .directory(relativePath: $0.relativePath, mtimeNanoseconds: $0.mtimeNanoseconds) }
            + listing.files.filter { RunFiles.metadata($0.relativePath) != nil || RunFiles.isJUnitCandidate($0.relativePath) }
            .map { .file(relativePath: $0.relativePath, size: $0.size, mtimeNanoseconds: $0.mtimeNanoseconds) }
    }

    /// The snapshot in its stored form: one entry a line, fields separated by tabs.
    var text: String {
        entries.map { entry in
            switch entry {
            case let .directory(path, mtime): return "D\t\(mtime)\t\(path)"
            case let .file(path, size, mtime): return "F\t\(mtime)\t\(size)\t\(path)"
            }
        }.joined(separator: "\n")
    }

    /// A snapshot from its stored form; nil when the text is not one. Parsed over UTF-8 bytes:
    /// every unchanged run's snapshot is parsed on every ingest.
    init?(text: String) {
        var text = text
        guard let entries = text.withUTF8({ Self.parse($0) }) else { return nil }
        self.entries = entries
    }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> [Entry]? {
        let tab = UInt8(ascii: "\t"), newline = UInt8(ascii: "\n")
        var entries: [Entry] = []
        var position = 0
        /// The number up to the next tab, which is consumed.
        func number() -> Int64? {
            var value: Int64 = 0, negative = false, digits = 0
            if position < bytes.count, bytes[position] == UInt8(ascii: "-") { negative = true; position += 1 }
            while position < bytes.count, bytes[position] != tab {
                let digit = bytes[position] &- UInt8(ascii: "0")
                guard digit < 10, value < Int64.max / 10 - 10 else { return nil }
                value = value * 10 + Int64(digit)
                digits += 1
                position += 1
            }
            guard digits > 0, position < bytes.count else { return nil }
            position += 1
            return negative ? -value : value
        }
        /// The rest of the line, which is consumed with its newline.
        func rest() -> String {
            let start = position
            while position < bytes.count, bytes[position] != newline { position += 1 }
            let path = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
            position += 1
            return path
        }
        while position < bytes.count {
            let kind = bytes[position]
            guard position + 1 < bytes.count, bytes[position + 1] == tab else { return nil }
            position += 2
            switch kind {
            case UInt8(ascii: "D"):
                guard let mtime = number() else { return nil }
                entries.append(.directory(relativePath: rest(), mtimeNanoseconds: mtime))
            case UInt8(ascii: "F"):
                guard let mtime = number(), let size = number() else { return nil }
                entries.append(.file(relativePath: rest(), size: size, mtimeNanoseconds: mtime))
            default:
                return nil
            }
        }
        return entries
    }

    /// The fingerprint stored for the run: a digest of the snapshot.
    var fingerprint: String {
        var hash = FNV1a()
        hash.add(text)
        return "dir:\(entries.count):" + hash.hex
    }

    /// True when every entry under `directory` still stats as recorded. Entries are looked up
    /// relative to the open run folder, so the kernel does not walk the whole path each time.
    func isCurrent(under directory: String) -> Bool {
        let folder = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard folder >= 0 else { return false }
        defer { close(folder) }
        var info = stat()
        for entry in entries {
            switch entry {
            case let .directory(path, mtime):
                guard fstatat(folder, path.isEmpty ? "." : path, &info, 0) == 0, info.st_mode & S_IFMT == S_IFDIR,
                      Self.mtime(info) == mtime else { return false }
            case let .file(path, size, mtime):
                guard fstatat(folder, path, &info, 0) == 0, info.st_mode & S_IFMT == S_IFREG,
                      Int64(info.st_size) == size, Self.mtime(info) == mtime else { return false }
            }
        }
        return true
    }

    private static func mtime(_ info: stat) -> Int64 {
        epochNanoseconds(seconds: Int64(info.st_mtim.tv_sec), nanoseconds: Int64(info.st_mtim.tv_nsec))
    }
}
