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

    /// A snapshot from its stored form; nil when the text is not one.
    init?(text: String) {
        var entries: [Entry] = []
        for line in text.isEmpty ? [] : text.split(separator: "\n", omittingEmptySubsequences: false) {
            let fields = line.split(separator: "\t", maxSplits: 3, omittingEmptySubsequences: false)
            switch fields.first {
            case "D" where fields.count >= 2:
                guard let mtime = Int64(fields[1]) else { return nil }
                // The path is everything after the second tab (it may be "" for the run itself).
                let path = fields.count == 3 ? String(fields[2]) : fields.dropFirst(2).joined(separator: "\t")
                entries.append(.directory(relativePath: path, mtimeNanoseconds: mtime))
            case "F" where fields.count == 4:
                guard let mtime = Int64(fields[1]), let size = Int64(fields[2]) else { return nil }
                entries.append(.file(relativePath: String(fields[3]), size: size, mtimeNanoseconds: mtime))
            default:
                return nil
            }
        }
        self.entries = entries
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
