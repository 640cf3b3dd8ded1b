/// A time as nanoseconds since the epoch, from seconds and nanoseconds, clamped to what an Int64
/// holds (years 1678–2262): a file stamped far in the future, by a bad clock or a hostile archive,
/// must not overflow.
public func epochNanoseconds(seconds: Int64, nanoseconds: Int64 = 0) -> Int64 {
    let limit: Int64 = 9_000_000_000
    let clamped = min(max(seconds, -limit), limit)
    return clamped * 1_000_000_000 + min(max(nanoseconds, 0), 999_999_999)
}
