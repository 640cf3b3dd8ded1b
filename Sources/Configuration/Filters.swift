/// Which jobs are analysed: a job is kept when it matches any `include` pattern (or `include` is
/// empty) and no `exclude` pattern.
public struct JobFilter: Sendable, Equatable {
    /// Jobs to keep; empty keeps every job.
    public var include: [Pattern]
    /// Jobs to drop, even when included.
    public var exclude: [Pattern]

    /// A filter from its two lists.
    public init(include: [Pattern] = [], exclude: [Pattern] = []) {
        self.include = include
        self.exclude = exclude
    }

    /// True when the job named `name` is analysed.
    public func keeps(_ name: String) -> Bool {
        (include.isEmpty || include.contains { $0.matches(name) }) && !exclude.contains { $0.matches(name) }
    }
}

/// Tests that are not product signal.
public struct TestFilter: Sendable, Equatable {
    /// Tests left out of every rate: the runner's own bookkeeping.
    public var ignore: [Pattern]
    /// Tests that only show whether the cluster was installed (infrastructure health).
    public var infrastructure: [Pattern]

    /// A filter from its two lists.
    public init(ignore: [Pattern] = [], infrastructure: [Pattern] = []) {
        self.ignore = ignore
        self.infrastructure = infrastructure
    }

    /// True when the test named `name` is left out of the rates.
    public func ignores(_ name: String) -> Bool { ignore.contains { $0.matches(name) } }

    /// True when the test named `name` only reports install or infrastructure health.
    public func isInfrastructure(_ name: String) -> Bool { infrastructure.contains { $0.matches(name) } }

}
