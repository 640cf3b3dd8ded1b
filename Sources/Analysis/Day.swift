import Foundation

/// A UTC calendar day, as rollups and windows count them.
public struct Day: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Days since 1970-01-01.
    public let number: Int

    public init(number: Int) {
        self.number = number
    }

    /// The day of "YYYY-MM-DD", or nil when it is not a valid date.
    public init?(_ text: String) {
        let parts = text.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month), (1...31).contains(day) else { return nil }
        let number = Self.daysFromCivil(year: year, month: month, day: day)
        // Reject dates such as 2026-02-30 by a round trip.
        guard Self.civil(fromDays: number) == (year, month, day) else { return nil }
        self.number = number
    }

    /// The UTC day of a Unix time.
    public init(unixSeconds: Int64) {
        number = Int((Double(unixSeconds) / 86_400).rounded(.down))
    }

    /// Today, in UTC.
    public static func today(_ now: Date = Date()) -> Day { Day(unixSeconds: Int64(now.timeIntervalSince1970)) }

    /// The day `count` days later (earlier when negative).
    public func adding(days count: Int) -> Day { Day(number: number + count) }

    /// Midnight at the start of the day, Unix seconds.
    public var startUnixSeconds: Int64 { Int64(number) * 86_400 }

    /// "YYYY-MM-DD".
    public var description: String {
        let (year, month, day) = Self.civil(fromDays: number)
        return String(format: "%04d-%02d-%02d", year, month, day)
    }

    public static func < (left: Day, right: Day) -> Bool { left.number < right.number }

    // Howard Hinnant's days-from-civil algorithm and its inverse, for the proleptic Gregorian calendar.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civil(fromDays days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

/// The current and previous windows as of a day: half-open ranges of days.
public struct Windows: Sendable, Equatable {
    /// The last day of the current window (included).
    public var asOf: Day
    /// The current window: `current.lowerBound` included, `current.upperBound` (the day after
    /// `asOf`) excluded.
    public var current: Range<Day>
    /// The window just before the current one.
    public var previous: Range<Day>

    /// The windows ending with `asOf`, of `currentDays` and `previousDays` days.
    public init(asOf: Day, currentDays: Int, previousDays: Int) {
        self.asOf = asOf
        let end = asOf.adding(days: 1)
        let start = end.adding(days: -currentDays)
        current = start..<end
        previous = start.adding(days: -previousDays)..<start
    }
}
