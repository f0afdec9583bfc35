import MarkgateCore

/// Test input as bytes: `<FF>` (two upper-case hex digits in angle brackets) stands for that raw byte.
func testBytes(_ text: String) -> [UInt8] {
    var out: [UInt8] = []
    let utf8 = Array(text.utf8)
    var i = 0
    while i < utf8.count {
        if utf8[i] == UInt8(ascii: "<"), i + 3 < utf8.count, utf8[i + 3] == UInt8(ascii: ">"),
           let byte = UInt8(String(decoding: utf8[(i + 1)...(i + 2)], as: UTF8.self), radix: 16) {
            out.append(byte)
            i += 4
        } else {
            out.append(utf8[i])
            i += 1
        }
    }
    return out
}

/// `P1 items=2 @1` for a parcel (id, item count, line), `P3! line 4, column 4: message` for an error (`-!` when
/// no parcel id could be read).
func recordSummary(_ record: ManifestRecord) -> String {
    switch record {
    case .parcel(let parcel, let source):
        return "\(parcel.id) items=\(parcel.items.count) @\(source.line)"
    case .error(let error):
        return "\(error.parcel ?? "-")! \(error)"
    }
}
