import Crypto
import Foundation

/// The `openssh-key-v1` container (PROTOCOL.key in OpenSSH), unencrypted only.
/// swift-nio-ssh cannot read these files, so Unity parses them itself.
enum OpenSSHKeyFormat {
    static let magic = Array("openssh-key-v1".utf8) + [0]
    static let header = "-----BEGIN OPENSSH PRIVATE KEY-----"
    static let footer = "-----END OPENSSH PRIVATE KEY-----"

    static func parse(_ text: String) throws(SSHError) -> SSHPrivateKey {
        let body = text.replacingOccurrences(of: header, with: "").replacingOccurrences(of: footer, with: "")
            .filter { !$0.isWhitespace }
        guard let data = Data(base64Encoded: body) else { throw .invalidKey("body is not base64") }
        var reader = SSHWireReader(Array(data))
        guard try reader.readBytes(count: magic.count) == magic else { throw .invalidKey("missing openssh-key-v1 magic") }
        let cipher = try reader.readText()
        _ = try reader.readText()  // kdf name
        _ = try reader.readString()  // kdf options
        guard cipher == "none" else {
            throw .unsupportedKey("passphrase-protected key; decrypt it once with `ssh-keygen -p` before import")
        }
        guard try reader.readUInt32() == 1 else { throw .invalidKey("expected exactly one key") }
        let publicBlob = try reader.readString()
        var section = SSHWireReader(try reader.readString())
        // Two equal check integers guard against a wrong decryption; for "none" they must still match.
        guard try section.readUInt32() == section.readUInt32() else { throw .invalidKey("check integers differ") }
        let type = try section.readText()
        let backing = try readPrivate(type: type, from: &section, fileText: text)
        let comment = try section.readText()
        let key = SSHPrivateKey(backing: backing, publicBlob: publicBlob, comment: comment)
        try checkPublicBlob(of: key)
        return key
    }

    private static func readPrivate(
        type: String, from section: inout SSHWireReader, fileText: String
    ) throws(SSHError) -> SSHPrivateKey.Backing {
        do {
            switch type {
            case "ssh-ed25519":
                _ = try section.readString()  // public part, repeated
                let secret = try section.readString()  // seed (32) + public (32)
                guard secret.count == 64 else { throw SSHError.invalidKey("bad ed25519 secret length") }
                return .ed25519(try Curve25519.Signing.PrivateKey(rawRepresentation: secret[0..<32]))
            case "ecdsa-sha2-nistp256":
                try skipCurveAndPoint(&section)
                return .p256(try P256.Signing.PrivateKey(rawRepresentation: section.readUnsignedMPInt(width: 32)))
            case "ecdsa-sha2-nistp384":
                try skipCurveAndPoint(&section)
                return .p384(try P384.Signing.PrivateKey(rawRepresentation: section.readUnsignedMPInt(width: 48)))
            case "ecdsa-sha2-nistp521":
                try skipCurveAndPoint(&section)
                return .p521(try P521.Signing.PrivateKey(rawRepresentation: section.readUnsignedMPInt(width: 66)))
            case "ssh-rsa":
                for _ in 0..<6 { _ = try section.readString() }  // n e d iqmp p q: OpenSSH reads them, not us
                return .rsa(fileText: fileText)
            default:
                throw SSHError.unsupportedKey("key type \(type)")
            }
        } catch let error as SSHError {
            throw error
        } catch {
            throw .invalidKey("\(type) key material rejected")
        }
    }

    private static func skipCurveAndPoint(_ section: inout SSHWireReader) throws(SSHError) {
        _ = try section.readString()
        _ = try section.readString()
    }

    /// The file carries the public blob twice; a mismatch means a corrupt or spliced file.
    private static func checkPublicBlob(of key: SSHPrivateKey) throws(SSHError) {
        guard let derived = derivedBlob(key.backing) else { return }
        guard derived == key.publicBlob else { throw .invalidKey("public key does not match private key") }
    }

    static func derivedBlob(_ backing: SSHPrivateKey.Backing) -> [UInt8]? {
        switch backing {
        case .ed25519(let key): KeyBlobs.ed25519(key.publicKey)
        case .p256(let key): KeyBlobs.ecdsa(curve: "nistp256", point: key.publicKey.x963Representation)
        case .p384(let key): KeyBlobs.ecdsa(curve: "nistp384", point: key.publicKey.x963Representation)
        case .p521(let key): KeyBlobs.ecdsa(curve: "nistp521", point: key.publicKey.x963Representation)
        case .rsa: nil
        }
    }

    /// Writes an unencrypted openssh-key-v1 file for an ed25519/ECDSA key (for `ssh -i`).
    static func serialize(_ key: SSHPrivateKey) -> String {
        var section = SSHWireWriter()
        let check = UInt32.random(in: .min ... .max)
        section.write(check)
        section.write(check)
        section.writeString(key.algorithm)
        switch key.backing {
        case .ed25519(let secret):
            let pub = Array(secret.publicKey.rawRepresentation)
            section.writeString(pub)
            section.writeString(Array(secret.rawRepresentation) + pub)
        case .p256(let secret):
            writeECDSA(&section, curve: "nistp256", point: secret.publicKey.x963Representation, scalar: secret.rawRepresentation)
        case .p384(let secret):
            writeECDSA(&section, curve: "nistp384", point: secret.publicKey.x963Representation, scalar: secret.rawRepresentation)
        case .p521(let secret):
            writeECDSA(&section, curve: "nistp521", point: secret.publicKey.x963Representation, scalar: secret.rawRepresentation)
        case .rsa:
            break  // never serialized: the imported text is used as is
        }
        section.writeString(key.comment)
        var pad: UInt8 = 1
        while section.bytes.count % 8 != 0 { section.writeRaw([pad]); pad += 1 }

        var file = SSHWireWriter()
        file.writeRaw(magic)
        file.writeString("none")
        file.writeString("none")
        file.writeString([UInt8]())
        file.write(1)
        file.writeString(key.publicBlob)
        file.writeString(section.bytes)
        let body = Data(file.bytes).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return "\(header)\n\(body)\n\(footer)\n"
    }

    private static func writeECDSA(_ section: inout SSHWireWriter, curve: String, point: Data, scalar: Data) {
        section.writeString(curve)
        section.writeString(Array(point))
        section.writeUnsignedMPInt(Array(scalar))
    }
}
