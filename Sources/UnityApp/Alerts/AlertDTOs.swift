import Foundation
import UnityAlerts
import Vapor

struct AlertDTO: Content, APIExample {
    var id: UUID
    var ruleId: UUID
    var rule: String
    var source: String
    var severity: String
    var status: String
    var resourceType: String
    var resourceId: String
    var resourceName: String
    var serverId: String?
    var message: String
    var value: Double
    var triggerValue: Double?
    var firedAt: Date?
    var lastEvaluatedAt: Date
    var acknowledgedBy: String?
    var acknowledgedAt: Date?
    var acknowledgementNote: String?
    var untilValueChanges: Bool?
    var snoozedUntil: Date?
    var resolvedAt: Date?
    var resolvedBy: String?

    init(_ alert: AlertState) {
        id = alert.id; ruleId = alert.ruleID; rule = alert.ruleName; source = alert.source.rawValue
        severity = alert.severity.rawValue; status = alert.status.rawValue
        resourceType = alert.resource.type; resourceId = alert.resource.id; resourceName = alert.resource.name
        serverId = alert.resource.server; message = alert.message; value = alert.value; triggerValue = alert.triggerValue
        firedAt = alert.firedAt; lastEvaluatedAt = alert.lastEvaluatedAt
        acknowledgedBy = alert.acknowledgement?.by; acknowledgedAt = alert.acknowledgement?.at
        acknowledgementNote = alert.acknowledgement?.note; untilValueChanges = alert.acknowledgement?.untilValueChanges
        snoozedUntil = alert.snoozedUntil; resolvedAt = alert.resolvedAt
        resolvedBy = switch alert.resolution {
        case .user(let user): user
        case .automatic: "automatic"
        case .ruleDisabled: "rule disabled"
        case nil: nil
        }
    }

    static var example: AlertDTO {
        var alert = AlertState(id: UUID(), ruleID: UUID(), ruleName: "Filesystem almost full", source: .infrastructure,
                               resource: ResourceRef(type: "filesystem", id: "srv:/", name: "nas /", serverID: UUID().uuidString),
                               severity: .warning, status: .acknowledged, firedAt: Date(), lastEvaluatedAt: Date(),
                               acknowledgement: Acknowledgement(by: "admin", at: Date(), note: "cleaning up", untilValueChanges: true, value: 91.5),
                               snoozedUntil: Date(), resolvedAt: Date(), resolution: .user("admin"), value: 91.5, triggerValue: 86.2,
                               message: "nas / is 91.5% full")
        alert.notified = true
        return AlertDTO(alert)
    }

    static var allowedValues: [String: [String]] {
        ["status": AlertStatus.allCases.filter { $0 != .pending }.map(\.rawValue), "severity": AlertSeverity.allCases.map(\.rawValue),
         "source": AlertSource.allCases.map(\.rawValue)]
    }
}

struct AcknowledgeBody: Content, APIExample {
    var note: String?
    /// Fire again as soon as the value changes (a growing error counter is news; the same count is not).
    var untilValueChanges: Bool?
    static var example: AcknowledgeBody { .init(note: "replacing the disk on Saturday", untilValueChanges: true) }
}

struct SnoozeBody: Content, APIExample {
    var until: Date?
    var minutes: Int?
    static var example: SnoozeBody { .init(until: Date().addingTimeInterval(3_600), minutes: 60) }

    func end(now: Date) throws -> Date {
        switch (until, minutes) {
        case (let until?, nil): return until
        case (nil, let minutes?):
            guard (1...(366 * 24 * 60)).contains(minutes) else { throw APIError.validation("minutes", "expected 1 to 527040") }
            return now.addingTimeInterval(Double(minutes) * 60)
        default: throw APIError.validation("until", "give either until (a time) or minutes")
        }
    }
}

struct BulkAlertActionBody: Content, APIExample {
    var action: String
    var ids: [UUID]
    var note: String?
    var untilValueChanges: Bool?
    var until: Date?
    var minutes: Int?
    static var example: BulkAlertActionBody {
        .init(action: "acknowledge", ids: [UUID()], note: "known", untilValueChanges: false, until: Date(), minutes: 30)
    }
    static var allowedValues: [String: [String]] { ["action": ["acknowledge", "snooze", "resolve"]] }
}

struct AlertActionResultDTO: Content, APIExample {
    struct Rejected: Content { var id: UUID; var reason: String }
    var updated: [AlertDTO]
    var rejected: [Rejected]
    static var example: AlertActionResultDTO { .init(updated: [.example], rejected: [.init(id: UUID(), reason: "already resolved")]) }
}

struct MaintenanceDTO: Content, APIExample {
    var global: Bool
    var serverIds: [String]
    static var example: MaintenanceDTO { .init(global: false, serverIds: [UUID().uuidString.lowercased()]) }
}
