import Artifacts

/// What one run put on disk and what `cisignal ingest` will count from it.
struct RunTally: Sendable {
    /// (run, test) results by outcome, in files ingest reads whole, for finished runs only.
    var pass = 0, fail = 0, flake = 0, skip = 0
    /// `<testcase>` elements in files ingest reads whole (finished runs only).
    var casesRead = 0
    /// `<testcase>` elements written in all files, read or not.
    var casesWritten = 0
    /// JUnit files ingest reads whole (finished runs only).
    var junitFilesLoaded = 0
    /// Uncompressed JUnit XML bytes written.
    var xmlBytes: Int64 = 0
    /// Bytes written to disk.
    var storedBytes: Int64 = 0
    /// finished.json's result, nil for an unfinished run.
    var result: String?
    /// The corrupt file's path relative to the output folder.
    var corruptFile: String?
}

/// Writes runs; one per thread, reusing its buffers from run to run.
final class RunWriter {
    private let world: World
    private let content: JUnitContent
    private let outputRoot: String
    private let xml = ByteBuffer(capacity: 4 << 20)
    private let small = ByteBuffer(capacity: 16 << 10)
    private let compressed = MemorySink()
    private let gzip: GzipWriter
    private var probabilities: [Double] = []
    private var outcomes: [TestRunOutcome] = []

    init(world: World, content: JUnitContent, outputRoot: String) throws(SimulationError) {
        self.world = world
        self.content = content
        self.outputRoot = outputRoot
        do {
            gzip = try GzipWriter(sink: compressed, level: world.options.gzipLevel)
        } catch {
            throw .cannotWrite(path: outputRoot, reason: "\(error)")
        }
    }

    /// Writes every file of `plan` and returns what ingest will find in them.
    func write(_ plan: RunPlan) throws(SimulationError) -> RunTally {
        var random = SimulationRandom(seed: plan.seed)
        let job = world.jobs[plan.jobIndex]
        let payload: Payload? = job.kind == .periodic ? world.payloads[plan.day] : nil
        let revision = Self.hex(&random, count: 40)
        var tally = RunTally()
        let finished = plan.fate != .unfinished
        let installDuration = 2400 + random.below(900)

        // Decide every test's outcome first: the suite's header counts them.
        world.passProbabilities(jobIndex: plan.jobIndex, day: plan.day, into: &probabilities)
        outcomes.removeAll(keepingCapacity: true)
        let ranTests: Int
        switch plan.fate {
        case .normal: ranTests = world.pool.tests.count
        case .aborted: ranTests = random.chance(0.5) ? 1 + random.below(world.pool.tests.count) : 0
        case .unfinished, .installFailed, .noJUnit: ranTests = 0
        }
        var anyFailed = false
        for (index, test) in world.pool.tests.enumerated() {
            guard index < ranTests else {
                outcomes.append(.notRun)
                continue
            }
            if test.skippedOn.contains(job.variants.platform) {
                outcomes.append(.skip)
                continue
            }
            let p = probabilities[index]
            let outcome: TestRunOutcome
            if random.unit() < p {
                outcome = .pass
            } else if random.unit() < test.retryProbability {
                outcome = random.unit() < p ? .failThenPass : .failThenFail
            } else {
                outcome = .fail
            }
            if outcome == .fail || outcome == .failThenFail { anyFailed = true }
            outcomes.append(outcome)
        }
        let result: String? = switch plan.fate {
        case .normal: anyFailed ? "FAILURE" : "SUCCESS"
        case .aborted: "ABORTED"
        case .installFailed, .noJUnit: "FAILURE"
        case .unfinished: nil
        }
        tally.result = result

        let output: RunOutput = plan.archived
            ? try ArchiveOutput(path: outputRoot + "/" + plan.relativePath + ".tar.gz", buildID: plan.buildID,
                                level: world.options.gzipLevel)
            : DirectoryOutput(root: outputRoot + "/" + plan.relativePath)
        let target = "artifacts/" + job.target

        small.removeAll()
        RunMetadataJSON.started(into: small, plan: plan, job: job, revision: revision)
        try output.file("started.json", small.bytes, mtime: plan.start)
        tally.storedBytes += Int64(small.count)

        small.removeAll()
        let state = result.map { $0 == "SUCCESS" ? "success" : $0 == "ABORTED" ? "aborted" : "failure" } ?? "pending"
        RunMetadataJSON.prowjob(into: small, plan: plan, job: job, payload: payload, state: state, revision: revision)
        try output.file("prowjob.json", small.bytes, mtime: finished ? plan.end : plan.start)
        tally.storedBytes += Int64(small.count)

        small.removeAll()
        small.append(string: "Resolved source https://github.com/openshift/\(job.kind == .periodic ? "release" : "origin") to master@\(revision.prefix(8))\n")
        small.append(string: "Using namespace https://console.build05.ci.openshift.org/k8s/cluster/projects/ci-op-\(revision.prefix(8))\n")
        small.append(string: "Running step \(job.target)-ipi-install-install.\n")
        if plan.fate == .installFailed || plan.fate == .noJUnit {
            small.append(string: "Step \(job.target)-ipi-install-install failed after \(installDuration / 60)m.\n")
        }
        try output.file("build-log.txt", small.bytes, mtime: finished ? plan.end : plan.start + 600)
        tally.storedBytes += Int64(small.count)

        // The install step's JUnit, unless the run failed before it.
        if plan.fate != .noJUnit {
            xml.removeAll()
            let failedFrom = plan.fate == .installFailed ? 2 + random.below(3) : nil
            JUnitWriter.install(into: xml, failedFrom: failedFrom, duration: installDuration)
            let steps = TestNames.installSteps.count
            tally.casesWritten += steps
            if finished {
                tally.casesRead += steps
                tally.junitFilesLoaded += 1
                let failed = failedFrom.map { steps - $0 } ?? 0
                tally.fail += failed
                tally.pass += steps - failed
            }
            try store(target + "/ipi-install-install/artifacts/junit_install.xml", mode: Self.compression(&random),
                      mtime: plan.start + Int64(installDuration), output: output, tally: &tally)
        }

        // The e2e JUnit: whatever ran.
        if ranTests > 0 {
            let e2eStart = plan.start + Int64(installDuration) + 300
            xml.removeAll()
            let verbose = random.chance(world.options.verboseShare)
            let outputBytes = verbose ? world.options.verboseOutputBytes : world.options.outputBytes
            JUnitWriter.e2e(into: xml, outcomes: outcomes, content: content, payload: payload?.tag ?? "",
                            startedAt: e2eStart, outputBytes: outputBytes, random: &random)
            var cases = 0, pass = 0, fail = 0, flake = 0, skip = 0
            for outcome in outcomes {
                cases += outcome.cases
                switch outcome {
                case .pass: pass += 1
                case .fail, .failThenFail: fail += 1
                case .failThenPass: flake += 1
                case .skip: skip += 1
                case .notRun: break
                }
            }
            tally.casesWritten += cases
            var mode = Self.compression(&random)
            if plan.corruption == .truncatedGzip { mode = .gzipSuffix }
            if plan.corruption == .malformedXML { mode = .plain }
            let name = target + "/openshift-e2e-test/artifacts/junit/junit_e2e__\(compactStamp(e2eStart)).xml"
                + (mode == .gzipSuffix ? ".gz" : "")
            if let corruption = plan.corruption {
                tally.corruptFile = plan.relativePath + "/" + name
                tally.xmlBytes += Int64(xml.count)
                let stored: Int
                if corruption == .truncatedGzip {
                    try compress()
                    stored = compressed.bytes.count * 3 / 5
                    try writeCompressed(name, count: stored, mtime: plan.end - 120, output: output)
                } else {
                    xml.truncate(to: xml.count * 3 / 5)
                    stored = xml.count
                    try output.file(name, xml.bytes, mtime: plan.end - 120)
                }
                tally.storedBytes += Int64(stored)
            } else {
                if finished {
                    tally.casesRead += cases
                    tally.junitFilesLoaded += 1
                    tally.pass += pass
                    tally.fail += fail
                    tally.flake += flake
                    tally.skip += skip
                }
                try store(name, mode: mode, mtime: plan.end - 120, output: output, tally: &tally)
            }
        }

        // A non-JUnit XML file in some runs: ingest skips it without complaint.
        if plan.fate == .normal && random.chance(0.3) {
            xml.removeAll()
            JUnitWriter.pods(into: xml, random: &random)
            try store(target + "/gather-extra/artifacts/build-resources/pods.xml", mode: Self.compression(&random),
                      mtime: plan.end - 60, output: output, tally: &tally, isJUnit: false)
        }

        if let result {
            small.removeAll()
            RunMetadataJSON.finished(into: small, plan: plan, result: result, revision: revision)
            try output.file("finished.json", small.bytes, mtime: plan.end)
            tally.storedBytes += Int64(small.count)
        }
        try output.close()
        return tally
    }

