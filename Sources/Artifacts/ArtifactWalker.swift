#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds job runs in artifact trees and lists the files of a run directory.
///
/// Walks with open/readdir/fstatat, never FileManager. Symbolic links are followed only when their
/// resolved target lies inside one of the roots; a directory met again on its own descent path is
/// reported as a loop. Problems never stop a walk: they are collected and returned.
public struct ArtifactWalker: Sendable {
    /// File names whose presence makes a directory a run directory.
    public static let runMarkerNames: Set<String> = [
        "started.json", "finished.json", "prowjob.json",
        "started.json.gz", "finished.json.gz", "prowjob.json.gz",
    ]

    /// For tests: the errno to simulate when opening a directory, or nil to open it for real.
    var directoryOpenFault: (@Sendable (String) -> Int32?)?

    /// A walker.
    public init() {}

    /// True when `name` ends in `.tar.gz`, `.tgz` or `.tar`: outside run directories such a file is
    /// an archived run.
    public static func isArchiveName(_ name: String) -> Bool {
        name.hasSuffix(".tar.gz") || name.hasSuffix(".tgz") || name.hasSuffix(".tar")
    }

    /// Finds the job runs under each root (a bucket root, `logs/`, a job folder, a run folder or an
    /// archive file), sorted by path. A run reached twice (overlapping roots, links) is listed once,
    /// under a path without symbolic links when there is one, else its smallest path.
    ///
    /// - Parameter knownRunDirectories: run directories found before; they are taken as runs with a
    ///   `stat` instead of being listed (the caller checks each one's content anyway).
    public func findRuns(roots: [String], knownRunDirectories: Set<String> = []) -> (runs: [RunLocation], problems: [WalkProblem]) {
        let walk = Walk(mode: .findRuns, fault: directoryOpenFault)
        walk.knownRunDirectories = knownRunDirectories
        let normalized = roots.map(Self.normalize)
        walk.unresolvedRoots = normalized
        for root in normalized {
            guard let info = walk.statRoot(root) else { continue }
            let viaLink = Walk.isSymbolicLink(root)
            if Walk.isDirectory(info) {
                walk.visitDirectory(path: root, relative: "", viaLink: viaLink)
            } else if Walk.isRegular(info) && Self.isArchiveName(root) {
                walk.addRun(.archive(root), info, viaLink: viaLink)
            } else {
                walk.problem(root, "unreadable", "not a directory or a .tar.gz/.tgz/.tar archive")
            }
        }
        let runs = walk.runs.values.map(\.location).sorted { bytewisePrecedes($0.path, $1.path) }
        return (runs, walk.problems)
    }

    /// Lists every regular file under a run directory, recursively, sorted by relative path, with
    /// size and modification time. Links are followed only within the run directory.
    public func listFiles(ofRun directory: String) -> (files: [RunFile], problems: [WalkProblem]) {
        let listing = listRun(directory)
        return (listing.files, listing.problems)
    }

    /// Lists a run directory: its files as `listFiles` does, and its directories with their
    /// modification times.
    public func listRun(_ directory: String) -> RunListing {
        let walk = Walk(mode: .listFiles, fault: directoryOpenFault)
        let root = Self.normalize(directory)
        walk.unresolvedRoots = [root]
        if let info = walk.statRoot(root) {
            if Walk.isDirectory(info) {
                walk.visitDirectory(path: root, relative: "")
            } else {
                walk.problem(root, "unreadable", "not a directory")
            }
        }
        let files = walk.files.values.map(\.file).sorted { bytewisePrecedes($0.relativePath, $1.relativePath) }
        let directories = walk.directories.sorted { bytewisePrecedes($0.relativePath, $1.relativePath) }
        return RunListing(files: files, directories: directories, problems: walk.problems)
    }

    /// `path` without trailing slashes ("/" stays "/").
    static func normalize(_ path: String) -> String {
        var result = Substring(path)
        while result.count > 1 && result.hasSuffix("/") { result = result.dropLast() }
        return String(result)
    }
}

/// The state of one walk.
private final class Walk {
    enum Mode { case findRuns, listFiles }

    struct Identity: Hashable {
        var device: UInt64
        var inode: UInt64
        init(_ info: stat) {
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
        }
    }

