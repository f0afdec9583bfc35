import Foundation
import MarkgateCore
import MarkgateTestSupport

/// Goods the generated manifests declare: English and Chinese words, an HS code and a price range in USD.
struct Product {
    var english: String
    var chinese: String
    var hs: String
    var price: ClosedRange<Double>

    static let catalog: [Product] = [
        Product(english: "running shoes", chinese: "运动鞋", hs: "640411", price: 12...60),
        Product(english: "casual sneakers", chinese: "休闲鞋", hs: "640419", price: 10...45),
        Product(english: "cotton t-shirt", chinese: "纯棉T恤", hs: "610910", price: 3...15),
        Product(english: "hoodie", chinese: "连帽卫衣", hs: "611020", price: 8...30),
        Product(english: "down jacket", chinese: "羽绒服", hs: "620193", price: 25...120),
        Product(english: "maxi dress", chinese: "连衣裙", hs: "620442", price: 9...40),
        Product(english: "slim jeans", chinese: "牛仔裤", hs: "620342", price: 8...35),
        Product(english: "sport socks 5 pairs", chinese: "运动袜5双", hs: "611595", price: 2...8),
        Product(english: "wool scarf", chinese: "羊毛围巾", hs: "611710", price: 4...20),
        Product(english: "baseball cap", chinese: "棒球帽", hs: "650500", price: 2...12),
        Product(english: "leather handbag", chinese: "真皮手提包", hs: "420221", price: 15...90),
        Product(english: "shoulder bag", chinese: "单肩包", hs: "420222", price: 8...50),
        Product(english: "card wallet", chinese: "钱包", hs: "420231", price: 3...25),
        Product(english: "travel backpack", chinese: "双肩背包", hs: "420292", price: 8...40),
        Product(english: "leather belt", chinese: "皮带", hs: "420330", price: 3...20),
        Product(english: "quartz wrist watch", chinese: "石英手表", hs: "910211", price: 6...80),
        Product(english: "pendant necklace", chinese: "吊坠项链", hs: "711719", price: 2...30),
        Product(english: "stud earrings", chinese: "耳钉", hs: "711790", price: 1...15),
        Product(english: "polarized sunglasses", chinese: "偏光太阳镜", hs: "900410", price: 3...25),
        Product(english: "eau de parfum 100ml", chinese: "香水100ml", hs: "330300", price: 5...60),
        Product(english: "matte lipstick", chinese: "哑光口红", hs: "330410", price: 2...18),
        Product(english: "face serum 30ml", chinese: "精华液", hs: "330499", price: 4...40),
        Product(english: "shampoo 500ml", chinese: "洗发水", hs: "330510", price: 3...12),
        Product(english: "wireless earbuds", chinese: "无线蓝牙耳机", hs: "851830", price: 6...45),
        Product(english: "bluetooth speaker", chinese: "蓝牙音箱", hs: "851822", price: 8...40),
        Product(english: "silicone phone case", chinese: "硅胶手机壳", hs: "392690", price: 1...6),
        Product(english: "usb-c charging cable 2m", chinese: "快充数据线", hs: "854442", price: 1...5),
        Product(english: "power bank 10000mah", chinese: "充电宝", hs: "850760", price: 8...30),
        Product(english: "smart phone 128gb", chinese: "智能手机", hs: "851713", price: 60...400),
        Product(english: "laptop 15.6 inch", chinese: "笔记本电脑", hs: "847130", price: 150...700),
        Product(english: "building blocks set", chinese: "拼装积木", hs: "950300", price: 4...40),
        Product(english: "plush toy", chinese: "毛绒玩具", hs: "950300", price: 2...15),
        Product(english: "yoga mat", chinese: "瑜伽垫", hs: "950691", price: 4...20),
        Product(english: "tennis racket", chinese: "网球拍", hs: "950651", price: 10...70),
        Product(english: "golf balls 12 pack", chinese: "高尔夫球", hs: "950632", price: 5...30),
        Product(english: "kitchen knife set", chinese: "厨房刀具套装", hs: "821192", price: 8...40),
        Product(english: "vacuum water bottle", chinese: "保温杯", hs: "961700", price: 3...18),
        Product(english: "ceramic mug", chinese: "陶瓷马克杯", hs: "691200", price: 2...10),
        Product(english: "storage box", chinese: "收纳箱", hs: "392490", price: 2...12),
        Product(english: "led desk lamp", chinese: "台灯", hs: "940520", price: 5...25),
        Product(english: "hair clips set", chinese: "发夹套装", hs: "961511", price: 1...6),
        Product(english: "green tea 250g", chinese: "绿茶", hs: "090210", price: 4...30),
        Product(english: "dark chocolate", chinese: "黑巧克力", hs: "180690", price: 2...15),
        Product(english: "a5 ruled notebook", chinese: "笔记本", hs: "482010", price: 1...5),
        Product(english: "red wine 750ml", chinese: "红葡萄酒", hs: "220421", price: 6...60),
        Product(english: "bath towel", chinese: "纯棉浴巾", hs: "630260", price: 3...15),
    ]

