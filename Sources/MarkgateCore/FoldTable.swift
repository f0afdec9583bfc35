/// Per-scalar folding rules for non-ASCII text, parsed once from the generated `UnicodeFoldData`.
///
/// A two-level page table: the high bits of a scalar select a page of 256 packed entries. An entry holds
/// the fold kind in its top byte and either one replacement scalar or, with `multiBit`, an index into `pool`
/// (length first, then the scalars). ASCII is not in the table; `Normalizer` folds it in code.
struct FoldTable: Sendable {
    private static let kindShift: UInt32 = 24
    private static let multiBit: UInt32 = 1 << 23
    private static let valueMask: UInt32 = (1 << 23) - 1

    /// The table built from the committed generated data.
    static let shared = FoldTable(lines: UnicodeFoldData.lines)

    private var pageIndex: [UInt16]          // 0x1100 pages; 0 = no entries
    private var pages: [UInt32]              // page p occupies pages[p*256 ..< (p+1)*256]; page 0 is empty
    private var pool: [UInt32]
    private var compositions: [UInt64: UInt32]  // (base << 32 | mark) → composed kana

    /// Parses the generated table text (grammar in `UnicodeFoldData`). Malformed lines are a build defect.
    init(lines: String) {
        pageIndex = [UInt16](repeating: 0, count: 0x1100)
        pages = [UInt32](repeating: 0, count: 256)
        pool = [0]
        compositions = [:]
        for line in lines.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard let tag = fields.first, fields.count >= 2 else { continue }
            switch tag {
            case "n", "h", "t":
                let kind: FoldKind = tag == "n" ? .normalized : (tag == "h" ? .homoglyph : .traditional)
                let source = Self.hex(fields[1])
                let targets = fields.count > 2 ? fields[2].split(separator: ",").map(Self.hex) : []
                if targets.count == 1 {
                    set(source, kind: kind, value: targets[0])
                } else {
                    let index = UInt32(pool.count)
                    pool.append(UInt32(targets.count))
                    pool.append(contentsOf: targets)
                    set(source, kind: kind, value: index | Self.multiBit)
                }
            case "r", "s":
                let kind: FoldKind = tag == "r" ? .remove : .separator
                let bounds = fields[1].split(separator: "-").map(Self.hex)
                for scalar in bounds[0]...(bounds.count > 1 ? bounds[1] : bounds[0]) {
                    set(scalar, kind: kind, value: 0)
                }
            case "k" where fields.count >= 4:
                let base = Self.hex(fields[1]), mark = Self.hex(fields[2])
                compositions[UInt64(base) << 32 | UInt64(mark)] = Self.hex(fields[3])
            default:
                continue
            }
        }
    }

    private static func hex(_ text: Substring) -> UInt32 {
        UInt32(text, radix: 16) ?? 0xFFFD
    }

    private mutating func set(_ scalar: UInt32, kind: FoldKind, value: UInt32) {
        let page = Int(scalar >> 8)
        guard page < pageIndex.count else { return }
        if pageIndex[page] == 0 {
            pageIndex[page] = UInt16(pages.count / 256)
            pages.append(contentsOf: repeatElement(0, count: 256))
        }
        pages[Int(pageIndex[page]) * 256 + Int(scalar & 0xFF)] = UInt32(kind.rawValue) << Self.kindShift | value
    }

    /// The packed entry of a non-ASCII scalar (0 = keep).
    @inline(__always)
    func entry(_ scalar: UInt32) -> UInt32 {
        let page = Int(scalar >> 8)
        guard page < pageIndex.count else { return 0 }
        return pages[Int(pageIndex[page]) &* 256 &+ Int(scalar & 0xFF)]
    }

    @inline(__always)
    static func kind(of entry: UInt32) -> FoldKind {
        FoldKind(rawValue: UInt8(truncatingIfNeeded: entry >> kindShift)) ?? .keep
    }

    /// Calls `body` with each replacement scalar of a mapping entry.
    @inline(__always)
    func forEachTarget(of entry: UInt32, _ body: (UInt32) -> Void) {
        let value = entry & Self.valueMask
        if entry & Self.multiBit == 0 {
            body(value)
        } else {
            let start = Int(value)
            for offset in 0..<Int(pool[start]) { body(pool[start + 1 + offset]) }
        }
    }

    /// How many scalars `forEachTarget(of:)` gives for an entry (1 for every entry without `multiBit`).
    @inline(__always)
    func targetCount(of entry: UInt32) -> Int {
        entry & Self.multiBit == 0 ? 1 : Int(pool[Int(entry & Self.valueMask)])
    }

    /// The precomposed kana for `base` followed by the voiced or semi-voiced `mark`, if there is one.
    func compose(_ base: UInt32, _ mark: UInt32) -> UInt32? {
        compositions[UInt64(base) << 32 | UInt64(mark)]
    }
}
