import Artifacts
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a run's files go: a run folder, or one `BUILD.tar.gz` holding `BUILD/...`.
protocol RunOutput: AnyObject {
    /// Writes one file of the run at `relative` (inside the run) with modification time `mtime`.
    func file(_ relative: String, _ bytes: UnsafeRawBufferPointer, mtime: Int64) throws(SimulationError)
    /// Completes the run's output.
    func close() throws(SimulationError)
}

/// Writes a run as a folder of files.
final class DirectoryOutput: RunOutput {
    private let root: String

    init(root: String) {
        self.root = root
    }

    func file(_ relative: String, _ bytes: UnsafeRawBufferPointer, mtime: Int64) throws(SimulationError) {
        try FileWriting.write(root + "/" + relative, bytes, mtime: mtime)
    }

    func close() throws(SimulationError) {}
}

/// Writes a run as `BUILD.tar.gz`: a gzipped ustar archive whose entries are `BUILD/...`.
final class ArchiveOutput: RunOutput {
    private let path: String
    private let prefix: String
    private let fd: Int32
    private let gzip: GzipWriter
    private let tar: TarWriter
    private var lastMtime: Int64 = 0

    init(path: String, buildID: String, level: Int32) throws(SimulationError) {
        self.path = path
        prefix = buildID + "/"
        fd = try FileWriting.create(path)
        do {
            gzip = try GzipWriter(sink: FileDescriptorSink(fd: fd), level: level)
        } catch {
            FileWriting.closeDescriptor(fd)
            throw .cannotWrite(path: path, reason: "\(error)")
        }
        tar = TarWriter(sink: gzip)
    }

    func file(_ relative: String, _ bytes: UnsafeRawBufferPointer, mtime: Int64) throws(SimulationError) {
        do {
            try tar.addFile(path: prefix + relative, bytes: bytes, mtime: mtime)
        } catch {
            throw .cannotWrite(path: path, reason: "\(error)")
        }
        lastMtime = max(lastMtime, mtime)
    }

    func close() throws(SimulationError) {
        defer { FileWriting.closeDescriptor(fd) }
        do {
            try tar.finish()
            try gzip.finish()
        } catch {
            throw .cannotWrite(path: path, reason: "\(error)")
        }
        FileWriting.setMtime(fd, lastMtime)
    }
}

/// Creating folders and files with POSIX calls.
enum FileWriting {
    /// Creates `path`'s parent folders and the file itself (truncated); returns its descriptor.
    static func create(_ path: String) throws(SimulationError) -> Int32 {
        try makeParents(of: path)
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .cannotWrite(path: path, reason: reason(errno)) }
        return fd
    }

    /// Writes a whole file and sets its modification time.
    static func write(_ path: String, _ bytes: UnsafeRawBufferPointer, mtime: Int64) throws(SimulationError) {
        let fd = try create(path)
        defer { _ = close(fd) }
        do {
            try FileDescriptorSink(fd: fd).write(bytes)
        } catch {
            throw .cannotWrite(path: path, reason: "\(error)")
        }
        setMtime(fd, mtime)
    }

    static func closeDescriptor(_ fd: Int32) {
        _ = close(fd)
    }

    static func setMtime(_ fd: Int32, _ seconds: Int64) {
        var times = (timespec(tv_sec: Int(seconds), tv_nsec: 0), timespec(tv_sec: Int(seconds), tv_nsec: 0))
        withUnsafePointer(to: &times) { pointer in
            pointer.withMemoryRebound(to: timespec.self, capacity: 2) { _ = futimens(fd, $0) }
        }
    }

    /// mkdir -p of the folder holding `path`; folders that already exist (another thread) are fine.
    static func makeParents(of path: String) throws(SimulationError) {
        var parts = path.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast()
        guard !parts.isEmpty else { return }
        let folder = parts.joined(separator: "/")
        if folder.isEmpty || directoryExists(folder) { return }
        try makeParents(of: folder)
        if mkdir(folder, 0o755) != 0 && errno != EEXIST {
            throw .cannotWrite(path: folder, reason: reason(errno))
        }
    }

    static func directoryExists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    static func reason(_ code: Int32) -> String {
        let message = String(cString: strerror(code))
        guard let first = message.first else { return "error \(code)" }
        return first.lowercased() + message.dropFirst()
    }
}
