// JUnit: a streaming reader of JUnit XML as real test runners write it.
// It must never hold a whole file in memory, resolve external entities, or touch the network.

/// Parses a whole buffer: a convenience for tests and small inputs.
public func readJUnit(_ bytes: [UInt8], options: JUnitReader.Options = .init()) throws(JUnitError)
    -> (cases: [JUnitCase], summary: JUnitFileSummary)
{
    var cases: [JUnitCase] = []
    let reader = JUnitReader(options: options) { cases.append($0) }
    try reader.feed(bytes)
    let summary = try reader.finish()
    return (cases, summary)
}
