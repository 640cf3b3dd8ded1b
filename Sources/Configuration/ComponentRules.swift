/// How a test maps to a component and the team that owns it.
///
/// The rules are tried in order; the first that matches names the component. A test no rule
/// matches belongs to the component named by the first `[sig-x]` tag in its name ("sig-x"), and a
/// test without such a tag to the `unowned` component. The owner is the rule's `owner` when it
/// gives one, else the `owners` entry of the component, else "".
public struct ComponentRules: Sendable, Equatable {
    /// The matchers, in file order.
    public var rules: [ComponentRule]
    /// Owning team of each component, for components whose rule names no owner.
    public var owners: [String: String]
    /// The component of tests that match no rule and carry no `[sig-x]` tag.
    public var unowned: String

    /// Rules, owners and the name of the catch-all component.
    public init(rules: [ComponentRule], owners: [String: String], unowned: String) {
        self.rules = rules
        self.owners = owners
        self.unowned = unowned
    }

    /// The component and owner of a test.
    public func component(testName: String, classname: String, suite: String) -> (component: String, owner: String) {
        for rule in rules {
            let subject: String
            switch rule.field {
            case .test: subject = testName
            case .classname: subject = classname
            case .suite: subject = suite
            }
            if rule.pattern.matches(subject) {
                return (rule.component, rule.owner ?? owners[rule.component] ?? "")
            }
        }
        let component = Self.sigTag(in: testName) ?? unowned
        return (component, owners[component] ?? "")
    }

    /// The first `[sig-x]` tag of a test name, without brackets: "sig-x".
    static func sigTag(in name: String) -> String? {
        var rest = name[...]
        while let open = rest.range(of: "[sig-") {
            let after = rest[open.upperBound...]
            guard let close = after.firstIndex(of: "]") else { return nil }
            let tag = after[..<close]
            if !tag.isEmpty, !tag.contains("[") { return "sig-" + tag }
            rest = after
        }
        return nil
    }
}

/// One matcher: a regular expression on one field of a test, and what it maps to.
public struct ComponentRule: Sendable, Equatable {
    /// The field of a test result the pattern is matched against.
    public enum Field: String, Sendable, Equatable, CaseIterable {
        /// The test's name.
        case test
        /// The JUnit classname.
        case classname
        /// The JUnit suite name.
        case suite
    }

    /// Which field is matched.
    public var field: Field
    /// Matched anywhere in the field.
    public var pattern: Pattern
    /// The component a matching test belongs to.
    public var component: String
    /// The owning team; nil to look the component up in `owners`.
    public var owner: String?

    /// A rule mapping tests whose `field` matches `pattern` to `component`.
    public init(field: Field, pattern: Pattern, component: String, owner: String? = nil) {
        self.field = field
        self.pattern = pattern
        self.component = component
        self.owner = owner
    }
}
