// TestSupport: helpers shared by the test targets (temporary folders, running programs, the
// built cisignal binary, the package's folders). It holds no assertions.
import Foundation
import Store

/// A fresh directory under the system's temporary folder, removed when the value is released.
public final class TemporaryDirectory {
    public let path: String

    public init(_ label: String = "cisignal") {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        path = base.path
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    public func file(_ name: String) -> String { path + "/" + name }

    /// Writes `bytes` at `relativePath`, creating folders.
    @discardableResult
    public func write(_ relativePath: String, _ bytes: [UInt8]) throws -> String {
        let full = file(relativePath)
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: full))
        return full
    }

    @discardableResult
    public func write(_ relativePath: String, _ text: String) throws -> String {
        try write(relativePath, Array(text.utf8))
    }
}

/// The rows `sql` returns, each as its columns joined by " | " (NULL as "NULL").
public func rows(_ database: Database, _ sql: String) throws -> [String] {
    let statement = try database.prepare(sql)
    var rows: [String] = []
    while try statement.step() {
        rows.append((0..<statement.columnCount).map { statement.text($0) ?? "NULL" }.joined(separator: " | "))
    }
    return rows
}

/// The package's root folder, found from this source file's place.
public let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// `../shared/fixtures/junit` beside the package; tests that need it fail when it is missing.
public let fixturesRoot = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/fixtures/junit").path

/// Runs a program and returns its exit status, standard output and standard error.
@discardableResult
public func run(_ executable: String, _ arguments: [String], input: Data? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    if let input {
        let inPipe = Pipe()
        process.standardInput = inPipe
        try process.run()
        inPipe.fileHandleForWriting.write(input)
        try inPipe.fileHandleForWriting.close()
    } else {
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }
    // Read both pipes while the process runs, so a full pipe never blocks it.
    nonisolated(unsafe) var errData = Data()
    let reader = Thread { errData = err.fileHandleForReading.readDataToEndOfFile() }
    reader.start()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    while !reader.isFinished { usleep(1000) }
    return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
}

/// The bytes gzip-compressed by the system's gzip.
public func gzipped(_ bytes: [UInt8]) throws -> [UInt8] {
    let result = try runBinary("/bin/gzip", ["-c", "-n"], input: Data(bytes))
    return result
}

func runBinary(_ executable: String, _ arguments: [String], input: Data) throws -> [UInt8] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let inPipe = Pipe(), out = Pipe()
    process.standardInput = inPipe
    process.standardOutput = out
    try process.run()
    let writer = Thread {
        inPipe.fileHandleForWriting.write(input)
        try? inPipe.fileHandleForWriting.close()
    }
    writer.start()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Array(data)
}

/// The `cisignal` executable built beside the tests.
public let cisignalBinary: String = {
    var candidates: [String] = []
    if let override = ProcessInfo.processInfo.environment["CISIGNAL_BINARY"] { candidates.append(override) }
    for start in [CommandLine.arguments.first, Bundle.main.executablePath].compactMap({ $0 }) {
        var folder = URL(fileURLWithPath: start).deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(folder.appendingPathComponent("cisignal").path)
            folder = folder.deletingLastPathComponent()
        }
    }
    candidates.append(packageRoot.appendingPathComponent(".build/debug/cisignal").path)
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates.last!
}()
