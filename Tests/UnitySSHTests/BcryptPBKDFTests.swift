import Foundation
import UnitySSHTestSupport
import Testing
@testable import UnitySSH

/// OpenBSD's regression vectors for bcrypt_pbkdf (regress/lib/libutil/bcrypt_pbkdf), which every
/// independent implementation reproduces.
struct BcryptPBKDFTests {
    static let vectors: [(passphrase: [UInt8], salt: [UInt8], rounds: Int, key: String)] = [
        (bytes("password"), bytes("salt"), 4, "5bbf0cc293587f1c3635555c27796598d47e579071bf427e9d8fbe842aba34d9"),
        (bytes("password"), [0], 4, "c12b566235eee04c212598970a579a67"),
        ([0], bytes("salt"), 4, "6051be18c2f4f82cbf0efee5471b4bb9"),
        (bytes("password") + [0], bytes("salt") + [0], 4, "7410e44cf4fa07bfaac8a928b1727fac001375e7bf7384370f48efd121743050"),
        (bytes("pass") + [0] + bytes("wor"), bytes("sa") + [0] + bytes("l"), 4, "c2bffd9db38f6569efef4372f4de83c0"),
        (bytes("pass") + [0] + bytes("word"), bytes("sa") + [0] + bytes("lt"), 4, "4ba4ac3925c0e8d7f0cdb6bb1684a56f"),
        (bytes("password"), bytes("salt"), 8,
         "e1367ec5151a33faac4cc1c144cd23fa15d5548493ecc99b9b5d9c0d3b27bec76227ea66088b849b20ab7aa478010246e74bba51723fefa9f9474d6508845e8d"),
        (bytes("password"), bytes("salt"), 42, "833cf0dcf56db65608e8f0dc0ce882bd"),
        (bytes("Lorem ipsum dolor sit amet, consectetur adipisicing elit, sed do eiusmod tempor incididunt ut labore et "
            + "dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea "
            + "commodo consequat. Duis aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat "
            + "nulla pariatur. Excepteur sint occaecat cupidatat non proident, sunt in culpa qui officia deserunt mollit "
            + "anim id est laborum."), bytes("salis") + [0], 8, "10978b07253df57f71a162eb0e8ad30a"),
    ]

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test(arguments: vectors.indices)
    func openBSDVector(index: Int) {
        let vector = Self.vectors[index]
        let key = BcryptPBKDF.deriveKey(passphrase: vector.passphrase, salt: vector.salt, rounds: vector.rounds,
                                        byteCount: vector.key.count / 2)
        #expect(key.map { $0.map { String(format: "%02x", $0) }.joined() } == vector.key)
    }

    @Test func refusesWhatOpenBSDRefuses() {
        #expect(BcryptPBKDF.deriveKey(passphrase: [], salt: [1], rounds: 1, byteCount: 16) == nil)
        #expect(BcryptPBKDF.deriveKey(passphrase: [1], salt: [], rounds: 1, byteCount: 16) == nil)
        #expect(BcryptPBKDF.deriveKey(passphrase: [1], salt: [1], rounds: 0, byteCount: 16) == nil)
        #expect(BcryptPBKDF.deriveKey(passphrase: [1], salt: [1], rounds: 1, byteCount: 0) == nil)
        #expect(BcryptPBKDF.deriveKey(passphrase: [1], salt: [1], rounds: 1, byteCount: 32 * 32 + 1) == nil)
    }

    /// EVP_BytesToKey (MD5, one iteration), checked against `openssl enc -P`.
    @Test(.enabled(if: KeyTools.enabled)) func legacyPEMKeyDerivationMatchesOpenSSL() throws {
        let output = try Shell.run(KeyTools.openssl, ["enc", "-aes-256-cbc", "-P", "-md", "md5", "-pass", "pass:unity pass",
                                                      "-S", "0011223344556677"])
        let expected = output.split(whereSeparator: \.isNewline).first { $0.hasPrefix("key=") }.map { String($0.dropFirst(4)) }
        let key = LegacyPEMEncryption.bytesToKey(passphrase: Self.bytes("unity pass"),
                                                 salt: [0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77], count: 32)
        #expect(expected?.lowercased() == key.map { String(format: "%02x", $0) }.joined())
    }
}
