import Foundation
import X509

extension ACMEClient {
    /// revokeCert (§7.6). Signed by the account by default; pass the certificate's own key as
    /// `certificateKey` to revoke without the account that ordered it (signed with `jwk`).
    public func revoke(certificatePEM: String, reason: ACMERevocationReason = .unspecified,
                       certificateKey: ACMEAccountKey? = nil) async throws {
        guard let url = try await directory().revokeCert else {
            throw ACMEError.missingDirectoryEntry("revokeCert")
        }
        let leaf = try CertificateInfo.leafDER(pem: certificatePEM)
        let payload = try Self.json(["certificate": Base64URL.encode(leaf), "reason": reason.rawValue])
        if let certificateKey {
            _ = try await post(url, payload: payload, signer: .jwk, key: certificateKey)
        } else {
            _ = try await post(url, payload: payload)
        }
    }

    /// The CA's renewal window for a certificate (RFC 9773), or nil when the CA has no ARI.
    /// This is an unauthenticated GET; the app should re-ask after `retryAfter`.
    public func renewalInfo(certificatePEM: String) async throws -> RenewalInfo? {
        guard let base = try await directory().renewalInfo else { return nil }
        let id = try RenewalInfo.certificateID(pem: certificatePEM)
        let url = base.hasSuffix("/") ? base + id : base + "/" + id
        let result = try await transport.send(.GET, url)
        guard result.status == 200 else { throw Self.failure(result) }
        var info = try RenewalInfo.parse(result.body)
        info.retryAfter = result.retryAfter
        return info
    }
}
