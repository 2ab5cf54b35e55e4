import Crypto
import Foundation
import SwiftASN1
import _CryptoExtras

/// `-----BEGIN ENCRYPTED PRIVATE KEY-----` (RFC 5958 EncryptedPrivateKeyInfo) with PBES2 (RFC 8018):
/// PBKDF2 with HMAC-SHA1/224/256/384/512 and AES-128/192/256-CBC, as `openssl pkcs8 -topk8 -v2 aes256`
/// and `ssh-keygen -m PKCS8 -N …` write it. scrypt and legacy PBES1 (DES, RC2) are refused by name.
enum EncryptedPKCS8 {
    private static let pbes2: ASN1ObjectIdentifier = "1.2.840.113549.1.5.13"
    private static let pbkdf2: ASN1ObjectIdentifier = "1.2.840.113549.1.5.12"
    private static let prfs: [ASN1ObjectIdentifier: KDF.Insecure.PBKDF2.HashFunction] = [
        "1.2.840.113549.2.7": .insecureSHA1, "1.2.840.113549.2.8": .insecureSHA224, "1.2.840.113549.2.9": .sha256,
        "1.2.840.113549.2.10": .sha384, "1.2.840.113549.2.11": .sha512,
    ]
    private static let aesCBCKeyLengths: [ASN1ObjectIdentifier: Int] = [
        "2.16.840.1.101.3.4.1.2": 16, "2.16.840.1.101.3.4.1.22": 24, "2.16.840.1.101.3.4.1.42": 32,
    ]
    /// OpenSSL writes 2048 and OWASP suggests up to 1.3 million; a file asking for far more only makes
    /// the import hang.
    private static let maximumIterations = 2_000_000

    private struct Parameters {
        var salt: [UInt8] = []
        var iterations = 0
        var prf = KDF.Insecure.PBKDF2.HashFunction.insecureSHA1  // RFC 8018's default when absent
        var keyLength = 0
        var iv: [UInt8] = []
        var ciphertext: [UInt8] = []
    }

    /// The decrypted PKCS#8 PrivateKeyInfo DER.
    static func decrypt(der: [UInt8], passphrase: String) throws(SSHError) -> [UInt8] {
        let parameters = try parse(der)
        let key: SymmetricKey
        do {
            key = try KDF.Insecure.PBKDF2.deriveKey(
                from: Array(passphrase.utf8), salt: parameters.salt, using: parameters.prf,
                outputByteCount: parameters.keyLength, unsafeUncheckedRounds: parameters.iterations)
        } catch {
            throw .invalidKey("bad PBKDF2 parameters")
        }
        let keyBytes = key.withUnsafeBytes { Array($0) }
        let padded = try KeyDecryption.cbc(parameters.ciphertext, key: keyBytes, iv: parameters.iv)
        let plain = try KeyDecryption.removePKCS7Padding(padded)
        // Valid padding by chance (about 1 in 256) still leaves bytes that are not DER.
        guard (try? DER.parse(plain)) != nil else { throw .wrongPassphrase }
        return plain
    }

    private static func parse(_ der: [UInt8]) throws(SSHError) -> Parameters {
        do {
            return try DER.sequence(try DER.parse(der), identifier: .sequence) { nodes in
                var parameters = Parameters()
                try algorithm(&nodes, expected: pbes2, what: "key encryption scheme") { schemeNodes in
                    try algorithm(&schemeNodes, expected: pbkdf2, what: "key derivation") { kdfNodes in
                        parameters.salt = Array(try ASN1OctetString(derEncoded: &kdfNodes).bytes)
                        parameters.iterations = try Int(derEncoded: &kdfNodes)
                        while let node = kdfNodes.next() {
                            if node.identifier == .integer { continue }  // keyLength: implied by the cipher
                            parameters.prf = try prf(node)
                        }
                    }
                    try cipher(&schemeNodes, into: &parameters)
                }
                parameters.ciphertext = Array(try ASN1OctetString(derEncoded: &nodes).bytes)
                guard parameters.iterations >= 1, parameters.iterations <= maximumIterations else {
                    throw SSHError.unsupportedKey("\(parameters.iterations) PBKDF2 iterations")
                }
                return parameters
            }
        } catch let error as SSHError {
            throw error
        } catch {
            throw .invalidKey("unreadable ENCRYPTED PRIVATE KEY structure")
        }
    }

    /// An AlgorithmIdentifier whose OID must be `expected`; `body` reads the parameters SEQUENCE.
    private static func algorithm(
        _ nodes: inout ASN1NodeCollection.Iterator, expected: ASN1ObjectIdentifier, what: String,
        _ body: (inout ASN1NodeCollection.Iterator) throws -> Void
    ) throws {
        guard let node = nodes.next() else { throw SSHError.invalidKey("missing \(what)") }
        try DER.sequence(node, identifier: .sequence) { fields in
            let oid = try ASN1ObjectIdentifier(derEncoded: &fields)
            guard oid == expected else { throw SSHError.unsupportedKey("\(what) \(oid); use PBES2 with PBKDF2 and AES") }
            guard let parameters = fields.next() else { throw SSHError.invalidKey("missing \(what) parameters") }
            try DER.sequence(parameters, identifier: .sequence, body)
        }
    }

    private static func prf(_ node: ASN1Node) throws -> KDF.Insecure.PBKDF2.HashFunction {
        try DER.sequence(node, identifier: .sequence) { fields in
            let oid = try ASN1ObjectIdentifier(derEncoded: &fields)
            while fields.next() != nil {}  // NULL parameters
            guard let prf = prfs[oid] else { throw SSHError.unsupportedKey("PBKDF2 pseudo-random function \(oid)") }
            return prf
        }
    }

    private static func cipher(_ nodes: inout ASN1NodeCollection.Iterator, into parameters: inout Parameters) throws {
        guard let node = nodes.next() else { throw SSHError.invalidKey("missing encryption scheme") }
        try DER.sequence(node, identifier: .sequence) { fields in
            let oid = try ASN1ObjectIdentifier(derEncoded: &fields)
            guard let keyLength = aesCBCKeyLengths[oid] else {
                throw SSHError.unsupportedKey("cipher \(oid); re-encrypt with `openssl pkcs8 -topk8 -v2 aes256`")
            }
            parameters.keyLength = keyLength
            parameters.iv = Array(try ASN1OctetString(derEncoded: &fields).bytes)
        }
    }
}
