import Crypto
import Foundation
import _CryptoExtras

/// The AES modes encrypted key files use, with failures mapped to what they mean for an import:
/// a structural problem is `.invalidKey`, a failed integrity check is `.wrongPassphrase`.
enum KeyDecryption {
    static let blockSize = 16

    static func ctr(_ bytes: [UInt8], key: [UInt8], iv: [UInt8]) throws(SSHError) -> [UInt8] {
        do {
            // The full 16-byte IV is the initial counter block, incremented as one 128-bit number, as OpenSSH does.
            let nonce = try AES._CTR.Nonce(nonceBytes: iv)
            return Array(try AES._CTR.decrypt(bytes, using: SymmetricKey(data: key), nonce: nonce))
        } catch {
            throw .invalidKey("cannot decrypt (AES-CTR parameters)")
        }
    }

    /// Raw CBC decryption; the caller decides what padding the format uses.
    static func cbc(_ bytes: [UInt8], key: [UInt8], iv: [UInt8]) throws(SSHError) -> [UInt8] {
        guard !bytes.isEmpty, bytes.count % blockSize == 0 else { throw .invalidKey("encrypted data is not whole AES blocks") }
        do {
            let iv = try AES._CBC.IV(ivBytes: iv)
            return Array(try AES._CBC.decrypt(bytes, using: SymmetricKey(data: key), iv: iv, noPadding: true))
        } catch {
            throw .invalidKey("cannot decrypt (AES-CBC parameters)")
        }
    }

    /// AES-GCM with the tag stored apart from the ciphertext (openssh-key-v1 appends it after the section).
    static func gcm(_ bytes: [UInt8], tag: [UInt8], key: [UInt8], iv: [UInt8]) throws(SSHError) -> [UInt8] {
        let box: AES.GCM.SealedBox
        do {
            box = try AES.GCM.SealedBox(nonce: AES.GCM.Nonce(data: iv), ciphertext: bytes, tag: tag)
        } catch {
            throw .invalidKey("cannot decrypt (AES-GCM parameters)")
        }
        guard let plain = try? AES.GCM.open(box, using: SymmetricKey(data: key)) else { throw .wrongPassphrase }
        return Array(plain)
    }

    /// PKCS#7 padding as PEM encryption uses it; bad padding is what a wrong passphrase usually looks like.
    static func removePKCS7Padding(_ bytes: [UInt8]) throws(SSHError) -> [UInt8] {
        guard let last = bytes.last, last >= 1, Int(last) <= blockSize, Int(last) <= bytes.count,
              bytes.suffix(Int(last)).allSatisfy({ $0 == last }) else { throw .wrongPassphrase }
        return Array(bytes.dropLast(Int(last)))
    }
}

/// The ciphers of openssh-key-v1 files (`ssh-keygen -Z`), with their key and IV sizes.
struct OpenSSHKeyCipher {
    enum Mode { case none, ctr, cbc, gcm }

    let mode: Mode
    let keyLength: Int
    let ivLength: Int

    init(name: String) throws(SSHError) {
        switch name {
        case "none": (mode, keyLength, ivLength) = (.none, 0, 0)
        case "aes128-ctr": (mode, keyLength, ivLength) = (.ctr, 16, 16)
        case "aes192-ctr": (mode, keyLength, ivLength) = (.ctr, 24, 16)
        case "aes256-ctr": (mode, keyLength, ivLength) = (.ctr, 32, 16)
        case "aes128-cbc": (mode, keyLength, ivLength) = (.cbc, 16, 16)
        case "aes192-cbc": (mode, keyLength, ivLength) = (.cbc, 24, 16)
        case "aes256-cbc": (mode, keyLength, ivLength) = (.cbc, 32, 16)
        case "aes128-gcm@openssh.com": (mode, keyLength, ivLength) = (.gcm, 16, 12)
        case "aes256-gcm@openssh.com": (mode, keyLength, ivLength) = (.gcm, 32, 12)
        default:
            throw .unsupportedKey("key encrypted with \(name); re-encrypt it with `ssh-keygen -p -Z aes256-ctr` or decrypt it with `ssh-keygen -p`")
        }
    }

    /// Bytes of authentication tag stored after the encrypted section.
    var tagLength: Int { mode == .gcm ? 16 : 0 }
    /// The private section is padded to this size.
    var blockSize: Int { mode == .none ? 8 : KeyDecryption.blockSize }

    func decrypt(_ bytes: [UInt8], tag: [UInt8], keyAndIV: [UInt8]) throws(SSHError) -> [UInt8] {
        guard bytes.count % blockSize == 0 else { throw .invalidKey("encrypted section is not whole cipher blocks") }
        let key = Array(keyAndIV.prefix(keyLength)), iv = Array(keyAndIV.dropFirst(keyLength).prefix(ivLength))
        switch mode {
        case .none: return bytes
        case .ctr: return try KeyDecryption.ctr(bytes, key: key, iv: iv)
        case .cbc: return try KeyDecryption.cbc(bytes, key: key, iv: iv)
        case .gcm: return try KeyDecryption.gcm(bytes, tag: tag, key: key, iv: iv)
        }
    }
}
