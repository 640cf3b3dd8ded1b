import Configuration
import Testing

/// Tests to components and owners: rules in order, then the [sig-x] tag, then "unowned".
struct ComponentTests {
    let settings: Settings

    init() throws {
        settings = try Settings.parse(yaml: #"""
            components:
              rules:
                - test: '\[sig-network-edge\].*Router'
                  component: router
                  owner: Network Edge
                - test: '\[sig-network'
                  component: networking
                - classname: '^io\.k8s\.storage\.'
                  component: storage
                  owner: Storage
                - suite: '^etcd-'
                  component: etcd
              owners:
                networking: SDN team
                sig-node: Node team
                orphans: Triage
              unowned: orphans
            """#, file: "c.yaml")
    }

    @Test func firstMatchingRuleWins() {
        let router = settings.component(testName: "[sig-network-edge] Router should reload [Suite:openshift]", classname: "", suite: "")
        #expect(router == ("router", "Network Edge"))
        let route = settings.component(testName: "[sig-network-edge] Route should be admitted", classname: "", suite: "")
        #expect(route == ("networking", "SDN team"))
    }

    @Test func rulesMatchClassnameAndSuite() {
        #expect(settings.component(testName: "TestMount", classname: "io.k8s.storage.Mount", suite: "") == ("storage", "Storage"))
        #expect(settings.component(testName: "TestLeader", classname: "x", suite: "etcd-e2e") == ("etcd", ""))
        // The classname rule is not matched against the name.
        #expect(settings.component(testName: "io.k8s.storage.Mount", classname: "", suite: "") == ("orphans", "Triage"))
    }

    @Test func sigTagIsTheFallback() {
        #expect(settings.component(testName: "[sig-node] Pods should never transition back to pending [Suite:k8s]",
                                   classname: "", suite: "") == ("sig-node", "Node team"))
        #expect(settings.component(testName: "[Serial] [sig-apps] Deployment should roll back", classname: "", suite: "")
            == ("sig-apps", ""))
    }

    @Test func untaggedTestsAreUnowned() {
        #expect(settings.component(testName: "TestSomething", classname: "pkg", suite: "unit") == ("orphans", "Triage"))
        #expect(settings.component(testName: "[sig-] nothing", classname: "", suite: "") == ("orphans", "Triage"))
        #expect(Settings.defaults.component(testName: "TestSomething") == ("unowned", ""))
    }

    @Test func defaultRulesPutInstallStepsInInstaller() {
        #expect(Settings.defaults.component(testName: "install should succeed: overall") == ("installer", ""))
        #expect(Settings.defaults.component(testName: "[sig-storage] CSI Volumes should mount") == ("sig-storage", ""))
    }
}
