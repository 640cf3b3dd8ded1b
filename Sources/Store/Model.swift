/// How a job run was triggered.
public enum RunType: String, Sendable, CaseIterable {
    case periodic, postsubmit, presubmit, batch
}

/// How a job run ended, as its finished.json or prowjob.json says.
public enum RunResult: String, Sendable, CaseIterable {
    case success, failure, aborted, error
}

/// The outcome of one test in one job run, from all its attempts.
public enum Outcome: String, Sendable, CaseIterable {
    case pass, fail, flake, skip

    /// flake when it both failed and passed; fail when it failed; pass when it passed; else skip.
    public init(passes: Int, failures: Int) {
        switch (passes > 0, failures > 0) {
        case (true, true): self = .flake
        case (false, true): self = .fail
        case (true, false): self = .pass
        case (false, false): self = .skip
        }
    }
}

/// What is known of one job run from its metadata files. Every field but the job and build id
/// may be unknown (nil): missing or malformed metadata never drops a run.
public struct JobRun: Sendable, Equatable {
    /// The job's name, e.g. periodic-ci-openshift-release-master-nightly-4.18-e2e-aws-ovn.
    public var job: String
    /// The build id, unique within the job.
    public var buildID: String
    public var runType: RunType?
    /// Start time, Unix seconds UTC.
    public var startedAt: Int64?
    /// Finish time, Unix seconds UTC.
    public var finishedAt: Int64?
    public var result: RunResult?
    /// The release payload under test, e.g. 4.18.0-0.nightly-2026-11-07-013000.
    public var payloadTag: String?
    public var prNumber: Int64?
    /// The refs under test (org, repo, base ref and sha, pulls), as JSON.
    public var refsJSON: String?
    public var revision: String?
    public var url: String?

    /// The run's length in seconds, when both ends are known and in order.
    public var durationSeconds: Int64? {
        guard let startedAt, let finishedAt, finishedAt >= startedAt else { return nil }
        return finishedAt - startedAt
    }

    public init(job: String, buildID: String, runType: RunType? = nil, startedAt: Int64? = nil,
                finishedAt: Int64? = nil, result: RunResult? = nil, payloadTag: String? = nil,
                prNumber: Int64? = nil, refsJSON: String? = nil, revision: String? = nil, url: String? = nil) {
        self.job = job
        self.buildID = buildID
        self.runType = runType
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.result = result
        self.payloadTag = payloadTag
        self.prNumber = prNumber
        self.refsJSON = refsJSON
        self.revision = revision
        self.url = url
    }
}

/// A test's identity: its name and JUnit classname.
///
/// Hashing uses a 64-bit digest of both, computed once when the identity is made, so a long test
/// name is read once however many dictionaries the identity is looked up in.
public struct TestIdentity: Hashable, Sendable {
    public let name: String
    /// The JUnit classname; "" when the file gave none.
    public let classname: String
    /// A 64-bit digest of the name and the classname (for in-memory lookups only; never stored).
    public let digest: UInt64

    public init(name: String, classname: String) {
        self.name = name
        self.classname = classname
        digest = Self.mix(name, seed: Self.mix(classname, seed: 0x9E37_79B9_7F4A_7C15))
    }

    /// Folds a string's UTF-8 bytes into `seed`, eight at a time.
    private static func mix(_ text: String, seed: UInt64) -> UInt64 {
        var text = text
        return text.withUTF8 { bytes -> UInt64 in
            var hash = seed ^ (UInt64(bytes.count) &* 0xFF51_AFD7_ED55_8CCD)
            guard let base = bytes.baseAddress.map(UnsafeRawPointer.init) else { return finalize(hash) }
            var offset = 0
            while offset + 8 <= bytes.count {
                hash = (hash ^ base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0xC4CE_B9FE_1A85_EC53
                hash ^= hash >> 29
                offset += 8
            }
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while offset < bytes.count {
                tail |= UInt64(bytes[offset]) << shift
                shift += 8
                offset += 1
            }
            return finalize((hash ^ tail) &* 0xC4CE_B9FE_1A85_EC53)
        }
    }

    private static func finalize(_ value: UInt64) -> UInt64 {
        var hash = value
        hash ^= hash >> 33
        hash = hash &* 0xFF51_AFD7_ED55_8CCD
        hash ^= hash >> 33
        return hash
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(digest)
    }

    public static func == (left: TestIdentity, right: TestIdentity) -> Bool {
        left.digest == right.digest && left.name == right.name && left.classname == right.classname
    }
}

/// One test in one job run: every attempt of it, folded.
public struct TestResult: Sendable, Equatable {
    public var identity: TestIdentity
    /// Suite path of the first attempt.
    public var suitePath: String
    public var passes: Int
    /// Failed or errored attempts.
    public var failures: Int
    public var skips: Int
    /// Sum of the attempts' durations.
    public var durationSeconds: Double
    /// The first failure's text (already capped), if any attempt failed.
    public var failureMessage: String?

