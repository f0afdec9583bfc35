extension Duration {
    /// The duration in whole nanoseconds, truncated toward zero (what NIO's `TimeAmount` and the latency
    /// histogram count in).
    var wholeNanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }

    /// The duration in whole microseconds, truncated toward zero (what the lag monitor counts in).
    var wholeMicroseconds: Int { Int(wholeNanoseconds / 1000) }
}
