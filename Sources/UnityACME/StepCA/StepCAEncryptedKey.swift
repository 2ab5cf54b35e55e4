import Crypto
import _CryptoExtras
import Foundation

/// step-ca stores a JWK provisioner's private key as `encryptedKey`: a compact JWE with
/// PBES2-HS256+A128KW key wrapping and AES-GCM content encryption (RFC 7518 §4.8 and §5.3),
/// whose plaintext is the private JWK. Unity keeps the JWE and the password sealed and
/// decrypts only in memory, for the moment a token is signed.
public enum StepCAEncryptedKey {
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        case malformed(String)
        case unsupported(String)
        /// The password does not unwrap the content key (AES key wrap's integrity check failed).
        case wrongPassword

        public var description: String {
            switch self {
            case .malformed(let what): "not a step-ca encrypted key: \(what)"
            case .unsupported(let what): "unsupported JWE: \(what)"
            case .wrongPassword: "the password does not decrypt the key"
            }
        }
    }

    /// PBKDF2 iterations accepted: step writes 100 000 to 600 000; far more is a CPU trap.
    static let maxIterations = 5_000_000

    /// Decrypts a compact JWE (`header.encryptedKey.iv.ciphertext.tag`) to its plaintext.
    public static func decrypt(_ compact: String, password: String) throws -> String {
        let parts = compact.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 5 else { throw Failure.malformed("expected 5 dot-separated parts, got \(parts.count)") }
        let encodedHeader = String(parts[0])
        guard let headerData = Base64URL.decode(encodedHeader),
              let header = try? JSONSerialization.jsonObject(with: headerData) as? [String: Any] else {
            throw Failure.malformed("header is not base64url JSON")
        }
        guard let alg = header["alg"] as? String, alg == "PBES2-HS256+A128KW" else {
            throw Failure.unsupported("alg \(header["alg"] ?? "missing") (expected PBES2-HS256+A128KW)")
        }
        guard let enc = header["enc"] as? String, ["A128GCM", "A192GCM", "A256GCM"].contains(enc) else {
            throw Failure.unsupported("enc \(header["enc"] ?? "missing") (expected A256GCM)")
        }
        guard let p2s = (header["p2s"] as? String).flatMap(Base64URL.decode), p2s.count >= 8,
              let p2c = header["p2c"] as? Int, (1...maxIterations).contains(p2c) else {
            throw Failure.malformed("p2s/p2c missing or out of range")
        }
        guard let wrapped = Base64URL.decode(String(parts[1])), let iv = Base64URL.decode(String(parts[2])),
              let ciphertext = Base64URL.decode(String(parts[3])), let tag = Base64URL.decode(String(parts[4])) else {
            throw Failure.malformed("a part is not base64url")
        }
        // RFC 7518 §4.8.1.1: the PBKDF2 salt is the alg name, a zero byte, then p2s.
        let salt = Data(alg.utf8) + [0] + p2s
        let kek = try KDF.Insecure.PBKDF2.deriveKey(from: Data(password.utf8), salt: salt, using: .sha256,
                                                    outputByteCount: 16, unsafeUncheckedRounds: p2c)
        let cek: SymmetricKey
        do { cek = try AES.KeyWrap.unwrap(wrapped, using: kek) } catch { throw Failure.wrongPassword }
        guard cek.bitCount == Int(enc.dropFirst().prefix(3))! else { throw Failure.malformed("content key size does not match \(enc)") }
        do {
            let box = try AES.GCM.SealedBox(nonce: AES.GCM.Nonce(data: iv), ciphertext: ciphertext, tag: tag)
            // The AAD is the ASCII of the encoded protected header (RFC 7516 §5.1 step 14).
            let plaintext = try AES.GCM.open(box, using: cek, authenticating: Data(encodedHeader.utf8))
            return String(decoding: plaintext, as: UTF8.self)
        } catch {
            throw Failure.malformed("content does not authenticate")
        }
    }
}
