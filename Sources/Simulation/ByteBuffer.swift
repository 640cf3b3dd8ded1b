/// A growable byte buffer, reused from file to file, that XML and JSON are built in.
///
/// Appends copy bytes with memcpy; nothing is built as a String per test case.
final class ByteBuffer {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int = 1 << 20) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
    }

    deinit {
        base.deallocate()
    }

    /// The bytes written so far; valid until the next append or `removeAll()`.
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    func removeAll() {
        count = 0
    }

    /// Keeps the first `length` bytes.
    func truncate(to length: Int) {
        count = min(count, max(0, length))
    }

    @inline(__always)
    private func reserve(_ extra: Int) {
        guard count + extra > capacity else { return }
        var newCapacity = capacity * 2
        while newCapacity < count + extra { newCapacity *= 2 }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        grown.update(from: base, count: count)
        base.deallocate()
        base = grown
        capacity = newCapacity
    }

    @inline(__always)
    func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        reserve(bytes.count)
        (base + count).update(from: source.assumingMemoryBound(to: UInt8.self), count: bytes.count)
        count += bytes.count
    }

    @inline(__always)
    func append(_ text: StaticString) {
        append(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    func append(string text: String) {
        var text = text
        text.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }

    @inline(__always)
    func append(byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    /// A non-negative integer in decimal.
    @inline(__always)
    func append(decimal value: Int) {
        var value = max(0, value)
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes of scratch
        withUnsafeMutableBytes(of: &digits) { scratch in
            var position = scratch.count
            repeat {
                position -= 1
                scratch[position] = UInt8(48 + value % 10)
                value /= 10
            } while value > 0
            append(UnsafeRawBufferPointer(rebasing: scratch[position...]))
        }
    }

    /// Milliseconds as seconds with three decimals, e.g. 12.034.
    func append(milliseconds: Int) {
        append(decimal: milliseconds / 1000)
        append(byte: UInt8(ascii: "."))
        let fraction = milliseconds % 1000
        if fraction < 100 { append(byte: UInt8(ascii: "0")) }
        if fraction < 10 { append(byte: UInt8(ascii: "0")) }
        append(decimal: fraction)
    }

    /// `text` escaped for an XML attribute or text node.
    func appendXMLEscaped(_ text: String) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"): append("&amp;")
            case UInt8(ascii: "<"): append("&lt;")
            case UInt8(ascii: ">"): append("&gt;")
            case UInt8(ascii: "\""): append("&quot;")
            case UInt8(ascii: "'"): append("&apos;")
            default: append(byte: byte)
            }
        }
    }

    /// `text` as a JSON string literal, quotes included.
    func appendJSONString(_ text: String) {
        append(byte: UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): append("\\\"")
            case UInt8(ascii: "\\"): append("\\\\")
            case UInt8(ascii: "\n"): append("\\n")
            case UInt8(ascii: "\t"): append("\\t")
            case UInt8(ascii: "\r"): append("\\r")
            case 0..<0x20:
                append("\\u00")
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                append(byte: hex[Int(byte >> 4)])
                append(byte: hex[Int(byte & 15)])
            default: append(byte: byte)
            }
        }
        append(byte: UInt8(ascii: "\""))
    }
}
