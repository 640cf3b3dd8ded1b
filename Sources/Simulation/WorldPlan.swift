/// One nightly payload: one a day.
public struct Payload: Sendable {
    /// The release image tag, e.g. 4.18.0-0.nightly-2026-11-20-013000.
    public var tag: String
    /// The day, YYYY-MM-DD.
    public var date: String
    /// When it was built (01:30 UTC of its day), Unix seconds.
    public var builtAt: Int64
}

/// What happens to a run.
public enum RunFate: String, Sendable {
    /// Installs, runs the tests, finishes SUCCESS or FAILURE by its test results.
    case normal
    /// Stopped part-way (finished.json says ABORTED); keeps the JUnit written so far.
    case aborted
    /// Still running: no finished.json.
    case unfinished
    /// Install failed: only the install JUnit, with a failing overall case; FAILURE.
    case installFailed = "install-failed"
    /// Failed before any step wrote JUnit; FAILURE.
    case noJUnit = "no-junit"
}

/// A deliberately damaged e2e JUnit file.
public enum Corruption: String, Sendable {
    /// A gzip file cut short: ingest reports `truncated-gzip`.
    case truncatedGzip = "truncated-gzip"
    /// A plain XML file cut short, as when the writer was killed: ingest reports `malformed-xml`.
    case malformedXML = "malformed-xml"
}

/// Everything decided about one run before its files are written.
public struct RunPlan: Sendable {
    /// Index into `World.jobs`.
    public var jobIndex: Int
    /// The payload (day) index.
    public var day: Int
    /// The Prow build id: 19 digits, increasing with the start time.
    public var buildID: String
    /// The run's folder (or archive, plus ".tar.gz"), relative to the output folder.
    public var relativePath: String
    /// Unix seconds.
    public var start: Int64
    /// Unix seconds; also the time of an unfinished run's last file.
    public var end: Int64
    public var fate: RunFate
    public var corruption: Corruption?
    /// Packed as `BUILD.tar.gz` beside the run folders.
    public var archived: Bool
    /// PR numbers, for presubmit and batch runs.
    public var pulls: [Int]
    /// The seed of this run's own generator.
    public var seed: UInt64
}

/// The whole simulated world, decided up front; only the runs' test results are left to draw.
public struct World: Sendable {
    public var options: SimulationOptions
    /// Periodic jobs, then the presubmit job when there are presubmit or batch runs.
    public var jobs: [SimulatedJob]
    public var pool: TestPool
    public var regressions: [InjectedRegression]
    public var payloads: [Payload]
    /// Every run, in the order the ground truth lists them.
    public var runs: [RunPlan]
    /// For each job, the indices of the regressions that name it.
    var regressionsByJob: [[Int]]