    static let englishWords = [
        "new", "2024", "women", "men", "kids", "portable", "waterproof", "breathable", "lightweight", "classic",
        "vintage", "premium", "large", "black", "white", "red", "blue", "pink", "grey", "fashion", "casual",
        "summer", "winter", "outdoor", "gift", "pack of 2", "quality", "soft", "durable", "slim fit", "unisex",
        "handmade", "adjustable", "foldable", "for travel", "home", "office", "with box", "free size",
    ]
    static let chineseWords = [
        "新款", "2024新款", "女士", "男士", "儿童", "便携", "防水", "透气", "轻便", "经典", "复古", "高端", "大号",
        "黑色", "白色", "红色", "蓝色", "粉色", "灰色", "时尚", "休闲", "夏季", "冬季", "户外", "礼盒装", "两件套",
        "包邮", "舒适", "耐用", "修身", "简约", "家用", "办公室", "送礼",
    ]
    static let specs = ["size 38", "size 42", "xl", "m", "500ml", "1.5m", "3 pcs", "38码", "42码", "均码", "12个装"]
    static let cities = ["Putian", "Yiwu", "Ningbo", "Shenzhen", "Guangzhou", "Dongguan", "Xiamen", "Hangzhou",
                         "Shantou", "Quanzhou", "Suzhou", "Wenzhou"]
    static let firms = ["Hengtong", "Kaida", "Jiali", "Baisheng", "Meiya", "Yuxin", "Tianhe", "Hongyun", "Ruifeng",
                        "Xinda", "Huamei", "Jinlong"]
    /// Everyday English words that some generated marks also hold as generic names (contract §1).
    static let genericWords = [
        "falcon", "harbor", "meadow", "lotus", "maple", "summit", "zenith", "anchor", "beacon", "cedar", "comet",
        "coral", "crown", "eagle", "ember", "garnet", "glacier", "harvest", "horizon", "jasmine", "kestrel",
        "lantern", "marble", "nectar", "orchid", "pebble", "phoenix", "quartz", "raven", "saffron", "sparrow",
        "thunder", "tulip", "velvet", "willow", "amber", "atlas", "blossom", "breeze", "canyon", "cobalt",
        "dolphin",
    ]
    /// Words that confirm a generic name (never used as filler).
    static let contextWords = ["chronograph", "espadrilles", "cardigan", "clutch", "headset", "tablet", "kettle",
                               "moccasins", "recliner", "saucepan"]

    /// Every lower-case ASCII token the filler text may hold.
    static var fillerTokens: Set<String> {
        var tokens = Set<String>()
        let texts = catalog.map(\.english) + englishWords + specs
        for text in texts {
            for token in text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }) {
                tokens.insert(String(token))
            }
        }
        return tokens
    }

    /// Every Chinese character the filler text may hold.
    static var fillerIdeographs: Set<Unicode.Scalar> {
        Set((catalog.map(\.chinese) + chineseWords + specs).flatMap { $0.unicodeScalars.filter { $0.value >= 0x3400 } })
    }
}

