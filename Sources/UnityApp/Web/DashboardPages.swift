import Fluent
import UnityAlerts
import UnityInfrastructure
import UnityParsers
import Vapor

/// `/` and its live alert panel `/dashboard/alerts`.
enum DashboardPages {
    static func dashboard(_ request: Request) async throws -> Response {
        let viewer = try request.webViewer()
        var model = DashboardModel()
        let servers = try await MonitoredServer.query(on: request.db).all()
        for server in servers {
            switch server.statusValue {
            case .online: model.serversUp += 1
            case .offline, .error: model.serversDown += 1
            default: model.serversOther += 1
            }
        }
        let names = Dictionary(servers.compactMap { server in server.id.map { ($0, server.name) } }) { first, _ in first }
        for row in try await ServerSnapshotRecord.query(on: request.db).all() {
            guard let id = row.id, let snapshot = row.hostSnapshot else { continue }
            model.attention += attention(in: snapshot, serverID: id, serverName: names[id] ?? id.uuidString)
        }
        model.activeAlerts = try await activeAlerts(request)
        if viewer.can(.admin) {
            let events = try await AuditEvent.query(on: request.db).sort(\.$occurredAt, .descending).limit(8).all()
            model.audit = try events.map(AuditEventDTO.init)
        }
        model.tasks = try await TasksController.list(request)
        return try WebLayout.respond(request, title: "Dashboard", section: .dashboard) { viewer in
            DashboardView.body(model, viewer: viewer)
        }
    }

    static func alertPanel(_ request: Request) async throws -> Response {
        let response = WebPage.html(DashboardView.alertPanel(try await activeAlerts(request)))
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    static func activeAlerts(_ request: Request) async throws -> [AlertDTO] {
        try await StoredAlert.query(on: request.db)
            .filter(\.$status ~~ [AlertStatus.firing.rawValue, AlertStatus.acknowledged.rawValue])
            .sort(\.$firedAt, .descending).limit(20).all()
            .compactMap(\.alertState).map(AlertDTO.init)
    }

    /// Disks, pools and arrays whose latest state asks for a human: a SMART verdict of warning or
    /// worse, a pool not ONLINE, an md array degraded, failed or rebuilding.
    static func attention(in snapshot: HostSnapshot, serverID: UUID, serverName: String) -> [DashboardModel.Attention] {
        var items: [DashboardModel.Attention] = []
        for disk in snapshot.smart where disk.assessment.level >= .warning {
            items.append(.init(serverID: serverID, serverName: serverName, kind: "disk", name: disk.slot,
                               state: disk.assessment.level.rawValue, detail: disk.assessment.reasons.joined(separator: "; ")))
        }
        for pool in snapshot.zpools {
            let state = pool.status?.state ?? pool.list?.health ?? .online
            guard !state.isHealthy else { continue }
            items.append(.init(serverID: serverID, serverName: serverName, kind: "ZFS pool", name: pool.name,
                               state: state.rawValue, detail: pool.status?.status ?? ""))
        }
        for array in snapshot.mdArrays {
            let degraded = array.status?.isDegraded == true || array.detail?.isDegraded == true
            let failed = array.detail?.isFailed == true
            let syncing = array.status?.progress.map { "\($0.action.rawValue) \(String(format: "%.1f", $0.percent ?? 0)) %" }
            guard degraded || failed || syncing != nil else { continue }
            items.append(.init(serverID: serverID, serverName: serverName, kind: "md array", name: array.name,
                               state: failed ? "failed" : degraded ? "degraded" : "syncing", detail: syncing ?? ""))
        }
        return items
    }
}
