import Foundation
import Testing
@testable import UnityACME

/// step-ca's `encryptedKey` (PBES2-HS256+A128KW, A256GCM). The vector was made independently
/// with python `cryptography` (scripts/testbed/stepca_fake.py's `encrypt_jwk`), not with Unity.
@Suite struct StepCAEncryptedKeyTests {
    static let password = "correct horse battery staple"
    static let jwe = "eyJhbGciOiAiUEJFUzItSFMyNTYrQTEyOEtXIiwgImVuYyI6ICJBMjU2R0NNIiwgInAyYyI6IDEwMDAwMCwgInAycyI6ICIzcU8yM3FkQXZwMTZBNmFqNHZkNFRnIiwgImN0eSI6ICJqd2sranNvbiJ9"
        + ".CZOHiZGCHibkXnVqo885zgqhdhzZ1jlG0U4bx7rkJlS2EfbyAv8gEg.12uaoysjUg3gpsmR"
        + ".4ddFe4eHHroiDxPsttmcrbLfp0y9PQBk8LZmsLmJ4keitS7TV3pY14sXldcdoCBDzAW-zc1ItkyYvDG-quykHpPlx5pWYHUSsJGIsjGKgvLTD7Bg2eigQ2Sr"
        + "vJsl7z5M8iHXB1_F7boVoh7HV9cG4IGXRqvZyes8BtwtnTQv7q8yX4Ly8GodeO9tlp9fvKdbqxi0yD_AL2QBcDzXPuD9WEDLoSCKnlJUpwC2_noow2InqPWvFwUI2QI"
        + ".0PdUfacZU08tHIcINd7qHg"
    static let x = "2xAjnvU4cVlwdb-kutAfoH_JBA935KTJoRI8TZlpMHI"
    static let d = "FuKd5xo6CY8wMGnpPr3Eax5w4gNd8NGuGJRzLYdA0VA"

    @Test func decryptsToThePrivateJWK() throws {
        let plaintext = try StepCAEncryptedKey.decrypt(Self.jwe, password: Self.password)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(plaintext.utf8)) as? [String: String])
        #expect(object["d"] == Self.d && object["x"] == Self.x && object["kty"] == "EC")
        let key = try ACMEAccountKey(privateJWK: plaintext)
        #expect(try key.publicJWKJSON().contains(Self.x))
    }

    @Test func refusesWrongPasswordTamperingAndOtherAlgorithms() throws {
        #expect(throws: StepCAEncryptedKey.Failure.wrongPassword) { try StepCAEncryptedKey.decrypt(Self.jwe, password: "wrong") }
        var parts = Self.jwe.split(separator: ".").map(String.init)
        parts[3] = "A" + parts[3].dropFirst()
        #expect(throws: StepCAEncryptedKey.Failure.self) { try StepCAEncryptedKey.decrypt(parts.joined(separator: "."), password: Self.password) }
        let other = Base64URL.encode(#"{"alg":"dir","enc":"A256GCM"}"#)
        #expect(throws: StepCAEncryptedKey.Failure.self) { try StepCAEncryptedKey.decrypt(other + ".a.b.c.d", password: "x") }
        let expensive = Base64URL.encode(#"{"alg":"PBES2-HS256+A128KW","enc":"A256GCM","p2c":999999999,"p2s":"3qO23qdAvp16A6aj4vd4Tg"}"#)
        #expect(throws: StepCAEncryptedKey.Failure.malformed("p2s/p2c missing or out of range")) {
            try StepCAEncryptedKey.decrypt(expensive + ".a.b.c.d", password: "x")
        }
        #expect(throws: StepCAEncryptedKey.Failure.self) { try StepCAEncryptedKey.decrypt("a.b.c", password: "x") }
    }
}
