import Foundation

/// The nightly's log: one line per event, each starting with an ISO 8601 UTC time, appended to a
/// file (created with its folder when missing). Never rotated here: `cron/cisignal-nightly` rotates it.
public final class NightlyLog: @unchecked Sendable {
    private let handle: FileHandle?
    private let clock: () -> Date
    private let formatter = ISO8601DateFormatter()
    private let lock = NSLock()
    /// Every line written, for the caller (tests, the digest).
    public private(set) var lines: [String] = []

    /// A log appending to `path`; nil logs to memory only.
    public init(path: String?, clock: @escaping () -> Date = { Date() }) throws {
        self.clock = clock
        guard let path else {
            handle = nil
            return
        }
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        if !FileManager.default.fileExists(atPath: path) { FileManager.default.createFile(atPath: path, contents: nil) }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw NightlyError.cannotLog(path: path, reason: "cannot open for appending")
        }
        handle.seekToEndOfFile()
        self.handle = handle
    }

    public func write(_ text: String) {
        // One line, and no control characters (a file name cannot send escape sequences to a terminal).
        let clean = String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) ? " " : scalar
        }))
        let line = formatter.string(from: clock()) + " " + clean
        lock.lock()
        defer { lock.unlock() }
        lines.append(line)
        handle?.write(Data((line + "\n").utf8))
    }

    deinit { try? handle?.close() }
}
