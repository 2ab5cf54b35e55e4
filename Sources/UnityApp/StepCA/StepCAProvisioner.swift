import AsyncHTTPClient
import Foundation
import UnityACME
import UnityCore
import Vapor

/// The JWK provisioner's key: validated at creation, opened from the SecretBox (and, for step-ca's
/// `encryptedKey`, decrypted with the sealed password) only for the moment a token is signed.
enum StepCAProvisioner {
    /// The private key from a request: exactly one of `provisioner_jwk` or `encrypted_key` +
    /// `password`. Returns what to seal; errors name the field and never echo the secret.
    static func sealedMaterial(_ body: StepCAAuthorityBody) throws -> (key: String, password: String?) {
        let encrypted = body.encryptedKey.flatMap { $0.isEmpty ? nil : $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        switch (body.provisionerJwk, encrypted) {
        case (nil, nil), (.some, .some):
            throw APIError.validation("provisioner_jwk", "give exactly one of provisioner_jwk or encrypted_key with password")
        case (let jwk?, nil):
            return (try privateJWK(jwk).privateJWKJSON(), nil)
        case (nil, let jwe?):
            guard let password = body.password, !password.isEmpty else {
                throw APIError.validation("password", "is required with encrypted_key")
            }
            let plaintext: String
            do { plaintext = try StepCAEncryptedKey.decrypt(jwe, password: password) } catch StepCAEncryptedKey.Failure.wrongPassword {
                throw APIError.validation("password", "does not decrypt encrypted_key")
            } catch {
                throw APIError.validation("encrypted_key", "\(error)")
            }
            guard (try? ACMEAccountKey(privateJWK: plaintext)) != nil else {
                throw APIError.validation("encrypted_key", "does not contain a private EC P-256 or RSA JWK")
            }
            return (jwe, password)
        }
    }

    /// A private JWK given as an object or as JSON text.
    private static func privateJWK(_ value: JSONValue) throws -> ACMEAccountKey {
        let text: String
        switch value {
        case .string(let json): text = json
        case .object: text = String(decoding: (try? JSONEncoder().encode(value)) ?? Data(), as: UTF8.self)
        default: throw APIError.validation("provisioner_jwk", "a JWK object or its JSON text")
        }
        do { return try ACMEAccountKey(privateJWK: text) } catch {
            throw APIError.validation("provisioner_jwk", "a private EC P-256 (or RSA) JWK, with its d member")
        }
    }

    static func key(_ row: StepCAAuthorityRecord, secrets: SecretBox) throws -> ACMEAccountKey {
        var jwk = try StepCAAuthorityRecord.keyColumn.open(row.sealedProvisionerKey, id: row.requireID(), in: secrets)
        if let sealedPassword = row.sealedProvisionerPassword {
            let password = try StepCAAuthorityRecord.passwordColumn.open(sealedPassword, id: row.requireID(), in: secrets)
            jwk = try StepCAEncryptedKey.decrypt(jwk, password: password)
        }
        return try ACMEAccountKey(privateJWK: jwk)
    }

    /// A sign-API client that trusts exactly the pinned root; its HTTP client is shut down on every path.
    static func withClient<T>(_ row: StepCAAuthorityRecord, secrets: SecretBox,
                              _ body: (StepCAClient) async throws -> T) async throws -> T {
        let token: StepCAToken, http: HTTPClient
        do {
            token = StepCAToken(provisioner: row.provisionerName, key: try key(row, secrets: secrets), rootFingerprint: row.rootFingerprint)
            http = try ACMEHTTPClientFactory.make(trustRootsPEM: row.rootPEM, pinned: true)
        } catch {
            throw APIError.conflict("this step-ca's stored provisioner key or root cannot be used: \(error); add the CA again")
        }
        do {
            let value = try await body(StepCAClient(baseURL: row.url, token: token, httpClient: http))
            try? await http.shutdown()
            return value
        } catch {
            try? await http.shutdown()
            throw apiError(error)
        }
    }

    /// step-ca's refusals and unreachable CAs are 502 (the upstream failed), with step-ca's text.
    static func apiError(_ error: any Error) -> any Error {
        switch error {
        case is APIError:
            return error
        case let failure as StepCAClient.Failure:
            return APIError(status: .badGateway, code: "step_ca_error", message: failure.description)
        default:
            return APIError(status: .badGateway, code: "step_ca_unreachable", message: "step-ca could not be reached: \(error)")
        }
    }
}
