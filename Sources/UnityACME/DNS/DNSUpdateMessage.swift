import Crypto
import Foundation

/// An RFC 2136 DNS UPDATE message for TXT records, signed with TSIG (RFC 8945, hmac-sha256).
/// Names are written uncompressed and lower-cased, which is also the canonical form TSIG's MAC needs.
struct DNSUpdateMessage {
    enum Change {
        case add(name: String, text: String, ttl: UInt32)
        /// Deletes only the record with this exact text, so a parallel challenge's record survives.
        case delete(name: String, text: String)
    }

    struct TSIGKey: Sendable {
        var name: String
        var secret: Data
        static let algorithm = "hmac-sha256."
    }

    var id: UInt16
    var zone: String
    var changes: [Change]

    static let typeSOA: UInt16 = 6, typeTXT: UInt16 = 16, typeTSIG: UInt16 = 250
    static let classIN: UInt16 = 1, classNONE: UInt16 = 254, classANY: UInt16 = 255

    /// The unsigned message (ARCOUNT 0).
    func unsigned() throws -> [UInt8] {
        var out: [UInt8] = []
        out.append16(id)
        out.append16(5 << 11)  // QR=0, opcode UPDATE
        out.append16(1)  // ZOCOUNT
        out.append16(0)  // PRCOUNT
        out.append16(UInt16(changes.count))
        out.append16(0)  // ADCOUNT, TSIG added by `signed`
        try out.appendName(zone)
        out.append16(Self.typeSOA)
        out.append16(Self.classIN)
        for change in changes {
            switch change {
            case .add(let name, let text, let ttl):
                try out.appendName(name)
                out.append16(Self.typeTXT)
                out.append16(Self.classIN)
                out.append32(ttl)
                try out.appendTXT(text)
            case .delete(let name, let text):
                try out.appendName(name)
                out.append16(Self.typeTXT)
                out.append16(Self.classNONE)
                out.append32(0)
                try out.appendTXT(text)
            }
        }
        return out
    }

    /// The message with its TSIG record; `timeSigned` is seconds since 1970 (injected for tests).
    func signed(with key: TSIGKey, timeSigned: UInt64, fudge: UInt16 = 300) throws -> [UInt8] {
        let message = try unsigned()
        // TSIG variables (RFC 8945 §4.3.3): key name, class, TTL, algorithm, time, fudge, error, other.
        var variables: [UInt8] = []
        try variables.appendName(key.name)
        variables.append16(Self.classANY)
        variables.append32(0)
        try variables.appendName(TSIGKey.algorithm)
        variables.append48(timeSigned)
        variables.append16(fudge)
        variables.append16(0)  // error
        variables.append16(0)  // other len
        let mac = Array(HMAC<SHA256>.authenticationCode(for: message + variables, using: SymmetricKey(data: key.secret)))

        var rdata: [UInt8] = []
        try rdata.appendName(TSIGKey.algorithm)
        rdata.append48(timeSigned)
        rdata.append16(fudge)
        rdata.append16(UInt16(mac.count))
        rdata += mac
        rdata.append16(id)  // original id
        rdata.append16(0)  // error
        rdata.append16(0)  // other len

        var out = message
        out[10] = 0
        out[11] = 1  // ADCOUNT = 1
        try out.appendName(key.name)
        out.append16(Self.typeTSIG)
        out.append16(Self.classANY)
        out.append32(0)
        out.append16(UInt16(rdata.count))
        out += rdata
        return out
    }

    /// RCODE of a response to message `id`, or nil when the bytes are not that response.
    static func responseCode(_ response: [UInt8], id: UInt16) -> Int? {
        guard response.count >= 12, UInt16(response[0]) << 8 | UInt16(response[1]) == id,
              response[2] & 0x80 != 0 else { return nil }
        return Int(response[3] & 0x0F)
    }

    static func rcodeName(_ code: Int) -> String {
        let names = [0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN", 4: "NOTIMP", 5: "REFUSED",
                     6: "YXDOMAIN", 7: "YXRRSET", 8: "NXRRSET", 9: "NOTAUTH", 10: "NOTZONE"]
        return names[code] ?? "RCODE \(code)"
    }
}

extension [UInt8] {
    mutating func append16(_ value: UInt16) {
        append(UInt8(value >> 8))
        append(UInt8(value & 0xFF))
    }

    mutating func append32(_ value: UInt32) {
        append16(UInt16(value >> 16))
        append16(UInt16(value & 0xFFFF))
    }

    mutating func append48(_ value: UInt64) {
        append16(UInt16((value >> 32) & 0xFFFF))
        append32(UInt32(value & 0xFFFF_FFFF))
    }

    /// A domain name as length-prefixed labels ending in the root label.
    mutating func appendName(_ name: String) throws {
        for label in name.lowercased().split(separator: ".") {
            let bytes = Array(label.utf8)
            guard !bytes.isEmpty, bytes.count <= 63 else {
                throw DNSProviderError(provider: "rfc2136", message: "invalid DNS label in \(name)")
            }
            append(UInt8(bytes.count))
            self += bytes
        }
        append(0)
    }

    /// TXT RDATA: RDLENGTH, then one character-string (ACME values are 43 bytes).
    mutating func appendTXT(_ text: String) throws {
        let bytes = Array(text.utf8)
        guard bytes.count <= 255 else { throw DNSProviderError(provider: "rfc2136", message: "TXT value too long") }
        append16(UInt16(bytes.count + 1))
        append(UInt8(bytes.count))
        self += bytes
    }
}
