import Foundation
@testable import Simulation

/// A fresh temporary folder, removed when the value goes away.
final class TemporaryFolder {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("simulation-test-" + UUID().uuidString).path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// A world small enough for a test: 3 jobs × 4 days × 3 runs, plus presubmits and a batch.
func smallOptions(seed: UInt64 = 7, tests: Int = 200) -> SimulationOptions {
    var options = SimulationOptions()
    options.seed = seed
    options.jobs = 3
    options.days = 4
    options.runsPerDay = 3
    options.tests = tests
    options.presubmits = 3
    options.outputBytes = 300
    options.archiveShare = 0.2
    return options
}

/// Every regular file under `root`, by relative path, with its bytes.
func snapshot(_ root: String) throws -> [(String, Data)] {
    let enumerator = FileManager.default.enumerator(atPath: root)
    var files: [(String, Data)] = []
    while let relative = enumerator?.nextObject() as? String {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: root + "/" + relative, isDirectory: &isDirectory)
        if exists && !isDirectory.boolValue {
            files.append((relative, try Data(contentsOf: URL(fileURLWithPath: root + "/" + relative))))
        }
    }
    return files.sorted { $0.0 < $1.0 }
}

/// The ground truth written into `root`, parsed.
func groundTruth(_ root: String) throws -> [String: Any] {
    let data = try Data(contentsOf: URL(fileURLWithPath: root + "/ground-truth.json"))
    return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
}
