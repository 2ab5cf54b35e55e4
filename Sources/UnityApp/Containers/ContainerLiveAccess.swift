import Fluent
import UnityContainers
import UnityCore
import Vapor

/// A container a live request (logs, stats, top, inspect) is about, once the caller may see it.
struct LiveContainer: Sendable {
    let row: ContainerRecord
    let host: ContainerHostRecord
    let sensitive: Bool
    let principal: Principal

    /// The role that may read this container's live state: viewers unless it is labelled sensitive.
    var requiredRole: Role { sensitive ? .operator : .viewer }
}

/// Who may read a container's live state, and the read audit. Containers labelled
/// `unity.sensitive=true` (a password manager, a database) keep their inventory row visible to
/// viewers, but their logs, stats, processes and inspect data need an operator: output and
/// inspect data of such services routinely carry secrets.
enum ContainerLiveAccess {
    static let sensitiveLabel = "unity.sensitive"

    static func isSensitive(_ labels: [String: String]) -> Bool {
        guard let value = labels[sensitiveLabel]?.lowercased() else { return false }
        return ["true", "1", "yes"].contains(value)
    }

    /// The container of the path (404 for unknown or removed ones); a viewer asking for a sensitive
    /// one gets 403, recorded in the audit log under the route's operation.
    static func resolve(_ request: Request) async throws -> LiveContainer {
        let row = try await ContainersController.find(request)
        guard row.removedAt == nil else { throw APIError.notFound("container") }
        guard let host = try await ContainerHostRecord.find(row.hostID, on: request.db) else { throw APIError.notFound("container host") }
        let live = LiveContainer(row: row, host: host, sensitive: isSensitive(row.labels), principal: try request.principal())
        guard live.principal.effectiveRole >= live.requiredRole else {
            await audit(request, live, outcome: .forbidden)
            throw APIError(status: .forbidden, code: "container_sensitive",
                           message: "container \(row.name) is labelled \(sensitiveLabel)=true: its logs, stats, processes and inspect data need the operator role")
        }
        return live
    }

    /// The live engine of `host`; engine failures become their API errors (503 when unreachable).
    static func engine(for host: ContainerHostRecord, _ request: Request) async throws -> any ContainerLiveEngine {
        let engine: any ContainerEngine
        do {
            engine = try await request.application.containerEngines.engine(for: host, application: request.application)
        } catch let error as ContainerEngineError {
            throw error.apiError
        }
        guard let live = engine as? any ContainerLiveEngine else {
            throw ContainerEngineError.transportUnavailable(endpoint: host.name, reason: "this engine client has no logs, stats or top").apiError
        }
        return live
    }

    /// Runs `body` against the engine, mapping engine errors (never a 500).
    static func onEngine<T>(_ live: LiveContainer, _ request: Request, _ body: (any ContainerLiveEngine) async throws -> T) async throws -> T {
        let engine = try await engine(for: live.host, request)
        do {
            return try await body(engine)
        } catch let error as ContainerEngineError {
            throw error.apiError
        }
    }

    /// The caller's credential, resolved again uncached, still names the same user with the role
    /// this container needs (open streams check it on every heartbeat).
    static func mayStillRead(_ request: Request, _ live: LiveContainer) async -> Bool {
        guard let current = try? await Authenticate.principal(of: request, cached: false) else { return false }
        return current.userID == live.principal.userID && current.effectiveRole >= live.requiredRole
    }

    /// An audit event for a safe (GET) request, which `AuditMiddleware` does not record: log reads,
    /// environment reveals and refusals. `details` must never hold log text or env values.
    static func audit(_ request: Request, _ live: LiveContainer, action: String? = nil, outcome status: HTTPResponseStatus,
                      details: [String: String] = [:]) async {
        let principal = live.principal
        var details = details
        details["method"] = request.method.rawValue
        details["name"] = live.row.name
        details["sensitive"] = String(live.sensitive)
        if let apiKey = principal.apiKeyID { details["api_key_id"] = apiKey.uuidString }
        let entry = AuditLog.Entry(
            actorType: principal.actorType, actorID: principal.userID, actorName: principal.username,
            action: action ?? request.route?.endpointDoc?.operation ?? "containers.live", targetType: "container",
            targetID: live.row.id?.uuidString, outcome: AuditLog.outcome(for: status), statusCode: Int(status.code),
            clientAddress: request.remoteAddress?.ipAddress, userAgent: request.headers.first(name: .userAgent),
            requestID: request.id, details: details)
        do {
            try await AuditLog.record(entry, on: request.db)
        } catch {
            request.logger.error("could not write audit event", metadata: ["action": "\(entry.action)", "error": "\(error)"])
        }
    }
}

/// Open live streams, bounded per user (tabs, a wall display; more would let one account pin
/// connections) and per container host (each stream holds one dial-stdio channel on the server's
/// SSH connection, whose sshd allows 10 sessions shared with collection and inventory).
final class ContainerLiveStreams: Sendable {
    static let perUser = 5
    static let perHost = 4

    private struct Slot { var user: UUID; var host: UUID }
    private let slots = LockedValue<[UUID: Slot]>([:])
    private let heartbeatValue = LockedValue<Duration>(.seconds(15))

    /// How often a stream writes a keep-alive (which also notices a client that went away) and
    /// re-checks the caller; tests shorten it.
    var heartbeat: Duration {
        get { heartbeatValue.withLock { $0 } }
        set { heartbeatValue.withLock { $0 = newValue } }
    }

    var openCount: Int { slots.withLock { $0.count } }

    /// A slot for a new stream, or 429 when the user or the host holds the most already.
    func claim(user: UUID, host: UUID) throws -> UUID {
        let id = UUID()
        let refusal: String? = slots.withLock { slots in
            if slots.values.filter({ $0.user == user }).count >= Self.perUser {
                return "at most \(Self.perUser) container streams may be open per user; close one first"
            }
            if slots.values.filter({ $0.host == host }).count >= Self.perHost {
                return "at most \(Self.perHost) container streams may be open per container host; close one first"
            }
            slots[id] = Slot(user: user, host: host)
            return nil
        }
        if let refusal { throw APIError(status: .tooManyRequests, code: "too_many_streams", message: refusal, headers: ["Retry-After": "15"]) }
        return id
    }

    func release(_ id: UUID) { _ = slots.withLock { $0.removeValue(forKey: id) } }
}

extension Application {
    private struct ContainerLiveStreamsKey: StorageKey { typealias Value = ContainerLiveStreams }

    /// Installed once while routes are registered (storage is not written from requests).
    var containerLiveStreams: ContainerLiveStreams {
        // Never missing after `routes(_:)`; a bare application (a command) gets a throwaway one.
        get { storage[ContainerLiveStreamsKey.self] ?? ContainerLiveStreams() }
        set { storage[ContainerLiveStreamsKey.self] = newValue }
    }
}
