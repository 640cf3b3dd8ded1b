/// The result of one `<testcase>` element.
///
/// Precedence when a case carries several result children (as publish-unit-test-result-action):
/// `errored` > `failed` > `skipped` > `passed`.
public enum CaseStatus: String, Sendable {
    /// No failure, error or skip marker.
    case passed
    /// A `<failure>` (or Surefire `<rerunFailure>`) child and no error.
    case failed
    /// An `<error>` (or Surefire `<rerunError>`) child.
    case errored
    /// A `<skipped>` child, or a `status` attribute of `skipped`/`disabled` (Ginkgo, tst).
    case skipped
}

/// One `<testcase>` element, as read from a JUnit file.
public struct JUnitCase: Sendable, Equatable {
    /// The `name` attribute; `""` when missing.
    public var name: String
    /// The `classname` attribute; `""` when missing.
    public var classname: String
    /// Names of the enclosing `<testsuite>` elements, outermost first, joined with `" / "`.
    /// `""` when the case is not inside any named suite. Suites without a name are left out.
    public var suitePath: String
    /// The `time` attribute in seconds; 0 when missing or not a finite non-negative number.
    public var time: Double
    /// The case's outcome; see ``CaseStatus`` for the precedence rules.
    public var status: CaseStatus
    /// Surefire `<flakyFailure>` + `<flakyError>` children: failed attempts before the final pass.
    public var flakyAttempts: Int
    /// Surefire `<rerunFailure>` + `<rerunError>` children: failed re-runs after the first failure.
    public var rerunFailures: Int
    /// The first `<failure>`/`<error>` (or, when there is none, the first flaky/rerun element):
    /// its `message` attribute, a blank line, then its text (CDATA included; for Surefire flaky and
    /// rerun elements, the `<stackTrace>` text), trimmed and capped at
    /// ``JUnitReader/Options/maxMessageBytes`` UTF-8 bytes on a character boundary.
    /// `nil` when the case has no failure of any kind.
    public var message: String?
    /// The `file` attribute, when present.
    public var file: String?
    /// The `line` attribute, when present and an integer.
    public var line: Int?

    /// Makes a case; every field but `name` has a neutral default.
    public init(
        name: String, classname: String = "", suitePath: String = "", time: Double = 0,
        status: CaseStatus = .passed, flakyAttempts: Int = 0, rerunFailures: Int = 0,
        message: String? = nil, file: String? = nil, line: Int? = nil
    ) {
        self.name = name
        self.classname = classname
        self.suitePath = suitePath
        self.time = time
        self.status = status
        self.flakyAttempts = flakyAttempts
        self.rerunFailures = rerunFailures
        self.message = message
        self.file = file
        self.line = line
    }
}

/// What a whole JUnit file held, returned once the document ended well.
public struct JUnitFileSummary: Sendable, Equatable {
    /// Number of `<testcase>` elements passed to the reader's callback.
    public var cases: Int
    /// Number of `<testcase>` elements with neither a name nor a classname: they identify no
    /// test, so they were not passed to the callback (publish-unit-test-result-action drops them too).
    public var anonymousCases: Int
    /// Number of `<testsuite>` elements, nested ones included (`<testsuites>` is not counted).
    public var suites: Int
    /// Local name of the root element: `testsuites` or `testsuite`.
    public var rootElement: String

    /// Makes a summary.
    public init(cases: Int, suites: Int, rootElement: String, anonymousCases: Int = 0) {
        self.cases = cases
        self.anonymousCases = anonymousCases
        self.suites = suites
        self.rootElement = rootElement
    }
}
