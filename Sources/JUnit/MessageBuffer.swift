// The failure text of one <failure>/<error> (or flaky/rerun) element, kept only up to a cap.

/// Collects a failure element's `message` attribute and text with a fixed upper bound on memory.
///
/// Bytes come from libxml2, which checks UTF-8 — but not everywhere: in CDATA read by the push
/// parser, libxml2 2.9 lets overlong forms such as `C1 81` through. The cap is applied on a
/// character boundary when the message is built, and again after decoding, where each invalid
/// byte becomes U+FFFD (three bytes).
struct MessageBuffer {
    /// Most bytes kept of the attribute and, separately, of the text.
    let cap: Int
    /// Whether an element was bound to this buffer for the current case.
    private(set) var inUse = false
    private var attribute: [UInt8] = []
    private var text: [UInt8] = []
    /// The text reached the cap: later text is ignored so the kept text has no gaps.
    private var textFull = false

    init(cap: Int) {
        self.cap = max(0, cap)
        attribute.reserveCapacity(self.cap)
        text.reserveCapacity(self.cap)
    }

    /// Binds the buffer to a failure element whose `message` attribute is `message` (may be empty).
    mutating func begin(message: UnsafeBufferPointer<UInt8>) {
        inUse = true
        appendAttributeValue(message, to: &attribute, limit: cap)
        if attribute.count == cap { dropIncompleteCharacter(&attribute) }
    }

    /// Adds text content; leading whitespace is skipped and nothing is kept past the cap.
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        var slice = bytes[...]
        if text.isEmpty {
            guard let first = slice.firstIndex(where: { !isXMLSpace($0) }) else { return }
            slice = slice[first...]
        }
        if textFull { return }
        let room = cap - text.count
        text.append(contentsOf: UnsafeBufferPointer(rebasing: slice.prefix(room)))
        if slice.count >= room {
            textFull = true
            dropIncompleteCharacter(&text)
        }
    }

    /// The message: trimmed attribute, a blank line, trimmed text; capped at `cap` bytes.
    func build() -> String {
        let head = trimmed(attribute[...])
        let body = trimmed(text[...])
        var out: [UInt8] = []
        out.reserveCapacity(min(cap, head.count + body.count + 2))
        out.append(contentsOf: head)
        if !head.isEmpty && !body.isEmpty { out.append(contentsOf: [0x0A, 0x0A]) }
        out.append(contentsOf: body)
        let decoded = String(decoding: trimmed(cappedUTF8(out[...], cap)), as: UTF8.self)
        guard decoded.utf8.count > cap else { return decoded }
        // Invalid bytes grew into replacement characters (found by fuzzing): cap the valid text.
        return String(decoding: trimmed(cappedUTF8(Array(decoded.utf8)[...], cap)), as: UTF8.self)
    }

    /// Forgets everything, keeping the storage for the next case.
    mutating func reset() {
        guard inUse else { return }
        inUse = false
        textFull = false
        attribute.removeAll(keepingCapacity: true)
        text.removeAll(keepingCapacity: true)
    }
}

/// XML white space: space, tab, line feed, carriage return.
@inline(__always)
func isXMLSpace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
}

/// `bytes` without leading and trailing XML white space.
func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
    guard let start = bytes.firstIndex(where: { !isXMLSpace($0) }),
          let end = bytes.lastIndex(where: { !isXMLSpace($0) }) else { return [] }
    return bytes[start...end]
}

/// Removes a character cut short at the end of `bytes` (valid UTF-8 up to the cut).
func dropIncompleteCharacter(_ bytes: inout [UInt8]) {
    // Find the lead byte of the last character: at most 3 continuation bytes back.
    var lead = bytes.count - 1
    while lead >= 0 && lead >= bytes.count - 4 && bytes[lead] & 0xC0 == 0x80 { lead -= 1 }
    guard lead >= 0 else { return }
    let b = bytes[lead]
    let length = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2
    if bytes.count - lead < length { bytes.removeSubrange(lead...) }
}

/// The longest prefix of valid UTF-8 `bytes` that fits in `cap` bytes and ends on a character boundary.
func cappedUTF8(_ bytes: ArraySlice<UInt8>, _ cap: Int) -> ArraySlice<UInt8> {
    if bytes.count <= cap { return bytes }
    var end = bytes.startIndex + max(0, cap)
    // A continuation byte (10xxxxxx) at the cut means the cut falls inside a character.
    while end > bytes.startIndex && bytes[end] & 0xC0 == 0x80 { end -= 1 }
    return bytes[bytes.startIndex..<end]
}

/// Appends an attribute value as libxml2 delivers it, at most `limit` bytes, restoring `&`.
///
/// Without entity substitution, libxml2's SAX2 parser decodes predefined entities and character
/// references in attribute values except `&`, which it hands over as the text `&#38;` (so that a
/// tree builder can re-parse it). No other `&` can reach us: any other entity is an error.
func appendAttributeValue(_ value: UnsafeBufferPointer<UInt8>, to out: inout [UInt8], limit: Int = .max) {
    let amp = UInt8(ascii: "&")
    guard value.contains(amp) else {
        out.append(contentsOf: UnsafeBufferPointer(rebasing: value.prefix(max(0, limit - out.count))))
        return
    }
    let escaped: [UInt8] = Array("&#38;".utf8)
    var i = 0
    while i < value.count && out.count < limit {
        if value[i] == amp && value.count - i >= 5 && value[i..<i + 5].elementsEqual(escaped) {
            out.append(amp)
            i += 5
        } else {
            out.append(value[i])
            i += 1
        }
    }
}
