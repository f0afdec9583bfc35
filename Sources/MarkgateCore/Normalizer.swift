/// Folds text for matching and keeps the way back to the original characters.
///
/// Applied alike to register names and to screened text, so that both meet in one form:
/// NFKC, case folding and width folding (`ＮＩＫＥ` → `nike`, `ﾏｯｸｽ` → `マックス`), diacritics dropped
/// (`Hermès` → `hermes`), zero-width and other invisible characters removed, cross-script look-alikes
/// replaced (Cyrillic `СНАNEL` → `chanel`), traditional Chinese simplified (`香奈兒` → `香奈儿`).
/// Runs of whitespace, punctuation and symbols become one space, none at either end, and none between
/// two CJK characters (`耐 克` → `耐克`). Currency symbols and digits are kept.
///
/// The tables come from Unicode and ICU data through `scripts/gen-tables/run`. A `Normalizer` is
/// immutable and may be shared across threads.
public struct Normalizer: Sendable {
    private let table: FoldTable

    /// The Unicode version of the folding tables.
    public static let unicodeVersion = UnicodeFoldData.unicodeVersion

    public init() {
        table = .shared
    }

    /// The normalized form of `text` with its offset map.
    public func normalize(_ text: String) -> NormalizedText {
        var output = NormalizedText()
        normalize(text, into: &output)
        return output
    }

    /// Normalizes `text` into `output`, replacing its contents and reusing its storage.
    public func normalize(_ text: String, into output: inout NormalizedText) {
        normalize(text, into: &output, recordingOrigins: true)
    }

    /// `normalize(_:into:)`, or, without `recordingOrigins`, the bytes alone: `output` then has no origins
    /// (`NormalizedText.hasOrigins` is false), which most screened texts never need (they name nothing); writing
    /// them was about a tenth of normalizing (`Benchmarks/results/2026-11-22-session10.txt` §4).
    func normalize(_ text: String, into output: inout NormalizedText, recordingOrigins: Bool) {
        // The arrays are taken out and written through their buffers: a byte costs two stores, not two appends
        // (each a call to check that the array is unique). They are sized ahead, grown (rarely: folding seldom
        // lengthens text) when a scalar might not fit, and cut to what was written at the end.
        var bytes: [UInt8] = [], origins: [NormalizedText.Origin] = []
        swap(&bytes, &output.bytes)
        swap(&origins, &output.origins)
        var text = text
        text.withUTF8 { utf8 in
            // Room for the text's bytes and some more; at least `minimumCapacity` reserved, so that reusing
            // `output` for the next, longer text seldom grows it.
            var room = utf8.count + 16
            bytes.reserveCapacity(max(room, Self.minimumCapacity))
            if recordingOrigins {
                origins.reserveCapacity(max(room, Self.minimumCapacity))
            } else {
                origins.removeAll(keepingCapacity: true)
            }
            var written = 0
            var state = EmitState()
            var position = 0
            var index: Int32 = 0
            while true {
                Self.extend(&bytes, to: room, from: Self.blankBytes)
                // As long as the bytes, which a longer text before may have left longer than `room`.
                if recordingOrigins { Self.extend(&origins, to: bytes.count, from: Self.blankOrigins) }
                let finished = bytes.withUnsafeMutableBufferPointer { bytes in
                    origins.withUnsafeMutableBufferPointer { origins in
                        if recordingOrigins {
                            var output = Output(bytes: bytes, origins: RecordedOrigins(buffer: origins), count: written)
                            defer { written = output.count }
                            return fold(utf8, position: &position, index: &index, state: &state, into: &output)
                        }
                        var output = Output(bytes: bytes, origins: NoOrigins(), count: written)
                        defer { written = output.count }
                        return fold(utf8, position: &position, index: &index, state: &state, into: &output)
                    }
                }
                if finished { break }
                room = 2 * room
            }
            bytes.removeSubrange(written...)
            if recordingOrigins { origins.removeSubrange(written...) }
        }
        swap(&bytes, &output.bytes)
        swap(&origins, &output.origins)
    }

