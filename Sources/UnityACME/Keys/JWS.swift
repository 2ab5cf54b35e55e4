import Crypto
import Foundation

/// RFC 7515 flattened JSON serialization, as ACME requires (RFC 8555 §6.2).
struct FlattenedJWS: Encodable, Sendable {
    var protected: String
    var payload: String
    var signature: String

    /// Who the server should take the signer to be: a new key (`jwk`, for newAccount and
    /// revocation by certificate key) or an existing account (`kid`).
    enum Signer {
        case jwk
        case kid(String)
    }

    /// `payload == nil` is POST-as-GET: the payload is the empty string, not `{}` (RFC 8555 §6.3).
    static func sign(key: ACMEAccountKey, signer: Signer, nonce: String?, url: String,
                     payload: Data?) throws -> FlattenedJWS {
        var header = #"{"alg":"\#(key.algorithm)""#
        switch signer {
        case .jwk: header += #","jwk":\#(try key.publicJWKJSON())"#
        case .kid(let kid): header += #","kid":\#(jsonString(kid))"#
        }
        if let nonce { header += #","nonce":\#(jsonString(nonce))"# }
        header += #","url":\#(jsonString(url))}"#
        let protected = Base64URL.encode(header)
        let payloadText = payload.map { Base64URL.encode($0) } ?? ""
        let signature = try key.sign(Data("\(protected).\(payloadText)".utf8))
        return FlattenedJWS(protected: protected, payload: payloadText, signature: Base64URL.encode(signature))
    }

    /// External Account Binding (RFC 8555 §7.3.4): an HS256 JWS over the account's public JWK,
    /// keyed with the MAC key the CA handed out (ZeroSSL, Google, Pebble's EAB mode).
    static func externalAccountBinding(accountKey: ACMEAccountKey, keyID: String, macKey: Data,
                                       url: String) throws -> FlattenedJWS {
        let header = #"{"alg":"HS256","kid":\#(jsonString(keyID)),"url":\#(jsonString(url))}"#
        let protected = Base64URL.encode(header)
        let payload = Base64URL.encode(try accountKey.publicJWKJSON())
        let mac = HMAC<SHA256>.authenticationCode(
            for: Data("\(protected).\(payload)".utf8), using: SymmetricKey(data: macKey))
        return FlattenedJWS(protected: protected, payload: payload, signature: Base64URL.encode(Data(mac)))
    }

    func jsonData() throws -> Data {
        try JSONEncoder().encode(self)
    }

    /// A JSON string literal; JSONEncoder escapes whatever a URL or kid could contain.
    static func jsonString(_ value: String) -> String {
        guard let data = try? JSONEncoder().encode(value), let text = String(data: data, encoding: .utf8) else {
            return "\"\""
        }
        return text
    }
}
