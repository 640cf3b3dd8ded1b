/// The vocabulary test names are made from: sig groups with their subjects, behaviours, qualifiers
/// and suite tags, in the style of openshift-tests and the Kubernetes e2e suite.
enum TestNames {
    /// Components (sig groups), each with a weight (its share of the pool) and its subjects.
    static let components: [(name: String, weight: Int, subjects: [String])] = [
        ("sig-network", 16, ["Services", "NetworkPolicy", "Networking", "EndpointSlice", "DNS", "Netpol",
                             "EgressFirewall", "Multicast", "network isolation", "SCTP"]),
        ("sig-node", 14, ["Pods", "Kubelet", "Container Runtime", "Probing container", "Variable Expansion",
                          "Security Context", "ConfigMap", "Container Lifecycle Hook", "PreStop", "Downward API"]),
        ("sig-storage", 12, ["CSI Volumes", "PersistentVolumes", "Secrets", "Projected configMap", "EmptyDir volumes",
                             "In-tree Volumes", "Dynamic Provisioning", "CSI mock volume", "Subpath", "VolumeSnapshot"]),
        ("sig-apps", 10, ["Deployment", "StatefulSet", "Daemon set", "Job", "CronJob", "ReplicaSet",
                          "ReplicationController", "DisruptionController", "deploymentconfigs"]),
        ("sig-api-machinery", 10, ["ResourceQuota", "Garbage collector", "CustomResourceDefinition resources",
                                   "Watchers", "AdmissionWebhook", "Aggregator", "Namespaces", "API priority and fairness",
                                   "ServerSideApply", "OpenAPIV3"]),
        ("sig-auth", 6, ["ServiceAccounts", "OAuth server", "authorization", "SecurityContextConstraints",
                         "Certificates API", "users"]),
        ("sig-cli", 5, ["oc adm", "oc debug", "oc rsh", "Kubectl client", "oc explain", "oc observe"]),
        ("sig-instrumentation", 5, ["Prometheus", "Alerts", "Metrics", "Events API", "Telemeter"]),
        ("sig-arch", 5, ["Managed cluster", "ClusterOperators", "ocp payload", "Only known images", "Cluster topology"]),
        ("sig-builds", 4, ["build", "s2i build", "Docker build", "Optimized image builds", "Multi-stage image builds"]),
        ("sig-imageregistry", 3, ["Image registry", "ImageStream API", "Image signature workflow", "Image layer subresource"]),
        ("sig-network-edge", 4, ["Router", "Route", "DNS operator", "Conformance Ingress", "HAProxy router"]),
        ("sig-etcd", 2, ["etcd", "etcd leader changes", "etcd encryption"]),
        ("sig-scheduling", 2, ["SchedulerPredicates", "SchedulerPreemption", "Multi-AZ Clusters", "LimitRange"]),
        ("sig-operator", 2, ["OLM", "an end user can use OLM", "operator conditions"]),
    ]

    /// What a test checks, after its subject.
    static let behaviours = [
        "should serve endpoints on same port and different protocol", "should be able to create a functioning NodePort service",
        "should provide DNS for services", "should allow ingress access on one named port",
        "should support retrieving logs from the container over websockets", "should be restarted with a /healthz http liveness probe",
        "should mount projected secret with mappings", "should rollback without unnecessary restarts",
        "should update pod when spec was updated and update strategy is RollingUpdate", "should never transition back to pending",
        "should create and stop a working application", "should be consumable via environment variable",
        "should have a working scale subresource", "should delete pods created by rc when not orphaning",
        "should be able to deny pod and configmap creation", "should create a ResourceQuota and capture the life of a pod",
        "should honor the node's taints", "should support subPath with a relative path", "should report ready within 5 minutes",
        "should allow \"kubectl exec\" into a pod", "should not leak connections when the backend restarts",
        "should expose metrics over TLS", "should not have alerts firing that are not listed as allowed", "should complete a build",
        "should pull the image & verify its signature", "should resolve DNS for a headless service",
        "should support a service with more than 100 endpoints", "should preserve source IP for traffic to a LoadBalancer",
        "should run a job to completion when tasks sometimes fail and are locally restarted",
        "should adopt matching orphans and release non-matching pods", "should delete a collection of pods",
        "should provision storage with mount options", "should be able to expand a volume while it is mounted",
        "should block access to the cloud metadata service", "should prevent the creation of privileged pods by default",
        "should deny an unauthenticated request", "should return a token for a service account", "should print the help text",
        "should recover after the node is rebooted", "should survive the loss of a control plane member",
        "should schedule pods across zones", "should evict the lowest priority pod first", "should list installed operators",
        "should keep the route admitted after a router restart", "should reload its config without dropping connections",
        "should apply the changes to the configuration", "should retain the data after the pod is recreated",
        "should send events for each state change", "should report a degraded condition when <none> is selected",
        "should handle a burst of 500 requests",
    ]

    /// Endings that tell near-identical tests apart.
    static let qualifiers = [
        "", "", "", "", " [Conformance]", " with IPv4", " with IPv6", " using NodePort", " in a privileged namespace",
        " when the pod is restarted", " with a custom signer", " [apigroup:config.openshift.io]",
        " [apigroup:image.openshift.io]", " [apigroup:route.openshift.io]", " [Slow]", " with more than one replica",
    ]

    /// Suite tags and their weights out of 10.
    static let suites: [(tags: String, weight: Int)] = [
        (" [Suite:openshift/conformance/parallel]", 6),
        (" [Suite:openshift/conformance/parallel] [Suite:k8s]", 2),
        (" [Suite:openshift/conformance/parallel/minimal] [Suite:k8s]", 1),
        (" [Serial] [Suite:openshift/conformance/serial]", 1),
    ]

    /// The install steps openshift's installer reports as JUnit; the last is the overall result.
    static let installSteps = [
        "install should succeed: configuration", "install should succeed: infrastructure",
        "install should succeed: cluster bootstrap", "install should succeed: cluster creation",
        "install should succeed: cluster operator stability", "install should succeed: overall",
    ]
}
