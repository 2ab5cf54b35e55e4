import Foundation

/// What the client learnt about a registry's authentication, so a known registry gets its
/// `Authorization` on the first request instead of after a 401 round trip.
actor RegistryTokenCache {
    enum Scheme: Sendable, Equatable {
        case basic
        case bearer(realm: String, service: String?)
    }

    struct Key: Hashable {
        var realm: String
        var service: String
        var scope: String
    }

    private struct Entry {
        var token: String
        var expires: Date
    }

    private var schemes: [String: Scheme] = [:]
    private var tokens: [Key: Entry] = [:]
    /// Token requests made (tests and metrics; never the tokens).
    private(set) var tokenRequests = 0

    func scheme(forRegistry registry: String) -> Scheme? { schemes[registry] }

    func remember(_ scheme: Scheme, forRegistry registry: String) { schemes[registry] = scheme }

    func token(for key: Key, now: Date) -> String? {
        guard let entry = tokens[key] else { return nil }
        guard entry.expires > now else {
            tokens[key] = nil
            return nil
        }
        return entry.token
    }

    /// Kept until `expiresIn` minus a margin (a tenth, at most 10 s) so a token never expires in flight.
    func store(_ token: String, for key: Key, expiresIn: Int, now: Date) {
        let lifetime = Double(expiresIn)
        tokens[key] = Entry(token: token, expires: now.addingTimeInterval(lifetime - min(10, lifetime / 10)))
        if tokens.count > 4096 { tokens = tokens.filter { $0.value.expires > now } }
    }

    func forget(_ key: Key) { tokens[key] = nil }

    func countTokenRequest() { tokenRequests += 1 }
}
