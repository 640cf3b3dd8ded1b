extension Settings {
    /// The built-in settings, used for everything a file does not set. `defaultsYAML` writes the
    /// same values out as a commented file (a test keeps the two in step).
    public static let defaults = Settings(
        roots: [],
        database: "cisignal.sqlite",
        reports: "reports/out",
        variantRules: VariantRules(rules: [
            // An upgrade "…-4.8-to-4.9" tests the release it upgrades to.
            VariantRule(variant: "release", matcher: .regex(Pattern(known: #"-to-(\d+\.\d+)(?:-|$)"#), value: nil)),
            VariantRule(variant: "release", matcher: .regex(Pattern(known: #"(?:^|-)(\d+\.\d+)(?:-|$)"#), value: nil)),
            VariantRule(variant: "platform", matcher: .tokens([
                "aws": "aws", "gcp": "gcp", "azure": "azure", "metal": "metal", "baremetal": "metal",
                "vsphere": "vsphere", "openstack": "openstack", "ovirt": "ovirt", "ibmcloud": "ibmcloud",
                "nutanix": "nutanix", "alibaba": "alibaba", "powervs": "powervs", "libvirt": "libvirt",
                "rosa": "aws", "aro": "azure",
            ])),
            VariantRule(variant: "network", matcher: .tokens(["ovn": "ovn", "sdn": "sdn"])),
            VariantRule(variant: "architecture", matcher: .tokens([
                "amd64": "amd64", "arm64": "arm64", "aarch64": "arm64", "ppc64le": "ppc64le", "s390x": "s390x",
                "multi": "multi", "heterogeneous": "multi",
            ])),
            VariantRule(variant: "upgrade", matcher: .tokens(["upgrade": "upgrade"])),
            VariantRule(variant: "topology", matcher: .tokens([
                "single-node": "single-node", "sno": "single-node", "compact": "compact", "two-node": "two-node",
            ])),
        ], defaults: [
            ("release", ""), ("platform", ""), ("network", ""),
            ("architecture", "amd64"), ("upgrade", "no-upgrade"), ("topology", "ha"),
        ]),
        componentRules: ComponentRules(
            rules: [ComponentRule(field: .test, pattern: Pattern(known: "^install should succeed"), component: "installer")],
            owners: [:],
            unowned: "unowned"),
        windowLengths: WindowLengths(currentDays: 7, previousDays: 7),
        jobFilter: JobFilter(),
        testFilter: TestFilter(
            ignore: [Pattern(known: #"^\[sig-arch\] Monitor cluster while tests execute$"#)],
            infrastructure: [Pattern(known: "^install should succeed")]),
        payloadSources: [
            "annotation:release.openshift.io/tag",
            "label:release.openshift.io/tag",
            "finished:release.openshift.io/tag",
            "started:release.openshift.io/tag",
            "finished:payload",
            "started:payload",
            "finished:job-version",
        ]
    )
}