    /// Folds `utf8` from `position` (the scalar numbered `index`) into `output` to the end, and returns true; or
    /// returns false where `output` has no room left for the next scalar, with `position`, `index` and `state`
    /// where it stopped. Generic over what becomes of the origins, so that the loop without them stores none.
    private func fold<Origins: OriginStore>(_ utf8: UnsafeBufferPointer<UInt8>, position: inout Int,
                                            index: inout Int32, state: inout EmitState,
                                            into output: inout Output<Origins>) -> Bool {
        while position < utf8.count {
            // ASCII, most of a text, as `fold` takes it (`emit` inlined: an ASCII letter is not CJK, so a pending
            // separator becomes a space after anything written), without decoding or the table.
            let byte = utf8[position]
            if byte < 0x80 {
                if Self.isWordASCII(byte) {
                    guard output.room >= 2 else { return false }
                    if state.separatorStart >= 0 {
                        if state.last != 0 {
                            output.append(0x20, start: state.separatorStart, end: state.separatorEnd,
                                          flags: state.separatorIsOneSpace ? [] : .normalized)
                        }
                        state.separatorStart = -1
                    }
                    // The word's letters and digits that fit, one byte each (no separator can be pending after the
                    // first), the state set once for the last.
                    let limit = min(utf8.count, position + output.room)
                    var letter = byte
                    repeat {
                        let byte = utf8[position]
                        let upper = byte &- 0x41 < 26
                        letter = upper ? byte | 0x20 : byte
                        output.append(letter, start: index, end: index + 1,
                                      flags: upper ? .normalized : [])
                        index += 1
                        position += 1
                    } while position < limit && Self.isWordASCII(utf8[position])
                    state.lastByteStart = output.count - 1
                    state.last = UInt32(letter)
                    continue
                }
                separator(UInt32(byte), at: index, state: &state)
                index += 1
                position += 1
                continue
            }
            let (value, length) = Self.scalar(at: position, in: utf8)
            let entry = table.entry(value)
            // A character kept as it is (most CJK): `fold`'s `.keep` case, without the call (only the voiced marks
            // try to compose).
            if entry == 0, value != 0x3099, value != 0x309A {
                guard output.room >= 5 else { return false }
                if length == 3, state.separatorStart < 0 {
                    // Three bytes with no separator pending (most CJK, back to back): `emit` would write the
                    // scalar's own encoding, so its bytes are copied as they are (the text is valid UTF-8, and a
                    // scalar has one encoding).
                    state.lastByteStart = output.count
                    state.last = value
                    for offset in 0..<3 {
                        output.append(utf8[position + offset], start: index, end: index + 1, flags: [])
                    }
                } else {
                    emit(value, from: index, flags: [], into: &output, state: &state)
                }
                index += 1
                position += length
                continue
            }
            // A scalar writes at most a separator's space and 4 bytes per target.
            guard output.room >= 1 + 4 * table.targetCount(of: entry) else { return false }
            fold(value, entry: entry, at: index, into: &output, state: &state)
            index += 1
            position += length
        }
        return true
    }

    /// The room `normalize(_:into:)` makes in its output at least, in bytes.
    static let minimumCapacity = 256

    /// What the output arrays are extended with before they are written (copied from, a block at a time).
    private static let blankBytes = [UInt8](repeating: 0, count: 256)
    private static let blankOrigins = [NormalizedText.Origin](
        repeating: NormalizedText.Origin(start: 0, end: 0, flags: []), count: 256)

    /// Extends `array` to `count` elements with copies of `blank`'s.
    @inline(__always)
    private static func extend<Element>(_ array: inout [Element], to count: Int, from blank: [Element]) {
        while array.count < count {
            array.append(contentsOf: blank[..<min(count - array.count, blank.count)])
        }
    }

    /// Whether `fold` writes an ASCII byte as a letter or digit (`a-z`, `A-Z` lower-cased, `0-9`, `$`); every other
    /// ASCII byte is a separator.
    @inline(__always)
    private static func isWordASCII(_ byte: UInt8) -> Bool {
        byte &- 0x61 < 26 || byte &- 0x41 < 26 || byte &- 0x30 < 10 || byte == 0x24
    }

