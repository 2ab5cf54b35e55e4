import Crypto
import Foundation
import NIOConcurrencyHelpers

/// A real token service for distribution's `auth.token` (the Docker token spec): `GET /token?service=…
/// &scope=repository:NAME:ACTIONS[&account=…]`, Basic credentials optional, answering a JWT the
/// registry verifies. distribution 2.8 checks: `alg` ES256 with the signing certificate in the `x5c`
/// header (a chain to a cert in its `rootcertbundle`; here the self-signed cert itself), `iss` = its
/// `issuer`, `aud` = its `service`, `exp`/`nbf` (60 s leeway), and the `access` claim's
/// `{type, name, actions}` covering the request.
///
/// Grants: anonymous callers get `pull` on repositories under `public/`; `username`/`password` get what
/// they ask for everywhere; wrong credentials get a 401 (as Docker Hub's and GitLab's token services do).
public final class TestTokenServer: Sendable {
    public static let issuer = "unity-test-token-server"
    public static let service = "unity-test-registry"

    public let http: TestHTTPServer
    public let certificatePEM: String
    public let username: String
    public let password: String
    /// Seconds each token lives (`expires_in`).
    public let lifetime: Int

    /// - Parameters: key and certificate PEM of the signing key (made with openssl by `TestRegistry`).
    init(keyPEM: String, certificatePEM: String, username: String, password: String, lifetime: Int = 300) throws {
        let key = try P256.Signing.PrivateKey(pemRepresentation: keyPEM)
        let certificateDER = try Self.der(fromPEM: certificatePEM)
        self.certificatePEM = certificatePEM
        self.username = username
        self.password = password
        self.lifetime = lifetime
        let expected = "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
        http = try TestHTTPServer.start { request in
            guard request.path == "/token" else { return TestHTTPServer.Response(status: 404) }
            let authorization = request.header("Authorization")
            if let authorization, authorization != expected {
                return .json(["errors": [["code": "UNAUTHORIZED", "message": "wrong credentials"]]], status: 401)
            }
            let authenticated = authorization != nil
            let access: [[String: Any]] = request.query("scope").compactMap { scope in
                let parts = scope.split(separator: ":")
                guard parts.count == 3, parts[0] == "repository" else { return nil }
                let name = String(parts[1])
                let asked = parts[2].split(separator: ",").map(String.init)
                let granted = authenticated ? asked : (name.hasPrefix("public/") ? asked.filter { $0 == "pull" } : [])
                return ["type": "repository", "name": name, "actions": granted]
            }
            guard let token = try? Self.jwt(key: key, certificateDER: certificateDER, subject: authenticated ? username : "",
                                            access: access, lifetime: lifetime) else {
                return TestHTTPServer.Response(status: 500)
            }
            // Both spellings, as Docker Hub does; `access_token` is what OAuth2-style services send.
            return .json(["token": token, "access_token": token, "expires_in": lifetime,
                          "issued_at": ISO8601DateFormatter().string(from: Date())])
        }
    }

    public var realm: String { "http://localhost:\(http.port)/token" }

    /// Token requests served (anonymous and credentialed).
    public var tokenRequestCount: Int { http.requests.filter { $0.path == "/token" }.count }

    static func jwt(key: P256.Signing.PrivateKey, certificateDER: Data, subject: String,
                    access: [[String: Any]], lifetime: Int) throws -> String {
        let now = Int(Date().timeIntervalSince1970)
        let header: [String: Any] = ["alg": "ES256", "typ": "JWT", "x5c": [certificateDER.base64EncodedString()]]
        let claims: [String: Any] = ["iss": issuer, "sub": subject, "aud": service, "iat": now, "nbf": now - 5,
                                     "exp": now + lifetime, "jti": UUID().uuidString, "access": access]
        let signingInput = try base64URL(JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])) + "."
            + base64URL(JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys]))
        let signature = try key.signature(for: Data(signingInput.utf8))
        return signingInput + "." + base64URL(signature.rawRepresentation)
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func der(fromPEM pem: String) throws -> Data {
        let body = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        guard let data = Data(base64Encoded: body) else { throw RegistryTestSupportError("certificate PEM is not base64") }
        return data
    }
}
