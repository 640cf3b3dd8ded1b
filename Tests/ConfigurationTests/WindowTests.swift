import Configuration
import Testing

/// The current and previous windows around an as-of day.
struct WindowTests {
    @Test func defaultWindowsForAnAsOfDay() throws {
        // 2024-03-10 00:00 UTC is 1710028800.
        let windows = try #require(Settings.defaults.windows(asOf: "2024-03-10"))
        let day: Int64 = 86_400
        #expect(windows.current == TimeRange(start: 1_710_028_800 - 6 * day, end: 1_710_028_800 + day))
        #expect(windows.previous == TimeRange(start: 1_710_028_800 - 13 * day, end: 1_710_028_800 - 6 * day))
        #expect(windows.previous.end == windows.current.start)
    }

    @Test func boundariesAreHalfOpenAndIncludeTheAsOfDay() throws {
        let windows = try #require(Settings.defaults.windows(asOf: "2024-03-10"))
        let lastSecondOfAsOfDay: Int64 = 1_710_028_800 + 86_399
        #expect(windows.current.contains(lastSecondOfAsOfDay))
        #expect(!windows.current.contains(lastSecondOfAsOfDay + 1))
        #expect(windows.current.contains(windows.current.start))
        #expect(!windows.previous.contains(windows.current.start))
        #expect(windows.previous.contains(windows.current.start - 1))
        #expect(!windows.previous.contains(windows.previous.start - 1))
    }

    @Test func lengthsFromTheFile() throws {
        let settings = try Settings.parse(yaml: "windows: {current_days: 1, previous_days: 28}", file: "c.yaml")
        let windows = try #require(settings.windows(asOf: "1970-01-02"))
        #expect(windows.current == TimeRange(start: 86_400, end: 172_800))
        #expect(windows.previous == TimeRange(start: 86_400 - 28 * 86_400, end: 86_400))
    }

    @Test func leapDaysAndDayText() throws {
        #expect(UTCDay("1970-01-01")?.daysSinceEpoch == 0)
        #expect(UTCDay("2000-03-01")?.daysSinceEpoch == 11_017)
        #expect(UTCDay("2024-02-29")?.description == "2024-02-29")
        #expect(UTCDay("1969-12-31")?.daysSinceEpoch == -1)
        #expect(UTCDay(unixSeconds: -1) == UTCDay("1969-12-31"))
        #expect(UTCDay(unixSeconds: 1_710_028_800 + 86_399) == UTCDay("2024-03-10"))
        for bad in ["2023-02-29", "2024-13-01", "2024-3-10", "2024-03-10T00:00", "", "abcd-ef-gh", "2024-04-31"] {
            #expect(UTCDay(bad) == nil, "\(bad)")
            #expect(Settings.defaults.windows(asOf: bad) == nil)
        }
    }
}
