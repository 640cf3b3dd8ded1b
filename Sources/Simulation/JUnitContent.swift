/// The bytes JUnit files are assembled from, prepared once per world and shared read-only by the
/// writer threads: every test name already XML-escaped, and a ring of log lines that `<system-out>`
/// and failure bodies are cut from with one copy each.
struct JUnitContent: Sendable {
    /// All escaped test names, back to back; test i is `names[nameStarts[i]..<nameStarts[i + 1]]`.
    let names: [UInt8]
    let nameStarts: [Int]
    /// Log lines repeated until the ring is longer than the longest body plus one cycle.
    let log: [UInt8]
    /// Offsets of line starts in `log`, ascending.
    let lineStarts: [Int]
    /// Lines in one cycle of the ring.
    let cycleLines: Int
    /// Per test: the Go source file its failures point at, escaped.
    let sourceFiles: [String]

    init(pool: TestPool, outputBytes: Int, seed: UInt64) {
        var random = SimulationRandom(seed: seed, 0x106)
        let text = ByteBuffer(capacity: 1 << 16)
        var starts: [Int] = []
        for test in pool.tests {
            starts.append(text.count)
            text.appendXMLEscaped(test.name)
        }
        starts.append(text.count)
        names = Array(text.bytes)
        nameStarts = starts

        let verbs = ["Creating", "Waiting for", "Deleting", "Updating", "Checking", "Watching", "Found", "Patching"]
        let objects = ["pod \"e2e-test-pod-%\"", "namespace e2e-test-%", "service \"svc-%\"", "deployment \"dep-%\"",
                       "route \"route-%\"", "configmap \"cm-%\"", "pvc \"pvc-%\" to be bound", "node ip-10-0-%.ec2.internal"]
        let sources = ["framework.go", "util.go", "pods.go", "wait.go", "service.go", "volumes.go", "builds.go", "router.go"]
        let cycle = ByteBuffer(capacity: 1 << 16)
        var cycleStarts: [Int] = []
        for _ in 0..<192 {
            cycleStarts.append(cycle.count)
            let stamp = random.below(86_400_000)
            cycle.append(string: random.chance(0.2) ? "  STEP: " : "  I1120 ")
            if stamp / 3_600_000 % 24 < 10 { cycle.append("0") }
            cycle.append(decimal: stamp / 3_600_000 % 24)
            cycle.append(":")
            cycle.append(decimal: 10 + stamp / 60_000 % 50)
            cycle.append(":")
            cycle.append(decimal: 10 + stamp / 1000 % 50)
            cycle.append(".")
            cycle.append(decimal: 100_000 + random.below(900_000))
            cycle.append(" ")
            cycle.append(decimal: 1000 + random.below(90_000))
            cycle.append(" ")
            cycle.append(string: random.pick(sources))
            cycle.append(":")
            cycle.append(decimal: 10 + random.below(900))
            cycle.append("] ")
            cycle.append(string: random.pick(verbs))
            cycle.append(" ")
            let object = random.pick(objects).split(separator: "%", omittingEmptySubsequences: false)
            cycle.appendXMLEscaped(object.map(String.init).joined(separator: String(random.below(100_000))))
            if random.chance(0.3) { cycle.append(" &amp;&amp; condition Ready=True after 2.0014s") }
            cycle.append("\n")
        }
        cycleLines = cycleStarts.count
        let cycleBytes = Array(cycle.bytes)
        let needed = 8 * outputBytes + 2 * cycleBytes.count
        var log: [UInt8] = []
        var lineStarts: [Int] = []
        repeat {
            for start in cycleStarts { lineStarts.append(log.count + start) }
            log.append(contentsOf: cycleBytes)
        } while log.count < needed
        self.log = log
        self.lineStarts = lineStarts
        let goFiles = ["networking/services.go", "node/pods.go", "storage/csi_volumes.go", "apps/deployment.go",
                       "apimachinery/resource_quota.go", "auth/oauth.go", "cli/admin.go", "prometheus/alerts.go",
                       "builds/s2i.go", "router/router.go", "etcd/leader.go", "scheduling/predicates.go"]
        sourceFiles = pool.tests.indices.map { index in
            "github.com/openshift/origin/test/extended/\(goFiles[index % goFiles.count]):\(40 + (index * 37) % 900)"
        }
    }

    /// The range of `log` to copy for a body of about `length` bytes, starting at a random line and
    /// ending at a line end.
    func logSlice(length: Int, random: inout SimulationRandom) -> Range<Int> {
        guard length > 0 else { return 0..<0 }
        let first = lineStarts[random.below(cycleLines)]
        var low = 0, high = lineStarts.count
        let wanted = first + length
        while low < high {
            let middle = (low + high) / 2
            if lineStarts[middle] < wanted { low = middle + 1 } else { high = middle }
        }
        let end = low < lineStarts.count ? lineStarts[low] : log.count
        return first..<end
    }
}
