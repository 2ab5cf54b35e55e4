import Foundation

/// The `openssh-key-v1` container (PROTOCOL.key in OpenSSH), plain or encrypted with bcrypt_pbkdf + AES.
/// swift-nio-ssh cannot read these files, so Unity parses them itself.
enum OpenSSHKeyFormat {
    static let magic = Array("openssh-key-v1".utf8) + [0]
    static let header = "-----BEGIN OPENSSH PRIVATE KEY-----"
    static let footer = "-----END OPENSSH PRIVATE KEY-----"
    /// ssh-keygen's default is 16; far more only makes an import (an admin request) take minutes.
    static let maximumKDFRounds: UInt32 = 1024

    static func parse(_ text: String, passphrase: String?) throws(SSHError) -> SSHPrivateKey {
        let body = text.replacingOccurrences(of: header, with: "").replacingOccurrences(of: footer, with: "")
            .filter { !$0.isWhitespace }
        guard let data = Data(base64Encoded: body) else { throw .invalidKey("body is not base64") }
        var reader = SSHWireReader(Array(data))
        guard try reader.readBytes(count: magic.count) == magic else { throw .invalidKey("missing openssh-key-v1 magic") }
        let cipher = try OpenSSHKeyCipher(name: try reader.readText())
        let kdfName = try reader.readText()
        let kdfOptions = try reader.readString()
        guard try reader.readUInt32() == 1 else { throw .invalidKey("expected exactly one key") }
        let publicBlob = try reader.readString()
        let stored = try reader.readString()
        let tag = try reader.readBytes(count: cipher.tagLength)

        let plain: [UInt8]
        if cipher.mode == .none {
            plain = stored
        } else {
            guard let passphrase else { throw .passphraseRequired }
            let keyAndIV = try deriveKey(kdfName: kdfName, options: kdfOptions, passphrase: passphrase,
                                         byteCount: cipher.keyLength + cipher.ivLength)
            plain = try cipher.decrypt(stored, tag: tag, keyAndIV: keyAndIV)
        }
        var section = SSHWireReader(plain)
        // Two equal random integers: after a wrong decryption they differ (1 in 2^32 chance otherwise).
        guard try section.readUInt32() == section.readUInt32() else {
            throw cipher.mode == .none ? .invalidKey("check integers differ") : .wrongPassphrase
        }
        let type = try section.readText()
        let backing = try OpenSSHPrivateSection.read(type: type, from: &section)
        let comment = try section.readText()
        try checkPadding(&section)
        let key = SSHPrivateKey(backing: backing, comment: comment)
        // The file carries the public key twice; a mismatch means a corrupt or spliced file.
        guard key.publicBlob == publicBlob else { throw .keyMismatch }
        return key
    }

    private static func deriveKey(
        kdfName: String, options: [UInt8], passphrase: String, byteCount: Int
    ) throws(SSHError) -> [UInt8] {
        guard kdfName == "bcrypt" else { throw .unsupportedKey("key derivation \(kdfName)") }
        var reader = SSHWireReader(options)
        let salt = try reader.readString()
        let rounds = try reader.readUInt32()
        guard rounds <= maximumKDFRounds else {
            throw .unsupportedKey("\(rounds) bcrypt rounds (at most \(maximumKDFRounds)); re-encrypt it with `ssh-keygen -p -a 16`")
        }
        guard let key = BcryptPBKDF.deriveKey(passphrase: Array(passphrase.utf8), salt: salt,
                                              rounds: Int(rounds), byteCount: byteCount) else {
            throw .invalidKey("bad bcrypt parameters")
        }
        return key
    }

    /// The section ends with padding bytes 1, 2, 3, … up to the cipher block size.
    private static func checkPadding(_ section: inout SSHWireReader) throws(SSHError) {
        var expected: UInt8 = 1
        while !section.isAtEnd {
            guard try section.readBytes(count: 1) == [expected] else { throw .invalidKey("bad padding") }
            expected &+= 1
        }
    }

    /// Writes an unencrypted openssh-key-v1 file, as `ssh-keygen -N ''` does.
    static func serialize(_ key: SSHPrivateKey) -> String {
        var section = SSHWireWriter()
        let check = UInt32.random(in: .min ... .max)
        section.write(check)
        section.write(check)
        section.writeString(key.algorithm)
        OpenSSHPrivateSection.write(key.backing, to: &section)
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
}
