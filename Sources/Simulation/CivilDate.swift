/// A calendar day in UTC, with the arithmetic the simulation needs and no dependence on locale,
/// time zone or the clock.
public struct CivilDate: Sendable, Equatable {
    /// Days since 1970-01-01.
    public var daysSinceEpoch: Int

    /// The date `YYYY-MM-DD`, or nil when it is not one (years 1970...9999).
    public init?(parsing text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1970...9999).contains(year), (1...12).contains(month), (1...Self.daysIn(month, year)).contains(day)
        else { return nil }
        daysSinceEpoch = Self.days(year: year, month: month, day: day)
    }

    /// The day `daysSinceEpoch` days after 1970-01-01.
    public init(daysSinceEpoch: Int) {
        self.daysSinceEpoch = daysSinceEpoch
    }

    /// Unix seconds at 00:00:00 UTC of this day.
    public var midnight: Int64 { Int64(daysSinceEpoch) * 86_400 }

    /// Year, month and day (Howard Hinnant's civil-from-days).
    public var components: (year: Int, month: Int, day: Int) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// `YYYY-MM-DD`.
    public var text: String {
        let (year, month, day) = components
        return "\(year)-\(pad(month))-\(pad(day))"
    }

    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func daysIn(_ month: Int, _ year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

/// Unix seconds as RFC 3339 UTC, `2026-11-20T03:12:07Z`.
func rfc3339(_ seconds: Int64) -> String {
    let day = CivilDate(daysSinceEpoch: Int(seconds.floorDiv(86_400)))
    let rest = Int(seconds - day.midnight)
    return "\(day.text)T\(pad(rest / 3600)):\(pad(rest / 60 % 60)):\(pad(rest % 60))Z"
}

/// Unix seconds as `YYYYMMDD-HHMMSS` (the stamp in openshift-tests' JUnit file names).
func compactStamp(_ seconds: Int64) -> String {
    let day = CivilDate(daysSinceEpoch: Int(seconds.floorDiv(86_400)))
    let (year, month, dayOfMonth) = day.components
    let rest = Int(seconds - day.midnight)
    return "\(year)\(pad(month))\(pad(dayOfMonth))-\(pad(rest / 3600))\(pad(rest / 60 % 60))\(pad(rest % 60))"
}

func pad(_ value: Int) -> String {
    value < 10 ? "0\(value)" : "\(value)"
}

extension Int64 {
    func floorDiv(_ divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
