import Foundation

/// One document of `GET /events`, Docker's and Podman's compat shapes made one:
/// - Docker: `"Action": "health_status: unhealthy"`, exec actions with the command appended
///   (`"exec_start: /bin/sh -c false"`), `exitCode` among the actor's attributes on `die`, `oom`.
/// - Podman 4.3: `"Action": "health_status"` with the state in a top-level `HealthStatus`,
///   `exec_died`, `containerExitCode` on every event (only meaningful on `die`), no `oom` event.
/// The action is cut at the first ": " so it can be matched; what followed is `actionDetail`
/// (an exec command line is never needed for alerting and may hold secrets: callers should not log it).
public struct EngineEvent: Sendable, Equatable {
    /// "container", "image", "volume", "network", …
    public var type: String
    /// "start", "die", "oom", "health_status", "exec_start", …
    public var action: String
    public var actionDetail: String?
    public var actorID: String
    public var attributes: [String: String]
    public var time: Date?

    /// The container's name (`name` attribute), when the event is about a container.
    public var name: String? { attributes["name"] }
    public var image: String? { attributes["image"] }

    /// `die` events: the process' exit status.
    public var exitCode: Int? {
        guard action == "die" else { return nil }
        return attributes["exitCode"].flatMap { Int($0) } ?? attributes["containerExitCode"].flatMap { Int($0) }
    }

    /// `health_status` events: "healthy", "unhealthy" or "starting".
    public var healthStatus: String? {
        guard action == "health_status" else { return nil }
        return actionDetail ?? attributes["health_status"]
    }

    public var isOOMKill: Bool { action == "oom" }

    public static func decode(_ data: Data) throws(ParseError) -> EngineEvent {
        let wire: Wire
        do {
            wire = try JSONDecoder().decode(Wire.self, from: data)
        } catch {
            throw ParseError(source: "GET /events", reason: "invalid JSON: \(String(describing: error).prefix(200))")
        }
        let rawAction = wire.Action ?? wire.status ?? ""
        var action = rawAction, detail: String?
        if let separator = rawAction.range(of: ": ") {
            action = String(rawAction[..<separator.lowerBound])
            detail = String(rawAction[separator.upperBound...])
        }
        if action == "health_status", detail == nil, let health = wire.HealthStatus, !health.isEmpty { detail = health }
        let time: Date?
        if let nanos = wire.timeNano {
            time = Date(timeIntervalSince1970: Double(nanos / 1_000_000_000) + Double(nanos % 1_000_000_000) / 1e9)
        } else {
            time = wire.time.map { Date(timeIntervalSince1970: TimeInterval($0)) }
        }
        return EngineEvent(type: wire.type ?? "container", action: action, actionDetail: detail,
                           actorID: wire.Actor?.ID.flatMap { $0.isEmpty ? nil : $0 } ?? wire.id ?? "",
                           attributes: wire.Actor?.Attributes ?? [:], time: time)
    }

    private struct Wire: Decodable {
        var status: String?
        var id: String?
        var type: String?
        var Action: String?
        var Actor: ActorWire?
        var time: Int64?
        var timeNano: Int64?
        var HealthStatus: String?
        struct ActorWire: Decodable { var ID: String?; var Attributes: [String: String]? }

        enum CodingKeys: String, CodingKey {
            case status, id, type = "Type", Action, Actor, time, timeNano, HealthStatus
        }
    }
}

/// `GET /containers/{id}/top`: column titles and one row per process. Podman 4.3 falls back to
/// running `ps` inside the container when its own descriptors do not apply, and then sends the
/// whole header as ONE title and each row as ONE string; those are split into columns here
/// (the last column, the command, keeps its spaces).
public struct ContainerProcessList: Sendable, Equatable {
    public var titles: [String]
    public var processes: [[String]]

    public static func decode(_ data: Data) throws(ParseError) -> ContainerProcessList {
        struct Wire: Decodable { var Titles: [String]?; var Processes: [[String]]? }
        let wire: Wire
        do {
            wire = try JSONDecoder().decode(Wire.self, from: data)
        } catch {
            throw ParseError(source: "GET /containers/{id}/top", reason: "invalid JSON: \(String(describing: error).prefix(200))")
        }
        var titles = wire.Titles ?? []
        var processes = wire.Processes ?? []
        if titles.count == 1, titles[0].contains(" "), processes.allSatisfy({ $0.count == 1 }) {
            titles = titles[0].split(separator: " ").map(String.init)
            let columns = titles.count
            processes = processes.map { row in splitColumns(row[0], count: columns) }
        }
        return ContainerProcessList(titles: titles, processes: processes)
    }

    /// `count - 1` space-separated fields, then the rest of the line (the command) as the last one.
    static func splitColumns(_ line: String, count: Int) -> [String] {
        var fields: [String] = []
        var rest = Substring(line)
        while fields.count < count - 1 {
            rest = rest.drop { $0 == " " }
            guard let space = rest.firstIndex(of: " ") else { break }
            fields.append(String(rest[..<space]))
            rest = rest[space...]
        }
        let last = rest.drop { $0 == " " }
        if !last.isEmpty { fields.append(String(last)) }
        return fields
    }
}
