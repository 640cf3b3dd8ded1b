/// How one test went in one run, as the attempts openshift-tests wrote.
enum TestRunOutcome: UInt8 {
    case pass, fail, failThenPass, failThenFail, skip, notRun

    /// The `<testcase>` elements written.
    var cases: Int {
        switch self {
        case .pass, .fail, .skip: return 1
        case .failThenPass, .failThenFail: return 2
        case .notRun: return 0
        }
    }
}

/// Builds openshift-style JUnit XML into a byte buffer.
enum JUnitWriter {
    /// The e2e file of openshift-tests: one `<testsuite>`, a case per attempt (a retried test is
    /// written failed, then again with the retry's result), `<system-out>` on every case run.
    static func e2e(into buffer: ByteBuffer, outcomes: [TestRunOutcome], content: JUnitContent, payload: String,
                    startedAt: Int64, outputBytes: Int, random: inout SimulationRandom) {
        var tests = 0, failures = 0, skipped = 0
        for outcome in outcomes where outcome != .notRun {
            tests += outcome.cases
            if outcome == .skip { skipped += 1 }
            if outcome != .pass && outcome != .skip { failures += outcome == .failThenFail ? 2 : 1 }
        }
        buffer.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"openshift-tests\" tests=\"")
        buffer.append(decimal: tests)
        buffer.append("\" skipped=\"")
        buffer.append(decimal: skipped)
        buffer.append("\" failures=\"")
        buffer.append(decimal: failures)
        buffer.append("\" time=\"")
        buffer.append(decimal: 1800 + random.below(3600))
        buffer.append("\" timestamp=\"")
        buffer.append(string: String(rfc3339(startedAt).dropLast()))
        buffer.append("\">\n  <properties>\n    <property name=\"TestVersion\" value=\"")
        buffer.append(string: payload)
        buffer.append("\"></property>\n  </properties>\n")
        content.names.withUnsafeBytes { names in
            content.log.withUnsafeBytes { log in
                for (index, outcome) in outcomes.enumerated() {
                    let name = UnsafeRawBufferPointer(rebasing: names[content.nameStarts[index]..<content.nameStarts[index + 1]])
                    switch outcome {
                    case .notRun:
                        continue
                    case .skip:
                        buffer.append("  <testcase name=\"")
                        buffer.append(name)
                        buffer.append("\" time=\"0\"><skipped message=\"skipped\"/></testcase>\n")
                    case .pass:
                        testCase(buffer, name, failed: false, index, content, log, outputBytes, &random)
                    case .fail:
                        testCase(buffer, name, failed: true, index, content, log, outputBytes, &random)
                    case .failThenPass, .failThenFail:
                        testCase(buffer, name, failed: true, index, content, log, outputBytes, &random)
                        testCase(buffer, name, failed: outcome == .failThenFail, index, content, log, outputBytes, &random)
                    }
                }
            }
        }
        buffer.append("</testsuite>\n")
    }

    private static func testCase(_ buffer: ByteBuffer, _ name: UnsafeRawBufferPointer, failed: Bool, _ index: Int,
                                 _ content: JUnitContent, _ log: UnsafeRawBufferPointer, _ outputBytes: Int,
                                 _ random: inout SimulationRandom) {
        buffer.append("  <testcase name=\"")
        buffer.append(name)
        buffer.append("\" time=\"")
        buffer.append(milliseconds: 200 + random.below(failed ? 600_000 : 90_000))
        buffer.append("\">")
        if failed {
            buffer.append("<failure message=\"\">fail [")
            buffer.append(string: content.sourceFiles[index])
            switch random.below(3) {
            case 0:
                buffer.append("]: Expected\n    &lt;int&gt;: ")
                buffer.append(decimal: 1 + random.below(9))
                buffer.append("\nto equal\n    &lt;int&gt;: 0\n")
            case 1:
                buffer.append("]: timed out waiting for the condition\n")
            default:
                buffer.append("]: pod &quot;e2e-test-")
                buffer.append(decimal: random.below(100_000))
                buffer.append("&quot; failed with status: {Phase:Failed Reason:Error}\n")
            }
            buffer.append(UnsafeRawBufferPointer(rebasing: log[content.logSlice(length: outputBytes, random: &random)]))
            buffer.append("</failure>")
        }
        let length = outputBytes / 4 + random.below(outputBytes * 3 / 2 + 1)
        if length > 0 {
            buffer.append("<system-out>")
            buffer.append(UnsafeRawBufferPointer(rebasing: log[content.logSlice(length: failed ? 3 * length : length, random: &random)]))
            buffer.append("</system-out>")
        }
        buffer.append("</testcase>\n")
    }

    /// The installer's JUnit: one case per install step and `overall`; `failedFrom` is the index of
    /// the first failing step (nil when the install succeeded), after which every step fails.
    static func install(into buffer: ByteBuffer, failedFrom: Int?, duration: Int) {
        let steps = TestNames.installSteps
        let failures = failedFrom.map { steps.count - $0 } ?? 0
        buffer.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"cluster install\" tests=\"")
        buffer.append(decimal: steps.count)
        buffer.append("\" skipped=\"0\" failures=\"")
        buffer.append(decimal: failures)
        buffer.append("\" time=\"")
        buffer.append(decimal: duration)
        buffer.append("\">\n")
        for (index, step) in steps.enumerated() {
            buffer.append("  <testcase name=\"")
            buffer.append(string: step)
            buffer.append("\" time=\"")
            buffer.append(decimal: index == steps.count - 1 ? duration : duration / steps.count)
            if let failedFrom, index >= failedFrom {
                buffer.append("\"><failure message=\"\">openshift cluster install failed: ")
                buffer.append(string: step.replacingFirstColon())
                buffer.append(" did not complete; see the installer log</failure></testcase>\n")
            } else {
                buffer.append("\"></testcase>\n")
            }
        }
        buffer.append("</testsuite>\n")
    }

    /// A non-JUnit XML file some steps leave in the artifacts: a list of pods.
    static func pods(into buffer: ByteBuffer, random: inout SimulationRandom) {
        buffer.append("<?xml version=\"1.0\"?>\n<pods>\n")
        for _ in 0..<(5 + random.below(20)) {
            buffer.append("  <pod namespace=\"openshift-etcd\" name=\"etcd-ip-10-0-")
            buffer.append(decimal: random.below(256))
            buffer.append("\" phase=\"Running\" restarts=\"")
            buffer.append(decimal: random.below(3))
            buffer.append("\"/>\n")
        }
        buffer.append("</pods>\n")
    }
}

private extension String {
    /// "install should succeed: overall" → "overall".
    func replacingFirstColon() -> String {
        guard let colon = firstIndex(of: ":") else { return self }
        return String(self[index(after: colon)...]).trimmingPrefixSpaces()
    }

    func trimmingPrefixSpaces() -> String {
        String(drop { $0 == " " })
    }
}
