import Foundation

/// The fields of an OpenSSH certificate (`*-cert-v01@openssh.com`, PROTOCOL.certkeys) that an
/// inventory keeps: serial, type, key id, principals and validity. The CA's signature is not
/// checked here; sshd checks it against `TrustedUserCAKeys` / `@cert-authority`.
public struct OpenSSHCertificate: Sendable, Equatable {
    public enum Kind: String, Sendable { case user, host }

    public var keyType: String
    public var serial: UInt64
    public var kind: Kind
    public var keyID: String
    public var principals: [String]
    public var validAfter: Date
    public var validBefore: Date
    /// The certified key's fields after its type name: equal to the same part of the public key
    /// blob, so a caller can check the CA certified the key it was given.
    public var publicKeyFields: [UInt8]

    /// Parses `<type>-cert-v01@openssh.com <base64> [comment]`.
    public init(line: String) throws(SSHError) {
        let fields = line.split(separator: " ")
        guard fields.count >= 2, fields[0].hasSuffix("-cert-v01@openssh.com"),
              let blob = Data(base64Encoded: String(fields[1])) else {
            throw .invalidKey("not an OpenSSH certificate line")
        }
        var reader = SSHWireReader(Array(blob))
        keyType = try reader.readText()
        guard keyType == fields[0] else { throw .invalidKey("certificate type \(keyType) does not match its line") }
        _ = try reader.readString()  // nonce
        let keyStart = reader.offset
        switch keyType {
        case "ssh-ed25519-cert-v01@openssh.com": _ = try reader.readString()
        case let type where type.hasPrefix("ecdsa-sha2-"): _ = try reader.readString(); _ = try reader.readString()
        case "ssh-rsa-cert-v01@openssh.com": _ = try reader.readString(); _ = try reader.readString()
        default: throw .unsupportedKey(keyType)
        }
        publicKeyFields = Array(blob[keyStart..<reader.offset])
        serial = try reader.readUInt64()
        switch try reader.readUInt32() {
        case 1: kind = .user
        case 2: kind = .host
        case let other: throw .invalidKey("certificate type \(other)")
        }
        keyID = try reader.readText()
        var packed = SSHWireReader(try reader.readString())
        var names: [String] = []
        while !packed.isAtEnd { names.append(try packed.readText()) }
        principals = names
        // 0xffff…ff means "forever": clamp to `distantFuture` so databases can store it.
        let forever = UInt64(Date.distantFuture.timeIntervalSince1970)
        validAfter = Date(timeIntervalSince1970: TimeInterval(min(try reader.readUInt64(), forever)))
        validBefore = Date(timeIntervalSince1970: TimeInterval(min(try reader.readUInt64(), forever)))
    }

    /// The public key blob's fields after the type name (see `publicKeyFields`).
    public static func publicKeyFields(ofPublicKeyLine line: String) throws(SSHError) -> [UInt8] {
        let fields = line.split(separator: " ")
        guard fields.count >= 2, let blob = Data(base64Encoded: String(fields[1])) else {
            throw .invalidKey("not an authorized_keys line")
        }
        var reader = SSHWireReader(Array(blob))
        _ = try reader.readString()
        return Array(blob[reader.offset...])
    }
}

extension SSHWireReader {
    mutating func readUInt64() throws(SSHError) -> UInt64 {
        UInt64(try readUInt32()) << 32 | UInt64(try readUInt32())
    }
}
