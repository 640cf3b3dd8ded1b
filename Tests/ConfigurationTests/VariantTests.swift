import Configuration
import Testing

/// Job names as OpenShift's CI writes them, read with the default rules.
struct VariantTests {
    let settings = Settings.defaults

    func expectVariants(_ job: String, _ release: String, _ platform: String, _ network: String,
                        _ architecture: String, _ upgrade: String, _ topology: String,
                        sourceLocation: SourceLocation = #_sourceLocation) {
        let expected = ["release": release, "platform": platform, "network": network,
                        "architecture": architecture, "upgrade": upgrade, "topology": topology]
        #expect(settings.variants(ofJob: job) == expected, sourceLocation: sourceLocation)
    }

    @Test func nightlyUpgrade() {
        expectVariants("periodic-ci-openshift-release-master-nightly-4.18-e2e-aws-ovn-upgrade",
                       "4.18", "aws", "ovn", "amd64", "upgrade", "ha")
    }

    @Test func upgradesBetweenReleasesTestTheTargetRelease() {
        expectVariants("release-openshift-origin-installer-e2e-aws-upgrade-4.8-to-4.9", "4.9", "aws", "", "amd64", "upgrade", "ha")
    }

    @Test func multiArchitectureTwoNodeAndManagedServices() {
        expectVariants("periodic-ci-openshift-multiarch-master-nightly-4.18-ocp-e2e-aws-ovn-heterogeneous-upgrade",
                       "4.18", "aws", "ovn", "multi", "upgrade", "ha")
        expectVariants("periodic-ci-openshift-release-master-nightly-4.18-e2e-metal-ovn-two-node-arbiter",
                       "4.18", "metal", "ovn", "amd64", "no-upgrade", "two-node")
        expectVariants("periodic-ci-openshift-release-master-nightly-4.18-e2e-rosa-sts-ovn",
                       "4.18", "aws", "ovn", "amd64", "no-upgrade", "ha")
    }

    @Test func ciUpgradeWithoutNetworkLeavesNetworkUnknown() {
        expectVariants("periodic-ci-openshift-release-master-ci-4.9-e2e-gcp-upgrade",
                       "4.9", "gcp", "", "amd64", "upgrade", "ha")
    }

    @Test func sdnIsNotAnUpgrade() {
        expectVariants("periodic-ci-openshift-release-master-nightly-4.18-e2e-gcp-sdn",
                       "4.18", "gcp", "sdn", "amd64", "no-upgrade", "ha")
    }

    @Test func multiarchArm64() {
        expectVariants("periodic-ci-openshift-multiarch-master-nightly-4.18-ocp-e2e-aws-ovn-arm64",
                       "4.18", "aws", "ovn", "arm64", "no-upgrade", "ha")
    }

    @Test func singleNodeSpansTwoTokens() {
        expectVariants("periodic-ci-openshift-release-master-nightly-4.18-e2e-aws-ovn-single-node",
                       "4.18", "aws", "ovn", "amd64", "no-upgrade", "single-node")
    }

    @Test func metalIPI() {
        expectVariants("periodic-ci-openshift-release-master-nightly-4.18-e2e-metal-ipi-ovn",
                       "4.18", "metal", "ovn", "amd64", "no-upgrade", "ha")
    }

    @Test func vsphereAndAzure() {
        expectVariants("periodic-ci-openshift-release-master-nightly-4.18-e2e-vsphere-ovn",
                       "4.18", "vsphere", "ovn", "amd64", "no-upgrade", "ha")
        expectVariants("periodic-ci-openshift-release-master-nightly-4.18-e2e-azure-ovn",
                       "4.18", "azure", "ovn", "amd64", "no-upgrade", "ha")
    }

    @Test func presubmitHasNoRelease() {
        expectVariants("pull-ci-openshift-origin-master-e2e-aws-ovn", "", "aws", "ovn", "amd64", "no-upgrade", "ha")
    }

    @Test func unitJobHasOnlyDefaults() {
        expectVariants("pull-ci-openshift-origin-master-unit", "", "", "", "amd64", "no-upgrade", "ha")
    }

    @Test func emptyAndOddNamesNeverFail() {
        expectVariants("", "", "", "", "amd64", "no-upgrade", "ha")
        expectVariants("---", "", "", "", "amd64", "no-upgrade", "ha")
    }

    @Test func firstMatchingRuleWinsAndRegexValues() throws {
        let settings = try Settings.parse(yaml: #"""
            variants:
              - variant: platform
                regex: '-metal-ipi-'
                value: baremetal-ipi
              - variant: platform
                tokens: {metal: metal, aws: aws}
              - variant: release
                regex: 'release-(\d+\.\d+)'
              - variant: release
                regex: '-(\d+\.\d+)-'
              - variant: ipstack
                regex: '-(ipv6|dualstack)(-|$)'
            variant_defaults:
              ipstack: ipv4
            """#, file: "c.yaml")
        #expect(settings.variantKeys == ["ipstack", "platform", "release"])
        #expect(settings.variants(ofJob: "periodic-ci-openshift-release-release-4.17-nightly-4.18-e2e-metal-ipi-ovn-ipv6")
            == ["platform": "baremetal-ipi", "release": "4.17", "ipstack": "ipv6"])
        #expect(settings.variants(ofJob: "periodic-x-4.18-e2e-metal-upi")
            == ["platform": "metal", "release": "4.18", "ipstack": "ipv4"])
        #expect(settings.variants(ofJob: "unit") == ["platform": "", "release": "", "ipstack": "ipv4"])
    }

    @Test func tokensMatchWholeTokensOnly() {
        // "awsome" is not "aws"; "sdnx" is not "sdn".
        expectVariants("periodic-awsome-4.18-sdnx", "4.18", "", "", "amd64", "no-upgrade", "ha")
    }
}
