import Fluent
import Foundation
import UnityAlerts
import UnityContainers

/// Containers' alert keys and default rules, and the observations one discovery produces. Every
/// discovery reports every live container (0 when fine, so alerts resolve), the containers it
/// found removed (0 for every key), and the host (1 when the discovery failed). A failed discovery
/// says nothing about the containers: missing data is not "all clear".
enum ContainerAlerts {
    static let unhealthy = "container.unhealthy"
    static let restarts10m = "container.restarts_10m"
    static let restarts1h = "container.restarts_1h"
    static let exitedUnexpectedly = "container.exited_unexpectedly"
    static let oomKilled = "container.oom_killed"
    static let engineUnreachable = "container_host.unreachable"

    static let containerKeys = [unhealthy, restarts10m, restarts1h, exitedUnexpectedly, oomKilled]

    static let metrics: [AlertMetric] = [
        .init(key: unhealthy, kind: .metric, source: .containers, resourceType: "container", unit: "1 unhealthy, 0 otherwise", summary: "A running container's health check fails"),
        .init(key: restarts10m, kind: .metric, source: .containers, resourceType: "container", unit: "restarts", summary: "Restarts in the last 10 minutes (restart count deltas between discoveries)"),
        .init(key: restarts1h, kind: .metric, source: .containers, resourceType: "container", unit: "restarts", summary: "Restarts in the last hour (restart count deltas between discoveries)"),
        .init(key: exitedUnexpectedly, kind: .metric, source: .containers, resourceType: "container", unit: "1 exited, 0 otherwise", summary: "Exited with a non-zero code although its restart policy is not `no`"),
        .init(key: oomKilled, kind: .metric, source: .containers, resourceType: "container", unit: "1 OOM-killed, 0 otherwise", summary: "The kernel killed the container's process for lack of memory"),
        .init(key: engineUnreachable, kind: .metric, source: .containers, resourceType: "container_host", unit: "1 failed, 0 discovered", summary: "The host's last container discovery failed (engine unreachable or refusing)"),
    ]

    /// N restarts in M minutes: N is the rule's threshold, M the metric the rule watches (10 min or 1 h).
    static let rules: [AlertRule] = [
        AlertRule(id: AlertCatalogue.ruleID(30), name: "Container unhealthy", source: .containers, trigger: .metric(unhealthy),
                  comparison: .greaterOrEqual, threshold: 1, severity: .warning, messageTemplate: "{{resource}} is unhealthy"),
        AlertRule(id: AlertCatalogue.ruleID(31), name: "Container restart loop", source: .containers, trigger: .metric(restarts10m),
                  comparison: .greaterOrEqual, threshold: 3, clearThreshold: 0, severity: .warning,
                  messageTemplate: "{{resource}} restarted {{value}} times in 10 minutes"),
        AlertRule(id: AlertCatalogue.ruleID(32), name: "Container exited unexpectedly", source: .containers, trigger: .metric(exitedUnexpectedly),
                  comparison: .greaterOrEqual, threshold: 1, severity: .warning),
        AlertRule(id: AlertCatalogue.ruleID(33), name: "Container OOM-killed", source: .containers, trigger: .metric(oomKilled),
                  comparison: .greaterOrEqual, threshold: 1, severity: .critical),
        AlertRule(id: AlertCatalogue.ruleID(34), name: "Container engine unreachable", source: .containers, trigger: .metric(engineUnreachable),
                  comparison: .greaterOrEqual, threshold: 1, severity: .critical),
    ]

    /// The hook `ContainerDiscovery.run` calls after every discovery, successful or not.
    static func afterDiscovery(_ host: ContainerHostRecord, alerts: AlertPipeline, database: any Database, now: Date) async throws {
        let hostID = try host.requireID()
        var tags: Set<String> = []
        if let serverID = host.serverID, let server = try await MonitoredServer.find(serverID, on: database) {
            tags = Set(JSONList.decode(server.tags))
        }
        var observations = hostObservations(host, tags: tags, at: now)
        if host.status == ContainerHostRecord.Status.up.rawValue, let discovered = host.lastDiscoveredAt {
            let rows = try await ContainerRecord.query(on: database).filter(\.$hostID == hostID).all()
            let live = rows.filter { $0.removedAt == nil }
            let restarts = try await ContainerRestartWindows.record(
                try live.map { (id: try $0.requireID(), restartCount: $0.restartCount, created: $0.created) }, now: now, on: database)
            // Removed by this discovery (same moment, give or take the database's precision).
            let removed = rows.filter { $0.removedAt.map { $0 >= discovered.addingTimeInterval(-1) } == true }
            observations += try containerObservations(host, live: live, removed: removed, restarts: restarts, tags: tags, at: now)
        }
        try await alerts.observe(observations)
    }