    enum Compression { case plain, gzipSuffix, gzipPlainName }

    /// Most JUnit is gzipped: 60% as name.xml.gz, 25% gzip bytes under name.xml, 15% plain.
    static func compression(_ random: inout SimulationRandom) -> Compression {
        let u = random.unit()
        return u < 0.6 ? .gzipSuffix : u < 0.85 ? .gzipPlainName : .plain
    }

    /// Writes the XML buffer as `name` (plus ".gz" for `.gzipSuffix`).
    private func store(_ name: String, mode: Compression, mtime: Int64, output: RunOutput, tally: inout RunTally,
                       isJUnit: Bool = true) throws(SimulationError) {
        if isJUnit { tally.xmlBytes += Int64(xml.count) }
        switch mode {
        case .plain:
            try output.file(name, xml.bytes, mtime: mtime)
            tally.storedBytes += Int64(xml.count)
        case .gzipSuffix, .gzipPlainName:
            try compress()
            let path = mode == .gzipSuffix && !name.hasSuffix(".gz") ? name + ".gz" : name
            try writeCompressed(path, count: compressed.bytes.count, mtime: mtime, output: output)
            tally.storedBytes += Int64(compressed.bytes.count)
        }
    }

    /// Writes the first `count` bytes of `compressed` as `name`.
    private func writeCompressed(_ name: String, count: Int, mtime: Int64, output: RunOutput) throws(SimulationError) {
        var failure: SimulationError?
        compressed.bytes.withUnsafeBytes { all in
            do throws(SimulationError) {
                try output.file(name, UnsafeRawBufferPointer(rebasing: all[..<count]), mtime: mtime)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
    }

    /// Gzips the XML buffer into `compressed`.
    private func compress() throws(SimulationError) {
        compressed.removeAll()
        do {
            try gzip.reset(sink: compressed)
            try gzip.write(xml.bytes)
            try gzip.finish()
        } catch {
            throw .cannotWrite(path: outputRoot, reason: "\(error)")
        }
    }

    static func hex(_ random: inout SimulationRandom, count: Int) -> String {
        let digits = Array("0123456789abcdef")
        return String((0..<count).map { _ in digits[random.below(16)] })
    }
}
