@testable import MarkgateCore

/// The normalizer as it was before it wrote through buffers (one array append per byte and per origin): the
/// definition `Normalizer.normalize` is tested against (`NormalizerDifferentialTests`).
struct ReferenceNormalizer: Sendable {
    private let table: FoldTable

    init() {
        table = .shared
    }

    /// The normalized form of `text` with its offset map.
    func normalize(_ text: String) -> NormalizedText {
        var output = NormalizedText()
        normalize(text, into: &output)
        return output
    }

    /// Normalizes `text` into `output`, replacing its contents and reusing its storage.
    func normalize(_ text: String, into output: inout NormalizedText) {
        output.removeAll()
        // Folding rarely lengthens text (a few NFKC expansions do): room for its bytes and some more, and at
        // least `minimumCapacity`, so that reusing `output` for the next, longer text seldom grows it.
        output.reserveCapacity(max(text.utf8.count + 16, Self.minimumCapacity))
        var state = EmitState()
        var index: Int32 = 0
        for scalar in text.unicodeScalars {
            fold(scalar.value, at: index, into: &output, state: &state)
            index += 1
        }
    }

    /// The room `normalize(_:into:)` makes in its output at least, in bytes.
    static let minimumCapacity = 256

    /// The normalized form of `text` as a plain string (for names and tests).
    func key(_ text: String) -> String {
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
    private func fold(_ value: UInt32, at index: Int32, into output: inout NormalizedText, state: inout EmitState) {
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
        let entry = table.entry(value)
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
    private func compose(_ mark: UInt32, at index: Int32, into output: inout NormalizedText,
                         state: inout EmitState) -> Bool {
        guard state.separatorStart < 0, state.last != 0, let composed = table.compose(state.last, mark),
              composed >= 0x800, composed < 0x10000, output.bytes.count - state.lastByteStart == 3
        else { return false }
        let start = state.lastByteStart
        output.bytes[start] = UInt8(0xE0 | (composed >> 12))
        output.bytes[start + 1] = UInt8(0x80 | ((composed >> 6) & 0x3F))
        output.bytes[start + 2] = UInt8(0x80 | (composed & 0x3F))
        for byte in start..<start + 3 {
            output.origins[byte].end = index + 1
            output.origins[byte].flags.insert(.normalized)
        }
        state.last = composed
        return true
    }

    @inline(__always)
    private func emit(_ value: UInt32, from index: Int32, flags: FoldFlags, into output: inout NormalizedText,
                      state: inout EmitState) {
        if state.separatorStart >= 0 {
            if state.last != 0 && !(ScriptClass.isCJK(state.last) && ScriptClass.isCJK(value)) {
                append(0x20, start: state.separatorStart, end: state.separatorEnd,
                       flags: state.separatorIsOneSpace ? [] : .normalized, into: &output)
            }
            state.separatorStart = -1
        }
        state.lastByteStart = output.bytes.count
        state.last = value
        append(value, start: index, end: index + 1, flags: flags, into: &output)
    }

    @inline(__always)
    private func append(_ value: UInt32, start: Int32, end: Int32, flags: FoldFlags, into output: inout NormalizedText) {
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