    /// The scalar value of the (valid) UTF-8 at `position` and its length in bytes.
    @inline(__always)
    private static func scalar(at position: Int, in utf8: UnsafeBufferPointer<UInt8>) -> (UInt32, Int) {
        let lead = utf8[position]
        if lead < 0x80 { return (UInt32(lead), 1) }
        let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
        precondition(position + length <= utf8.count, "UTF-8 cut short")
        var value = UInt32(lead) & (0x7F >> UInt32(length))
        for offset in 1..<length { value = value << 6 | UInt32(utf8[position + offset] & 0x3F) }
        return (value, length)
    }

    /// Where the origins of the bytes `normalize` writes go: into a buffer beside them, or nowhere.
    private protocol OriginStore {
        /// The room for origins, or nil when they are not kept.
        var capacity: Int? { get }
        mutating func set(_ origin: NormalizedText.Origin, at position: Int)
        /// Marks the origin at `position` as ending at `end` and normalized (a voiced mark composed into it).
        mutating func compose(at position: Int, end: Int32)
    }

    private struct RecordedOrigins: OriginStore {
        let buffer: UnsafeMutableBufferPointer<NormalizedText.Origin>
        var capacity: Int? { buffer.count }

        @inline(__always)
        func set(_ origin: NormalizedText.Origin, at position: Int) { buffer[position] = origin }

        func compose(at position: Int, end: Int32) {
            buffer[position].end = end
            buffer[position].flags.insert(.normalized)
        }
    }

    private struct NoOrigins: OriginStore {
        var capacity: Int? { nil }
        @inline(__always)
        func set(_ origin: NormalizedText.Origin, at position: Int) {}
        func compose(at position: Int, end: Int32) {}
    }

    /// The output being written: normalized bytes through a buffer sized ahead, `count` used, and their origins.
    private struct Output<Origins: OriginStore> {
        let bytes: UnsafeMutableBufferPointer<UInt8>
        var origins: Origins
        var count: Int

        init(bytes: UnsafeMutableBufferPointer<UInt8>, origins: Origins, count: Int) {
            precondition((origins.capacity ?? bytes.count) == bytes.count && count <= bytes.count,
                         "output buffers out of step")
            self.bytes = bytes
            self.origins = origins
            self.count = count
        }

        /// Bytes that can still be written.
        var room: Int { bytes.count - count }

        @inline(__always)
        mutating func append(_ byte: UInt8, start: Int32, end: Int32, flags: FoldFlags) {
            precondition(count < bytes.count, "normalized output overflows its room")
            bytes[count] = byte
            origins.set(NormalizedText.Origin(start: start, end: end, flags: flags), at: count)
            count += 1
        }
    }

    /// The normalized form of `text` as a plain string (for names and tests).
    public func key(_ text: String) -> String {
        normalize(text).string
    }

    private struct EmitState {
        var last: UInt32 = 0          // last scalar written, 0 if none
        var lastByteStart = 0         // where its bytes begin in the output
        var separatorStart: Int32 = -1
        var separatorEnd: Int32 = -1
        var separatorIsOneSpace = false
    }

