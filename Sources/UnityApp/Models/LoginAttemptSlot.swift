import Fluent
import Foundation

/// One sign-in attempt that may still count against a throttle: slot `slot` (0 ..< limit) of the
/// throttle `scopeKey` (a SHA-256 of what the limit is about: username and address, username, or
/// address). The unique index on (scope_key, slot) is what makes a reservation atomic across
/// requests and replicas: two requests cannot both take the last free slot.
final class LoginAttemptSlot: Model, @unchecked Sendable {
    static let schema = "login_attempt_slots"

    @ID(key: .id) var id: UUID?
    @Field(key: "scope_key") var scopeKey: String
    @Field(key: "slot") var slot: Int
    @Field(key: "reserved_at") var reservedAt: Date

    init() {}

    init(scopeKey: String, slot: Int, reservedAt: Date) {
        self.scopeKey = scopeKey
        self.slot = slot
        self.reservedAt = reservedAt
    }
}