/// What the generator planted in a parcel, so that its decision can be judged.
enum Planted: UInt8, CaseIterable {
    /// No register name.
    case none
    /// A register name that counts: goods inside the mark's classes, not from a licensee, a generic name only
    /// beside a context word. The parcel should be flagged.
    case counts
    /// Only names that the parcel-level rules rule out (licensee, class mismatch, generic name without context).
    /// The parcel should stay clear, with suppressed hits.
    case ruledOut
}

/// A register for the pipeline benchmark: `Corpus`'s generated names as marks, with a realistic mix of the
/// contract's fields, and what the manifest generator needs to plant them.
///
/// Names whose words the filler text could hold are skipped (Latin names equal to a filler token, Chinese
/// names sharing a character with the filler), so that a parcel without a planted name holds none.
struct BenchRegister {
    struct Entry {
        var name: String
        var isLatin: Bool
        var variant: String?
        var generic: String?
        var context: String?
        var licensee: String?
        var classes: [Int]
        var wellKnown: Bool
        var floorUSD: Double?
    }

    var register: Register
    var entries: [Entry]
    /// Indices of the marks with a licensee, a generic name, non-empty classes (and not well-known).
    var withLicensee: [Int]
    var withGeneric: [Int]
    var classBound: [Int]

    /// `count` marks, 60% Latin names (a third of them two words), 40% Chinese. Of the marks: classes drawn
    /// from those of the catalog's goods (1 to 3; none for 10%), 5% well-known, 10% with a licensee, 30% with a
    /// price floor (USD and CNY), 5% of the Latin ones with a variant spelling, and a few with a generic name
    /// (an everyday English word) and a context word. Deterministic for a seed.
    init(count: Int, seed: UInt64, niceClasses: NiceClassTable) {
        let corpus = Corpus(names: count * 3 / 2 + 100, bytes: 0, seed: seed)
        let fillerTokens = Product.fillerTokens
        let fillerIdeographs = Product.fillerIdeographs
        var latin: [String] = [], cjk: [String] = []
        for mark in corpus.register.marks {
            let name = mark.names[0]
            if name.utf8.allSatisfy({ $0 < 0x80 }) {
                if latin.count < count * 6 / 10, !name.split(separator: " ").contains(where: {
                    fillerTokens.contains(String($0))
                }) {
                    latin.append(name)
                }
            } else if cjk.count < count - count * 6 / 10,
                      !name.unicodeScalars.contains(where: fillerIdeographs.contains) {
                cjk.append(name)
            }
        }
        let goodsClasses = Array(Set(Product.catalog.flatMap { niceClasses.classes(forHS: $0.hs) ?? [] })).sorted()
        var random = SplitMix64(seed: seed ^ 0x5EED_0F_4E61)
        var entries: [Entry] = []
        var genericPool = Product.genericWords.filter { !fillerTokens.contains($0) }[...]
        for (index, raw) in (latin + cjk).enumerated() {
            let isLatin = index < latin.count
            let name = isLatin ? raw.split(separator: " ").map { $0.prefix(1).uppercased() + $0.dropFirst() }
                .joined(separator: " ") : raw
            var entry = Entry(name: name, isLatin: isLatin, classes: [], wellKnown: false)
            if Int.random(in: 0..<10, using: &random) > 0 {
                entry.classes = Array(Set((0..<Int.random(in: 1...3, using: &random)).map { _ in
                    goodsClasses.randomElement(using: &random)!
                })).sorted()
            }
            entry.wellKnown = Int.random(in: 0..<20, using: &random) == 0
            if Int.random(in: 0..<10, using: &random) == 0 {
                entry.licensee = "\(isLatin ? name : "Brand \(index)") Commercial (China) Co., Ltd."
            }
            if Int.random(in: 0..<10, using: &random) < 3 {
                entry.floorUSD = Double(Int.random(in: 4...60, using: &random) * 5)
            }
            if isLatin, Int.random(in: 0..<20, using: &random) == 0 {
                entry.variant = FuzzyBenchmark.typo(raw, using: &random)
            }
            if isLatin, !entry.classes.isEmpty, !entry.wellKnown, Int.random(in: 0..<100, using: &random) < 2,
               let word = genericPool.popFirst() {
                entry.generic = word
                entry.context = Product.contextWords.randomElement(using: &random)!
            }
            entries.append(entry)
        }
        self.entries = entries
        register = Register(marks: entries.enumerated().map { index, entry in
            Mark(id: String(format: "BM%05d", index),
                 names: [entry.name] + (entry.generic.map { [$0] } ?? []),
                 variants: entry.variant.map { [$0] } ?? [],
                 kind: entry.wellKnown ? .wellKnown : .trademark,
                 classes: entry.classes,
                 owner: "\(entry.isLatin ? entry.name : "Brand \(index)") Holdings Ltd.",
                 licensees: entry.licensee.map { [$0] } ?? [],
                 genericNames: entry.generic.map { [$0] } ?? [],
                 context: entry.context.map { [$0] } ?? [],
                 minUnitPrice: entry.floorUSD.map {
                     [PriceFloor(currency: "USD", amount: $0), PriceFloor(currency: "CNY", amount: $0 * 7)]
                 } ?? [])
        })
        withLicensee = entries.indices.filter { entries[$0].licensee != nil }
        withGeneric = entries.indices.filter { entries[$0].generic != nil }
        classBound = entries.indices.filter { !entries[$0].classes.isEmpty && !entries[$0].wellKnown }
    }
}

