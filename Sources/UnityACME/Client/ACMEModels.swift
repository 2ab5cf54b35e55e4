import Foundation

/// Well-known directory URLs. Any other RFC 8555 directory (step-ca, Pebble, Smallstep, Buypass…)
/// works through `ACMEDirectoryURL.custom`.
public enum ACMEDirectoryURL {
    public static let letsEncrypt = "https://acme-v02.api.letsencrypt.org/directory"
    public static let letsEncryptStaging = "https://acme-staging-v02.api.letsencrypt.org/directory"
    /// ZeroSSL requires External Account Binding (kid + HMAC key from its dashboard or API).
    public static let zeroSSL = "https://acme.zerossl.com/v2/DV90"
}

public struct ACMEDirectory: Sendable, Codable, Equatable {
    public struct Meta: Sendable, Codable, Equatable {
        public var termsOfService: String?
        public var website: String?
        public var caaIdentities: [String]?
        public var externalAccountRequired: Bool?
    }

    public var newNonce: String
    public var newAccount: String
    public var newOrder: String
    public var revokeCert: String?
    public var keyChange: String?
    public var newAuthz: String?
    /// RFC 9773 (ARI); absent on servers without it (e.g. Pebble 2.4).
    public var renewalInfo: String?
    public var meta: Meta?
}

public struct ACMEIdentifier: Sendable, Codable, Hashable {
    public var type: String
    public var value: String

    public init(type: String = "dns", value: String) {
        self.type = type
        self.value = value
    }

    public static func dns(_ name: String) -> ACMEIdentifier { .init(type: "dns", value: name) }
    public static func ip(_ address: String) -> ACMEIdentifier { .init(type: "ip", value: address) }
}

public struct ACMEAccount: Sendable, Codable, Equatable {
    public var status: String
    public var contact: [String]?
    public var orders: String?
    /// The account URL (`kid`), from the Location header. Store it with the sealed key.
    public var url: String = ""

    enum CodingKeys: String, CodingKey { case status, contact, orders }
}

public struct ACMEOrder: Sendable, Codable, Equatable {
    public var status: String
    public var expires: String?
    public var identifiers: [ACMEIdentifier]
    public var authorizations: [String]
    public var finalize: String
    public var certificate: String?
    public var error: ACMEProblem?
    /// The order URL, from the Location header of newOrder.
    public var url: String = ""

    enum CodingKeys: String, CodingKey {
        case status, expires, identifiers, authorizations, finalize, certificate, error
    }
}

public struct ACMEChallenge: Sendable, Codable, Equatable {
    public var type: String
    public var url: String
    public var status: String
    public var token: String?
    public var validated: String?
    public var error: ACMEProblem?
}

public struct ACMEAuthorization: Sendable, Codable, Equatable {
    public var identifier: ACMEIdentifier
    public var status: String
    public var expires: String?
    public var challenges: [ACMEChallenge]
    public var wildcard: Bool?
    public var url: String = ""

    enum CodingKeys: String, CodingKey { case identifier, status, expires, challenges, wildcard }

    /// The first failed challenge's error: the reason to show when the authorization is invalid.
    public var failure: ACMEProblem? { challenges.compactMap(\.error).first }
}

/// Revocation reasons (RFC 5280 §5.3.1) that ACME servers accept.
public enum ACMERevocationReason: Int, Sendable, Codable {
    case unspecified = 0
    case keyCompromise = 1
    case superseded = 4
    case cessationOfOperation = 5
}
