import Foundation

/// Which Unity feature an alert belongs to. The `system` source is Unity watching itself
/// (a failing notification channel, a stuck scheduler).
public enum AlertSource: String, Sendable, Codable, CaseIterable {
    case credentials, infrastructure, containers, system
}


public enum AlertSeverity: String, Sendable, Codable, CaseIterable, Comparable {
    case info, warning, critical

    private var rank: Int {
        switch self {
        case .info: 0
        case .warning: 1
        case .critical: 2
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }
}


/// What an alert is about. `key` (type + id) is the identity used for dedupe; `name` is only for
/// people and may change between evaluations without creating a new alert.
public struct ResourceRef: Sendable, Codable, Hashable {
    public var type: String
    public var id: String
    public var name: String
    /// The server the resource lives on, so per-server maintenance covers its disks, pools and
    /// containers. A server resource is its own server (see `server`).
    public var serverID: String?

    public init(type: String, id: String, name: String, serverID: String? = nil) {
        self.type = type
        self.id = id
        self.name = name
        self.serverID = serverID
    }

    public var key: String { "\(type):\(id)" }

    /// The server this resource counts as for maintenance mode.
    public var server: String? { serverID ?? (type == "server" ? id : nil) }
}


/// One value a collector produced for one resource. Metric rules compare `value`; event rules
/// treat every observation of their key as an occurrence and compare its `value` the same way
/// (producers send e.g. 1 for "renewal failed" and 0 for "renewal succeeded").
public struct Observation: Sendable, Codable, Hashable {
    public var resource: ResourceRef
    public var tags: Set<String>
    public var key: String
    public var value: Double
    /// Free text from the producer ("pool tank is DEGRADED"), used as the alert message if set.
    public var detail: String?
    public var at: Date

    public init(resource: ResourceRef, tags: Set<String> = [], key: String, value: Double, detail: String? = nil, at: Date) {
        self.resource = resource
        self.tags = tags
        self.key = key
        self.value = value
        self.detail = detail
        self.at = at
    }
}


/// Maintenance mode: alerts are still evaluated and recorded, only notifications are held back.
public struct Maintenance: Sendable, Codable, Hashable {
    public var global: Bool
    public var servers: Set<String>

    public init(global: Bool = false, servers: Set<String> = []) {
        self.global = global
        self.servers = servers
    }

    public static let none = Maintenance()

    public func covers(_ resource: ResourceRef) -> Bool {
        if global { return true }
        guard let server = resource.server else { return false }
        return servers.contains(server)
    }
}
