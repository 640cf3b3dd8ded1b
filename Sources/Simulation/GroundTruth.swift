/// The answers a simulated world was built with, and the totals `cisignal ingest` will count,
/// written as `ground-truth.json`.
enum GroundTruth {
    static let schema = "cisignal-simulation/1"
    static let flakeFormula = "flakeProbability = (1 - p) * r * p: the first attempt fails (1 - p), it is retried (r), the retry passes (p)"

    static func document(world: World, tallies: [RunTally]) -> JSONNode {
        let options = world.options
        let pool = world.pool
        func variants(_ job: SimulatedJob) -> JSONNode {
            .object([("release", .string(job.variants.release)), ("platform", .string(job.variants.platform)),
                     ("network", .string(job.variants.network)), ("architecture", .string(job.variants.architecture)),
                     ("upgrade", .bool(job.variants.upgrade)), ("topology", .string(job.variants.topology))])
        }
        func filter(_ filter: VariantFilter) -> JSONNode {
            var members: [(String, JSONNode)] = []
            if let platform = filter.platform { members.append(("platform", .string(platform))) }
            if let network = filter.network { members.append(("network", .string(network))) }
            if let architecture = filter.architecture { members.append(("architecture", .string(architecture))) }
            if let upgrade = filter.upgrade { members.append(("upgrade", .bool(upgrade))) }
            return .object(members)
        }
        func runEntry(_ index: Int, _ extra: [(String, JSONNode)] = []) -> JSONNode {
            let plan = world.runs[index]
            return .object([("job", .string(world.jobs[plan.jobIndex].name)), ("build", .string(plan.buildID)),
                            ("path", .string(plan.relativePath + (plan.archived ? ".tar.gz" : "")))] + extra)
        }

        var runsPerJob = [Int](repeating: 0, count: world.jobs.count)
        for plan in world.runs { runsPerJob[plan.jobIndex] += 1 }
        let jobs: [JSONNode] = world.jobs.enumerated().map { index, job in
            .object([("name", .string(job.name)), ("type", .string(job.kind.rawValue)), ("target", .string(job.target)),
                     ("variants", variants(job)), ("runs", .integer(runsPerJob[index]))])
        }
        let payloads: [JSONNode] = world.payloads.map { .object([("tag", .string($0.tag)), ("date", .string($0.date))]) }
        let regressions: [JSONNode] = world.regressions.map { regression in
            let test = pool.tests[regression.testIndex]
            return .object([
                ("test", .string(test.name)), ("component", .string(test.component)),
                ("componentWide", .optional(regression.componentGroup)),
                ("variantFilter", filter(regression.filter)),
                ("jobs", .array(regression.jobIndices.map { .string(world.jobs[$0].name) })),
                ("firstBadPayload", .string(world.payloads[regression.firstBadDay].tag)),
                ("fixedAtPayload", .optional(regression.fixedDay.map { world.payloads[$0].tag })),
                ("basePassProbability", .number(regression.basePassProbability)),
                ("newPassProbability", .number(regression.newPassProbability)),
                ("retryProbability", .number(test.retryProbability)),
            ])
        }
        var flaky: [JSONNode] = []
        var broken: [JSONNode] = []
        var skipped: [JSONNode] = []
        for test in pool.tests {
            switch test.behaviour {
            case .flaky:
                let p = test.fixedPassProbability ?? 1, r = test.retryProbability
                flaky.append(.object([
                    ("test", .string(test.name)), ("component", .string(test.component)),
                    ("passProbability", .number(p)), ("retryProbability", .number(r)),
                    ("flakeProbability", .number((1 - p) * r * p)),
                    ("failProbability", .number((1 - p) * (1 - r * p))),
                ]))
            case .brokenOn(let platform):
                broken.append(.object([("test", .string(test.name)), ("component", .string(test.component)),
                                       ("platform", .string(platform))]))
            case .stable: break
            }
            if !test.skippedOn.isEmpty {
                skipped.append(.object([("test", .string(test.name)), ("platforms", .array(test.skippedOn.map(JSONNode.string)))]))
            }
        }

        var infra: [JSONNode] = [], aborted: [JSONNode] = [], unfinished: [JSONNode] = [], corrupt: [JSONNode] = []
        var archived = 0
        var totals = RunTally()
        var runsLoaded = 0
        for (index, plan) in world.runs.enumerated() {
            let tally = tallies[index]
            if plan.archived { archived += 1 }
            switch plan.fate {
            case .installFailed, .noJUnit: infra.append(runEntry(index, [("kind", .string(plan.fate.rawValue))]))
            case .aborted: aborted.append(runEntry(index))
            case .unfinished: unfinished.append(runEntry(index))
            case .normal: break
            }
            if let file = tally.corruptFile, let kind = plan.corruption {
                corrupt.append(.object([("path", .string(file)), ("kind", .string(kind.rawValue)),
                                        ("runLoads", .bool(plan.fate != .unfinished)),
                                        ("job", .string(world.jobs[plan.jobIndex].name)), ("build", .string(plan.buildID))]))
            }
            if tally.result != nil { runsLoaded += 1 }
            totals.pass += tally.pass
            totals.fail += tally.fail
            totals.flake += tally.flake
            totals.skip += tally.skip
            totals.casesRead += tally.casesRead
            totals.casesWritten += tally.casesWritten
            totals.junitFilesLoaded += tally.junitFilesLoaded
            totals.xmlBytes += tally.xmlBytes
            totals.storedBytes += tally.storedBytes
        }

        let optionNodes: [(String, JSONNode)] = [
            ("seed", .string(String(options.seed))), ("days", .integer(options.days)), ("jobs", .integer(options.jobs)),
            ("runsPerDay", .integer(options.runsPerDay)), ("tests", .integer(options.tests)),
            ("endDate", .string(options.endDate)), ("release", .string(options.release)),
            ("presubmits", .integer(options.presubmits)), ("batches", .integer(options.batches)),
            ("regressions", .integer(options.regressions)), ("componentRegressions", .integer(options.componentRegressions)),
            ("archiveShare", .number(options.archiveShare)), ("infraShare", .number(options.infraShare)),
            ("corruptFiles", .integer(options.corruptFiles)), ("outputBytes", .integer(options.outputBytes)),
            ("verboseShare", .number(options.verboseShare)),
            ("verboseOutputBytes", .integer(options.verboseOutputBytes)),
            ("gzipLevel", .integer(Int(options.gzipLevel))),
        ]
        let totalNodes: [(String, JSONNode)] = [
            ("runsFound", .integer(world.runs.count)),
            ("runsLoaded", .integer(runsLoaded)),
            ("runsUnfinished", .integer(unfinished.count)),
            ("runsInfraFailed", .integer(infra.count)),
            ("runsAborted", .integer(aborted.count)),
            ("runsArchived", .integer(archived)),
            ("results", .object([("pass", .integer(totals.pass)), ("fail", .integer(totals.fail)),
                                 ("flake", .integer(totals.flake)), ("skip", .integer(totals.skip)),
                                 ("total", .integer(totals.pass + totals.fail + totals.flake + totals.skip))])),
            ("casesRead", .integer(totals.casesRead)),
            ("casesWritten", .integer(totals.casesWritten)),
            ("junitFilesLoaded", .integer(totals.junitFilesLoaded)),
            ("problems", .integer(corrupt.count)),
            ("junitXMLBytes", .integer(Int(totals.xmlBytes))),
            ("storedBytes", .integer(Int(totals.storedBytes))),
        ]
        return .object([
            ("schema", .string(schema)),
            ("options", .object(optionNodes)),
            ("notes", .array([
                .string("Paths are relative to this file's folder. Archived runs are BUILD.tar.gz beside the run folders."),
                .string("Presubmit and batch runs use base pass probabilities: regressions apply to periodic jobs only."),
                .string("Totals count what cisignal ingest loads: finished runs only, and no results from corrupt files."),
                .string("Infra-failed runs have only the install tests (install-failed) or no JUnit (no-junit)."),
            ])),
            ("flakeProbabilityFormula", .string(flakeFormula)),
            ("totals", .object(totalNodes)),
            ("payloads", .array(payloads)),
            ("jobs", .array(jobs)),
            ("regressions", .array(regressions)),
            ("flakyTests", .array(flaky)),
            ("brokenTests", .array(broken)),
            ("skippedTests", .array(skipped)),
            ("infraFailedRuns", .array(infra)),
            ("abortedRuns", .array(aborted)),
            ("unfinishedRuns", .array(unfinished)),
            ("corruptFiles", .array(corrupt)),
        ])
    }
}
