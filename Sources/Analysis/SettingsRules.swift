import Configuration

/// The configuration file's settings are the rollup's rules.
extension Settings: RollupRules {
    public var currentDays: Int { windowLengths.currentDays }
    public var previousDays: Int { windowLengths.previousDays }
}
