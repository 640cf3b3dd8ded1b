import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive advisory lock (flock) on `DATABASE.lock`, held by the one process that writes.
/// The kernel releases it when the process dies, so a killed run never leaves a stale lock.
public final class WriterLock {
    /// The lock file's path.
    public let path: String
    private let descriptor: Int32

    /// Takes the lock for the database at `databasePath`, waiting up to `timeoutSeconds` (0: not at all).
    /// Throws `StoreError.busy` when another process holds it. `suffix` names the lock file: the
    /// writers' lock is `DATABASE.lock`; the nightly job holds `DATABASE.nightly.lock` as well.
    public init(databasePath: String, timeoutSeconds: Double = 0, suffix: String = ".lock") throws {
        path = databasePath + suffix
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw StoreError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                let reason = String(cString: strerror(errno))
                close(descriptor)
                throw StoreError.cannotOpen(path: path, reason: reason)
            }
            if Date() >= deadline {
                let holder = Self.holder(descriptor: descriptor)
                close(descriptor)
                throw StoreError.busy(path: databasePath, holder: holder)
            }
            usleep(100_000)
        }
        // Say who holds it, for the message another process prints.
        let note = "pid \(getpid()) since \(ISO8601DateFormatter().string(from: Date()))\n"
        _ = ftruncate(descriptor, 0)
        _ = note.withCString { pwrite(descriptor, $0, strlen($0), 0) }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    private static func holder(descriptor: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 128)
        let count = pread(descriptor, &buffer, buffer.count, 0)
        guard count > 0 else { return "holder unknown" }
        return String(decoding: buffer[..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