    /// Plans the world for `options` (which must be valid).
    public init(options: SimulationOptions) {
        self.options = options
        let seed = options.seed
        var random = SimulationRandom(seed: seed, 0x9024D)
        let periodic = JobCatalog.periodicJobs(count: options.jobs, release: options.release)
        var jobs = periodic
        if options.presubmits + options.batches > 0 { jobs.append(JobCatalog.presubmitJob(release: options.release)) }
        self.jobs = jobs
        var pool = TestPool(count: options.tests, seed: seed)
        let regressions = RegressionPlanner.plan(options: options, jobs: periodic, pool: &pool)
        self.pool = pool
        self.regressions = regressions
        regressionsByJob = jobs.indices.map { job in regressions.indices.filter { regressions[$0].jobIndices.contains(job) } }

        let endDay = CivilDate(parsing: options.endDate)!.daysSinceEpoch
        let payloads = (0..<options.days).map { index in
            let date = CivilDate(daysSinceEpoch: endDay - options.days + 1 + index)
            return Payload(tag: "\(options.release).0-0.nightly-\(date.text)-013000", date: date.text,
                           builtAt: date.midnight + 5400)
        }

        self.payloads = payloads
        func buildID(_ start: Int64, _ job: Int, _ ordinal: Int) -> String {
            String(1_790_000_000_000_000_000 as Int64 + start * 1_000_000 + Int64(job) * 1000 + Int64(ordinal % 1000))
        }
        var runs: [RunPlan] = []
        let slot = 72_000 / options.runsPerDay  // runs spread over 02:00-22:00
        for (jobIndex, job) in periodic.enumerated() {
            for day in 0..<options.days {
                for ordinal in 0..<options.runsPerDay {
                    let start = payloads[day].builtAt + 1800 + Int64(ordinal * slot + random.below(max(1, slot)))
                    let end = start + Int64(random.integer(in: 5400...14_400) + (job.variants.upgrade ? 1800 : 0))
                    let id = buildID(start, jobIndex, ordinal)
                    runs.append(RunPlan(jobIndex: jobIndex, day: day, buildID: id,
                                        relativePath: "logs/\(job.name)/\(id)", start: start, end: end, fate: .normal,
                                        corruption: nil, archived: false, pulls: [],
                                        seed: SimulationRandom.mix(seed, [0x2A, UInt64(jobIndex), UInt64(day), UInt64(ordinal)])))
                }
            }
        }
        let periodicCount = runs.count
        if let presubmitIndex = jobs.indices.last, jobs[presubmitIndex].kind == .presubmit {
            let job = jobs[presubmitIndex]
            for number in 0..<(options.presubmits + options.batches) {
                let isBatch = number >= options.presubmits
                let day = isBatch ? options.days - 1 : number % options.days
                let start = payloads[day].builtAt + 1800 + Int64(random.below(72_000))
                let end = start + Int64(random.integer(in: 5400...12_600))
                let id = buildID(start, presubmitIndex, 500 + number)
                let pulls = (0..<(isBatch ? 3 : 1)).map { _ in 28_000 + random.below(2000) }
                let path = isBatch ? "pr-logs/pull/batch/\(job.name)/\(id)"
                    : "pr-logs/pull/openshift_origin/\(pulls[0])/\(job.name)/\(id)"
                runs.append(RunPlan(jobIndex: presubmitIndex, day: day, buildID: id, relativePath: path, start: start,
                                    end: end, fate: .normal, corruption: nil, archived: false, pulls: pulls,
                                    seed: SimulationRandom.mix(seed, [0x9A, UInt64(number)])))
            }
        }
        Self.assignFates(&runs, periodicCount: periodicCount, options: options, random: &random)
        self.runs = runs
    }

    /// Picks the unfinished, aborted, infra-failed, corrupt and archived runs. Special fates go to
    /// periodic runs only; every kind gets at least one run in a world of eight or more runs.
    private static func assignFates(_ runs: inout [RunPlan], periodicCount: Int, options: SimulationOptions,
                                    random: inout SimulationRandom) {
        let order = random.permutation(periodicCount)
        var next = 0
        func take(_ count: Int, _ body: (inout RunPlan) -> Void) {
            for _ in 0..<count where next < order.count {
                body(&runs[order[next]])
                next += 1
            }
        }
        let minimum = periodicCount >= 8 ? 1 : 0
        let infra = Int((Double(periodicCount) * options.infraShare).rounded())
        let installFailed = options.infraShare > 0 ? max(minimum, infra - infra / 4) : 0
        let noJUnit = options.infraShare > 0 ? max(minimum, infra / 4) : 0
        take(max(minimum, periodicCount / 100)) { run in
            run.fate = .unfinished
            run.end = run.start + 3600
        }
        take(max(minimum, periodicCount / 100)) { run in
            run.fate = .aborted
            run.end = run.start + Int64(3600 + (run.seed % 5400))
        }
        take(installFailed) { run in
            run.fate = .installFailed
            run.end = run.start + Int64(2400 + (run.seed % 2400))
        }
        take(noJUnit) { run in
            run.fate = .noJUnit
            run.end = run.start + Int64(1200 + (run.seed % 1800))
        }
        var corrupt = 0
        take(options.corruptFiles) { run in
            run.corruption = corrupt % 2 == 0 ? .truncatedGzip : .malformedXML
            corrupt += 1
        }
        // Archives: any finished, uncorrupted run, periodic or not.
        let packable = random.permutation(runs.count).filter { runs[$0].fate != .unfinished && runs[$0].corruption == nil }
        let archived = Int((Double(runs.count) * options.archiveShare).rounded())
        for index in packable.prefix(archived) {
            runs[index].archived = true
        }
    }

    /// The pass probability of one attempt of each test in a run of `jobIndex` on payload `day`.
    func passProbabilities(jobIndex: Int, day: Int, into probabilities: inout [Double]) {
        let job = jobs[jobIndex]
        probabilities.removeAll(keepingCapacity: true)
        for index in pool.tests.indices {
            probabilities.append(pool.basePassProbability(index, job: job, jobIndex: jobIndex, seed: options.seed))
        }
        for regression in regressionsByJob[jobIndex] where regressions[regression].applies(jobIndex: jobIndex, day: day) {
            probabilities[regressions[regression].testIndex] = regressions[regression].newPassProbability
        }
    }
}