    @inline(__always)
    private func fold<Origins>(_ value: UInt32, entry: UInt32, at index: Int32, into output: inout Output<Origins>,
                               state: inout EmitState) {
        if value < 0x80 {
            switch value {
            case 0x61...0x7A, 0x30...0x39, 0x24:    // a-z, 0-9, $
                emit(value, from: index, flags: [], into: &output, state: &state)
            case 0x41...0x5A:                       // A-Z
                emit(value | 0x20, from: index, flags: .normalized, into: &output, state: &state)
            default:
                separator(value, at: index, state: &state)
            }
            return
        }
        switch FoldTable.kind(of: entry) {
        case .keep:
            if value == 0x3099 || value == 0x309A, compose(value, at: index, into: &output, state: &state) {
                return
            }
            emit(value, from: index, flags: [], into: &output, state: &state)
        case .normalized, .homoglyph, .traditional:
            let flags: FoldFlags = switch FoldTable.kind(of: entry) {
            case .homoglyph: [.homoglyph, .normalized]
            case .traditional: [.traditional, .normalized]
            default: .normalized
            }
            table.forEachTarget(of: entry) { target in
                if target == 0x20 {
                    separator(target, at: index, state: &state)
                } else if (target == 0x3099 || target == 0x309A),
                          compose(target, at: index, into: &output, state: &state) {
                    return
                } else {
                    emit(target, from: index, flags: flags, into: &output, state: &state)
                }
            }
        case .remove:
            return
        case .separator:
            separator(value, at: index, state: &state)
        }
    }

    @inline(__always)
    private func separator(_ value: UInt32, at index: Int32, state: inout EmitState) {
        if state.separatorStart < 0 {
            state.separatorStart = index
            state.separatorIsOneSpace = value == 0x20
        } else {
            state.separatorIsOneSpace = false
        }
        state.separatorEnd = index + 1
    }

    /// Replaces the kana just written by its voiced form when `mark` composes with it.
    private func compose<Origins>(_ mark: UInt32, at index: Int32, into output: inout Output<Origins>,
                                  state: inout EmitState) -> Bool {
        guard state.separatorStart < 0, state.last != 0, let composed = table.compose(state.last, mark),
              composed >= 0x800, composed < 0x10000, output.count - state.lastByteStart == 3
        else { return false }
        let start = state.lastByteStart
        output.bytes[start] = UInt8(0xE0 | (composed >> 12))
        output.bytes[start + 1] = UInt8(0x80 | ((composed >> 6) & 0x3F))
        output.bytes[start + 2] = UInt8(0x80 | (composed & 0x3F))
        for byte in start..<start + 3 { output.origins.compose(at: byte, end: index + 1) }
        state.last = composed
        return true
    }

    @inline(__always)
    private func emit<Origins>(_ value: UInt32, from index: Int32, flags: FoldFlags,
                               into output: inout Output<Origins>, state: inout EmitState) {
        if state.separatorStart >= 0 {
            if state.last != 0 && !(ScriptClass.isCJK(state.last) && ScriptClass.isCJK(value)) {
                append(0x20, start: state.separatorStart, end: state.separatorEnd,
                       flags: state.separatorIsOneSpace ? [] : .normalized, into: &output)
            }
            state.separatorStart = -1
        }
        state.lastByteStart = output.count
        state.last = value
        append(value, start: index, end: index + 1, flags: flags, into: &output)
    }

    @inline(__always)
    private func append<Origins>(_ value: UInt32, start: Int32, end: Int32, flags: FoldFlags,
                                 into output: inout Output<Origins>) {
        if value < 0x80 {
            output.append(UInt8(truncatingIfNeeded: value), start: start, end: end, flags: flags)
            return
        }
        let value = Unicode.Scalar(value) == nil ? 0xFFFD : value
        if value < 0x800 {
            output.append(UInt8(truncatingIfNeeded: 0xC0 | value >> 6), start: start, end: end, flags: flags)
        } else if value < 0x10000 {
            output.append(UInt8(truncatingIfNeeded: 0xE0 | value >> 12), start: start, end: end, flags: flags)
            output.append(UInt8(truncatingIfNeeded: 0x80 | (value >> 6) & 0x3F), start: start, end: end, flags: flags)
        } else {
            output.append(UInt8(truncatingIfNeeded: 0xF0 | value >> 18), start: start, end: end, flags: flags)
            output.append(UInt8(truncatingIfNeeded: 0x80 | (value >> 12) & 0x3F), start: start, end: end, flags: flags)
            output.append(UInt8(truncatingIfNeeded: 0x80 | (value >> 6) & 0x3F), start: start, end: end, flags: flags)
        }
        output.append(UInt8(truncatingIfNeeded: 0x80 | value & 0x3F), start: start, end: end, flags: flags)
    }
}
