import Foundation
import Testing
@testable import Simulation

@Suite struct DeterminismTests {
    @Test func sameSeedGivesIdenticalBytesWhateverTheThreadCount() throws {
        let first = try TemporaryFolder(), second = try TemporaryFolder(), third = try TemporaryFolder()
        var options = smallOptions()
        options.threads = 1
        _ = try Simulator.run(options: options, path: first.path)
        options.threads = 3
        _ = try Simulator.run(options: options, path: second.path)
        let a = try snapshot(first.path), b = try snapshot(second.path)
        #expect(a.count > 100)
        #expect(a.map(\.0) == b.map(\.0))
        for (left, right) in zip(a, b) where left.1 != right.1 {
            Issue.record("\(left.0) differs between two runs with the same seed")
        }

        options.seed += 1
        _ = try Simulator.run(options: options, path: third.path)
        let c = try snapshot(third.path)
        let differing = zip(a, c).filter { $0.0 != $1.0 || $0.1 != $1.1 }.count
        #expect(differing > a.count / 2 || a.count != c.count)
        #expect(try Data(contentsOf: URL(fileURLWithPath: first.path + "/ground-truth.json"))
                    != Data(contentsOf: URL(fileURLWithPath: third.path + "/ground-truth.json")))
    }

    @Test func generatorStreamsAreReproducibleAndIndependent() {
        var a = SimulationRandom(seed: 42, 1, 2), b = SimulationRandom(seed: 42, 1, 2), c = SimulationRandom(seed: 42, 2, 1)
        let first = (0..<8).map { _ in a.next() }
        #expect(first == (0..<8).map { _ in b.next() })
        #expect(first != (0..<8).map { _ in c.next() })
        var unit = SimulationRandom(seed: 1)
        let mean = (0..<100_000).reduce(0.0) { sum, _ in sum + unit.unit() } / 100_000
        #expect(abs(mean - 0.5) < 0.01)
        #expect(unit.permutation(10).sorted() == Array(0..<10))
    }

    @Test func datesAreComputedWithoutTheClockOrTimeZone() throws {
        let day = try #require(CivilDate(parsing: "2026-11-20"))
        #expect(day.midnight == 1_795_132_800)
        #expect(CivilDate(daysSinceEpoch: day.daysSinceEpoch - 20).text == "2026-10-31")
        #expect(CivilDate(parsing: "2024-02-29")?.text == "2024-02-29")
        #expect(CivilDate(parsing: "2026-02-29") == nil)
        #expect(CivilDate(parsing: "20261120") == nil)
        #expect(compactStamp(1_795_132_800 + 3 * 3600 + 12 * 60 + 7) == "20261120-031207")
        #expect(rfc3339(1_795_132_800 + 59) == "2026-11-20T00:00:59Z")
    }
}
