import Configuration
import Testing

/// The built-in defaults and the commented file that spells them out.
struct DefaultsTests {
    @Test func printedDefaultsReadBackAsTheDefaults() throws {
        let read = try Settings.parse(yaml: Settings.defaultsYAML, file: "defaults.yaml")
        #expect(read == Settings.defaults)
        #expect(read.variantKeys == ["release", "platform", "network", "architecture", "upgrade", "topology"])
    }

    @Test func printedDefaultsAreCommented() {
        let lines = Settings.defaultsYAML.split(separator: "\n")
        #expect(lines.filter { $0.trimmingPrefix(while: \.isWhitespace).hasPrefix("#") }.count > 20)
        for key in ["roots:", "database:", "reports:", "variants:", "variant_defaults:", "components:",
                    "windows:", "jobs:", "tests:", "payload:"] {
            #expect(lines.contains { $0.hasPrefix(key) }, "no top-level \(key)")
        }
    }

    @Test func emptyFileIsTheDefaults() throws {
        #expect(try Settings.parse(yaml: "", file: "c.yaml") == Settings.defaults)
        #expect(try Settings.parse(yaml: "# nothing set\n", file: "c.yaml") == Settings.defaults)
    }

    @Test func scalarDefaults() {
        let defaults = Settings.defaults
        #expect(defaults.roots.isEmpty)
        #expect(defaults.database == "cisignal.sqlite")
        #expect(defaults.reports == "reports/out")
        #expect(defaults.windowLengths == WindowLengths(currentDays: 7, previousDays: 7))
        #expect(defaults.payloadSources.first == "annotation:release.openshift.io/tag")
        #expect(defaults.payloadSources.count == 7)
    }

    @Test func partialFileKeepsEveryOtherDefault() throws {
        let settings = try Settings.parse(yaml: """
            database: /var/lib/cisignal/ci.sqlite
            windows:
              current_days: 3
            components:
              owners: {sig-network: Networking}
            """, file: "c.yaml")
        var expected = Settings.defaults
        expected.database = "/var/lib/cisignal/ci.sqlite"
        expected.windowLengths.currentDays = 3
        expected.componentRules.owners = ["sig-network": "Networking"]
        #expect(settings == expected)
        #expect(settings.windowLengths.previousDays == 7)
        #expect(settings.componentRules.rules == Settings.defaults.componentRules.rules)
        #expect(settings.variants(ofJob: "periodic-ci-openshift-release-master-ci-4.9-e2e-gcp-upgrade")["release"] == "4.9")
    }

    @Test func listsReplaceTheDefaultWhole() throws {
        let settings = try Settings.parse(yaml: """
            roots: [/mnt/a, /mnt/b]
            tests:
              ignore: []
            payload:
              sources: [label:payload]
            """, file: "c.yaml")
        #expect(settings.roots == ["/mnt/a", "/mnt/b"])
        #expect(settings.testFilter.ignore.isEmpty)
        #expect(settings.testFilter.infrastructure == Settings.defaults.testFilter.infrastructure)
        #expect(settings.payloadSources == ["label:payload"])
    }
}
