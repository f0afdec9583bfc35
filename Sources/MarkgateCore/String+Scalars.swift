extension String {
    /// The string of `scalars`, built from their UTF-8 in one pass.
    ///
    /// Equal to `String(String.UnicodeScalarView(scalars))`, which appends through a generic path at thousands
    /// of instructions a call; this one counts the bytes, then writes them once.
    init(scalars: some Collection<Unicode.Scalar>) {
        var byteCount = 0
        for scalar in scalars { byteCount += UTF8.width(scalar) }
        self.init(unsafeUninitializedCapacity: byteCount) { buffer in
            var written = 0
            for scalar in scalars {
                UTF8.encode(scalar) { byte in
                    precondition(written < buffer.count, "more UTF-8 than counted")
                    buffer[written] = byte
                    written += 1
                }
            }
            return written
        }
    }
}
