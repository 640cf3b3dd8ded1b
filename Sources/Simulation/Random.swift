/// The simulation's own pseudo-random generator: xoshiro256** seeded through SplitMix64.
///
/// Never the system generator: the same seed gives the same sequence on every machine and run.
public struct SimulationRandom: RandomNumberGenerator, Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// A generator whose whole sequence follows from `seed`.
    public init(seed: UInt64) {
        var mixer = seed
        s0 = Self.splitMix(&mixer)
        s1 = Self.splitMix(&mixer)
        s2 = Self.splitMix(&mixer)
        s3 = Self.splitMix(&mixer)
    }

    /// A generator for one part of the world, e.g. (seed, job, day, run): independent streams for
    /// different parts, identical whatever order or thread they are generated in.
    public init(seed: UInt64, _ parts: UInt64...) {
        self.init(seed: Self.mix(seed, parts))
    }

    /// A 64-bit digest of `seed` and `parts` (SplitMix64 finalizer chained over the values).
    public static func mix(_ seed: UInt64, _ parts: [UInt64]) -> UInt64 {
        var state = seed
        var value = splitMix(&state)
        for part in parts {
            state = value ^ (part &* 0x9E37_79B9_7F4A_7C15)
            value = splitMix(&state)
        }
        return value
    }

    private static func splitMix(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// A uniform number in [0, 1).
    public mutating func unit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A uniform integer in [0, bound); 0 when bound ≤ 1.
    public mutating func below(_ bound: Int) -> Int {
        guard bound > 1 else { return 0 }
        return Int(next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// A uniform integer in `range`.
    public mutating func integer(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.count)
    }

    /// A uniform number in [low, high).
    public mutating func uniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * unit()
    }

    /// True with probability `probability`.
    public mutating func chance(_ probability: Double) -> Bool {
        unit() < probability
    }

    /// One element of a non-empty array.
    public mutating func pick<T>(_ items: [T]) -> T {
        items[below(items.count)]
    }

    /// The indices 0..<count in a random order (Fisher–Yates).
    public mutating func permutation(_ count: Int) -> [Int] {
        var items = Array(0..<count)
        if count > 1 {
            for index in stride(from: count - 1, to: 0, by: -1) {
                items.swapAt(index, below(index + 1))
            }
        }
        return items
    }
}
