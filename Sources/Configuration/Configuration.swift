// Configuration: reads cisignal.yaml — roots, database, report folder, variant and component
// rules, windows, job and test filters — with a built-in default for every setting.
// It must never let a bad file half-apply: one message naming the file, line and key, and nothing runs.

/// Everything `cisignal.yaml` sets. Every setting has a built-in default (`Settings.defaults`);
/// a file sets only what it names.
public struct Settings: Sendable, Equatable {
    /// Artifact roots to ingest.
    public var roots: [String]
    /// The SQLite database.
    public var database: String
    /// The folder reports are written to.
    public var reports: String
    /// How job names map to variants.
    public var variantRules: VariantRules
    /// How tests map to components and owners.
    public var componentRules: ComponentRules
    /// The lengths of the compared windows.
    public var windowLengths: WindowLengths
    /// Which jobs are analysed.
    public var jobFilter: JobFilter
    /// Tests left out, and tests that only show infrastructure health.
    public var testFilter: TestFilter
    /// Where a run's payload tag is looked for, in order: `annotation:KEY`, `label:KEY`,
    /// `started:KEY`, `finished:KEY` (the same meaning as the ingest stage's payload sources).
    public var payloadSources: [String]

    /// Every setting, spelled out.
    public init(roots: [String], database: String, reports: String, variantRules: VariantRules,
                componentRules: ComponentRules, windowLengths: WindowLengths, jobFilter: JobFilter,
                testFilter: TestFilter, payloadSources: [String]) {
        self.roots = roots
        self.database = database
        self.reports = reports
        self.variantRules = variantRules
        self.componentRules = componentRules
        self.windowLengths = windowLengths
        self.jobFilter = jobFilter
        self.testFilter = testFilter
        self.payloadSources = payloadSources
    }

    /// The variant keys, in order (by default release, platform, network, architecture, upgrade, topology).
    public var variantKeys: [String] { variantRules.keys }

    /// The variants of a job: every key of `variantKeys`, "" where unknown.
    public func variants(ofJob name: String) -> [String: String] { variantRules.variants(ofJob: name) }

    /// The component and owner of a test ("" when no owner is known).
    public func component(testName: String, classname: String = "", suite: String = "") -> (component: String, owner: String) {
        componentRules.component(testName: testName, classname: classname, suite: suite)
    }

    /// True when the job is analysed (see `JobFilter`).
    public func keepsJob(_ name: String) -> Bool { jobFilter.keeps(name) }

    /// True when the test is left out of every rate.
    public func ignoresTest(_ name: String) -> Bool { testFilter.ignores(name) }

    /// True when the test only shows install or infrastructure health.
    public func isInfrastructureTest(_ name: String) -> Bool { testFilter.isInfrastructure(name) }


}
