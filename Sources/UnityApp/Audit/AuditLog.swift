import Fluent
import Foundation
import Vapor

/// Writes audit events. Used by the middleware for every mutating request and directly for events
/// that are not requests (scheduled tasks, start-up, CLI commands).
enum AuditLog {
    struct Entry: Sendable {
        var actorType: String
        var actorID: UUID?
        var actorName: String?
        var action: String
        var targetType: String?
        var targetID: String?
        var outcome: String
        var statusCode: Int?
        var clientAddress: String?
        var userAgent: String?
        var requestID: String?
        var details: [String: String] = [:]
    }

    static func record(_ entry: Entry, on database: any Database) async throws {
        let event = AuditEvent()
        event.occurredAt = Date()
        event.actorType = entry.actorType
        event.actorID = entry.actorID
        event.actorName = entry.actorName
        event.action = entry.action
        event.targetType = entry.targetType
        event.targetID = entry.targetID
        event.outcome = entry.outcome
        event.statusCode = entry.statusCode
        event.clientAddress = entry.clientAddress
        event.userAgent = entry.userAgent.map { String($0.prefix(300)) }
        event.requestID = entry.requestID
        let json = try JSONSerialization.data(withJSONObject: entry.details, options: [.sortedKeys])
        event.details = String(decoding: json, as: UTF8.self)
        try await event.create(on: database)
    }

    static func outcome(for status: HTTPResponseStatus) -> String {
        switch status.code {
        case 200..<400: "success"
        case 401, 403, 429: "denied"
        default: "failure"
        }
    }
}
