/// The lengths of the two windows compared: the current one, ending with the as-of day (included),
/// and the previous one, just before it. The rollup (Analysis.Windows) turns them into day ranges.
public struct WindowLengths: Sendable, Equatable {
    /// Days in the current window, the as-of day included (1...365).
    public var currentDays: Int
    /// Days in the previous window, which ends where the current one starts (1...365).
    public var previousDays: Int

    /// The allowed number of days in a window.
    public static let allowedDays = 1...365

    /// Lengths in days.
    public init(currentDays: Int, previousDays: Int) {
        self.currentDays = currentDays
        self.previousDays = previousDays
    }
}
