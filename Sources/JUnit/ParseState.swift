// What the reader remembers while libxml2 walks the document: the open elements, the current
// case, and at most two capped failure messages. Its size depends on the options, not the input.
import CLibXML2

/// One open element.
struct Frame {
    var kind: ElementKind
    /// Where text directly inside this element goes: 0 nowhere, 1 primary, 2 secondary message.
    var textTarget: UInt8
}

/// The `<testcase>` being read.
struct CaseInProgress {
    var name = ""
    var classname = ""
    var time = 0.0
    var file: String?
    var line: Int?
    var skipped = false
    var failures = 0
    var errors = 0
    var flakyAttempts = 0
    var rerunFailures = 0
    var rerunErrors = 0
}

/// The parser's user data; reached from the C callbacks through a stable pointer.
struct ParseState {
    let options: JUnitReader.Options
    let onCase: (JUnitCase) -> Void
    var ctxt: xmlParserCtxtPtr?
    var names: Names?

    var stack: [Frame] = []
    var textTarget: UInt8 = 0
    var rootElement: String?
    var suiteNames: [String] = []
    var suitePath = ""
    var suites = 0
    var cases = 0
    var anonymousCases = 0
    var current: CaseInProgress?
    var caseDepth = 0
    /// First `<failure>`/`<error>` of the current case.
    var primary: MessageBuffer
    /// First flaky/rerun element of the current case, used when there is no failure or error.
    var secondary: MessageBuffer

    /// Set by a callback that stopped the parser (not JUnit, limit hit).
    var stopError: JUnitError?
    /// First well-formedness error libxml2 reported.
    var firstError: (line: Int, code: Int32, reason: String)?

    init(options: JUnitReader.Options, onCase: @escaping (JUnitCase) -> Void) {
        self.options = options
        self.onCase = onCase
        primary = MessageBuffer(cap: options.maxMessageBytes)
        secondary = MessageBuffer(cap: options.maxMessageBytes)
        stack.reserveCapacity(min(max(options.maxDepth, 0), 1024))
    }

    // MARK: - Events

    typealias Attributes = UnsafeMutablePointer<UnsafePointer<xmlChar>?>

    mutating func startElement(_ localname: UnsafePointer<xmlChar>?, _ count: Int, _ attributes: Attributes?) {
        guard stopError == nil, let names else { return }
        if stack.count >= options.maxDepth {
            return stop(.limitExceeded("elements nested deeper than \(options.maxDepth) levels"))
        }
        if let attributes {
            for i in 0..<count where attributes[5 * i + 4]! - attributes[5 * i + 3]! > options.maxAttributeBytes {
                let name = String(cString: attributes[5 * i]!)
                return stop(.limitExceeded("attribute \(name) longer than \(options.maxAttributeBytes) bytes"))
            }
        }
        var kind = names.kind(of: localname)
        if rootElement == nil {
            rootElement = localname.map { String(cString: $0) } ?? ""
            if kind != .testsuites && kind != .testsuite {
                return stop(.notJUnit(rootElement: rootElement!))
            }
        }
        var target: UInt8 = 0
        let directlyInCase = current != nil && stack.count == caseDepth + 1
        switch kind {
        case .testsuite:
            suites += 1
            suiteNames.append(attribute(names.name, count, attributes).map(attributeString) ?? "")
            updateSuitePath()
        case .testcase:
            if current != nil {
                kind = .other // A case inside a case: not a case of its own.
            } else if cases + anonymousCases >= options.maxCases {
                return stop(.limitExceeded("more than \(options.maxCases) test cases"))
            } else {
                current = readCase(names, count, attributes)
                caseDepth = stack.count
            }
        case .failure, .error:
            guard directlyInCase else { kind = .other; break }
            if kind == .failure { current!.failures += 1 } else { current!.errors += 1 }
            if !primary.inUse {
                primary.begin(message: attribute(names.message, count, attributes) ?? emptyBytes)
                target = 1
            }
        case .skipped:
            if directlyInCase { current!.skipped = true } else { kind = .other }
        case .flakyFailure, .flakyError, .rerunFailure, .rerunError:
            guard directlyInCase else { kind = .other; break }
            switch kind {
            case .flakyFailure, .flakyError: current!.flakyAttempts += 1
            case .rerunFailure: current!.rerunFailures += 1
            default: current!.rerunErrors += 1
            }
            if !primary.inUse && !secondary.inUse {
                secondary.begin(message: attribute(names.message, count, attributes) ?? emptyBytes)
                target = 2
            }
        case .stackTrace:
            // Surefire puts a flaky/rerun element's trace in a <stackTrace> child.
            target = stack.last?.textTarget ?? 0
        case .testsuites, .other:
            break
        }
        stack.append(Frame(kind: kind, textTarget: target))
        textTarget = target
    }

    mutating func endElement() {
        guard stopError == nil, let frame = stack.popLast() else { return }
        switch frame.kind {
        case .testsuite:
            suiteNames.removeLast()
            updateSuitePath()
        case .testcase:
            if let done = current {
                current = nil
                if done.name.isEmpty && done.classname.isEmpty {
                    // Identifies no test (as publish-unit-test-result-action, which drops these too).
                    anonymousCases += 1
                    primary.reset()
                    secondary.reset()
                } else {
                    cases += 1
                    onCase(finishCase(done))
                }
            }
        default:
            break
        }
        textTarget = stack.last?.textTarget ?? 0
    }