    /// The hook the event watch calls for each change it recorded: an OOM kill and a health change
    /// raise (or clear) their alert at once; the next discovery observes the rows as usual.
    static func afterEvent(_ recorded: ContainerEventHistory.Recorded, host: ContainerHostRecord, alerts: AlertPipeline,
                           database: any Database, now: Date) async throws {
        let name = "\(host.name)/\(recorded.container.name)"
        let observed: (key: String, value: Double, detail: String?)
        switch recorded.kind {
        case .oom: observed = (oomKilled, 1, "\(name) was killed for lack of memory (OOM)")
        case .healthChanged:
            let sick = recorded.detail?.hasSuffix("→unhealthy") == true
            observed = (unhealthy, sick ? 1 : 0, sick ? "\(name) is running but its health check fails" : nil)
        default: return
        }
        var tags: Set<String> = []
        if let serverID = host.serverID, let server = try await MonitoredServer.find(serverID, on: database) {
            tags = Set(JSONList.decode(server.tags))
        }
        let resource = ResourceRef(type: "container", id: try recorded.container.requireID().uuidString, name: name, serverID: host.serverID?.uuidString)
        try await alerts.observe([Observation(resource: resource, tags: tags, key: observed.key, value: observed.value, detail: observed.detail, at: now)])
    }

    static func hostObservations(_ host: ContainerHostRecord, tags: Set<String>, at: Date) -> [Observation] {
        guard let id = host.id, host.status != ContainerHostRecord.Status.pending.rawValue else { return [] }
        let resource = ResourceRef(type: "container_host", id: id.uuidString, name: host.name, serverID: host.serverID?.uuidString)
        let failed = host.status != ContainerHostRecord.Status.up.rawValue
        let detail = failed ? "Container engine on \(host.name) cannot be discovered: \(host.lastErrorMessage ?? host.lastErrorCode ?? host.status)" : nil
        return [Observation(resource: resource, tags: tags, key: engineUnreachable, value: failed ? 1 : 0, detail: detail, at: at)]
    }

    /// Pure: the rows as stored after a discovery, the restarts per window (`ContainerRestartWindows.windows` order).
    static func containerObservations(_ host: ContainerHostRecord, live: [ContainerRecord], removed: [ContainerRecord],
                                      restarts: [UUID: [Int]], tags: Set<String>, at: Date) throws -> [Observation] {
        var out: [Observation] = []
        func resource(_ row: ContainerRecord) throws -> ResourceRef {
            ResourceRef(type: "container", id: try row.requireID().uuidString, name: "\(host.name)/\(row.name)", serverID: host.serverID?.uuidString)
        }
        for row in removed {
            let ref = try resource(row)
            out += containerKeys.map { Observation(resource: ref, tags: tags, key: $0, value: 0, at: at) }
        }
        for row in live {
            let ref = try resource(row)
            func observe(_ key: String, _ value: Double, _ detail: String? = nil) {
                out.append(Observation(resource: ref, tags: tags, key: key, value: value, detail: detail, at: at))
            }
            let sick = row.state == "running" && row.health == "unhealthy"
            observe(unhealthy, sick ? 1 : 0, sick ? "\(ref.name) is running but its health check fails" : nil)
            let counts = restarts[try row.requireID()] ?? []
            observe(restarts10m, Double(counts.first ?? 0), "\(ref.name) restarted \(counts.first ?? 0) times in 10 minutes (restart count \(row.restartCount))")
            observe(restarts1h, Double(counts.dropFirst().first ?? 0), "\(ref.name) restarted \(counts.dropFirst().first ?? 0) times in the last hour (restart count \(row.restartCount))")
            let policy = row.restartPolicy ?? "no"
            let exited = (row.state == "exited" || row.state == "dead") && (row.exitCode ?? 0) != 0 && policy != "no"
            observe(exitedUnexpectedly, exited ? 1 : 0,
                    exited ? "\(ref.name) exited with exit code \(row.exitCode ?? 0) although its restart policy is \(policy)" : nil)
            observe(oomKilled, row.oomKilled ? 1 : 0, row.oomKilled ? "\(ref.name) was killed for lack of memory (OOM)" : nil)
        }
        return out
    }
}
