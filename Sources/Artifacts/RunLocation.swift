/// Where one job run's artifacts are.
public enum RunLocation: Hashable, Sendable {
    /// A run directory: absolute, or relative to the current directory as the root was given.
    case directory(String)
    /// A `.tar.gz`, `.tgz` or `.tar` file holding one run directory.
    case archive(String)

    /// The path of the directory or archive.
    public var path: String {
        switch self {
        case .directory(let path), .archive(let path): return path
        }
    }
}

/// A problem met while walking: the path and a one-line reason.
///
/// `kind` is one of "unreadable", "vanished", "symlink-loop", "symlink-outside-root" (or an
/// `ArtifactError.kind` when a caller records a read problem the same way).
public struct WalkProblem: Sendable, Equatable {
    /// The path of the file, directory or link concerned.
    public var path: String
    /// A short kebab-case tag for the problems table.
    public var kind: String
    /// One line naming the reason, without the path.
    public var reason: String

    /// A problem with the given fields.
    public init(path: String, kind: String, reason: String) {
        self.path = path
        self.kind = kind
        self.reason = reason
    }
}

/// One regular file of a run directory.
public struct RunFile: Sendable, Equatable {
    /// The full path (the run directory's path as given, then the relative path).
    public var path: String
    /// The path relative to the run directory, "/"-separated.
    public var relativePath: String
    /// The size in bytes.
    public var size: Int64
    /// The modification time in nanoseconds since the epoch.
    public var mtimeNanoseconds: Int64

    /// A file with the given fields.
    public init(path: String, relativePath: String, size: Int64, mtimeNanoseconds: Int64) {
        self.path = path
        self.relativePath = relativePath
        self.size = size
        self.mtimeNanoseconds = mtimeNanoseconds
    }
}

/// One directory of a run directory (the run directory itself has relative path "").
public struct RunDirectory: Sendable, Equatable {
    /// The path relative to the run directory, "/"-separated.
    public var relativePath: String
    /// The modification time in nanoseconds since the epoch: it changes whenever an entry is
    /// added to, removed from or renamed in the directory.
    public var mtimeNanoseconds: Int64

    /// A directory with the given fields.
    public init(relativePath: String, mtimeNanoseconds: Int64) {
        self.relativePath = relativePath
        self.mtimeNanoseconds = mtimeNanoseconds
    }
}

/// Everything under a run directory: its files, its directories, and what could not be read.
public struct RunListing: Sendable, Equatable {
    /// Every regular file, sorted by relative path.
    public var files: [RunFile]
    /// Every directory visited (not those reached only through a link), sorted by relative path.
    public var directories: [RunDirectory]
    public var problems: [WalkProblem]
}
