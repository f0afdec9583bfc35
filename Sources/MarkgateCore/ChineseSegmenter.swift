/// Splits a run of Chinese characters into its most probable words, to tell a name from characters that
/// belong to other words (`快乐高兴` is 快乐|高兴, so the 乐高 across it is not a name).
///
/// Maximum-probability segmentation over word frequencies (the common-word list of `Lexicon`, plus extra
/// words such as the register's names), words of 1 to 4 characters; a character that starts no known word
/// stands alone with a low frequency.
struct ChineseSegmenter: Sendable {
    /// The extra words by their UTF-8 (looked up in place, without hashing a `String`), and their frequencies in
    /// the table's word order. Bytes, not characters, are compared: a run and the words are both normalized
    /// (`Normalizer`), so canonically equal words have equal bytes.
    private let extraWords: Lexicon.WordTable
    private let extraFrequencies: [Int]
    private let frequency: @Sendable (UnsafeBufferPointer<UInt8>) -> Int?
    private let total: Double
    private let singleFrequency: Double

    /// - Parameters:
    ///   - extraWords: words to know besides the lexicon's, with their frequency. A word holding a line break
    ///     is left out: runs are split into words of Chinese characters, so it could never be met.
    ///   - frequency: a common word's frequency, or nil; the word is given as its UTF-8 bytes.
    ///   - total: the sum of the frequencies (the probability of a word is its frequency over this).
    init(extraWords: [String: Int], frequency: @escaping @Sendable (UnsafeBufferPointer<UInt8>) -> Int?,
         total: Double,
         singleFrequency: Double = 50) {
        let known = Array(extraWords.filter { !$0.key.utf8.contains(UInt8(ascii: "\n")) })
        self.extraWords = Lexicon.WordTable(words: known.map { Array($0.key.utf8) })
        extraFrequencies = known.map(\.value)
        self.frequency = frequency
        self.total = total
        self.singleFrequency = singleFrequency
    }

    /// The word boundaries of the best segmentation of `run`, as scalar offsets from 0 to `run.count`.
    ///
    /// The run is encoded once; a candidate word is a slice of its UTF-8, looked up in place (no string made per
    /// word).
    func boundaries(of run: [Unicode.Scalar]) -> Set<Int> {
        guard !run.isEmpty else { return [0] }
        // The run's UTF-8, and where each scalar starts in it (and where the last ends).
        var utf8: [UInt8] = []
        var starts: [Int] = []
        utf8.reserveCapacity(4 * run.count)
        starts.reserveCapacity(run.count + 1)
        for scalar in run {
            starts.append(utf8.count)
            UTF8.encode(scalar) { utf8.append($0) }
        }
        starts.append(utf8.count)
        let logTotal = log(total)
        var best = [Double](repeating: -.infinity, count: run.count + 1)
        var cut = [Int](repeating: 0, count: run.count + 1)
        best[0] = 0
        utf8.withUnsafeBufferPointer { utf8 in
            for end in 1...run.count {
                for length in 1...min(4, end) {
                    let start = end - length
                    guard best[start] > -.infinity else { continue }
                    let word = UnsafeBufferPointer(rebasing: utf8[starts[start]..<starts[end]])
                    let count: Double
                    if let known = extraWords.index(of: word).map({ Double(extraFrequencies[$0]) })
                        ?? frequency(word).map(Double.init) {
                        count = max(known, length == 1 ? singleFrequency : 1)
                    } else if length == 1 {
                        count = singleFrequency
                    } else {
                        continue
                    }
                    let score = best[start] + log(count) - logTotal
                    if score > best[end] {
                        best[end] = score
                        cut[end] = start
                    }
                }
            }
        }
        var boundaries: Set<Int> = [run.count]
        var position = run.count
        while position > 0 {
            position = cut[position]
            boundaries.insert(position)
        }
        return boundaries
    }

    /// Natural logarithm (the standard library has none; ln via frexp-free series is enough for scores).
    private func log(_ value: Double) -> Double {
        guard value > 0 else { return -.infinity }
        // ln(x) = 2·artanh((x−1)/(x+1)) after scaling x into [1, 2) by powers of two.
        var x = value, exponent = 0.0
        while x >= 2 { x /= 2; exponent += 1 }
        while x < 1 { x *= 2; exponent -= 1 }
        let y = (x - 1) / (x + 1), y2 = y * y
        var term = y, sum = 0.0
        var n = 1.0
        while n < 40 {
            sum += term / n
            term *= y2
            n += 2
        }
        return 2 * sum + exponent * 0.693_147_180_559_945_3
    }
}
