import Foundation

/// step-ca's one-time token (OTT): a JWT signed by a JWK provisioner's private key. step-ca
/// checks `iss` (provisioner name), `aud` (the exact endpoint URL), `kid` (the JWK thumbprint),
/// a short `exp`, a unique `jti`, and `sha` (the root fingerprint the client trusts).
/// See smallstep's `authority/provisioner/jwk.go` and `token.go`.
public struct StepCAToken: Sendable {
    public var provisioner: String
    public var key: ACMEAccountKey
    public var rootFingerprint: String
    public var lifetime: TimeInterval = 300

    public init(provisioner: String, key: ACMEAccountKey, rootFingerprint: String) {
        self.provisioner = provisioner
        self.key = key
        self.rootFingerprint = rootFingerprint
    }

    /// - Parameters:
    ///   - audience: the full URL of the endpoint the token is for, e.g. `https://ca:9000/1.0/sign`.
    ///   - extra: claims beyond the registered ones (`sans`, or `step.ssh` for SSH certificates).
    public func make(subject: String, audience: String, extra: [String: Any] = [:], now: Date = Date()) throws -> String {
        let header: [String: Any] = ["alg": key.algorithm, "kid": try key.thumbprint(), "typ": "JWT"]
        var claims = extra
        claims["iss"] = provisioner
        claims["aud"] = audience
        claims["sub"] = subject
        claims["sha"] = rootFingerprint
        claims["jti"] = UUID().uuidString.lowercased()
        claims["iat"] = Int(now.timeIntervalSince1970)
        claims["nbf"] = Int(now.timeIntervalSince1970)
        claims["exp"] = Int(now.addingTimeInterval(lifetime).timeIntervalSince1970)
        let encodedHeader = Base64URL.encode(try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]))
        let encodedClaims = Base64URL.encode(try JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys]))
        let signingInput = "\(encodedHeader).\(encodedClaims)"
        return "\(signingInput).\(Base64URL.encode(try key.sign(Data(signingInput.utf8))))"
    }
}
