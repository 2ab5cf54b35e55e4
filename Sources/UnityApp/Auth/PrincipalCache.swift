import Foundation
import NIOConcurrencyHelpers

/// Resolved bearer credentials, kept for a few seconds.
///
/// Resolving an API key or access token costs two or three database queries, which at API rates
/// is most of a request's work. Entries live `ttl` seconds; revoking a key, disabling or
/// changing a user, or changing a password clears the cache in this process at once. Another
/// replica notices within `ttl`: the price of not asking the database on every request.
final class PrincipalCache: Sendable {
    private struct Entry {
        let principal: Principal
        let expires: Date
    }

    private let entries = NIOLockedValueBox<[String: Entry]>([:])
    let ttl: TimeInterval
    let capacity: Int

    init(ttl: TimeInterval = 5, capacity: Int = 10_000) {
        self.ttl = ttl
        self.capacity = capacity
    }

    /// `key` is the SHA-256 of the bearer credential, never the credential itself.
    func principal(for key: String, now: Date = Date()) -> Principal? {
        entries.withLockedValue { entries in
            guard let entry = entries[key] else { return nil }
            guard entry.expires > now else {
                entries.removeValue(forKey: key)
                return nil
            }
            return entry.principal
        }
    }

    func store(_ principal: Principal, for key: String, now: Date = Date()) {
        entries.withLockedValue { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = Entry(principal: principal, expires: now.addingTimeInterval(ttl))
        }
    }

    func removeAll() {
        entries.withLockedValue { $0.removeAll() }
    }
}