    @inline(__always)
    mutating func text(_ bytes: UnsafePointer<xmlChar>?, _ count: Int) {
        guard textTarget != 0, let bytes, count > 0 else { return }
        let buffer = UnsafeBufferPointer(start: bytes, count: count)
        if textTarget == 1 { primary.append(buffer) } else { secondary.append(buffer) }
    }

    mutating func recordError(_ error: xmlError) {
        guard firstError == nil, error.level.rawValue >= XML_ERR_ERROR.rawValue,
              error.domain != Int32(XML_FROM_NAMESPACE.rawValue) else { return }
        let raw = error.message.map { String(cString: $0) } ?? "error \(error.code)"
        firstError = (Int(error.line), error.code, oneLine(raw))
    }

    // MARK: - Helpers

    private mutating func stop(_ error: JUnitError) {
        stopError = error
        xmlStopParser(ctxt)
    }

    private mutating func updateSuitePath() {
        suitePath = suiteNames.filter { !$0.isEmpty }.joined(separator: " / ")
    }

    private func readCase(_ names: Names, _ count: Int, _ attributes: Attributes?) -> CaseInProgress {
        var c = CaseInProgress()
        guard let attributes else { return c }
        for i in 0..<count {
            let local = attributes[5 * i]
            guard attributes[5 * i + 1] == nil else { continue } // Prefixed: someone else's attribute.
            let value = UnsafeBufferPointer(start: attributes[5 * i + 3]!,
                                            count: attributes[5 * i + 4]! - attributes[5 * i + 3]!)
            if local == names.name {
                c.name = attributeString(value)
            } else if local == names.classname {
                c.classname = attributeString(value)
            } else if local == names.time {
                c.time = parseSeconds(value)
            } else if local == names.file {
                c.file = attributeString(value)
            } else if local == names.line {
                c.line = Int(makeString(trimmedSlice(value)))
            } else if local == names.status {
                let status = makeString(trimmedSlice(value)).lowercased()
                if status == "skipped" || status == "disabled" { c.skipped = true }
            }
        }
        return c
    }

    private mutating func finishCase(_ c: CaseInProgress) -> JUnitCase {
        let status: CaseStatus =
            if c.errors > 0 || c.rerunErrors > 0 { .errored }
            else if c.failures > 0 || c.rerunFailures > 0 { .failed }
            else if c.skipped { .skipped }
            else { .passed }
        var message: String?
        if primary.inUse { message = primary.build() } else if secondary.inUse { message = secondary.build() }
        primary.reset()
        secondary.reset()
        return JUnitCase(
            name: c.name, classname: c.classname, suitePath: suitePath, time: c.time, status: status,
            flakyAttempts: c.flakyAttempts, rerunFailures: c.rerunFailures + c.rerunErrors,
            message: message, file: c.file, line: c.line)
    }
}

private var emptyBytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: nil, count: 0) }

/// The value of the unprefixed attribute `name`, if present.
private func attribute(_ name: Names.Name, _ count: Int, _ attributes: ParseState.Attributes?) -> UnsafeBufferPointer<UInt8>? {
    guard let attributes else { return nil }
    for i in 0..<count where attributes[5 * i] == name && attributes[5 * i + 1] == nil {
        let start = attributes[5 * i + 3]!
        return UnsafeBufferPointer(start: start, count: attributes[5 * i + 4]! - start)
    }
    return nil
}

/// An attribute value as a String, with `&` restored (see `appendAttributeValue`).
private func attributeString(_ value: UnsafeBufferPointer<UInt8>) -> String {
    guard value.contains(UInt8(ascii: "&")) else { return makeString(value) }
    var bytes: [UInt8] = []
    appendAttributeValue(value, to: &bytes)
    return makeString(bytes)
}

@inline(__always)
private func makeString<C: Collection<UInt8>>(_ bytes: C) -> String {
    String(decoding: bytes, as: UTF8.self)
}

/// `bytes` without leading and trailing XML white space, without copying.
func trimmedSlice(_ bytes: UnsafeBufferPointer<UInt8>) -> Slice<UnsafeBufferPointer<UInt8>> {
    var start = 0, end = bytes.count
    while start < end && isXMLSpace(bytes[start]) { start += 1 }
    while end > start && isXMLSpace(bytes[end - 1]) { end -= 1 }
    return bytes[start..<end]
}

/// Seconds from a `time` attribute; 0 unless a finite, non-negative number.
func parseSeconds(_ bytes: UnsafeBufferPointer<UInt8>) -> Double {
    let text = trimmedSlice(bytes)
    guard !text.isEmpty, text.count < 64, let value = Double(makeString(text)),
          value.isFinite, value >= 0 else { return 0 }
    return value + 0 // Turns -0 into 0.
}

/// The first line of a libxml2 message, without surrounding blanks, at most 300 bytes.
func oneLine(_ message: String) -> String {
    let line = message.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
    let clean = line.trimmingCharacters(in: " \t")
    return clean.utf8.count <= 300 ? clean : String(decoding: cappedUTF8(ArraySlice(clean.utf8), 300), as: UTF8.self)
}

private extension String {
    func trimmingCharacters(in set: String) -> String {
        let skip = Set(set)
        guard let start = firstIndex(where: { !skip.contains($0) }),
              let end = lastIndex(where: { !skip.contains($0) }) else { return "" }
        return String(self[start...end])
    }
}
