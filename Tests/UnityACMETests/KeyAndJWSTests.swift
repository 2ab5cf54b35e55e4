import Crypto
import Foundation
import Testing
@testable import UnityACME

@Suite("Account keys, JWK and JWS")
struct KeyAndJWSTests {
    @Test("P-256 JWK is canonical (sorted members, no spaces) and its thumbprint is SHA-256 of exactly that")
    func p256JWK() throws {
        let key = ACMEAccountKey.generateP256()
        let jwk = try key.publicJWKJSON()
        #expect(jwk.hasPrefix(#"{"crv":"P-256","kty":"EC","x":""#))
        #expect(!jwk.contains(" "))
        #expect(try key.thumbprint() == Base64URL.encode(SHA256.hash(data: Data(jwk.utf8))))
        #expect(key.algorithm == "ES256")
    }

    @Test("ES256 flattened JWS: header members, POST-as-GET empty payload, signature verifies as raw r||s")
    func es256Signature() throws {
        guard case .p256(let privateKey) = ACMEAccountKey.generateP256() else { return }
        let key = ACMEAccountKey.p256(privateKey)
        let jws = try FlattenedJWS.sign(key: key, signer: .kid("https://ca/acct/1"), nonce: "n1",
                                        url: "https://ca/order/1", payload: nil)
        #expect(jws.payload == "")
        let header = String(decoding: Base64URL.decode(jws.protected) ?? Data(), as: UTF8.self)
        #expect(header == #"{"alg":"ES256","kid":"https:\/\/ca\/acct\/1","nonce":"n1","url":"https:\/\/ca\/order\/1"}"#
            || header == #"{"alg":"ES256","kid":"https://ca/acct/1","nonce":"n1","url":"https://ca/order/1"}"#)
        let signature = try P256.Signing.ECDSASignature(rawRepresentation: Base64URL.decode(jws.signature) ?? Data())
        #expect(privateKey.publicKey.isValidSignature(signature, for: Data("\(jws.protected).".utf8)))
    }

    @Test("newAccount JWS carries the jwk and no kid")
    func jwkSigner() throws {
        let key = ACMEAccountKey.generateP256()
        let jws = try FlattenedJWS.sign(key: key, signer: .jwk, nonce: "n", url: "u", payload: Data("{}".utf8))
        let header = String(decoding: Base64URL.decode(jws.protected) ?? Data(), as: UTF8.self)
        #expect(header.contains(#""jwk":\#(try key.publicJWKJSON())"#))
        #expect(!header.contains("kid"))
        #expect(jws.payload == "e30")
    }

    @Test("EAB: HS256 over the account JWK with the decoded MAC key")
    func externalAccountBinding() throws {
        let key = ACMEAccountKey.generateP256()
        let mac = Data((0..<32).map { UInt8($0) })
        let eab = try FlattenedJWS.externalAccountBinding(accountKey: key, keyID: "kid-9", macKey: mac, url: "https://ca/new-acct")
        #expect(Base64URL.decode(eab.payload).map { String(decoding: $0, as: UTF8.self) } == (try key.publicJWKJSON()))
        let header = String(decoding: Base64URL.decode(eab.protected) ?? Data(), as: UTF8.self)
        #expect(header.contains(#""alg":"HS256""#) && header.contains(#""kid":"kid-9""#))
        let expected = HMAC<SHA256>.authenticationCode(for: Data("\(eab.protected).\(eab.payload)".utf8),
                                                        using: SymmetricKey(data: mac))
        #expect(eab.signature == Base64URL.encode(Data(expected)))
    }

    @Test("RFC 7638 §3.1 thumbprint example")
    func rfc7638Vector() {
        let jwk = #"{"e":"AQAB","kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"}"#
        #expect(Base64URL.encode(SHA256.hash(data: Data(jwk.utf8))) == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs")
    }

    @Test("PEM and private JWK export/import round-trip for P-256 and RSA keep the same public key")
    func roundTrips() throws {
        for key in [ACMEAccountKey.generateP256(), try ACMEAccountKey.generateRSA(bits: 2048)] {
            let fromPEM = try ACMEAccountKey(pem: key.pemRepresentation)
            #expect(try fromPEM.thumbprint() == key.thumbprint())
            let fromJWK = try ACMEAccountKey(privateJWK: try key.privateJWKJSON())
            #expect(try fromJWK.thumbprint() == key.thumbprint())
            #expect(fromJWK.algorithm == key.algorithm)
        }
        #expect(throws: ACMEError.self) { try ACMEAccountKey(pem: "-----BEGIN NOTHING-----") }
        #expect(throws: ACMEError.self) { try ACMEAccountKey.generateRSA(bits: 1024) }
    }

    @Test("Key authorization pieces: dns-01 TXT is base64url(SHA-256(keyAuthorization)), paths and names")
    func challengeTask() {
        let task = ChallengeTask(type: "dns-01", domain: "lab.test", isWildcard: true, token: "tok",
                                 keyAuthorization: "tok.thumb")
        #expect(task.dnsRecordName == "_acme-challenge.lab.test.")
        #expect(task.dnsTXTValue == Base64URL.encode(SHA256.hash(data: Data("tok.thumb".utf8))))
        #expect(task.dnsTXTValue.count == 43)
        #expect(task.httpPath == "/.well-known/acme-challenge/tok")
    }

    @Test("base64url: no padding, URL alphabet, decodes padded and standard input")
    func base64url() {
        #expect(Base64URL.encode(Data([0xfb, 0xff])) == "-_8")
        #expect(Base64URL.decode("-_8") == Data([0xfb, 0xff]))
        #expect(Base64URL.decode("+/8=") == Data([0xfb, 0xff]))
        #expect(Base64URL.decode("a") == nil)
    }
}
