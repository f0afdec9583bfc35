import CLibXML2
import CSQLite

/// Versions of the C libraries the I/O module links (libxml2 for XML manifests, SQLite for the case book).
public enum LinkedLibraries {
    /// libxml2's version as the library reports it at run time, e.g. `2.9.14`.
    public static var libxml2: String {
        // `xmlParserVersion` is a macro over this per-thread accessor in libxml2 2.9.
        guard let version = __xmlParserVersion()?.pointee else { return "unknown" }
        let number = Int(String(cString: version)) ?? 0   // e.g. 20914
        return "\(number / 10000).\(number / 100 % 100).\(number % 100)"
    }

    /// SQLite's version as the library reports it at run time, e.g. `3.40.1`.
    public static var sqlite: String {
        String(cString: sqlite3_libversion())
    }
}
