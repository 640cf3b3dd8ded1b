/// What kind of behaviour a test has, before any injected regression.
public enum TestBehaviour: Sendable, Equatable {
    /// Passes nearly always; its pass probability differs a little between variants.
    case stable
    /// Fails now and then: the same pass probability in every variant, between 80% and 99%.
    case flaky
    /// Never passes on one platform (a known broken test there); stable elsewhere.
    case brokenOn(platform: String)
}

/// One e2e test of the pool.
public struct SimulatedTest: Sendable {
    /// The full name, e.g. "[sig-network] Services should ... [Suite:openshift/conformance/parallel]".
    public var name: String
    /// The owning sig group, e.g. "sig-network".
    public var component: String
    /// Its behaviour class.
    public var behaviour: TestBehaviour
    /// The pass probability of one attempt where it does not vary by variant (flaky tests, and
    /// tests chosen for regressions); nil when it is drawn per job.
    public var fixedPassProbability: Double?
    /// The probability that openshift-tests retries a failed attempt in the same run.
    public var retryProbability: Double
    /// Platforms on which the test is skipped in every run.
    public var skippedOn: [String]
}

/// The fixed pool of e2e tests, made from the seed alone.
public struct TestPool: Sendable {
    /// The tests, in the order every run executes and reports them.
    public var tests: [SimulatedTest]
    /// The component names, in the order of `TestNames.components`.
    public var components: [String] { TestNames.components.map(\.name) }

    /// `count` tests with unique names spread over the components by weight.
    public init(count: Int, seed: UInt64) {
        var random = SimulationRandom(seed: seed, 0x7E57)
        let totalWeight = TestNames.components.reduce(0) { $0 + $1.weight }
        let suiteWeight = TestNames.suites.reduce(0) { $0 + $1.weight }
        var seen = Set<String>()  // membership only; never iterated
        var tests: [SimulatedTest] = []
        tests.reserveCapacity(count)
        for index in 0..<count {
            var pick = random.below(totalWeight)
            var component = 0
            while pick >= TestNames.components[component].weight {
                pick -= TestNames.components[component].weight
                component += 1
            }
            let entry = TestNames.components[component]
            var suitePick = random.below(suiteWeight)
            var suite = 0
            while suitePick >= TestNames.suites[suite].weight {
                suitePick -= TestNames.suites[suite].weight
                suite += 1
            }
            var name = ""
            for attempt in 0..<20 {
                name = "[\(entry.name)] \(random.pick(entry.subjects)) \(random.pick(TestNames.behaviours))"
                    + random.pick(TestNames.qualifiers)
                if attempt == 19 { name += " (case \(index))" }
                name += TestNames.suites[suite].tags
                if !seen.contains(name) { break }
            }
            seen.insert(name)
            tests.append(SimulatedTest(name: name, component: entry.name, behaviour: .stable, fixedPassProbability: nil,
                                       retryProbability: random.uniform(0.5, 1.0), skippedOn: []))
        }

        // Behaviours: a tail of flaky tests, a few broken on one platform, some skipped on a platform.
        let order = random.permutation(count)
        let flakyCount = count >= 10 ? max(1, count * 3 / 100) : 0
        let brokenCount = count >= 20 ? max(1, count / 400) : 0
        let skippedCount = count >= 20 ? max(1, count * 4 / 100) : 0
        var position = 0
        for _ in 0..<flakyCount {
            let test = order[position]
            position += 1
            tests[test].behaviour = .flaky
            tests[test].fixedPassProbability = random.uniform(0.80, 0.99)
            tests[test].retryProbability = random.uniform(0.8, 1.0)
        }
        for _ in 0..<brokenCount {
            let test = order[position]
            position += 1
            tests[test].behaviour = .brokenOn(platform: random.pick(JobCatalog.platforms))
        }
        for _ in 0..<skippedCount {
            let test = order[position]
            position += 1
            var platforms = [random.pick(JobCatalog.platforms)]
            if random.chance(0.3) {
                let second = random.pick(JobCatalog.platforms)
                if second != platforms[0] { platforms.append(second) }
            }
            tests[test].skippedOn = JobCatalog.platforms.filter(platforms.contains)
        }
        self.tests = tests
    }

    /// Indices of tests that may carry an injected regression: stable and never skipped.
    var regressionCandidates: [Int] {
        tests.indices.filter { tests[$0].behaviour == .stable && tests[$0].skippedOn.isEmpty }
    }

    /// The pass probability of one attempt of test `index` in `job` (before regressions).
    func basePassProbability(_ index: Int, job: SimulatedJob, jobIndex: Int, seed: UInt64) -> Double {
        let test = tests[index]
        if case .brokenOn(let platform) = test.behaviour, job.variants.platform == platform { return 0 }
        if let fixed = test.fixedPassProbability { return fixed }
        var random = SimulationRandom(seed: seed, 0xBA5E, UInt64(index), UInt64(jobIndex))
        if random.chance(0.7) { return 1 }
        let u = random.unit()
        return 1 - 0.005 * u * u
    }
}
