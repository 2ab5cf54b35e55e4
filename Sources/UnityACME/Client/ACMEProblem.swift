import Foundation

/// An RFC 7807 problem document returned by an ACME server (RFC 8555 §6.7).
/// `description` is the text the app shows in alerts: type, detail and every subproblem.
public struct ACMEProblem: Error, Sendable, Equatable, Codable, CustomStringConvertible {
    public struct Subproblem: Sendable, Equatable, Codable {
        public var type: String
        public var detail: String?
        public var identifier: ACMEIdentifier?
    }

    public var type: String
    public var detail: String?
    public var status: Int?
    public var subproblems: [Subproblem]?
    /// Seconds from the `Retry-After` header of the failing response (rate limits), when present.
    public var retryAfter: TimeInterval?

    public init(type: String, detail: String? = nil, status: Int? = nil,
                subproblems: [Subproblem]? = nil, retryAfter: TimeInterval? = nil) {
        self.type = type
        self.detail = detail
        self.status = status
        self.subproblems = subproblems
        self.retryAfter = retryAfter
    }

    /// The ACME error name without the `urn:ietf:params:acme:error:` prefix, e.g. `badNonce`.
    public var shortType: String {
        let prefix = "urn:ietf:params:acme:error:"
        return type.hasPrefix(prefix) ? String(type.dropFirst(prefix.count)) : type
    }

    public var isBadNonce: Bool { shortType == "badNonce" }

    public var description: String {
        var text = "\(shortType): \(detail ?? "no detail")"
        for sub in subproblems ?? [] {
            let subType = sub.type.replacingOccurrences(of: "urn:ietf:params:acme:error:", with: "")
            let who = sub.identifier.map { " [\($0.value)]" } ?? ""
            text += "; \(subType)\(who): \(sub.detail ?? "no detail")"
        }
        return text
    }
}

/// Failures that are not problem documents from the CA.
public enum ACMEError: Error, Sendable, Equatable, CustomStringConvertible {
    case http(status: Int, url: String, body: String)
    case malformedResponse(String)
    case missingHeader(String)
    case missingDirectoryEntry(String)
    case noAccount
    case unsupportedChallenge(identifier: String, offered: [String])
    case authorizationFailed(identifier: String, problem: ACMEProblem?)
    case orderFailed(status: String, problem: ACMEProblem?)
    case timeout(String)
    case invalidKey(String)
    case invalidCertificate(String)

    public var description: String {
        switch self {
        case .http(let status, let url, let body): "HTTP \(status) from \(url): \(body.prefix(300))"
        case .malformedResponse(let what): "malformed ACME response: \(what)"
        case .missingHeader(let name): "ACME response lacks the \(name) header"
        case .missingDirectoryEntry(let name): "the ACME directory has no \(name) entry"
        case .noAccount: "no ACME account URL: register or look the account up first"
        case .unsupportedChallenge(let id, let offered):
            "no configured solver for \(id); the CA offered \(offered.joined(separator: ", "))"
        case .authorizationFailed(let id, let problem):
            "authorization for \(id) failed: \(problem.map(\.description) ?? "no error given")"
        case .orderFailed(let status, let problem):
            "order is \(status): \(problem.map(\.description) ?? "no error given")"
        case .timeout(let what): "timed out waiting for \(what)"
        case .invalidKey(let why): "invalid key: \(why)"
        case .invalidCertificate(let why): "invalid certificate: \(why)"
        }
    }
}
