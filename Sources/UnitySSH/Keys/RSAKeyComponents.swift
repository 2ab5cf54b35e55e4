import Crypto
import Foundation
import SwiftASN1
import _CryptoExtras

/// An RSA private key as the numbers openssh-key-v1 stores (n, e, d, iqmp, p, q).
/// Unity keeps the numbers rather than a `_RSA.Signing.PrivateKey`: that type exposes neither d, p, q nor
/// iqmp, refuses keys below 2048 bits outside its "unsafe" initialisers, and RSA keys are only ever
/// written to a file for the OpenSSH client, never used for signing in process.
struct RSAKeyComponents: Sendable, Equatable {
    /// Big-endian magnitudes without leading zero bytes.
    let modulus: [UInt8]
    let publicExponent: [UInt8]
    let privateExponent: [UInt8]
    /// q⁻¹ mod p: PKCS#1 calls it `coefficient`, OpenSSH `iqmp`.
    let coefficient: [UInt8]
    let prime1: [UInt8]
    let prime2: [UInt8]

    init(modulus: [UInt8], publicExponent: [UInt8], privateExponent: [UInt8],
         coefficient: [UInt8], prime1: [UInt8], prime2: [UInt8]) {
        func trimmed(_ bytes: [UInt8]) -> [UInt8] { Array(bytes.drop { $0 == 0 }) }
        self.modulus = trimmed(modulus)
        self.publicExponent = trimmed(publicExponent)
        self.privateExponent = trimmed(privateExponent)
        self.coefficient = trimmed(coefficient)
        self.prime1 = trimmed(prime1)
        self.prime2 = trimmed(prime2)
    }

    /// A key BoringSSL generated or parsed (PKCS#1 or PKCS#8 PEM): its DER form is PKCS#1 `RSAPrivateKey`.
    init(_ key: _RSA.Signing.PrivateKey) throws(SSHError) {
        try self.init(pkcs1DER: Array(key.derRepresentation))
    }

    /// PKCS#1 (RFC 8017 A.1.2): version, n, e, d, p, q, d mod (p-1), d mod (q-1), q⁻¹ mod p.
    init(pkcs1DER der: [UInt8]) throws(SSHError) {
        do {
            let numbers = try DER.sequence(try DER.parse(der), identifier: .sequence) { nodes in
                // Version 1 means extra primes follow, which OpenSSH cannot store.
                guard try Int(derEncoded: &nodes) == 0 else { throw SSHError.unsupportedKey("multi-prime RSA key") }
                return try (0..<8).map { _ in Array(try ArraySlice<UInt8>(derEncoded: &nodes)) }
            }
            self.init(modulus: numbers[0], publicExponent: numbers[1], privateExponent: numbers[2],
                      coefficient: numbers[7], prime1: numbers[3], prime2: numbers[4])
        } catch let error as SSHError {
            throw error
        } catch {
            throw .invalidKey("unreadable RSA key structure")
        }
    }

    var bitCount: Int {
        guard let top = modulus.first else { return 0 }
        return (modulus.count - 1) * 8 + (8 - top.leadingZeroBitCount)
    }

    /// The `ssh-rsa` public-key blob (e before n, as RFC 4253 orders them).
    var publicBlob: [UInt8] { KeyBlobs.rsa(modulus: Data(modulus), exponent: Data(publicExponent)) }

    /// Numbers read from an openssh-key-v1 file are checked by BoringSSL (which verifies that they form one
    /// key) when the key is large enough for its checked initialiser; smaller keys are still matched
    /// against the file's public key by the caller.
    func validate() throws(SSHError) {
        guard !modulus.isEmpty, !publicExponent.isEmpty, !privateExponent.isEmpty,
              !prime1.isEmpty, !prime2.isEmpty, !coefficient.isEmpty else {
            throw .invalidKey("RSA key has an empty component")
        }
        guard bitCount >= 2048 else { return }
        do {
            _ = try _RSA.Signing.PrivateKey(n: modulus, e: publicExponent, d: privateExponent, p: prime1, q: prime2)
        } catch {
            throw .invalidKey("RSA key components are inconsistent")
        }
    }
}