    public var name: String { identity.name }
    public var classname: String { identity.classname }
    public var outcome: Outcome { Outcome(passes: passes, failures: failures) }

    public init(identity: TestIdentity, suitePath: String, passes: Int = 0, failures: Int = 0,
                skips: Int = 0, durationSeconds: Double = 0, failureMessage: String? = nil) {
        self.identity = identity
        self.suitePath = suitePath
        self.passes = passes
        self.failures = failures
        self.skips = skips
        self.durationSeconds = durationSeconds
        self.failureMessage = failureMessage
    }

    public init(name: String, classname: String, suitePath: String, passes: Int = 0, failures: Int = 0,
                skips: Int = 0, durationSeconds: Double = 0, failureMessage: String? = nil) {
        self.init(identity: TestIdentity(name: name, classname: classname), suitePath: suitePath, passes: passes,
                  failures: failures, skips: skips, durationSeconds: durationSeconds, failureMessage: failureMessage)
    }
}

/// What a source file turned out to be.
public enum SourceKind: String, Sendable {
    case archive, metadata, junit, notJUnit = "not-junit", problem
}

/// One file read for a run: the ingest ledger's row.
public struct SourceRecord: Sendable, Equatable {
    /// The file's path; an archive member is "ARCHIVE!/MEMBER".
    public var path: String
    public var size: Int64
    public var mtimeNanoseconds: Int64
    /// CRC-32 of the stored bytes.
    public var crc32: UInt32
    public var kind: SourceKind

    public init(path: String, size: Int64, mtimeNanoseconds: Int64, crc32: UInt32, kind: SourceKind) {
        self.path = path
        self.size = size
        self.mtimeNanoseconds = mtimeNanoseconds
        self.crc32 = crc32
        self.kind = kind
    }
}

/// Something that could not be read: which file, a short kind (e.g. corrupt-gzip), and a one-line reason.
public struct Problem: Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var kind: String
    public var reason: String

    public init(path: String, kind: String, reason: String) {
        self.path = path
        self.kind = kind
        self.reason = reason
    }

    /// "PATH: REASON", the line printed for a person.
    public var description: String { "\(path): \(reason)" }
}

/// Everything the loader writes for one finished job run, in one transaction.
public struct RunLoad: Sendable {
    /// The run directory or archive.
    public var sourcePath: String
    /// A digest of the sources' state: equal fingerprints mean nothing changed.
    public var fingerprint: String
    /// For a run folder: its directories and read files with their mtimes (and sizes), so a later
    /// ingest can tell it is unchanged with `stat` alone. Nil for an archive.
    public var snapshot: String?
    public var run: JobRun
    public var results: [TestResult]
    public var sources: [SourceRecord]
    /// Problems met while reading this run; stored with the run.
    public var problems: [Problem]
    /// JUnit files whose results are in `results`.
    public var junitFiles: Int
    /// False when any JUnit file of the run could not be read whole (its results were left out).
    public var junitComplete: Bool
    /// JUnit test cases read (before folding attempts).
    public var casesRead: Int

    public init(sourcePath: String, fingerprint: String, snapshot: String? = nil, run: JobRun, results: [TestResult],
                sources: [SourceRecord], problems: [Problem], junitFiles: Int, junitComplete: Bool, casesRead: Int) {
        self.sourcePath = sourcePath
        self.fingerprint = fingerprint
        self.snapshot = snapshot
        self.run = run
        self.results = results
        self.sources = sources
        self.problems = problems
        self.junitFiles = junitFiles
        self.junitComplete = junitComplete
        self.casesRead = casesRead
    }
}
