import Foundation
import Testing
@testable import Artifacts

/// A fresh temporary directory, removed when the value goes away.
final class TempDir {
    let path: String

    init() throws {
        var template = Array((NSTemporaryDirectory() + "/artifacts-test-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard made != nil else { throw TestFailure("mkdtemp failed") }
        path = String(cString: template.withUnsafeBufferPointer { $0.baseAddress! })
            .replacingOccurrences(of: "//", with: "/")
    }

    deinit {
        // Restore permissions some tests remove, then delete everything.
        _ = try? shell("chmod -R u+rwx . 2>/dev/null; true", in: path)
        try? FileManager.default.removeItem(atPath: path)
    }

    func file(_ relative: String) -> String { path + "/" + relative }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs `command` with /bin/sh in `directory`; throws if it exits non-zero.
@discardableResult
func shell(_ command: String, in directory: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", command]
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw TestFailure("command failed (\(process.terminationStatus)): \(command)")
    }
    return String(decoding: data, as: UTF8.self)
}

/// Writes `bytes` to `path`, creating parent directories.
func writeFile(_ path: String, _ bytes: [UInt8]) throws {
    let directory = (path as NSString).deletingLastPathComponent
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    try Data(bytes).write(to: URL(fileURLWithPath: path))
}

func writeFile(_ path: String, _ text: String) throws {
    try writeFile(path, Array(text.utf8))
}

func readFile(_ path: String) throws -> [UInt8] {
    Array(try Data(contentsOf: URL(fileURLWithPath: path)))
}

/// Everything `source` delivers, read in chunks of `chunk` bytes.
func readAll(_ source: ByteSource, chunk: Int = 64 * 1024) throws -> [UInt8] {
    var result: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: chunk)
    while true {
        let n = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
        if n == 0 { return result }
        result.append(contentsOf: buffer[..<n])
    }
}

/// The error `body` throws, as an ArtifactError (nil if it throws nothing or something else).
func artifactError(_ body: () throws -> Void) -> ArtifactError? {
    do {
        try body()
        return nil
    } catch let error as ArtifactError {
        return error
    } catch {
        return nil
    }
}

/// Deterministic test data: lines of text mixed with pseudo-random bytes.
func sampleBytes(count: Int, seed: UInt64 = 42) -> [UInt8] {
    var state = seed
    var bytes: [UInt8] = []
    bytes.reserveCapacity(count)
    var line = 0
    while bytes.count < count {
        line += 1
        bytes.append(contentsOf: Array("<testcase name=\"case \(line)\" time=\"0.\(line % 97)\"/>\n".utf8))
        for _ in 0..<(line % 13) {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            bytes.append(UInt8(truncatingIfNeeded: state >> 33))
        }
    }
    return Array(bytes[..<count])
}