/// One generated item, ready to be written in any manifest format.
struct GeneratedItem {
    var description: String
    var hs: String
    var quantity: Int
    var price: String
    var currency: String
    var origin: String
}

/// One generated parcel and what was planted in it.
struct GeneratedParcel {
    var id: String
    var consignor: String
    var consignee: String
    var items: [GeneratedItem]
    var planted: Planted
}

/// Generates parcels (1 to 5 items) with descriptions of 20 to 120 bytes mixing English and Chinese goods
/// words, HS codes, prices in USD, CNY or EUR, origins and consignors; in `plantPercent`% of the items, a
/// register name, often disguised (case, full width, a typo, separators, a variant spelling; Chinese names
/// spaced out or bracketed). Most planted names count (goods inside the mark's classes, a below-floor price in
/// half of the cases where the mark has a floor); one in six is ruled out by a parcel-level rule (licensee,
/// class mismatch, generic name without context). Deterministic for a seed.
struct ManifestGenerator {
    let bench: BenchRegister
    let plantPercent: Int
    /// Products by Nice class, and the classes of each product.
    let productsByClass: [Int: [Int]]
    let productClasses: [[Int]]
    let consignors: [String]
    var random: SplitMix64
    private(set) var parcelCount = 0
    private(set) var itemCount = 0
    private(set) var plantedItems = 0
    /// Sum, least and most of the descriptions' lengths in UTF-8 bytes.
    private(set) var descriptionBytes = 0
    private(set) var shortestDescription = Int.max
    private(set) var longestDescription = 0

    init(bench: BenchRegister, niceClasses: NiceClassTable, seed: UInt64, plantPercent: Int = 5) {
        self.bench = bench
        self.plantPercent = plantPercent
        productClasses = Product.catalog.map { niceClasses.classes(forHS: $0.hs) ?? [] }
        var byClass: [Int: [Int]] = [:]
        for (index, classes) in productClasses.enumerated() {
            for niceClass in classes { byClass[niceClass, default: []].append(index) }
        }
        productsByClass = byClass
        consignors = Product.cities.flatMap { city in Product.firms.map { "\(city) \($0) Trading Co., Ltd." } }
        random = SplitMix64(seed: seed)
    }

