import AsyncHTTPClient
import Foundation
import NIOCore

/// A client for step-ca's provisioner sign API, for homelabs that run smallstep's CA and want
/// certificates without ACME challenges: `POST /1.0/sign` (X.509, CSR + one-time token) and
/// `POST /1.0/ssh/sign` (SSH certificates). The HTTPClient is the caller's and must trust the
/// CA's root (see `ACMEHTTPClientFactory.make(trustRootsPEM:)`).
public struct StepCAClient: Sendable {
    public struct SignedCertificate: Sendable, Equatable {
        public var certificatePEM: String
        public var chainPEM: [String]
    }

    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// step-ca's JSON error (`{"status": 401, "message": "..."}`) or the raw body.
        case rejected(status: Int, message: String)
        case malformedResponse(String)

        public var description: String {
            switch self {
            case .rejected(let status, let message): "step-ca answered \(status): \(message)"
            case .malformedResponse(let what): "malformed step-ca response: \(what)"
            }
        }
    }

    public let baseURL: String
    public let token: StepCAToken
    let transport: HTTPTransport

    public init(baseURL: String, token: StepCAToken, httpClient: HTTPClient) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.token = token
        self.transport = HTTPTransport(client: httpClient)
    }

    /// Signs a CSR (PEM) for `names`; the token's `sans` must match the CSR or step-ca refuses.
    public func sign(csrPEM: String, subject: String, sans: [String], notAfter: Date? = nil) async throws -> SignedCertificate {
        let url = baseURL + "/1.0/sign"
        var body: [String: Any] = ["csr": csrPEM, "ott": try token.make(subject: subject, audience: url, extra: ["sans": sans])]
        if let notAfter { body["notAfter"] = ISO8601DateFormatter().string(from: notAfter) }
        let object = try await post(url, body)
        guard let crt = object["crt"] as? String else { throw Failure.malformedResponse("no crt") }
        let chain = object["certChain"] as? [String] ?? [object["ca"] as? String].compactMap { $0 }
        return SignedCertificate(certificatePEM: crt, chainPEM: chain)
    }

    /// Signs an SSH public key (authorized_keys form). Returns the certificate as an
    /// authorized_keys-style line (`<type>-cert-v01@openssh.com <base64>`).
    public func signSSH(publicKey: String, certType: String, keyID: String, principals: [String],
                        validAfter: Date? = nil, validBefore: Date? = nil) async throws -> String {
        let url = baseURL + "/1.0/ssh/sign"
        let fields = publicKey.split(separator: " ")
        guard fields.count >= 2, let wire = Data(base64Encoded: String(fields[1])) else {
            throw Failure.malformedResponse("public key is not in authorized_keys form")
        }
        let format = ISO8601DateFormatter()
        var ssh: [String: Any] = ["certType": certType, "keyID": keyID, "principals": principals]
        if let validAfter { ssh["validAfter"] = format.string(from: validAfter) }
        if let validBefore { ssh["validBefore"] = format.string(from: validBefore) }
        // step-ca's JSON carries the key as []byte: base64 of the SSH wire encoding.
        var body = ssh
        body["publicKey"] = wire.base64EncodedString()
        body["ott"] = try token.make(subject: keyID, audience: url, extra: ["step": ["ssh": ssh]])
        let object = try await post(url, body)
        guard let crt = object["crt"] as? String else { throw Failure.malformedResponse("no crt") }
        return "\(fields[0])-cert-v01@openssh.com \(crt)"
    }

    private func post(_ url: String, _ body: [String: Any]) async throws -> [String: Any] {
        let data = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
        let result = try await transport.send(.POST, url, body: data, headers: [("Content-Type", "application/json")])
        let object = (try? JSONSerialization.jsonObject(with: result.body)) as? [String: Any]
        guard (200..<300).contains(result.status) else {
            throw Failure.rejected(status: result.status, message: object?["message"] as? String ?? result.text)
        }
        guard let object else { throw Failure.malformedResponse(result.text) }
        return object
    }
}
