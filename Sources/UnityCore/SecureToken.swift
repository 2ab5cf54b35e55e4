import Crypto
import Foundation

/// Random bearer secrets (API keys, refresh tokens, session ids) and how they are stored.
///
/// Tokens carry 256 bits of randomness, so a single SHA-256 is the right storage hash: unlike a
/// password there is nothing to brute-force, and a slow hash would cost every API request.
public enum SecureToken {
    private static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

    /// 43 base62 characters (≈ 256 bits) after the prefix.
    public static func generate(prefix: String = "") -> String {
        var generator = SystemRandomNumberGenerator()
        let body = (0..<43).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] }
        return prefix + String(body)
    }

    public static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Compares without an early exit, so timing does not reveal how much of a secret matched.
    public static func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8), b = Array(rhs.utf8)
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }

    /// A password for a generated account: readable, 20 characters, about 119 bits.
    public static func generatePassword() -> String {
        let readable = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<20).map { _ in readable[Int(generator.next(upperBound: UInt64(readable.count)))] })
    }
}