    /// `descriptions: 20–120 bytes, 47.3 on average`.
    var descriptionSummary: String {
        String(format: "descriptions %d–%d bytes, %.1f on average", shortestDescription, longestDescription,
               Double(descriptionBytes) / Double(max(1, itemCount)))
    }

    mutating func next() -> GeneratedParcel {
        parcelCount += 1
        let id = "BP" + String(parcelCount + 10_000_000)
        var parcel = GeneratedParcel(id: id, consignor: consignors.randomElement(using: &random)!,
                                     consignee: "buyer-\(Int.random(in: 100_000...999_999, using: &random))",
                                     items: [], planted: .none)
        let origin = Int.random(in: 0..<10, using: &random) < 7 ? "CN"
            : ["VN", "TH", "US", "DE", "FR", "JP", "KR", "GB"].randomElement(using: &random)!
        var counts = false, ruledOut = false
        for _ in 0..<Int.random(in: 1...5, using: &random) {
            var product = Int.random(in: 0..<Product.catalog.count, using: &random)
            var plant: (text: String, extra: String?, floor: Double?)?
            if Int.random(in: 0..<100, using: &random) < plantPercent {
                let (markIndex, kind) = pickPlant()
                let entry = bench.entries[markIndex]
                switch kind {
                case .counts:
                    if !entry.classes.isEmpty, !entry.wellKnown {
                        let choices = entry.classes.flatMap { productsByClass[$0] ?? [] }
                        product = choices.randomElement(using: &random)!
                    }
                    if let generic = entry.generic, Int.random(in: 0..<2, using: &random) == 0 {
                        plant = (generic, entry.context, entry.floorUSD)
                    } else {
                        plant = (disguise(entry), nil, entry.floorUSD)
                    }
                    counts = true
                case .licensee:
                    parcel.consignor = entry.licensee!
                    plant = (disguise(entry), nil, nil)
                    ruledOut = true
                case .classMismatch:
                    let outside = productClasses.indices.filter {
                        Set(productClasses[$0]).isDisjoint(with: entry.classes)
                    }
                    product = outside.randomElement(using: &random)!
                    plant = (disguise(entry), nil, nil)
                    ruledOut = true
                case .bareGeneric:
                    plant = (entry.generic!, nil, nil)
                    ruledOut = true
                }
                plantedItems += 1
            }
            parcel.items.append(item(product: Product.catalog[product], plant: plant, origin: origin))
        }
        // A licensee's parcel clears every name of that mark; other items keep theirs.
        parcel.planted = counts ? .counts : ruledOut ? .ruledOut : .none
        itemCount += parcel.items.count
        for item in parcel.items {
            let length = item.description.utf8.count
            descriptionBytes += length
            shortestDescription = min(shortestDescription, length)
            longestDescription = max(longestDescription, length)
        }
        return parcel
    }

    enum PlantKind {
        case counts, licensee, classMismatch, bareGeneric
    }

    /// A mark and how its name is planted: 5 in 6 count, the rest are ruled out at the parcel level.
    private mutating func pickPlant() -> (Int, PlantKind) {
        switch Int.random(in: 0..<18, using: &random) {
        case 0 where !bench.withLicensee.isEmpty:
            return (bench.withLicensee.randomElement(using: &random)!, .licensee)
        case 1 where !bench.classBound.isEmpty:
            return (bench.classBound.randomElement(using: &random)!, .classMismatch)
        case 2 where !bench.withGeneric.isEmpty:
            return (bench.withGeneric.randomElement(using: &random)!, .bareGeneric)
        default:
            return (Int.random(in: 0..<bench.entries.count, using: &random), .counts)
        }
    }

