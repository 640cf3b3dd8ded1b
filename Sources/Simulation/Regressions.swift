/// Which job variants a regression applies to; a nil field matches every value.
public struct VariantFilter: Sendable, Equatable {
    /// Only this platform.
    public var platform: String?
    /// Only this network.
    public var network: String?
    /// Only this architecture.
    public var architecture: String?
    /// Only upgrade (true) or non-upgrade (false) jobs.
    public var upgrade: Bool?

    /// True when `variants` has every value the filter names.
    public func matches(_ variants: JobVariants) -> Bool {
        (platform.map { $0 == variants.platform } ?? true)
            && (network.map { $0 == variants.network } ?? true)
            && (architecture.map { $0 == variants.architecture } ?? true)
            && (upgrade.map { $0 == variants.upgrade } ?? true)
    }
}

/// One test made worse, in some variants, from one payload on (and maybe fixed at a later one).
public struct InjectedRegression: Sendable {
    /// Index into the test pool.
    public var testIndex: Int
    /// The variants it applies to.
    public var filter: VariantFilter
    /// Indices of the periodic jobs the filter matches.
    public var jobIndices: [Int]
    /// The index of the first payload (day) with the lower pass probability.
    public var firstBadDay: Int
    /// The index of the payload that fixed it, or nil.
    public var fixedDay: Int?
    /// The pass probability of one attempt before (in every variant).
    public var basePassProbability: Double
    /// The pass probability of one attempt while regressed.
    public var newPassProbability: Double
    /// For a whole-component regression, the component; nil for a single test.
    public var componentGroup: String?

    /// True when a run of job `jobIndex` on payload `day` sees the regressed probability.
    func applies(jobIndex: Int, day: Int) -> Bool {
        day >= firstBadDay && (fixedDay.map { day < $0 } ?? true) && jobIndices.contains(jobIndex)
    }
}

enum RegressionPlanner {
    /// Chooses the regressions; sets each chosen test's fixed base pass probability in `pool`.
    static func plan(options: SimulationOptions, jobs: [SimulatedJob], pool: inout TestPool) -> [InjectedRegression] {
        var random = SimulationRandom(seed: options.seed, 0x4E64)
        var candidates = pool.regressionCandidates
        var regressions: [InjectedRegression] = []
        guard !jobs.isEmpty else { return [] }

        func take(_ index: Int) -> Int {
            candidates.removeAll { $0 == index }
            return index
        }
        func filterAndJobs() -> (VariantFilter, [Int]) {
            let job = random.pick(jobs)
            var filter = VariantFilter()
            switch random.below(6) {
            case 0, 1, 2: filter.platform = job.variants.platform
            case 3: filter.network = job.variants.network
            case 4: filter.upgrade = job.variants.upgrade
            default: break
            }
            if job.variants.architecture == "arm64" && random.chance(0.5) { filter = VariantFilter(architecture: "arm64") }
            return (filter, jobs.indices.filter { filter.matches(jobs[$0].variants) })
        }
        func days() -> (Int, Int?) {
            let days = options.days
            guard days >= 2 else { return (0, nil) }
            let first = random.integer(in: max(1, days / 3)...(days - 1))
            let fixed = (first + 1 <= days - 1 && random.chance(0.3)) ? random.integer(in: (first + 1)...(days - 1)) : nil
            return (first, fixed)
        }
        func add(_ test: Int, _ filter: VariantFilter, _ jobIndices: [Int], _ first: Int, _ fixed: Int?,
                 _ newP: Double, group: String?) {
            let base = 1 - 0.004 * random.unit()
            pool.tests[test].fixedPassProbability = base
            regressions.append(InjectedRegression(testIndex: test, filter: filter, jobIndices: jobIndices, firstBadDay: first,
                                                  fixedDay: fixed, basePassProbability: base, newPassProbability: newP,
                                                  componentGroup: group))
        }

        for _ in 0..<options.componentRegressions {
            // A component with at least four tests left to choose from.
            let components = pool.components.filter { name in candidates.filter { pool.tests[$0].component == name }.count >= 4 }
            guard !components.isEmpty else { break }
            let component = random.pick(components)
            let members = candidates.filter { pool.tests[$0].component == component }
            let size = min(members.count, random.integer(in: 3...5))
            let chosen = random.permutation(members.count).prefix(size).map { members[$0] }.sorted()
            let (filter, jobIndices) = filterAndJobs()
            let (first, fixed) = days()
            let newP = random.uniform(0.4, 0.8)
            for test in chosen {
                add(take(test), filter, jobIndices, first, fixed, min(0.95, max(0.2, newP + random.uniform(-0.1, 0.1))),
                    group: component)
            }
        }
        for _ in 0..<options.regressions {
            guard !candidates.isEmpty else { break }
            let test = take(random.pick(candidates))
            let (filter, jobIndices) = filterAndJobs()
            let (first, fixed) = days()
            add(test, filter, jobIndices, first, fixed, random.uniform(0.3, 0.85), group: nil)
        }
        return regressions
    }
}
