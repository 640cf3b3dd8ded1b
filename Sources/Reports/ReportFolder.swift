import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Why a report could not be written.
public enum ReportWriteError: Error, Equatable, CustomStringConvertible {
    case cannotWrite(path: String, reason: String)
    case unsafeName(String)
    case latestNotALink(path: String)

    public var description: String {
        switch self {
        case let .cannotWrite(path, reason): return "cannot write the report at \(path): \(reason); the previous report and `latest` are kept"
        case let .unsafeName(name): return "refusing to write report file '\(name)': not a plain relative path"
        case let .latestNotALink(path): return "\(path) exists and is not a symbolic link; move it away so it can point at the latest report"
        }
    }
}

/// Writes a report as one dated folder, all at once: the files go to a hidden temporary folder
/// beside it, which is then renamed to `ROOT/YYYY-MM-DD`, and `ROOT/latest` is switched to it by
/// renaming a new symbolic link over the old (unless `latest` shows a later day). A reader sees the old report or the new, never half.
/// It never writes outside `ROOT`: file names must be plain relative paths.
public enum ReportFolder {
    /// What a reader would call `path`: the dated folder rather than the hidden one it is written in.
    static func publicName(_ path: String, day: String, root: String) -> String {
        let hidden = (root as NSString).appendingPathComponent(".\(day).partial-\(getpid())")
        guard path.hasPrefix(hidden) else { return path }
        return (root as NSString).appendingPathComponent(day) + path.dropFirst(hidden.count)
    }

    /// The operating system's words for a Foundation error ("No space left on device"), when it has them.
    static func systemReason(_ error: Error) -> String {
        let error = error as NSError
        for candidate in [error, error.userInfo[NSUnderlyingErrorKey] as? NSError].compactMap({ $0 })
        where candidate.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(candidate.code)))
        }
        if error.domain == NSCocoaErrorDomain && error.code == NSFileWriteOutOfSpaceError {
            return String(cString: strerror(ENOSPC))
        }
        return error.localizedDescription
    }

    /// Writes `files` (relative path → bytes) as the report of `day` under `root`; returns the folder.
    @discardableResult
    public static func write(_ files: [String: Data], day: String, root: String) throws -> String {
        let manager = FileManager.default
        for name in files.keys where !isSafe(name) { throw ReportWriteError.unsafeName(name) }
        guard isSafe(day) && !day.contains("/") else { throw ReportWriteError.unsafeName(day) }
        func attempt<T>(_ path: String, _ body: () throws -> T) throws -> T {
            do { return try body() } catch let error as ReportWriteError { throw error } catch {
                throw ReportWriteError.cannotWrite(path: publicName(path, day: day, root: root), reason: systemReason(error))
            }
        }
        try attempt(root) { try manager.createDirectory(atPath: root, withIntermediateDirectories: true) }
        removeLeftovers(in: root)
        let pid = getpid()
        let temporary = (root as NSString).appendingPathComponent(".\(day).partial-\(pid)")
        let final = (root as NSString).appendingPathComponent(day)
        try? manager.removeItem(atPath: temporary)
        try attempt(temporary) { try manager.createDirectory(atPath: temporary, withIntermediateDirectories: false) }
        do {
            for (name, data) in files.sorted(by: { $0.key < $1.key }) {
                let path = (temporary as NSString).appendingPathComponent(name)
                try attempt(path) {
                    try manager.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                    try data.write(to: URL(fileURLWithPath: path))
                }
            }
            // Replace an older report of the same day: move it aside, move the new one in.
            var aside: String?
            if manager.fileExists(atPath: final) {
                aside = (root as NSString).appendingPathComponent(".\(day).old-\(pid)")
                try attempt(final) { try manager.moveItem(atPath: final, toPath: aside!) }
            }
            do {
                try attempt(final) {
                    guard rename(temporary, final) == 0 else { throw ReportWriteError.cannotWrite(path: final, reason: String(cString: strerror(errno))) }
                }
            } catch {
                // Put the old report back where it was.
                if let aside { _ = rename(aside, final) }
                throw error
            }
            if let aside { try? manager.removeItem(atPath: aside) }
        } catch {
            try? manager.removeItem(atPath: temporary)
            throw error
        }
        // `latest` is the newest day: a report written for an earlier day leaves it alone.
        let current = try? FileManager.default.destinationOfSymbolicLink(atPath: (root as NSString).appendingPathComponent("latest"))
        if current == nil || current! <= day { try pointLatest(at: day, root: root) }
        return final
    }

    /// Removes what killed writers left: `.DAY.partial-PID` and `.DAY.old-PID` folders and
    /// `.latest-PID` links of processes that no longer run. A set-aside old report whose day folder
    /// is missing is put back instead.
    static func removeLeftovers(in root: String) {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: root) else { return }
        for name in names where name.hasPrefix(".") {
            guard let dash = name.lastIndex(of: "-"), let pid = Int32(name[name.index(after: dash)...]),
                  pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            let path = (root as NSString).appendingPathComponent(name)
            if name.contains(".old-"), let day = name.dropFirst().components(separatedBy: ".old-").first,
               !manager.fileExists(atPath: (root as NSString).appendingPathComponent(day)) {
                _ = rename(path, (root as NSString).appendingPathComponent(day))
            } else if name.contains(".partial-") || name.contains(".old-") || name.hasPrefix(".latest-") {
                try? manager.removeItem(atPath: path)
            }
        }
    }

    /// Points `ROOT/latest` at `day` (a relative symbolic link), atomically.
    static func pointLatest(at day: String, root: String) throws {
        let latest = (root as NSString).appendingPathComponent("latest")
        var info = stat()
        if lstat(latest, &info) == 0 && (info.st_mode & S_IFMT) != S_IFLNK {
            throw ReportWriteError.latestNotALink(path: latest)
        }
        let link = (root as NSString).appendingPathComponent(".latest-\(getpid())")
        unlink(link)
        guard symlink(day, link) == 0 else { throw ReportWriteError.cannotWrite(path: link, reason: String(cString: strerror(errno))) }
        guard rename(link, latest) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(link)
            throw ReportWriteError.cannotWrite(path: latest, reason: reason)
        }
    }

    /// A relative path with no empty, "." or ".." part, no backslash and no control character.
    static func isSafe(_ name: String) -> Bool {
        guard !name.isEmpty, !name.hasPrefix("/"), !name.contains("\\") else { return false }
        if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) { return false }
        return name.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
    }
}