    /// A register name as declared: as written or disguised.
    private mutating func disguise(_ entry: BenchRegister.Entry) -> String {
        let name = entry.name
        guard entry.isLatin else {
            switch Int.random(in: 0..<4, using: &random) {
            case 0: return name.unicodeScalars.map { String($0) }.joined(separator: " ")
            case 1: return "【" + name + "】"
            default: return name
            }
        }
        let letters = name.filter { $0 != " " }.count
        switch Int.random(in: 0..<8, using: &random) {
        case 0: return name.uppercased()
        case 1: return name.lowercased()
        case 2:
            return String(String.UnicodeScalarView(name.uppercased().unicodeScalars.map { scalar in
                (0x41...0x5A).contains(scalar.value) ? Unicode.Scalar(scalar.value + 0xFEE0)! : scalar
            }))
        case 3 where letters >= 5:
            return FuzzyBenchmark.typo(name, using: &random)
        case 4 where !name.contains(" "):
            return name.uppercased().map(String.init).joined(separator: ["-", ".", " "].randomElement(using: &random)!)
        case 5 where name.contains(" "):
            return name.replacingOccurrences(of: " ", with: ["-", "·", "_"].randomElement(using: &random)!)
        case 6 where entry.variant != nil:
            return entry.variant!
        default:
            return name
        }
    }

    /// An item of `product`: a description of 20 to 120 bytes (English, Chinese or both), with `plant` (and its
    /// extra word) placed among its words, and a price below `plant.floor` half of the time.
    private mutating func item(product: Product, plant: (text: String, extra: String?, floor: Double?)?,
                               origin: String) -> GeneratedItem {
        var words: [String] = []
        let style = Int.random(in: 0..<20, using: &random)    // 0-8 English, 9-15 Chinese, 16-19 both
        let english = style < 9 || style >= 16
        let chinese = style >= 9
        let modifiers = Int.random(in: 1...6, using: &random)
        for _ in 0..<modifiers {
            if english && (!chinese || Int.random(in: 0..<2, using: &random) == 0) {
                words.append(Product.englishWords.randomElement(using: &random)!)
            } else {
                words.append(Product.chineseWords.randomElement(using: &random)!)
            }
        }
        if english { words.append(product.english) }
        if chinese { words.insert(product.chinese, at: Int.random(in: 0...words.count, using: &random)) }
        if Int.random(in: 0..<3, using: &random) == 0 { words.append(Product.specs.randomElement(using: &random)!) }
        // The filler is cut to leave room for the planted words, which are always kept.
        var room = 120 - (plant.map { $0.text.utf8.count + 2 + ($0.extra.map { $0.utf8.count + 2 } ?? 0) } ?? 0)
        var kept = words.prefix { word in
            room -= word.utf8.count + 2
            return room >= 0
        }.map { $0 }
        if kept.isEmpty { kept = [words[0]] }
        if let plant {
            kept.insert(plant.text, at: Int.random(in: 0...kept.count, using: &random))
            if let extra = plant.extra { kept.append(extra) }
        }
        var description = ""
        for word in kept {
            if !description.isEmpty {
                description += english && Int.random(in: 0..<12, using: &random) == 0 ? ", " : " "
            }
            description += word
        }
        while description.utf8.count < 20 {
            description += " " + (english ? Product.englishWords : Product.chineseWords).randomElement(using: &random)!
        }
        let currencyDraw = Int.random(in: 0..<10, using: &random)
        let (currency, rate) = currencyDraw < 7 ? ("USD", 1.0) : currencyDraw < 9 ? ("CNY", 7.0) : ("EUR", 0.92)
        var usd = Double.random(in: product.price, using: &random)
        if let floor = plant?.floor, Int.random(in: 0..<2, using: &random) == 0 {
            usd = min(usd, floor * Double.random(in: 0.1...0.8, using: &random))
        }
        let cents = max(1, Int((usd * rate * 100).rounded()))
        return GeneratedItem(description: description, hs: product.hs,
                             quantity: Int.random(in: 1...10, using: &random),
                             price: "\(cents / 100).\(cents % 100 < 10 ? "0" : "")\(cents % 100)",
                             currency: currency, origin: origin)
    }
}
