import Foundation
import TestSupport
import Testing

@Suite struct CronWrapperTests {
    var wrapper: String { packageRoot.appendingPathComponent("cron/cisignal-nightly").path }

    func environment(_ site: SimulatedSite) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["CISIGNAL"] = cisignalBinary
        environment["CISIGNAL_CONFIG"] = site.config
        environment["CISIGNAL_LOG_DIR"] = site.dir.file("log")
        return environment
    }

    func start(_ environment: [String: String], arguments: [String] = []) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: wrapper)
        process.arguments = ["--as-of", SimulatedSite.lastDay] + arguments
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return (process, out, err)
    }

    func finish(_ started: (Process, Pipe, Pipe)) -> (status: Int32, stdout: String, stderr: String) {
        let out = started.1.fileHandleForReading.readDataToEndOfFile()
        let err = started.2.fileHandleForReading.readDataToEndOfFile()
        started.0.waitUntilExit()
        return (started.0.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }

    /// Whether the first run is inside its lock: cisignal, started by the wrapper after it took the
    /// lock, has written its first log line. (Asking flock(1) would take the lock for a moment.)
    func nightlyStarted(_ site: SimulatedSite) -> Bool {
        let log = (try? String(contentsOfFile: site.dir.file("log/nightly.log"), encoding: .utf8)) ?? ""
        return log.contains("nightly start")
    }

    @Test func theWrapperRunsTheNightlyAndLogsIt() throws {
        let site = try SimulatedSite()
        let result = finish(try start(environment(site)))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("CISignal nightly 2026-11-20:"))
        let log = try String(contentsOfFile: site.dir.file("log/nightly.log"), encoding: .utf8)
        #expect(log.contains("stage report "))
        #expect(FileManager.default.fileExists(atPath: site.reports + "/latest/summary.md"))
        // A quiet second night: nothing for cron to mail.
        let quiet = finish(try start(environment(site)))
        #expect(quiet.status == 0 && quiet.stdout.isEmpty && quiet.stderr.isEmpty, "\(quiet)")
    }

    @Test func twoRunsAtOnceNeverOverlap() throws {
        let site = try SimulatedSite()
        let first = try start(environment(site))
        let deadline = Date().addingTimeInterval(60)
        while !nightlyStarted(site) && first.0.isRunning && Date() < deadline { usleep(5_000) }
        #expect(first.0.isRunning, "the first run ended before the second could start; the test proves nothing")
        let second = finish(try start(environment(site)))
        #expect(second.status == 1)
        #expect(second.stderr.contains("another nightly run holds"))
        #expect(second.stdout.isEmpty)
        let result = finish(first)
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test func theLogIsRotated() throws {
        let site = try SimulatedSite()
        try FileManager.default.createDirectory(atPath: site.dir.file("log"), withIntermediateDirectories: true)
        try "an old night\n".write(toFile: site.dir.file("log/nightly.log"), atomically: true, encoding: .utf8)
        var environment = environment(site)
        environment["CISIGNAL_ROTATE_BYTES"] = "5"
        let result = finish(try start(environment))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try String(contentsOfFile: site.dir.file("log/nightly.log.1"), encoding: .utf8) == "an old night\n")
        #expect(try !String(contentsOfFile: site.dir.file("log/nightly.log"), encoding: .utf8).contains("an old night"))
    }
}
