/// The lengths of the two windows compared: the current one, ending with the as-of day, and the
/// previous one, just before it.
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

    /// The windows for an as-of UTC day. The as-of day is included in the current window:
    /// current = [asOf − (currentDays − 1) days, asOf + 1 day), previous = the `previousDays`
    /// days before it, both from 00:00 UTC.
    public func windows(asOf day: UTCDay) -> Windows {
        let end = (day.daysSinceEpoch + 1) * UTCDay.secondsPerDay
        let start = end - Int64(currentDays) * UTCDay.secondsPerDay
        let previousStart = start - Int64(previousDays) * UTCDay.secondsPerDay
        return Windows(current: TimeRange(start: start, end: end), previous: TimeRange(start: previousStart, end: start))
    }
}

/// The current and previous windows of one analysis.
public struct Windows: Sendable, Equatable {
    /// The window ending with the as-of day.
    public var current: TimeRange
    /// The window just before `current`; its end is `current.start`.
    public var previous: TimeRange

    /// Two ranges.
    public init(current: TimeRange, previous: TimeRange) {
        self.current = current
        self.previous = previous
    }
}

/// A half-open range of Unix seconds: `start` included, `end` excluded.
public struct TimeRange: Sendable, Equatable, CustomStringConvertible {
    /// First second in the range.
    public var start: Int64
    /// First second after the range.
    public var end: Int64

    /// The range [start, end).
    public init(start: Int64, end: Int64) {
        self.start = start
        self.end = end
    }

    /// True when `seconds` (Unix time) falls in the range.
    public func contains(_ seconds: Int64) -> Bool { start <= seconds && seconds < end }

    /// `[start, end)` in Unix seconds.
    public var description: String { "[\(start), \(end))" }
}

/// A calendar day in UTC, read from `YYYY-MM-DD`.
public struct UTCDay: Sendable, Equatable, Comparable, CustomStringConvertible {
    /// Seconds in a day (UTC has no daylight saving; leap seconds are not counted by Unix time).
    public static let secondsPerDay: Int64 = 86_400

    /// Days since 1970-01-01 (negative before it).
    public let daysSinceEpoch: Int64

    /// The day of a Unix time.
    public init(unixSeconds: Int64) {
        var days = unixSeconds / Self.secondsPerDay
        if unixSeconds % Self.secondsPerDay < 0 { days -= 1 }
        daysSinceEpoch = days
    }

    /// Reads `YYYY-MM-DD` (a real date of the proleptic Gregorian calendar); nil otherwise.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let year = Int64(parts[0]), let month = Int64(parts[1]), let day = Int64(parts[2]),
              (1...12).contains(month), day >= 1, day <= Self.daysIn(month: month, year: year) else { return nil }
        daysSinceEpoch = Self.days(year: year, month: month, day: day)
    }

    /// The day as `YYYY-MM-DD`.
    public var description: String {
        // Howard Hinnant's civil_from_days.
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public static func < (lhs: UTCDay, rhs: UTCDay) -> Bool { lhs.daysSinceEpoch < rhs.daysSinceEpoch }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Howard Hinnant's days_from_civil.
    private static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
