import Foundation

/// One `-----BEGIN <label>----- … -----END <label>-----` block, decoded.
public struct PEMBlock: Sendable, Equatable {
    public var label: String
    public var der: [UInt8]
    /// Legacy OpenSSL encryption (`Proc-Type: 4,ENCRYPTED` header): the DER is ciphertext.
    public var isLegacyEncrypted: Bool = false

    /// Every block in `text`, in order. Text outside blocks (openssl's `subject=` / `issuer=`
    /// comment lines, Bag Attributes) is ignored. Throws on a block cut short or with bad base64,
    /// rather than silently dropping it: a truncated chain must not look like a shorter chain.
    public static func parseAll(_ text: String) throws(CertificateError) -> [PEMBlock] {
        var blocks: [PEMBlock] = []
        var label: String?
        var body = ""
        var encrypted = false
        for rawLine in text.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if let begin = armourLabel(line, "BEGIN") {
                // A BEGIN inside an open block means the previous one was cut.
                if let open = label { throw .truncatedPEM(label: open) }
                label = begin
                body = ""
                encrypted = false
            } else if let end = armourLabel(line, "END"), let open = label {
                guard end == open else { throw .truncatedPEM(label: open) }
                guard let der = Data(base64Encoded: body), !der.isEmpty else {
                    throw .invalidBase64(label: open, index: blocks.count)
                }
                blocks.append(PEMBlock(label: open, der: Array(der), isLegacyEncrypted: encrypted))
                label = nil
            } else if label != nil {
                // RFC 1421 headers (Proc-Type, DEK-Info) mark legacy encrypted keys; keep them
                // out of the base64 so the caller can say "encrypted", not "bad base64".
                if line.contains(":") {
                    if line.hasPrefix("Proc-Type:"), line.contains("ENCRYPTED") { encrypted = true }
                } else {
                    body += line
                }
            }
        }
        if let open = label { throw .truncatedPEM(label: open) }
        return blocks
    }

    /// Encodes `der` as PEM with 64-character lines, as openssl writes it.
    public static func encode(label: String, der: [UInt8]) -> String {
        let base64 = Data(der).base64EncodedString()
        var lines = ["-----BEGIN \(label)-----"]
        var index = base64.startIndex
        while index < base64.endIndex {
            let next = base64.index(index, offsetBy: 64, limitedBy: base64.endIndex) ?? base64.endIndex
            lines.append(String(base64[index..<next]))
            index = next
        }
        lines.append("-----END \(label)-----")
        return lines.joined(separator: "\n") + "\n"
    }

    private static func armourLabel(_ line: String, _ kind: String) -> String? {
        let prefix = "-----\(kind) ", suffix = "-----"
        guard line.hasPrefix(prefix), line.hasSuffix(suffix), line.count >= prefix.count + suffix.count else { return nil }
        return String(line.dropFirst(prefix.count).dropLast(suffix.count))
    }
}
