// Shared helpers for the JUnit reader tests.
import Foundation
import Testing
@testable import JUnit

/// Parses `xml` in one piece.
func parse(_ xml: String, options: JUnitReader.Options = .init()) throws(JUnitError) -> (cases: [JUnitCase], summary: JUnitFileSummary) {
    try readJUnit(Array(xml.utf8), options: options)
}

/// The error `body` throws, or nil.
func junitError<T>(_ body: () throws(JUnitError) -> T) -> JUnitError? {
    do { _ = try body(); return nil } catch { return error }
}

/// Parses `bytes` fed in chunks of the given sizes (cycled).
func parseChunked(_ bytes: [UInt8], sizes: [Int], options: JUnitReader.Options = .init()) throws(JUnitError) -> [JUnitCase] {
    var cases: [JUnitCase] = []
    let reader = JUnitReader(options: options) { cases.append($0) }
    var offset = 0, i = 0
    while offset < bytes.count {
        let n = min(max(1, sizes[i % sizes.count]), bytes.count - offset)
        try reader.feed(Array(bytes[offset..<offset + n]))
        offset += n
        i += 1
    }
    _ = try reader.finish()
    return cases
}

/// The shared fixtures folder: `<package root>/../shared/fixtures/junit`.
func fixturesRoot(filePath: String = #filePath) throws -> URL {
    let packageRoot = URL(fileURLWithPath: filePath)
        .deletingLastPathComponent() // JUnitTests
        .deletingLastPathComponent() // Tests
        .deletingLastPathComponent() // package root
    let root = packageRoot.deletingLastPathComponent()
        .appendingPathComponent("shared/fixtures/junit").standardizedFileURL
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDir), isDir.boolValue else {
        Issue.record("JUnit fixtures folder missing: expected \(root.path) (the folder holding this package must have shared/fixtures/junit)")
        throw FixtureMissing(path: root.path)
    }
    return root
}

struct FixtureMissing: Error { let path: String }

/// All regular files under `dir`, sorted by path.
func files(under dir: URL) -> [URL] {
    let e = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: [.isRegularFileKey])
    var out: [URL] = []
    while let url = e?.nextObject() as? URL {
        if (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true { out.append(url) }
    }
    return out.sorted { $0.path < $1.path }
}

/// Reads a file and parses it, feeding 64 KiB chunks.
func parseFile(_ url: URL) throws -> (cases: [JUnitCase], summary: JUnitFileSummary) {
    let data = try Data(contentsOf: url)
    var cases: [JUnitCase] = []
    let reader = JUnitReader { cases.append($0) }
    var offset = 0
    while offset < data.count {
        let end = min(offset + 65536, data.count)
        try reader.feed(Array(data[offset..<end]))
        offset = end
    }
    let summary = try reader.finish()
    return (cases, summary)
}
