import Crypto
import Foundation

/// The per-type fields of an openssh-key-v1 private section (PROTOCOL.key, and `sshkey_private_serialize`).
enum OpenSSHPrivateSection {
    static func read(type: String, from section: inout SSHWireReader) throws(SSHError) -> SSHPrivateKey.Backing {
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
                // OpenSSH's order: n, e, d, iqmp, p, q.
                let n = try section.readUnsignedMPInt(), e = try section.readUnsignedMPInt()
                let d = try section.readUnsignedMPInt(), iqmp = try section.readUnsignedMPInt()
                let p = try section.readUnsignedMPInt(), q = try section.readUnsignedMPInt()
                let numbers = RSAKeyComponents(modulus: n, publicExponent: e, privateExponent: d,
                                               coefficient: iqmp, prime1: p, prime2: q)
                try numbers.validate()
                return .rsa(numbers)
            default:
                throw SSHError.unsupportedKey("key type \(type)")
            }
        } catch let error as SSHError {
            throw error
        } catch {
            throw .invalidKey("\(type) key material rejected")
        }
    }

    static func write(_ backing: SSHPrivateKey.Backing, to section: inout SSHWireWriter) {
        switch backing {
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
        case .rsa(let numbers):
            for value in [numbers.modulus, numbers.publicExponent, numbers.privateExponent,
                          numbers.coefficient, numbers.prime1, numbers.prime2] {
                section.writeUnsignedMPInt(value)
            }
        }
    }

    private static func skipCurveAndPoint(_ section: inout SSHWireReader) throws(SSHError) {
        _ = try section.readString()
        _ = try section.readString()
    }

    private static func writeECDSA(_ section: inout SSHWireWriter, curve: String, point: Data, scalar: Data) {
        section.writeString(curve)
        section.writeString(Array(point))
        section.writeUnsignedMPInt(Array(scalar))
    }
}
