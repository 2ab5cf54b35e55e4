import Foundation
import Testing
@testable import UnityCore

@Suite struct SecretBoxTests {
    let box = SecretBox(primary: .generate())

    @Test func sealedValuesOpenWithTheirPurposeOnly() throws {
        let sealed = try box.seal("hunter2-but-longer", purpose: "credentials.password")
        #expect(sealed.hasPrefix("unity:v1:\(box.primary.id):"))
        #expect(!sealed.contains("hunter2"))
        #expect(try box.openString(sealed, purpose: "credentials.password") == "hunter2-but-longer")
        #expect(throws: SecretBoxError.authenticationFailed(box.primary.id)) { try box.open(sealed, purpose: "credentials.sudo_password") }
    }

    @Test func everySealIsFreshAndTamperingIsDetected() throws {
        let one = try box.seal("same", purpose: "p"), two = try box.seal("same", purpose: "p")
        #expect(one != two)  // random nonce per seal
        var bytes = Array(one.utf8)
        bytes[bytes.count - 3] = bytes[bytes.count - 3] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        #expect(throws: SecretBoxError.self) { try box.open(String(decoding: bytes, as: UTF8.self), purpose: "p") }
        #expect(throws: SecretBoxError.malformed) { try box.open("plaintext", purpose: "p") }
    }

    @Test func anotherKeyIsRecognisedNotMisread() throws {
        let other = SecretBox(primary: .generate())
        let sealed = try other.seal("x", purpose: "p")
        #expect(throws: SecretBoxError.unknownKey(other.primary.id)) { try box.open(sealed, purpose: "p") }
        let both = SecretBox(primary: box.primary, others: [other.primary])
        #expect(try both.openString(sealed, purpose: "p") == "x")
        #expect(!both.isSealedWithPrimary(sealed))
    }

    @Test func keyIDsAreStableForAKey() throws {
        let key = MasterKey.generate()
        #expect(try MasterKey(base64: key.base64).id == key.id)
        #expect(key.id.count == 12)
    }
}

@Suite struct TokenAndPolicyTests {
    @Test func tokensAreLongRandomAndHashedStably() {
        let a = SecureToken.generate(prefix: "unity_"), b = SecureToken.generate(prefix: "unity_")
        #expect(a != b && a.count == 49)
        #expect(SecureToken.hash(a) == SecureToken.hash(a) && SecureToken.hash(a).count == 64)
        #expect(SecureToken.constantTimeEquals(a, a) && !SecureToken.constantTimeEquals(a, b))
        #expect(SecureToken.generatePassword().count == 20)
    }

    @Test func passwordPolicyIsLengthOnly() {
        let policy = PasswordPolicy()
        #expect(policy.problem(with: "short") != nil)
        #expect(policy.problem(with: "twelve chars") == nil)
        #expect(policy.problem(with: String(repeating: "x", count: 73)) != nil)
        #expect(PasswordPolicy(minimumLength: 8).problem(with: "8 chars!") == nil)
    }

    @Test func rolesAreOrderedAndScopesMapToRoles() {
        #expect(Role.viewer < .operator && Role.operator < .admin)
        #expect(APIKeyScope.read.grantedRole == .viewer && APIKeyScope.write.grantedRole == .operator)
    }
}
