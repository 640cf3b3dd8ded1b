// Hand-written documents: structure, statuses, messages, attribute decoding.
import Testing
@testable import JUnit

@Suite struct ReaderTests {
    @Test func suitePathsAndAttributes() throws {
        let (cases, summary) = try parse("""
            <?xml version="1.0" encoding="UTF-8"?>
            <testsuites name="all">
              <testcase name="top" classname="c0"/>
              <testsuite name="outer">
                <properties><property name="name" value="not a case"/></properties>
                <testsuite name="inner">
                  <testcase name="[sig-node] pods `x` | y &quot;z&quot; ü 🚀" classname="pkg.Class" time="1.25" file="a/b.go" line="17"/>
                </testsuite>
                <testsuite><testcase name="in unnamed suite"/></testsuite>
                <testcase name="after inner" time="2"/>
              </testsuite>
            </testsuites>
            """)
        #expect(summary == JUnitFileSummary(cases: 4, suites: 3, rootElement: "testsuites"))
        #expect(cases == [
            JUnitCase(name: "top", classname: "c0"),
            JUnitCase(name: "[sig-node] pods `x` | y \"z\" ü 🚀", classname: "pkg.Class", suitePath: "outer / inner",
                      time: 1.25, file: "a/b.go", line: 17),
            JUnitCase(name: "in unnamed suite", suitePath: "outer"),
            JUnitCase(name: "after inner", suitePath: "outer", time: 2),
        ])
    }

    @Test func zeroCasesIsValid() throws {
        let (cases, summary) = try parse(#"<testsuite name="x" tests="3"></testsuite>"#)
        #expect(cases.isEmpty)
        #expect(summary == JUnitFileSummary(cases: 0, suites: 1, rootElement: "testsuite"))
    }

    @Test func statusPrecedence() throws {
        let (cases, _) = try parse("""
            <testsuite>
              <testcase name="e"><skipped/><failure message="f"/><error message="e">boom</error></testcase>
              <testcase name="f"><skipped/><failure message="f">assert</failure></testcase>
              <testcase name="s"><skipped message="not today"/></testcase>
              <testcase name="p"><system-out>hello</system-out></testcase>
              <testcase name="ginkgo" status="skipped"><skipped message="skipped"/></testcase>
              <testcase name="tst" status="disabled"/>
              <testcase name="failed status only" status="failed"/>
            </testsuite>
            """)
        #expect(cases.map(\.status) == [.errored, .failed, .skipped, .passed, .skipped, .skipped, .passed])
        #expect(cases[0].message == "f") // The first <failure>/<error> in document order.
        #expect(cases[1].message == "f\n\nassert")
        #expect(cases[2].message == nil) // A skip is not a failure.
        #expect(cases[3].message == nil)
    }

    @Test func firstFailureGivesTheMessage() throws {
        let (cases, _) = try parse("""
            <testsuite><testcase name="two"><failure message="first">one</failure><failure message="second">two</failure></testcase>
            <testcase name="bare"><failure/></testcase>
            <testcase name="text only"><error>  trace line 1
            trace line 2  </error></testcase></testsuite>
            """)
        #expect(cases[0].message == "first\n\none")
        #expect(cases[1].message == "")
        #expect(cases[2].message == "trace line 1\ntrace line 2")
    }

    @Test func surefireReruns() throws {
        let (cases, _) = try parse("""
            <testsuite name="s">
              <testcase name="rerun" classname="C">
                <failure message="first" type="AssertionError">trace 1</failure>
                <rerunFailure message="again" type="AssertionError"><stackTrace>trace 2</stackTrace></rerunFailure>
                <rerunError message="worse"><stackTrace>trace 3</stackTrace></rerunError>
              </testcase>
              <testcase name="rerun only" classname="C">
                <rerunFailure message="again"><stackTrace>trace 2</stackTrace><system-out>noise</system-out></rerunFailure>
              </testcase>
              <testcase name="flaky" classname="C">
                <flakyError message="was flaky"><stackTrace><![CDATA[at x <y>]]></stackTrace></flakyError>
              </testcase>
            </testsuite>
            """)
        #expect(cases[0].status == .errored) // <rerunError> counts as an error.
        #expect(cases[0].rerunFailures == 2)
        #expect(cases[0].message == "first\n\ntrace 1")
        #expect(cases[1].status == .failed && cases[1].rerunFailures == 1 && cases[1].message == "again\n\ntrace 2")
        #expect(cases[2].status == .passed && cases[2].flakyAttempts == 1 && cases[2].message == "was flaky\n\nat x <y>")
    }

    @Test func entitiesInAttributesAreDecoded() throws {
        let (cases, _) = try parse("""
            <testsuite name="a &amp; b"><testcase name="x &amp; y &lt;z&gt; &#x41;&#66; &quot;q&quot; &apos;s&apos; &amp;amp; &amp;#38;" classname="&#x1F680;">
            <failure message="m &amp; &lt;n&gt;">t &amp; &lt;u&gt; &#x41;</failure></testcase></testsuite>
            """)
        #expect(cases[0].name == "x & y <z> AB \"q\" 's' &amp; &#38;")
        #expect(cases[0].classname == "🚀")
        #expect(cases[0].suitePath == "a & b")
        #expect(cases[0].message == "m & <n>\n\nt & <u> A")
    }

    @Test func cdataInFailureTextIsKept() throws {
        let (cases, _) = try parse("""
            <testsuite><testcase name="c"><failure message="m">before <![CDATA[if a < b && c > d { ]]> ]]&gt; after <![CDATA[]]></failure></testcase></testsuite>
            """)
        #expect(cases[0].message == "m\n\nbefore if a < b && c > d {  ]]> after")
    }

    @Test func timeValues() throws {
        let (cases, _) = try parse("""
            <testsuite>
            <testcase name="a" time=" 1.5 "/><testcase name="b" time="abc"/><testcase name="c" time="-1"/>
            <testcase name="d" time="inf"/><testcase name="e" time="NaN"/><testcase name="f" time="1e3"/>
            <testcase name="g" time="1,234.5"/><testcase name="h" time="-0"/><testcase name="i" line="x"/>
            </testsuite>
            """)
        #expect(cases.map(\.time) == [1.5, 0, 0, 0, 0, 1000, 0, 0, 0])
        #expect(cases[8].line == nil)
    }

    @Test func anonymousCasesAreCountedNotPassed() throws {
        let (cases, summary) = try parse(#"<testsuite><testcase/><testcase name=""><failure/></testcase><testcase classname="k"/></testsuite>"#)
        #expect(cases == [JUnitCase(name: "", classname: "k")])
        #expect(summary.cases == 1 && summary.anonymousCases == 2)
    }

    @Test func messageCapKeepsWholeCharacters() throws {
        var options = JUnitReader.Options()
        options.maxMessageBytes = 10
        // "ab" + four 4-byte emoji: the cap falls inside the third emoji.
        let (cases, _) = try parse("<testsuite><testcase name='x'><failure>ab😀😀😀😀</failure></testcase></testsuite>", options: options)
        #expect(cases[0].message == "ab😀😀")
        // Attribute and text together: "é" is two bytes; "ééééé" is exactly 10 bytes.
        let (more, _) = try parse("<testsuite><testcase name='x'><error message='ééééé'>more</error></testcase></testsuite>", options: options)
        #expect(more[0].message == "ééééé")
        let (odd, _) = try parse("<testsuite><testcase name='x'><error message='aéééé'>more</error></testcase></testsuite>", options: options)
        #expect(odd[0].message == "aéééé") // The blank line would not fit, and is trimmed.
        let (cut, _) = try parse("<testsuite><testcase name='x'><error message='aaéééé'>more</error></testcase></testsuite>", options: options)
        #expect(cut[0].message == "aaéééé")
        let (cut2, _) = try parse("<testsuite><testcase name='x'><error message='aaaéééé'/></testcase></testsuite>", options: options)
        #expect(cut2[0].message == "aaaééé")
        let (text, _) = try parse("<testsuite><testcase name='x'><error>aaaéééé</error></testcase></testsuite>", options: options)
        #expect(text[0].message == "aaaééé")
        let (pieces, _) = try parse("<testsuite><testcase name='x'><error>aaaééé&amp;<![CDATA[ééé]]>x</error></testcase></testsuite>", options: options)
        #expect(pieces[0].message == "aaaééé&")
    }

    @Test func otherEncodings() throws {
        let latin1: [UInt8] = Array("<?xml version='1.0' encoding='ISO-8859-1'?><testsuite><testcase name='caf".utf8) + [0xE9]
            + Array("'/></testsuite>".utf8)
        #expect(try readJUnit(latin1).cases.map(\.name) == ["café"])
        var utf16: [UInt8] = [0xFF, 0xFE]
        for unit in "<testsuite><testcase name='ü'/></testsuite>".utf16 { utf16 += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        #expect(try readJUnit(utf16).cases.map(\.name) == ["ü"])
    }
}
