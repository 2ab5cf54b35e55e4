import Crypto
import _CryptoExtras
import Foundation
import SwiftASN1

/// Private JWK export and import (RFC 7517/7518), so accounts can move to and from clients such as
/// lego, certbot or acme.sh that store the account key as a JWK.
extension ACMEAccountKey {
    public func privateJWKJSON() throws -> String {
        switch self {
        case .p256(let key):
            let raw = key.publicKey.rawRepresentation
            let members = [
                ("crv", "P-256"), ("d", Base64URL.encode(key.rawRepresentation)), ("kty", "EC"),
                ("x", Base64URL.encode(raw.prefix(32))), ("y", Base64URL.encode(raw.suffix(32))),
            ]
            return Self.jsonObject(members)
        case .rsa(let key):
            // swift-crypto exposes the private primitives only through PKCS#1 DER.
            let der = try DER.parse(Array(key.derRepresentation))
            guard case .constructed(let nodes) = der.content else {
                throw ACMEError.invalidKey("RSA key DER is not a SEQUENCE")
            }
            let ints = try nodes.map { try ArraySlice<UInt8>(derEncoded: $0) }
            guard ints.count >= 9 else { throw ACMEError.invalidKey("RSA key DER is too short") }
            func b64(_ i: Int) -> String { Base64URL.encode(ints[i].drop { $0 == 0 }) }
            let members = [
                ("d", b64(3)), ("dp", b64(6)), ("dq", b64(7)), ("e", b64(2)), ("kty", "RSA"),
                ("n", b64(1)), ("p", b64(4)), ("q", b64(5)), ("qi", b64(8)),
            ]
            return Self.jsonObject(members)
        }
    }

    public init(privateJWK json: String) throws {
        guard let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
              let kty = object["kty"] as? String
        else { throw ACMEError.invalidKey("not a JWK object") }
        func member(_ name: String) throws -> Data {
            guard let text = object[name] as? String, let data = Base64URL.decode(text) else {
                throw ACMEError.invalidKey("JWK lacks \(name)")
            }
            return data
        }
        switch kty {
        case "EC":
            guard object["crv"] as? String == "P-256" else { throw ACMEError.invalidKey("only P-256 EC keys") }
            self = .p256(try P256.Signing.PrivateKey(rawRepresentation: try member("d")))
        case "RSA":
            self = .rsa(try _RSA.Signing.PrivateKey(
                n: try member("n"), e: try member("e"), d: try member("d"),
                p: try member("p"), q: try member("q")))
        default:
            throw ACMEError.invalidKey("unsupported kty \(kty)")
        }
    }

    private static func jsonObject(_ members: [(String, String)]) -> String {
        "{" + members.map { #""\#($0.0)":"\#($0.1)""# }.joined(separator: ",") + "}"
    }
}
