/// What a user may do. Ordered: every role can do what the roles below it can.
public enum Role: String, Codable, Sendable, CaseIterable, Comparable {
    case viewer
    case `operator`
    case admin

    private var rank: Int {
        switch self {
        case .viewer: 0
        case .operator: 1
        case .admin: 2
        }
    }

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }
}

/// What an API key may do. A key never exceeds its owner's role: the effective role of a request is
/// the lower of the two, so demoting a user also narrows every key they made.
public enum APIKeyScope: String, Codable, Sendable, CaseIterable {
    case read
    case write
    case admin

    public var grantedRole: Role {
        switch self {
        case .read: .viewer
        case .write: .operator
        case .admin: .admin
        }
    }
}
