import Configuration
import Foundation
import Testing

/// A bad file is one message naming the file, the line and the key.
struct ErrorTests {
    func failure(_ yaml: String, sourceLocation: SourceLocation = #_sourceLocation) -> ConfigurationError? {
        do {
            _ = try Settings.parse(yaml: yaml, file: "cisignal.yaml")
            Issue.record("no error for:\n\(yaml)", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }

    @Test func yamlSyntaxErrorNamesTheLine() throws {
        let error = try #require(failure("database: a.sqlite\nwindows:\n  current_days: [7\nreports: x\n"))
        #expect(error.line >= 3)
        #expect(error.description.hasPrefix("cisignal.yaml:\(error.line): YAML syntax error: "))
        #expect(!error.description.contains("\n"))
    }

    @Test func duplicateKey() throws {
        let error = try #require(failure("database: a\nreports: b\ndatabase: c\n"))
        #expect(error.description.contains("duplicate key 'database'"))
        #expect(error.line > 0)
    }

    @Test func unknownKeySuggestsTheNearest() throws {
        let error = try #require(failure("roots: []\n\ndatabse: x.sqlite\n"))
        #expect(error.description == "cisignal.yaml:3: unknown key 'databse' (did you mean 'database'?)")
        #expect(error.key == "databse")
    }

    @Test func unknownNestedKey() throws {
        let error = try #require(failure("windows:\n  current_days: 7\n  previos_days: 7\n"))
        #expect(error.description == "cisignal.yaml:3: unknown key 'windows.previos_days' (did you mean 'windows.previous_days'?)")
        let far = try #require(failure("colour: blue\n"))
        #expect(far.description == "cisignal.yaml:1: unknown key 'colour'")
    }

    @Test func wrongTypeNamesLineAndKey() throws {
        let roots = try #require(failure("database: x\nroots: /mnt/ci\n"))
        #expect(roots.description == "cisignal.yaml:2: roots must be a list of paths, not '/mnt/ci'")
        #expect(roots.key == "roots")
        let jobs = try #require(failure("jobs:\n  include:\n    - {a: b}\n"))
        #expect(jobs.description == "cisignal.yaml:3: jobs.include[0] must be a regular expression, not a mapping")
        let top = try #require(failure("- a\n- b\n"))
        #expect(top.description == "cisignal.yaml:1: the file must be a mapping of keys to values, not a list")
    }

    @Test func badRegexNamesLineAndKey() throws {
        let yaml = """
            variants:
              - variant: release
                regex: '-(\\d+)-'
              - variant: platform
                tokens: {aws: aws}
              - variant: network
                regex: '('
            """
        let error = try #require(failure(yaml))
        #expect(error.description == "cisignal.yaml:7: variants[2].regex: invalid regular expression '(': expected ')'")
        #expect(error.key == "variants[2].regex")
        let test = try #require(failure("tests:\n  ignore:\n    - ok\n    - '[a'\n"))
        #expect(test.description.hasPrefix("cisignal.yaml:4: tests.ignore[1]: invalid regular expression '[a': "))
    }

    @Test func outOfRangeNumbers() throws {
        let error = try #require(failure("\n\nwindows:\n  previous_days: 7\n\n\n  current_days: 0\n"))
        #expect(error.description == "cisignal.yaml:7: windows.current_days must be a whole number from 1 to 365")
        let big = try #require(failure("windows: {previous_days: 366}"))
        #expect(big.key == "windows.previous_days")
        let text = try #require(failure("windows: {previous_days: seven}"))
        #expect(text.description == "cisignal.yaml:1: windows.previous_days must be a whole number from 1 to 365")
    }

    @Test func incompleteRules() throws {
        let noVariant = try #require(failure("variants:\n  - regex: '(x)'\n"))
        #expect(noVariant.description.hasPrefix("cisignal.yaml:2: variants[0] needs a 'variant'"))
        let both = try #require(failure("variants:\n  - variant: a\n    regex: '(x)'\n    tokens: {x: y}\n"))
        #expect(both.key == "variants[0]")
        let noGroup = try #require(failure("variants:\n  - variant: a\n    regex: 'x'\n"))
        #expect(noGroup.key == "variants[0].regex")
        let component = try #require(failure("components:\n  rules:\n    - test: x\n      suite: y\n      component: c\n"))
        #expect(component.description.hasPrefix("cisignal.yaml:3: components.rules[0] needs exactly one of"))
        let noComponent = try #require(failure("components:\n  rules:\n    - test: x\n"))
        #expect(noComponent.description == "cisignal.yaml:3: components.rules[0] needs a 'component'")
        let source = try #require(failure("payload:\n  sources: [annotation:x, tag]\n"))
        #expect(source.key == "payload.sources[1]")
        let empty = try #require(failure("database:\n"))
        #expect(empty.description == "cisignal.yaml:1: database must be a file path, not empty")
    }

    @Test func missingFile() throws {
        let path = NSTemporaryDirectory() + "cisignal-missing-\(UInt64.random(in: 0...UInt64.max)).yaml"
        #expect(throws: ConfigurationError.unreadable(file: path, reason: "no such file")) {
            try Settings.load(path: path)
        }
        #expect(ConfigurationError.unreadable(file: path, reason: "no such file").description
            == "\(path): cannot read the configuration: no such file")
    }

    @Test func loadReadsAFileAndNamesItInErrors() throws {
        let directory = NSTemporaryDirectory() + "cisignal-config-\(UInt64.random(in: 0...UInt64.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let good = directory + "/good.yaml"
        try "database: ci.sqlite\n".write(toFile: good, atomically: true, encoding: .utf8)
        #expect(try Settings.load(path: good).database == "ci.sqlite")
        let bad = directory + "/bad.yaml"
        try "reports: out\nwindows: {current_days: 0}\n".write(toFile: bad, atomically: true, encoding: .utf8)
        #expect(throws: ConfigurationError.invalid(file: bad, line: 2, key: "windows.current_days",
                                                   message: "windows.current_days must be a whole number from 1 to 365")) {
            try Settings.load(path: bad)
        }
        // Without an explicit path, a missing default file means the defaults.
        let (settings, file) = try Settings.load(configPath: nil, defaultPath: directory + "/cisignal.yaml")
        #expect(settings == Settings.defaults && file == nil)
        #expect(try Settings.load(configPath: good).file == good)
        #expect(throws: ConfigurationError.self) { try Settings.load(path: directory) }
    }
}
