import Crypto

/// OpenBSD's bcrypt_pbkdf(3), the KDF of passphrase-protected openssh-key-v1 files.
/// It is PBKDF2-shaped, but each block is bcrypt_hash over SHA-512 digests, and the output bytes
/// are spread across blocks (stride) instead of concatenated, so a short key still needs every block.
enum BcryptPBKDF {
    private static let hashSize = 32
    /// bcrypt's magic plaintext, encrypted 64 times under the expanded state.
    private static let magic = Array("OxychromaticBlowfishSwatDynamite".utf8)

    /// nil for parameters bcrypt_pbkdf itself refuses (empty passphrase or salt, no rounds, oversized key).
    static func deriveKey(passphrase: [UInt8], salt: [UInt8], rounds: Int, byteCount: Int) -> [UInt8]? {
        guard rounds >= 1, !passphrase.isEmpty, !salt.isEmpty, byteCount > 0, byteCount <= hashSize * hashSize else {
            return nil
        }
        let stride = (byteCount + hashSize - 1) / hashSize
        let perBlock = (byteCount + stride - 1) / stride
        let hashedPassphrase = Array(SHA512.hash(data: passphrase))
        var key = [UInt8](repeating: 0, count: byteCount)
        var remaining = byteCount
        var count: UInt32 = 1
        while remaining > 0 {
            let counter = [UInt8(count >> 24 & 0xff), UInt8(count >> 16 & 0xff), UInt8(count >> 8 & 0xff), UInt8(count & 0xff)]
            var roundOutput = bcryptHash(hashedPassphrase, Array(SHA512.hash(data: salt + counter)))
            var block = roundOutput
            for _ in 0..<(rounds - 1) {
                roundOutput = bcryptHash(hashedPassphrase, Array(SHA512.hash(data: roundOutput)))
                for index in block.indices { block[index] ^= roundOutput[index] }
            }
            var written = 0
            for index in 0..<min(perBlock, remaining) {
                let destination = index * stride + Int(count - 1)
                if destination >= byteCount { break }
                key[destination] = block[index]
                written += 1
            }
            remaining -= written
            count += 1
        }
        return key
    }

    /// bcrypt_hash: eksblowfish keyed by the SHA-512 of passphrase and salt, then 64 encryptions of the magic.
    static func bcryptHash(_ hashedPassphrase: [UInt8], _ hashedSalt: [UInt8]) -> [UInt8] {
        var cipher = EksBlowfish()
        cipher.expand(key: hashedPassphrase, data: hashedSalt)
        for _ in 0..<64 {
            cipher.expand(key: hashedSalt, data: nil)
            cipher.expand(key: hashedPassphrase, data: nil)
        }
        var position = 0
        var words = (0..<(hashSize / 4)).map { _ in EksBlowfish.streamWord(magic, &position) }
        for _ in 0..<64 { cipher.encrypt(&words) }
        // bcrypt_pbkdf emits each word little-endian (unlike classic bcrypt).
        return words.flatMap { word in (0..<4).map { UInt8(word >> (8 * $0) & 0xff) } }
    }
}
