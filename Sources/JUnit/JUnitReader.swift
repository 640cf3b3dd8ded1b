// The public streaming reader: owns one libxml2 push-parser context and the parse state.
import CLibXML2

/// Reads one JUnit XML document fed in chunks, calling back once per `<testcase>`.
///
/// Memory stays bounded by the options, not by the file: `<system-out>`/`<system-err>` and other
/// text is never kept; failure text is kept only up to ``Options/maxMessageBytes``.
/// Cases are delivered as soon as they end, so a document that later turns out malformed or
/// truncated has already delivered some cases: the caller discards them when `feed` or `finish`
/// throws. One reader reads one document and is not thread-safe; use one per file.
public final class JUnitReader {
    /// Safety limits and caps.
    public struct Options: Sendable {
        /// Most UTF-8 bytes kept of a case's failure message.
        public var maxMessageBytes = 4096
        /// Deepest element nesting accepted. libxml2 itself refuses more than 256 levels.
        public var maxDepth = 256
        /// Longest attribute value accepted, on any element.
        public var maxAttributeBytes = 1 << 20
        /// Most `<testcase>` elements accepted in one document.
        public var maxCases = 2_000_000
        /// Most input bytes libxml2 may hold at once. Text and CDATA are streamed, but libxml2
        /// buffers a start tag, comment or processing instruction until its end arrives; this
        /// bounds memory when one never does (a broken or hostile file).
        public var maxBufferedBytes = 32 << 20
        /// The defaults.
        public init() {}
    }

    private let state: UnsafeMutablePointer<ParseState>
    private let ctxt: xmlParserCtxtPtr
    /// Errors libxml2 sent to its generic (printing) handler while this reader parsed: encoding
    /// conversion failures. See `withGenericErrorsCounted`.
    private let genericErrors: UnsafeMutablePointer<Int32>
    private var bytesFed = 0
    private var failure: JUnitError?
    private var finished = false

    /// Makes a reader; `onCase` is called once per `<testcase>`, in document order, when its end tag is read.
    /// Cases with neither a name nor a classname are not passed (see ``JUnitFileSummary/anonymousCases``).
    public init(options: Options = .init(), onCase: @escaping (JUnitCase) -> Void) {
        libxml2Ready()
        genericErrors = .allocate(capacity: 1)
        genericErrors.initialize(to: 0)
        state = .allocate(capacity: 1)
        state.initialize(to: ParseState(options: options, onCase: onCase))
        var sax = makeSAXHandler()
        // Encoding is detected from the first bytes fed, so no initial chunk here.
        guard let ctxt = xmlCreatePushParserCtxt(&sax, state, nil, 0, nil) else {
            fatalError("libxml2 could not allocate a parser context")
        }
        self.ctxt = ctxt
        // No network, no entity substitution, no DTD loading, no "huge" mode: none of
        // XML_PARSE_NOENT, XML_PARSE_DTDLOAD, XML_PARSE_HUGE is set.
        xmlCtxtUseOptions(ctxt, Int32(XML_PARSE_NONET.rawValue))
        state.pointee.ctxt = ctxt
        state.pointee.names = Names(dict: ctxt.pointee.dict)
    }

    deinit {
        genericErrors.deallocate()
        xmlFreeParserCtxt(ctxt)
        state.deinitialize(count: 1)
        state.deallocate()
    }

    /// Feeds the next chunk. Throws as soon as the document is known to be bad or not JUnit
    /// (the caller stops reading); after a throw, every later call throws the same error.
    public func feed(_ chunk: UnsafeRawBufferPointer) throws(JUnitError) {
        precondition(!finished, "JUnitReader.feed called after finish")
        if let failure { throw failure }
        guard let base = chunk.baseAddress, chunk.count > 0 else { return }
        bytesFed += chunk.count
        var offset = 0
        while offset < chunk.count {
            let size = min(chunk.count - offset, 1 << 28)
            let code = withGenericErrorsCounted {
                xmlParseChunk(ctxt, base.advanced(by: offset).assumingMemoryBound(to: CChar.self), Int32(size), 0)
            }
            try checkDecoding(code)
            try check()
            offset += size
        }
    }

