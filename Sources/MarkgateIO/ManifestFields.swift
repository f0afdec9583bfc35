/// Field rules every manifest reader applies alike (contract §2).
enum ManifestFields {
    /// An HS code: 6 to 10 ASCII digits (already trimmed).
    static func isHSCode(_ text: String) -> Bool {
        (6...10).contains(text.utf8.count) && text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }
}
