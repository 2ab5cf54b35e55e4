import Crypto
import Foundation
import SwiftASN1

/// OpenSSL's traditional encrypted PEM (`Proc-Type: 4,ENCRYPTED` + `DEK-Info: AES-128-CBC,<iv hex>`), as
/// `ssh-keygen -m PEM -N …` writes RSA and ECDSA keys. The key is EVP_BytesToKey(MD5, 1 iteration) of the
/// passphrase salted with the IV's first 8 bytes: weak, but it is what those files are.
enum LegacyPEMEncryption {
    private static let keyLengths = ["AES-128-CBC": 16, "AES-192-CBC": 24, "AES-256-CBC": 32]

    /// The armor label (`RSA PRIVATE KEY`, `EC PRIVATE KEY`) and the decrypted DER.
    static func decrypt(_ text: String, passphrase: String) throws(SSHError) -> (label: String, der: [UInt8]) {
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        guard let first = lines.first, first.hasPrefix("-----BEGIN "), first.hasSuffix("-----") else {
            throw .invalidKey("missing PEM armor")
        }
        let label = String(first.dropFirst("-----BEGIN ".count).dropLast(5))
        guard let blank = lines.firstIndex(of: "") else { throw .invalidKey("PEM headers not terminated") }
        let headers = lines[1..<blank]
        let body = lines[(blank + 1)...].filter { !$0.hasPrefix("-----") }.joined()

        guard let dekInfo = headers.first(where: { $0.hasPrefix("DEK-Info:") }) else { throw .invalidKey("missing DEK-Info") }
        let fields = dekInfo.dropFirst("DEK-Info:".count).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard fields.count == 2 else { throw .invalidKey("malformed DEK-Info") }
        guard let keyLength = keyLengths[fields[0].uppercased()] else {
            throw .unsupportedKey("PEM cipher \(fields[0]); re-encrypt with `ssh-keygen -p` (OpenSSH format)")
        }
        guard let iv = hexBytes(fields[1]), iv.count == KeyDecryption.blockSize else { throw .invalidKey("malformed DEK-Info IV") }
        guard let ciphertext = Data(base64Encoded: body) else { throw .invalidKey("PEM body is not base64") }

        let key = bytesToKey(passphrase: Array(passphrase.utf8), salt: Array(iv.prefix(8)), count: keyLength)
        let padded = try KeyDecryption.cbc(Array(ciphertext), key: key, iv: iv)
        let der = try KeyDecryption.removePKCS7Padding(padded)
        // Valid padding by chance (about 1 in 256) still leaves bytes that are not DER.
        guard (try? DER.parse(der)) != nil else { throw .wrongPassphrase }
        return (label, der)
    }

    /// EVP_BytesToKey with MD5 and one iteration: D1 = MD5(pass‖salt), Di = MD5(Di-1‖pass‖salt), concatenated.
    static func bytesToKey(passphrase: [UInt8], salt: [UInt8], count: Int) -> [UInt8] {
        var key: [UInt8] = [], block: [UInt8] = []
        while key.count < count {
            block = Array(Insecure.MD5.hash(data: block + passphrase + salt))
            key += block
        }
        return Array(key.prefix(count))
    }

    private static func hexBytes(_ hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }
}