    /// Feeds the next chunk of bytes.
    public func feed(_ bytes: [UInt8]) throws(JUnitError) {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(JUnitError) in try feed(raw) }
        }
        try result.get()
    }

    /// Ends the document; throws when it was empty, truncated, malformed or not JUnit.
    public func finish() throws(JUnitError) -> JUnitFileSummary {
        precondition(!finished, "JUnitReader.finish called twice")
        finished = true
        if let failure { throw failure }
        if bytesFed == 0 { throw remember(.empty) }
        let wellFormedBeforeEnd = ctxt.pointee.wellFormed != 0
        try checkDecoding(withGenericErrorsCounted { xmlParseChunk(ctxt, nil, 0, 1) })
        // A document that was fine until its bytes ran out, with elements still open, was cut off:
        // say so, rather than libxml2's "Extra content at the end of the document".
        let open = state.pointee.stack
        if wellFormedBeforeEnd, ctxt.pointee.wellFormed == 0, state.pointee.stopError == nil, let innermost = open.last {
            let element = innermost.kind == .other ? "an element" : "<\(innermost.kind)>"
            throw remember(.malformed(
                line: Int(xmlSAX2GetLineNumber(UnsafeMutableRawPointer(ctxt))),
                reason: "the document ends inside \(element) with \(open.count) element(s) still open: the file is truncated"))
        }
        try check()
        guard let root = state.pointee.rootElement else { throw remember(.empty) }
        return JUnitFileSummary(cases: state.pointee.cases, suites: state.pointee.suites, rootElement: root,
                                anonymousCases: state.pointee.anonymousCases)
    }

    /// How many bytes libxml2 holds in its input buffer right now (for tests of bounded memory).
    var bufferedInputBytes: Int {
        guard let input = ctxt.pointee.input, let base = input.pointee.base, let end = input.pointee.end else { return 0 }
        return end - base
    }

    private func check() throws(JUnitError) {
        if let stop = state.pointee.stopError { throw remember(stop) }
        let limit = state.pointee.options.maxBufferedBytes
        if ctxt.pointee.wellFormed != 0 && bufferedInputBytes > limit {
            xmlStopParser(ctxt)
            throw remember(.limitExceeded("more than \(limit) bytes without the end of a tag, comment or processing instruction"))
        }
        guard ctxt.pointee.wellFormed == 0 else { return }
        let first = state.pointee.firstError ?? lastContextError()
        if state.pointee.rootElement == nil {
            // The input ended cleanly before any element: only white space, a declaration, comments.
            if finished && first.code == Int32(XML_ERR_DOCUMENT_END.rawValue) { throw remember(.empty) }
            // libxml2 calls text where the root should start "Document is empty"; say what it is.
            if first.code == Int32(XML_ERR_DOCUMENT_EMPTY.rawValue) {
                throw remember(.malformed(line: first.line, reason: "text where the root element should start: not XML"))
            }
        }
        // libxml2's own size limits (without XML_PARSE_HUGE, which is never set): a name, tag,
        // attribute value or text node longer than 10,000,000 bytes. Say so as a limit.
        if first.reason.contains("Huge input lookup") || first.reason.contains("length too long")
            || first.code == Int32(XML_ERR_NAME_TOO_LONG.rawValue) {
            throw remember(.limitExceeded("a name, tag, attribute value or text node longer than libxml2's 10,000,000-byte limit (line \(first.line))"))
        }
        throw remember(.malformed(line: first.line, reason: first.reason))
    }

    /// Runs a libxml2 call with its generic error handler counting into this reader instead of
    /// printing to stderr. The handler is per thread, so it is set for each call (a reader may be
    /// fed from any thread) and cleared after it (so it never points at a freed reader).
    private func withGenericErrorsCounted<T>(_ body: () -> T) -> T {
        cisignal_count_generic_errors(genericErrors)
        defer { cisignal_count_generic_errors(nil) }
        return body()
    }

    /// libxml2 2.9 meets bytes the declared (or detected) encoding cannot decode with a message to
    /// its generic handler (counted here) and, at best, a halt known only from `xmlParseChunk`'s
    /// result; the document still looks well-formed, or in push mode may go on without those bytes.
    private func checkDecoding(_ code: Int32) throws(JUnitError) {
        guard code == Int32(XML_ERR_INVALID_ENCODING.rawValue) || genericErrors.pointee > 0,
              state.pointee.stopError == nil else { return }
        xmlStopParser(ctxt)
        let encoding = ctxt.pointee.encoding.map { String(cString: $0) } ?? "UTF-8"
        throw remember(.malformed(line: Int(xmlSAX2GetLineNumber(UnsafeMutableRawPointer(ctxt))),
                                  reason: "bytes that are not valid \(encoding), the document's encoding"))
    }

    private func lastContextError() -> (line: Int, code: Int32, reason: String) {
        guard let error = xmlCtxtGetLastError(UnsafeMutableRawPointer(ctxt)) else {
            return (0, 0, "not well-formed")
        }
        let text = error.pointee.message.map { String(cString: $0) } ?? "not well-formed"
        return (Int(error.pointee.line), error.pointee.code, oneLine(text))
    }

    private func remember(_ error: JUnitError) -> JUnitError {
        failure = error
        return error
    }
}

/// libxml2 wants one global initialisation before contexts are used from several threads.
private let initialised: Bool = {
    xmlInitParser()
    return true
}()

private func libxml2Ready() {
    _ = initialised
}
