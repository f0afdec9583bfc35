import CLibXML2
import Foundation

// MARK: - libxml2 set-up and messages

enum XMLLibrary {
    /// `xmlInitParser` must run once before threads use libxml2; a static `let` runs it exactly once.
    private static let initialized: Bool = {
        xmlInitParser()
        return true
    }()

    static func initialize() {
        _ = initialized
    }
}

/// Collects libxml2's messages (so it prints nothing): the first fatal error, and the parser's warnings and
/// errors until the parcel they fall in has been read.
final class XMLDiagnostics {
    struct Message {
        var position: XMLTextPosition
        var message: String
        var code: Int32 = 0
    }

    private(set) var fatal: Message?
    private var pending: [Message] = []
    /// Messages kept at most while the parser runs ahead of the reader (a bound against floods of warnings).
    private let pendingLimit = 10_000

    /// A structured error handler whose context is an `XMLDiagnostics`.
    static let handler: xmlStructuredErrorFunc = { context, error in
        guard let context, let error else { return }
        Unmanaged<XMLDiagnostics>.fromOpaque(context).takeUnretainedValue().record(error.pointee)
    }

    /// Keeps one libxml2 message: the first fatal error, or a parser warning or error for the parcel it falls in.
    func record(_ error: xmlError) {
        var text = error.message.map { String(cString: $0) } ?? "XML error \(error.code)"
        if error.code == Int32(XML_ERR_INVALID_CHAR.rawValue), let rewritten = Self.invalidUTF8Message(text) {
            text = rewritten
        }
        let message = Message(position: XMLTextPosition(line: max(1, Int(error.line)), column: max(1, Int(error.int2))),
                              message: text.trimmingCharacters(in: .whitespacesAndNewlines), code: error.code)
        if error.level == XML_ERR_FATAL {
            if fatal == nil { fatal = message }
        } else if error.domain == Int32(XML_FROM_PARSER.rawValue), pending.count < pendingLimit {
            // Namespace messages (an undeclared prefix) are left out: names are read without the prefix.
            pending.append(message)
        }
    }

    /// libxml2's "Input is not proper UTF-8, indicate encoding !\nBytes: 0xFF 0x65 …" told as the byte at fault:
    /// "invalid UTF-8 byte 0xFF", or "invalid UTF-8 byte 0xE4 followed by 0x41" for a bad continuation.
    static func invalidUTF8Message(_ text: String) -> String? {
        guard text.hasPrefix("Input is not proper UTF-8"), let listed = text.range(of: "Bytes:") else { return nil }
        let bytes = text[listed.upperBound...].split(separator: " ").compactMap { word -> UInt8? in
            guard word.hasPrefix("0x") else { return nil }
            return UInt8(word.dropFirst(2).trimmingCharacters(in: .whitespacesAndNewlines), radix: 16)
        }
        guard let lead = bytes.first else { return nil }
        let advice = "(declare the document's encoding if it is not UTF-8)"
        guard let (continuations, low, high) = UTF8Lead.expectation(lead) else {
            return "invalid UTF-8 byte \(hex(lead)) \(advice)"
        }
        for index in 1...continuations where index < bytes.count {
            let byte = bytes[index]
            if byte < (index == 1 ? low : 0x80) || byte > (index == 1 ? high : 0xBF) {
                return "invalid UTF-8 byte \(hex(lead)) followed by \(hex(byte)) \(advice)"
            }
        }
        return "invalid UTF-8 byte \(hex(lead)) \(advice)"
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return "0x" + (digits.count < 2 ? "0" : "") + digits
    }

    /// The first pending message within `start...end`; drops every pending message up to `end`.
    func firstProblem(from start: XMLTextPosition, through end: XMLTextPosition) -> Message? {
        var first: Message?
        var kept = 0
        for message in pending {
            if message.position > end {
                pending[kept] = message
                kept += 1
            } else if first == nil && message.position >= start {
                first = message
            }
        }
        pending.removeSubrange(kept...)
        return first
    }

    /// Runs a libxml2 call with this collector as the thread's structured error handler, so that messages
    /// raised outside the reader's own handler (encoding conversion, I/O) are caught too, then restores it.
    func capturing<T>(_ body: () -> T) -> T {
        let previousHandler = __xmlStructuredError()?.pointee
        let previousContext = __xmlStructuredErrorContext()?.pointee
        xmlSetStructuredErrorFunc(Unmanaged.passUnretained(self).toOpaque(), Self.handler)
        defer { xmlSetStructuredErrorFunc(previousContext, previousHandler) }
        return body()
    }
}

