import Fluent
import UnityCore
import Vapor

/// Sign-in throttling that holds under parallel requests and across replicas: an attempt reserves
/// a slot in the database *before* its password is checked, so within the window no more guesses
/// are verified than there are slots, however many arrive at once. Three limits apply:
/// a username from one client address (`UNITY_LOGIN_MAX_FAILURES`, so a remote guesser locks out
/// only itself, not the admin at home), a username from all addresses together (the higher
/// `UNITY_LOGIN_MAX_FAILURES_PER_USER_TOTAL`, so spreading guesses over addresses stays bounded),
/// and one address across usernames (`UNITY_LOGIN_MAX_FAILURES_PER_ADDRESS`). A successful sign-in
/// gives its slots back; a failed one keeps them until the window has passed.
///
/// The client address is the socket's peer: `X-Forwarded-For` is not trusted (a client could set it).
enum LoginThrottle {
    enum Decision {
        case proceed(Reservation)
        case wait(seconds: Int)
    }

    /// The slots one attempt holds while its password is checked.
    struct Reservation: Sendable {
        let slotIDs: [UUID]

        /// The attempt does not count: it succeeded, or no password was checked.
        func release(on database: any Database) async throws {
            guard !slotIDs.isEmpty else { return }
            try await LoginAttemptSlot.query(on: database).filter(\.$id ~~ slotIDs).delete()
        }
    }

    struct Scope {
        var key: String
        var limit: Int
    }

    /// Keys are hashes: fixed-size for the unique index, whatever length the username has.
    static func scopes(username: String, address: String?, config: AppConfig) -> [Scope] {
        var scopes = [
            Scope(key: SecureToken.hash("user+address\n\(username)\n\(address ?? "unknown")"), limit: config.loginMaxFailuresPerUser),
            Scope(key: SecureToken.hash("user\n\(username)"), limit: config.loginMaxFailuresPerUserTotal),
        ]
        if let address { scopes.append(Scope(key: SecureToken.hash("address\n\(address)"), limit: config.loginMaxFailuresPerAddress)) }
        return scopes
    }

    /// A slot in every scope, or how long to wait (and no slot held).
    static func reserve(username: String, address: String?, config: AppConfig, on database: any Database, now: Date = Date()) async throws -> Decision {
        let window = TimeInterval(config.loginThrottleWindow)
        let since = now.addingTimeInterval(-window)
        // Every attempt sweeps the whole table, so slots of scopes nobody tries again do not stay.
        try await LoginAttemptSlot.query(on: database).filter(\.$reservedAt < since).delete()
        var held: [UUID] = []
        for scope in scopes(username: username, address: address, config: config) {
            guard let id = try await take(scope, since: since, now: now, on: database) else {
                try await Reservation(slotIDs: held).release(on: database)
                let oldest = try await LoginAttemptSlot.query(on: database).filter(\.$scopeKey == scope.key)
                    .filter(\.$reservedAt >= since).sort(\.$reservedAt, .ascending).first()?.reservedAt ?? now
                return .wait(seconds: max(1, Int(oldest.addingTimeInterval(window).timeIntervalSince(now).rounded(.up))))
            }
            held.append(id)
        }
        return .proceed(Reservation(slotIDs: held))
    }

    /// Inserts a free slot number (0 ..< limit). The unique index on (scope_key, slot) refuses a slot
    /// another request or replica took first, on SQLite and PostgreSQL alike, without a transaction or
    /// lock; each refusal means one more slot is taken, so `limit + 1` tries settle it. The slot is
    /// picked at random among the free ones so that a burst does not fight over the lowest number.
    private static func take(_ scope: Scope, since: Date, now: Date, on database: any Database) async throws -> UUID? {
        for _ in 0...scope.limit {
            let rows = try await LoginAttemptSlot.query(on: database).filter(\.$scopeKey == scope.key).all()
            let busy = Set(rows.filter { $0.reservedAt >= since }.map(\.slot))
            guard let free = (0..<scope.limit).filter({ !busy.contains($0) }).randomElement() else { return nil }
            // A row left in this slot has expired (a sweep racing this one): it no longer counts.
            let expired = rows.filter { $0.slot == free }.compactMap(\.id)
            if !expired.isEmpty { try await LoginAttemptSlot.query(on: database).filter(\.$id ~~ expired).delete() }
            let slot = LoginAttemptSlot(scopeKey: scope.key, slot: free, reservedAt: now)
            do {
                try await slot.create(on: database)
                return try slot.requireID()
            } catch let error as any DatabaseError where error.isConstraintFailure {
                continue
            }
        }
        return nil
    }
}
