import Configuration
import Testing

/// Job include/exclude lists, ignored tests and infrastructure tests.
struct FilterTests {
    @Test func defaultsKeepEveryJob() {
        #expect(Settings.defaults.keepsJob("periodic-ci-openshift-release-master-nightly-4.18-e2e-aws-ovn"))
        #expect(Settings.defaults.keepsJob("pull-ci-openshift-origin-master-unit"))
    }

    @Test func includeThenExclude() throws {
        let settings = try Settings.parse(yaml: """
            jobs:
              include: ['^periodic-', '^release-']
              exclude: ['-upgrade$', 'okd']
            """, file: "c.yaml")
        #expect(settings.keepsJob("periodic-ci-openshift-release-master-nightly-4.18-e2e-aws-ovn"))
        #expect(settings.keepsJob("release-openshift-origin-installer-e2e-aws"))
        #expect(!settings.keepsJob("pull-ci-openshift-origin-master-e2e-aws-ovn"))
        #expect(!settings.keepsJob("periodic-ci-openshift-release-master-nightly-4.18-e2e-aws-ovn-upgrade"))
        #expect(!settings.keepsJob("periodic-ci-openshift-release-master-okd-4.18-e2e-aws"))
    }

    @Test func excludeAlone() throws {
        let settings = try Settings.parse(yaml: "jobs: {exclude: ['^pull-']}", file: "c.yaml")
        #expect(settings.keepsJob("periodic-x"))
        #expect(!settings.keepsJob("pull-ci-openshift-origin-master-unit"))
    }

    @Test func defaultIgnoredTests() {
        let settings = Settings.defaults
        #expect(settings.ignoresTest("[sig-arch] Monitor cluster while tests execute"))
        #expect(!settings.ignoresTest("[sig-arch] Monitor cluster while tests execute [Late]"))
        #expect(!settings.ignoresTest("[sig-node] Pods should never transition back to pending"))
    }

    @Test func defaultInfrastructureTestsCoverTheInstallSteps() {
        let settings = Settings.defaults
        for step in ["configuration", "infrastructure", "cluster bootstrap", "cluster creation",
                     "cluster operator stability", "overall"] {
            #expect(settings.isInfrastructureTest("install should succeed: \(step)"))
        }
        #expect(!settings.isInfrastructureTest("[sig-node] install should succeed"))
    }

    @Test func configuredTestLists() throws {
        let settings = try Settings.parse(yaml: #"""
            tests:
              ignore: ['^\[sig-arch\] Monitor', 'BeforeSuite']
              infrastructure: ['^Run multi-stage test .*-install-install container test$']
            """#, file: "c.yaml")
        #expect(settings.ignoresTest("[SynchronizedBeforeSuite]"))
        #expect(settings.ignoresTest("[sig-arch] Monitor cluster while tests execute"))
        #expect(settings.isInfrastructureTest("Run multi-stage test e2e-aws - e2e-aws-ipi-install-install container test"))
        #expect(!settings.isInfrastructureTest("install should succeed: overall"))
    }
}
