/// The variants a job name encodes.
public struct JobVariants: Sendable, Equatable {
    /// The release, e.g. "4.18".
    public var release: String
    /// aws, gcp, azure, metal or vsphere.
    public var platform: String
    /// ovn or sdn.
    public var network: String
    /// amd64 or arm64.
    public var architecture: String
    /// Whether the job upgrades to the payload before testing.
    public var upgrade: Bool
    /// ha or single-node.
    public var topology: String
}

/// How a job is triggered, as Prow's `spec.type` says.
public enum JobKind: String, Sendable {
    case periodic, presubmit, batch
}

/// One simulated CI job.
public struct SimulatedJob: Sendable {
    /// The Prow job name, e.g. periodic-ci-openshift-release-master-nightly-4.18-e2e-aws-ovn-upgrade.
    public var name: String
    /// The ci-operator target, the folder under `artifacts/`, e.g. e2e-aws-ovn-upgrade.
    public var target: String
    /// The variants its name encodes.
    public var variants: JobVariants
    /// Periodic, or presubmit for the PR job (batch runs use the presubmit job too).
    public var kind: JobKind
}

/// The fixed, ordered list of jobs the simulation draws from: a hand-picked head that covers every
/// platform, network, architecture, topology and upgrade early, then the rest of the combinations.
public enum JobCatalog {
    static let platforms = ["aws", "gcp", "azure", "metal", "vsphere"]
    static let networks = ["ovn", "sdn"]
    static let architectures = ["amd64", "arm64"]
    static let topologies = ["ha", "single-node"]

    /// The most periodic jobs there can be (every combination).
    public static let maximumJobs = platforms.count * networks.count * architectures.count * topologies.count * 2

    /// The first `count` periodic jobs for `release`.
    public static func periodicJobs(count: Int, release: String) -> [SimulatedJob] {
        typealias Combination = (platform: String, network: String, arch: String, topology: String, upgrade: Bool)
        let head: [Combination] = [
            ("aws", "ovn", "amd64", "ha", false), ("gcp", "sdn", "amd64", "ha", false),
            ("azure", "ovn", "amd64", "ha", true), ("aws", "ovn", "arm64", "ha", false),
            ("aws", "ovn", "amd64", "single-node", false), ("metal", "ovn", "amd64", "ha", false),
            ("vsphere", "ovn", "amd64", "ha", false), ("aws", "ovn", "amd64", "ha", true),
            ("gcp", "ovn", "amd64", "ha", false), ("azure", "ovn", "amd64", "ha", false),
            ("aws", "sdn", "amd64", "ha", true), ("gcp", "ovn", "arm64", "ha", false),
        ]
        var all = head
        for platform in platforms {
            for network in networks {
                for arch in architectures {
                    for topology in topologies {
                        for upgrade in [false, true] where !all.contains(where: {
                            $0.platform == platform && $0.network == network && $0.arch == arch
                                && $0.topology == topology && $0.upgrade == upgrade
                        }) {
                            all.append((platform, network, arch, topology, upgrade))
                        }
                    }
                }
            }
        }
        return all.prefix(count).map { combination in
            let variants = JobVariants(release: release, platform: combination.platform, network: combination.network,
                                       architecture: combination.arch, upgrade: combination.upgrade,
                                       topology: combination.topology)
            return periodicJob(variants)
        }
    }

    /// The periodic job for `variants`, named the way OpenShift's release jobs are.
    static func periodicJob(_ variants: JobVariants) -> SimulatedJob {
        var target = variants.architecture == "arm64" ? "ocp-e2e-" : "e2e-"
        target += (variants.platform == "metal" ? "metal-ipi" : variants.platform) + "-" + variants.network
        if variants.architecture == "arm64" { target += "-arm64" }
        if variants.topology == "single-node" { target += "-single-node" }
        if variants.upgrade { target += "-upgrade" }
        let repository = variants.architecture == "arm64" ? "multiarch" : "release"
        return SimulatedJob(name: "periodic-ci-openshift-\(repository)-master-nightly-\(variants.release)-\(target)",
                            target: target, variants: variants, kind: .periodic)
    }

    /// The presubmit job of openshift/origin (batch runs use it too).
    public static func presubmitJob(release: String) -> SimulatedJob {
        SimulatedJob(name: "pull-ci-openshift-origin-master-e2e-aws-ovn", target: "e2e-aws-ovn",
                     variants: JobVariants(release: release, platform: "aws", network: "ovn", architecture: "amd64",
                                           upgrade: false, topology: "ha"),
                     kind: .presubmit)
    }
}
