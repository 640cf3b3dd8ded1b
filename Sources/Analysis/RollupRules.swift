/// What the rollup needs to know from the configuration: how to classify tests and jobs, and the
/// window lengths. The `cisignal` command adapts its configuration to this.
public protocol RollupRules: Sendable {
    /// The variant keys, in the order a variant combination is written.
    var variantKeys: [String] { get }
    /// Every key of `variantKeys` with its value for the job ("" when unknown).
    func variants(ofJob name: String) -> [String: String]
    /// Whether the job passes the include and exclude filters.
    func keepsJob(_ name: String) -> Bool
    /// The component and owning team of a test.
    func component(testName: String, classname: String, suite: String) -> (component: String, owner: String)
    /// Whether the test is left out of every rate (runner bookkeeping and the like).
    func ignoresTest(_ name: String) -> Bool
    /// Whether the test only shows install or infrastructure health.
    func isInfrastructureTest(_ name: String) -> Bool
    /// Days in the current window.
    var currentDays: Int { get }
    /// Days in the previous window.
    var previousDays: Int { get }
}
