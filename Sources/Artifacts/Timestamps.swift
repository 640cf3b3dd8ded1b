#if canImport(Glibc)
import Glibc
#endif

/// A time as nanoseconds since the epoch, from seconds and nanoseconds, clamped to what an Int64
/// holds (years 1678–2262): a file stamped far in the future, by a bad clock or a hostile archive,
/// must not overflow.
public func epochNanoseconds(seconds: Int64, nanoseconds: Int64 = 0) -> Int64 {
    let limit: Int64 = 9_000_000_000
    let clamped = min(max(seconds, -limit), limit)
    return clamped * 1_000_000_000 + min(max(nanoseconds, 0), 999_999_999)
}

/// True when `left`'s UTF-8 bytes sort before `right`'s: the walk order, compared with memcmp.
@inline(__always)
func bytewisePrecedes(_ left: String, _ right: String) -> Bool {
    var left = left, right = right
    return left.withUTF8 { a in
        right.withUTF8 { b in
            let common = min(a.count, b.count)
            let order = common == 0 ? 0 : memcmp(a.baseAddress!, b.baseAddress!, common)
            return order < 0 || (order == 0 && a.count < b.count)
        }
    }
}
