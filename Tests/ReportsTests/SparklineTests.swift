@testable import Reports
import Testing

@Suite struct SparklineTests {
    @Test func heightFollowsTheValue() {
        #expect(Sparkline.render([0, 50, 100]) == "▁▅█")
        #expect(Sparkline.render([nil, 1, 1]) == "·██")
        #expect(Sparkline.render([0, 0]) == "▁▁")
        #expect(Sparkline.render([10, 20], maximum: 40) == "▃▅")
        #expect(Sparkline.render([]) == "")
    }
}
