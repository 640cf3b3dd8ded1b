// Helpers for the crash-safety tests: seeded random numbers, killing a command part-way, and a
// dump of tables that two databases can be compared by.
import Foundation
import Store

/// A small deterministic random generator (SplitMix64), so tests draw the same numbers every run.
public struct SplitMix: RandomNumberGenerator {
    public var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Seconds `body` takes.
public func secondsTaken(_ body: () throws -> Void) rethrows -> Double {
    let start = Date()
    try body()
    return Date().timeIntervalSince(start)
}

/// Starts `executable` with `arguments` (output discarded) and sends it SIGKILL after `delay`
/// seconds. Returns true when it was killed, false when it had already finished by then.
public func runAndKill(_ executable: String, _ arguments: [String], after delay: Double) throws -> Bool {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    usleep(useconds_t(max(0, delay) * 1_000_000))
    let killed = process.isRunning && kill(process.processIdentifier, SIGKILL) == 0
    process.waitUntilExit()
    return killed && process.terminationReason == .uncaughtSignal
}

/// Kill moments for a crash-safety test: seeded, spread uniformly over `[0, 0.95 × duration)`,
/// where `duration` starts as a measured full run and shrinks by a fifth after every moment that
/// came too late (a run measured on a busy machine can be quicker later).
public struct KillSchedule {
    private var generator: SplitMix
    /// The current estimate of a full run, in seconds.
    public private(set) var duration: Double

    public init(seed: UInt64, duration: Double) {
        generator = SplitMix(seed: seed)
        self.duration = duration
    }

    /// The next moment to kill at, in seconds after the start.
    public mutating func next() -> Double {
        Double(generator.next() % 10_000) / 10_000 * 0.95 * duration
    }

    /// Records that the last moment came after the run had finished.
    public mutating func tooLate() {
        duration *= 0.8
    }
}

/// Every row of every table of a database but `skipping`, as sorted lines "table | value | ...",
/// leaving out the columns named in `ignoring` as "table.column" (wall-clock times that differ
/// between runs). Only for databases made from the same starting copy, where row ids mean the same.
public func tableDump(databaseAt path: String, skipping: Set<String> = [], ignoring: Set<String> = []) throws -> [String] {
    let database = try Database(path: path, readOnly: true)
    let tables = try rows(database, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    var lines: [String] = try rows(database, "PRAGMA integrity_check").map { "integrity\t\($0)" }
    for table in tables where !skipping.contains(table) {
        let columns = try rows(database, "SELECT name FROM pragma_table_info('\(table)')")
            .filter { !ignoring.contains("\(table).\($0)") }
        let list = columns.map { "quote(\"\($0)\")" }.joined(separator: ", ")
        for row in try rows(database, "SELECT \(list) FROM \"\(table)\"") {
            lines.append(table + " | " + row)
        }
    }
    return lines.sorted()
}

/// The files under `folder` (following no links), each as "relative path: size bytes, FNV-1a hash",
/// with `latest` and other links as "relative path -> target". Hidden entries are left out unless
/// `hidden` is true.
public func folderSnapshot(_ folder: String, hidden: Bool = false) throws -> [String] {
    let manager = FileManager.default
    guard let enumerator = manager.enumerator(atPath: folder) else { return [] }
    var lines: [String] = []
    while let relative = enumerator.nextObject() as? String {
        let name = (relative as NSString).lastPathComponent
        if !hidden && name.hasPrefix(".") {
            enumerator.skipDescendants()
            continue
        }
        let full = folder + "/" + relative
        let attributes = try manager.attributesOfItem(atPath: full)
        switch attributes[.type] as? FileAttributeType {
        case .typeSymbolicLink?:
            lines.append("\(relative) -> \(try manager.destinationOfSymbolicLink(atPath: full))")
        case .typeRegular?:
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: full)))
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            lines.append("\(relative): \(bytes.count) bytes, \(String(hash, radix: 16))")
        default:
            lines.append("\(relative)/")
        }
    }
    return lines.sorted()
}
