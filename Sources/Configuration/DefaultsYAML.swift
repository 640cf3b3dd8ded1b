extension Settings {
    /// A complete, commented `cisignal.yaml` holding the built-in defaults: what
    /// `cisignal config --print-defaults` prints. Read back, it equals `Settings.defaults`.
    public static let defaultsYAML = #"""
        # cisignal.yaml: the settings of CISignal. Every setting has a built-in default, and this
        # file lists all of them; delete what you do not change. A value given here replaces the
        # default whole (a list is not merged with the default list); in the sections (variants
        # aside) each key you leave out keeps its default. Regular expressions use ICU syntax
        # (NSRegularExpression), match anywhere unless anchored with ^ and $, and are best written
        # in 'single quotes' so that backslashes stay as written. List positions in error messages
        # count from 0.

        # Artifact trees to ingest (bucket roots, logs/ folders, job or run folders).
        roots: []

        # The SQLite database.
        database: cisignal.sqlite

        # The folder reports and CSV files are written to.
        reports: reports/out

        # How a job name maps to variants. Rules are tried in order; for each variant key the first
        # rule that yields a non-empty value wins. A rule has `variant` (the key) and one of:
        #   regex:  matched against the job name; the value is `value` when given, else the first
        #           capture group;
        #   tokens: the job name split on "-"; a map from token to value. The first position in the
        #           name where a token matches wins; a token may span several parts ("single-node").
        # A part of a name no rule understands leaves the variant at its default below, or empty.
        variants:
          # An upgrade "...-4.8-to-4.9" tests the release it upgrades to.
          - variant: release
            regex: '-to-(\d+\.\d+)(?:-|$)'
          - variant: release
            regex: '(?:^|-)(\d+\.\d+)(?:-|$)'
          - variant: platform
            tokens: {aws: aws, gcp: gcp, azure: azure, metal: metal, baremetal: metal, vsphere: vsphere,
                     openstack: openstack, ovirt: ovirt, ibmcloud: ibmcloud, nutanix: nutanix,
                     alibaba: alibaba, powervs: powervs, libvirt: libvirt, rosa: aws, aro: azure}
          - variant: network
            tokens: {ovn: ovn, sdn: sdn}
          - variant: architecture
            tokens: {amd64: amd64, arm64: arm64, aarch64: arm64, ppc64le: ppc64le, s390x: s390x,
                     multi: multi, heterogeneous: multi}
          - variant: upgrade
            tokens: {upgrade: upgrade}
          - variant: topology
            tokens: {single-node: single-node, sno: single-node, compact: compact, two-node: two-node}

        # The value of each variant key when no rule matched ("" = unknown), in report order.
        # Job names rarely say "amd64", "no-upgrade" or "ha": those are what a name that is silent
        # means. Release, platform and network have no default: a name that does not say them is
        # unknown. Keys named only by rules come after these.
        variant_defaults:
          release: ""
          platform: ""
          network: ""
          architecture: amd64
          upgrade: no-upgrade
          topology: ha

        # How a test maps to a component and its owning team.
        components:
          # Tried in order; the first match wins. A rule matches one of `test` (the test's name),
          # `classname` or `suite` with a regex, and names a `component` and optionally an `owner`.
          rules:
            - test: '^install should succeed'
              component: installer
          # A test no rule matches belongs to its first [sig-x] tag, component "sig-x"; a test
          # without a tag belongs to this component.
          unowned: unowned
          # Owning team of each component whose rule names no owner, e.g. sig-network: Networking.
          owners: {}

        # The windows compared: the current one ends with the as-of day (included, UTC), and the
        # previous one is the days just before it. Whole numbers from 1 to 365.
        windows:
          current_days: 7
          previous_days: 7

        # Which jobs are analysed: a job is kept when it matches any `include` regex (or `include`
        # is empty) and no `exclude` regex.
        jobs:
          include: []
          exclude: []

        tests:
          # Tests left out of every rate: the test runner's own bookkeeping, not product signal.
          ignore:
            - '^\[sig-arch\] Monitor cluster while tests execute$'
          # Tests that only show install or infrastructure health. A failed run whose only results
          # are such tests, or that has no results at all, is an infrastructure failure, counted
          # apart from test failures.
          infrastructure:
            - '^install should succeed'

        # Where a run's payload tag is read from, in order; the first present wins.
        # annotation:KEY and label:KEY read prowjob.json; started:KEY and finished:KEY read the
        # `metadata` object of started.json / finished.json (or their top level).
        payload:
          sources:
            - annotation:release.openshift.io/tag
            - label:release.openshift.io/tag
            - finished:release.openshift.io/tag
            - started:release.openshift.io/tag
            - finished:payload
            - started:payload
            - finished:job-version

        """#
}