    let mode: Mode
    let fault: (@Sendable (String) -> Int32?)?
    /// The roots as given; resolved (realpath, which reads every component's link) only when a
    /// symbolic link is actually met, since most walks meet none.
    var unresolvedRoots: [String] = []
    lazy var allowedRoots: [String] = unresolvedRoots.compactMap(Walk.realPath)
    /// Directories open on the descent path; past `maximumOpenDepth` they are opened by full path.
    private var openDepth = 0
    private static let maximumOpenDepth = 64
    var problems: [WalkProblem] = []
    /// The runs found, by identity, with whether the path went through a symbolic link.
    var runs: [Identity: (location: RunLocation, viaLink: Bool)] = [:]
    /// The files listed, by identity: a file reached twice (through a link) is listed once, so its
    /// content is never counted twice.
    var files: [Identity: (file: RunFile, viaLink: Bool)] = [:]
    /// Run directories known from before: taken as runs without listing them (in `.findRuns` mode).
    var knownRunDirectories: Set<String> = []
    /// The directories visited without passing a link (in `.listFiles` mode).
    var directories: [RunDirectory] = []
    /// The directories on the current descent path.
    var ancestors: Set<Identity> = []

    init(mode: Mode, fault: (@Sendable (String) -> Int32?)?) {
        self.mode = mode
        self.fault = fault
    }

    func problem(_ path: String, _ kind: String, _ reason: String) {
        problems.append(WalkProblem(path: path, kind: kind, reason: reason))
    }

    /// Records a file; one reached twice keeps a path without links if it has one, else the smallest.
    func addFile(_ file: RunFile, _ info: stat, viaLink: Bool) {
        let identity = Identity(info)
        if let known = files[identity] {
            let better = (known.viaLink && !viaLink)
                || (known.viaLink == viaLink && bytewisePrecedes(file.relativePath, known.file.relativePath))
            if !better { return }
        }
        files[identity] = (file, viaLink)
    }

    /// Records a run; one reached twice keeps a path without links if it has one, else the smallest.
    func addRun(_ run: RunLocation, _ info: stat, viaLink: Bool) {
        let identity = Identity(info)
        if let existing = runs[identity] {
            let keepExisting = existing.viaLink == viaLink
                ? !bytewisePrecedes(run.path, existing.location.path)
                : !existing.viaLink
            if keepExisting { return }
        }
        runs[identity] = (run, viaLink)
    }

    static func isDirectory(_ info: stat) -> Bool { info.st_mode & S_IFMT == S_IFDIR }
    static func isRegular(_ info: stat) -> Bool { info.st_mode & S_IFMT == S_IFREG }

    /// True when `path` itself (its last component) is a symbolic link.
    static func isSymbolicLink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// stat(2) of a root, following links; records a problem and returns nil if it fails.
    func statRoot(_ root: String) -> stat? {
        var info = stat()
        guard stat(root, &info) == 0 else {
            problem(root, "unreadable", errnoReason(errno))
            return nil
        }
        return info
    }

    /// True when the resolved path lies inside one of the roots.
    func isInsideRoots(_ resolved: String) -> Bool {
        allowedRoots.contains { root in
            resolved == root || resolved.hasPrefix(root == "/" ? "/" : root + "/")
        }
    }

