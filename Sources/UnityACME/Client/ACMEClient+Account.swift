import Foundation

/// External Account Binding credentials (RFC 8555 §7.3.4), e.g. from ZeroSSL's dashboard.
public struct ExternalAccountBinding: Sendable {
    public var keyID: String
    public var macKey: Data

    /// - Parameter macKey: the HMAC key as the CA shows it (base64url; standard base64 also accepted).
    public init(keyID: String, macKey: String) throws {
        guard let data = Base64URL.decode(macKey), !data.isEmpty else {
            throw ACMEError.invalidKey("EAB HMAC key is not base64url")
        }
        self.keyID = keyID
        self.macKey = data
    }
}

extension ACMEClient {
    /// newAccount (§7.3). Returns the existing account when the key is already registered.
    @discardableResult
    public func register(contact: [String] = [], termsOfServiceAgreed: Bool,
                         externalAccountBinding: ExternalAccountBinding? = nil) async throws -> ACMEAccount {
        let url = try await directory().newAccount
        var payload: [String: Any] = ["termsOfServiceAgreed": termsOfServiceAgreed]
        if !contact.isEmpty { payload["contact"] = contact }
        if let eab = externalAccountBinding {
            let jws = try FlattenedJWS.externalAccountBinding(
                accountKey: accountKey, keyID: eab.keyID, macKey: eab.macKey, url: url)
            payload["externalAccountBinding"] = try JSONSerialization.jsonObject(with: jws.jsonData())
        }
        return try await newAccount(url: url, payload: payload)
    }

    /// newAccount with `onlyReturnExisting` (§7.3.1): finds the account of this key, or throws
    /// `accountDoesNotExist`.
    @discardableResult
    public func lookUpAccount() async throws -> ACMEAccount {
        let url = try await directory().newAccount
        return try await newAccount(url: url, payload: ["onlyReturnExisting": true])
    }

    /// The account object, fetched with POST-as-GET.
    public func fetchAccount() async throws -> ACMEAccount {
        guard let accountURL else { throw ACMEError.noAccount }
        var account = try Self.decode(ACMEAccount.self, try await postAsGet(accountURL))
        account.url = accountURL
        return account
    }

    /// Deactivates the account (§7.3.6); the CA refuses any further request signed by it.
    public func deactivateAccount() async throws {
        guard let accountURL else { throw ACMEError.noAccount }
        _ = try await post(accountURL, payload: try Self.json(["status": "deactivated"]))
    }

    /// Rolls the account over to `newKey` (§7.3.5). On success this client signs with `newKey`:
    /// the app must seal and store the new key before discarding the old one.
    public func changeKey(to newKey: ACMEAccountKey) async throws {
        guard let accountURL else { throw ACMEError.noAccount }
        guard let url = try await directory().keyChange else {
            throw ACMEError.missingDirectoryEntry("keyChange")
        }
        let inner: [String: Any] = [
            "account": accountURL,
            "oldKey": try JSONSerialization.jsonObject(with: Data(try accountKey.publicJWKJSON().utf8)),
        ]
        // The inner JWS is signed by the new key, carries its jwk, and has no nonce (§7.3.5).
        let innerJWS = try FlattenedJWS.sign(key: newKey, signer: .jwk, nonce: nil, url: url,
                                             payload: try Self.json(inner))
        _ = try await post(url, payload: try innerJWS.jsonData())
        replaceAccountKey(newKey)
    }

    private func newAccount(url: String, payload: [String: Any]) async throws -> ACMEAccount {
        let result = try await post(url, payload: try Self.json(payload), signer: .jwk)
        guard let location = result.headers.first(name: "Location") else {
            throw ACMEError.missingHeader("Location")
        }
        var account = try Self.decode(ACMEAccount.self, result)
        account.url = location
        setAccountURL(location)
        return account
    }
}
