import Fluent
import UnityAlerts
import Vapor

struct AlertDTO: Content, APIExample {
    var id: UUID
    var rule: String
    var source: String
    var severity: String
    var status: String
    var resourceType: String
    var resourceId: String
    var resourceName: String
    var message: String
    var value: Double
    var firedAt: Date?
    var resolvedAt: Date?

    init(_ alert: AlertState) {
        id = alert.id; rule = alert.ruleName; source = alert.source.rawValue; severity = alert.severity.rawValue
        status = alert.status.rawValue; resourceType = alert.resource.type; resourceId = alert.resource.id
        resourceName = alert.resource.name; message = alert.message; value = alert.value
        firedAt = alert.firedAt; resolvedAt = alert.resolvedAt
    }

    private init() {
        id = UUID(); rule = "SSH host key changed"; source = "infrastructure"; severity = "critical"; status = "firing"
        resourceType = "server"; resourceId = UUID().uuidString; resourceName = "nas"; message = "…"; value = 1.5
        firedAt = Date(); resolvedAt = Date()
    }

    static var example: AlertDTO { .init() }
    static var allowedValues: [String: [String]] {
        ["status": AlertStatus.allCases.map(\.rawValue), "severity": AlertSeverity.allCases.map(\.rawValue),
         "source": AlertSource.allCases.map(\.rawValue)]
    }
}

/// `GET /api/v1/alerts`: newest first; pending alerts (condition not yet held long enough) are not shown.
enum AlertsController {
    static let queryParameters: [QueryParameter] = QueryParameter.paging + [
        .init(name: "status", kind: .string, description: "firing, acknowledged or resolved"),
    ]

    static func list(_ request: Request) async throws -> Page<AlertDTO> {
        let paging = try PageRequest(request)
        let query = StoredAlert.query(on: request.db).filter(\.$status != AlertStatus.pending.rawValue)
        if let status = request.query[String.self, at: "status"] {
            guard let value = AlertStatus(rawValue: status), value != .pending else {
                throw APIError.validation("status", "expected firing, acknowledged or resolved")
            }
            query.filter(\.$status == value.rawValue)
        }
        let total = try await query.count()
        let rows = try await query.sort(\.$firedAt, .descending).range(paging.offset..<(paging.offset + paging.perPage)).all()
        return Page(items: rows.compactMap(\.alertState).map(AlertDTO.init), page: paging.page, perPage: paging.perPage, total: total)
    }
}