    /// Visits a directory; `parent` is an open descriptor of the directory holding it and `name`
    /// its name there, so the kernel resolves one component instead of the whole path.
    func visitDirectory(path: String, relative: String, viaLink: Bool = false, parent: Int32 = AT_FDCWD, name: String? = nil) {
        if let code = fault?(path) {
            report(path, errno: code)
            return
        }
        var fd: Int32
        let relativeName = parent == AT_FDCWD ? path : (name ?? path)
        repeat { fd = openat(parent, relativeName, O_RDONLY | O_DIRECTORY | O_CLOEXEC) } while fd < 0 && errno == EINTR
        guard fd >= 0 else {
            report(path, errno: errno)
            return
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            report(path, errno: errno)
            _ = close(fd)
            return
        }
        let identity = Identity(info)
        if mode == .listFiles && !viaLink {
            directories.append(RunDirectory(
                relativePath: relative,
                mtimeNanoseconds: epochNanoseconds(seconds: Int64(info.st_mtim.tv_sec), nanoseconds: Int64(info.st_mtim.tv_nsec))))
        }
        if ancestors.contains(identity) {
            problem(path, "symlink-loop", "leads back to a directory above it")
            _ = close(fd)
            return
        }
        guard let directory = fdopendir(fd) else {
            report(path, errno: errno)
            _ = close(fd)
            return
        }
        // The directory (and fd) stays open while its entries and subdirectories are visited, so
        // they are opened relative to it; past `maximumOpenDepth` it is closed before descending.
        var openDirectory: OpaquePointer? = directory
        defer { if let directory = openDirectory { closedir(directory) } }

        var entries: [(name: String, type: UInt8)] = []
        while true {
            errno = 0
            guard let entry = readdir(directory) else {
                if errno != 0 { report(path, errno: errno) }
                break
            }
            let type = entry.pointee.d_type
            let name = withUnsafePointer(to: &entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            entries.append((name, type))
        }

        if mode == .findRuns && entries.contains(where: { ArtifactWalker.runMarkerNames.contains($0.name) }) {
            addRun(.directory(path), info, viaLink: viaLink)
            return
        }

        ancestors.insert(identity)
        defer { ancestors.remove(identity) }
        var subdirectories: [(path: String, relative: String, viaLink: Bool, name: String?)] = []
        entries.sort { bytewisePrecedes($0.name, $1.name) }
        for (name, type) in entries {
            let childPath = path == "/" ? "/" + name : path + "/" + name
            let childRelative = relative.isEmpty ? name : relative + "/" + name
            if Int(type) == DT_DIR {
                if mode == .findRuns && knownRunDirectories.contains(childPath), let child = statChild(fd, name, childPath) {
                    addRun(.directory(childPath), child, viaLink: viaLink)
                    continue
                }
                subdirectories.append((childPath, childRelative, viaLink, name))
                continue
            }
            if Int(type) == DT_REG && mode == .findRuns {
                if ArtifactWalker.isArchiveName(name), let child = statChild(fd, name, childPath) {
                    addRun(.archive(childPath), child, viaLink: viaLink)
                }
                continue
            }
            guard var child = statChild(fd, name, childPath) else { continue }
            let isLink = child.st_mode & S_IFMT == S_IFLNK
            if isLink {
                guard let target = followLink(childPath) else { continue }
                child = target
            }
            if Self.isDirectory(child) {
                subdirectories.append((childPath, childRelative, viaLink || isLink, isLink ? nil : name))
            } else if Self.isRegular(child) {
                switch mode {
                case .findRuns:
                    if ArtifactWalker.isArchiveName(name) {
                        addRun(.archive(childPath), child, viaLink: viaLink || isLink)
                    }
                case .listFiles:
                    addFile(RunFile(
                        path: childPath, relativePath: childRelative, size: Int64(child.st_size),
                        mtimeNanoseconds: epochNanoseconds(seconds: Int64(child.st_mtim.tv_sec), nanoseconds: Int64(child.st_mtim.tv_nsec))),
                            child, viaLink: viaLink || isLink)
                }
            }
        }
        let keepOpen = openDepth < Self.maximumOpenDepth
        if !keepOpen {
            closedir(directory)
            openDirectory = nil
        }
        openDepth += 1
        defer { openDepth -= 1 }
        for (childPath, childRelative, childViaLink, childName) in subdirectories {
            if keepOpen, let childName {
                visitDirectory(path: childPath, relative: childRelative, viaLink: childViaLink, parent: fd, name: childName)
            } else {
                visitDirectory(path: childPath, relative: childRelative, viaLink: childViaLink)
            }
        }
    }

    /// fstatat(2) without following links; records a problem and returns nil if it fails.
    private func statChild(_ fd: Int32, _ name: String, _ path: String) -> stat? {
        var info = stat()
        guard fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
            report(path, errno: errno)
            return nil
        }
        return info
    }

    /// The stat of a link's target when it may be followed; records a problem and returns nil otherwise.
    private func followLink(_ path: String) -> stat? {
        guard let resolved = Self.realPath(path) else {
            switch errno {
            case ELOOP: problem(path, "symlink-loop", "symbolic links form a loop")
            case ENOENT: problem(path, "unreadable", "broken symbolic link (its target does not exist)")
            default: report(path, errno: errno)
            }
            return nil
        }
        guard isInsideRoots(resolved) else {
            problem(path, "symlink-outside-root",
                    "symbolic link leads outside the \(mode == .listFiles ? "run folder" : "roots"), to \(resolved)")
            return nil
        }
        var info = stat()
        guard stat(resolved, &info) == 0 else {
            report(path, errno: errno)
            return nil
        }
        return info
    }

    /// Records a failed system call on `path`: ENOENT means it vanished during the walk.
    private func report(_ path: String, errno code: Int32) {
        if code == ENOENT {
            problem(path, "vanished", "disappeared during the walk")
        } else {
            problem(path, "unreadable", errnoReason(code))
        }
    }
}
