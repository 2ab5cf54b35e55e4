import Foundation

/// One container as Unity keeps it, from `GET /containers/{id}/json` (Docker and Podman's Docker API).
/// Environment VALUES are dropped while decoding (`EnvironmentNames`): they are never held here.
public struct ContainerDetails: Sendable, Equatable {
    public var id: String
    public var name: String
    /// The image reference as configured (`nginx:1.25`, `localhost/busybox:test`).
    public var imageReference: String?
    public var imageID: String?
    /// Every repo digest of the image (filled in from the image list by the engine client).
    public var repoDigests: [String] = []
    public var created: Date?
    public var started: Date?
    public var finished: Date?
    public var state: String
    public var health: String?
    public var restartCount: Int
    public var exitCode: Int?
    public var oomKilled: Bool
    public var ports: [Port]
    public var mounts: [Mount]
    public var networks: [String]
    public var networkMode: String?
    public var labels: [String: String]
    public var restartPolicy: String?
    public var restartMaximumRetries: Int?
    public var environmentNames: [String]
    public var tty: Bool
    public var compose: ComposeInfo?
    /// Podman pod id, when the container belongs to one.
    public var pod: String?

    public struct Port: Sendable, Equatable {
        public var containerPort: String
        public var hostIP: String?
        public var hostPort: String?
    }

    public struct Mount: Sendable, Equatable {
        public enum Kind: String, Sendable, Equatable { case bind, namedVolume = "named_volume", anonymousVolume = "anonymous_volume", tmpfs, other }
        public var kind: Kind
        public var name: String?
        public var source: String?
        public var destination: String
        public var readWrite: Bool
    }

    public struct ComposeInfo: Sendable, Equatable {
        public var project: String
        public var service: String?
        public var workingDirectory: String?
        public var configFiles: [String]

        public init(project: String, service: String?, workingDirectory: String?, configFiles: [String]) {
            self.project = project
            self.service = service
            self.workingDirectory = workingDirectory
            self.configFiles = configFiles
        }
    }

    public static func decode(_ data: Data) throws(ParseError) -> ContainerDetails {
        do {
            return try ContainerDetails(JSONDecoder().decode(InspectWire.self, from: data))
        } catch {
            throw ParseError(source: "GET /containers/{id}/json", reason: "invalid JSON: \(String(describing: error).prefix(200))")
        }
    }

    init(_ wire: InspectWire) {
        id = wire.Id
        name = (wire.Name ?? "").hasPrefix("/") ? String((wire.Name ?? "").dropFirst()) : (wire.Name ?? "")
        imageReference = wire.Config?.Image
        imageID = wire.Image
        created = EngineTimestamp.parse(wire.Created)
        started = EngineTimestamp.parse(wire.State?.StartedAt)
        finished = EngineTimestamp.parse(wire.State?.FinishedAt)
        state = wire.State?.Status ?? "unknown"
        health = wire.State?.Health?.Status
        restartCount = wire.RestartCount ?? 0
        exitCode = wire.State?.ExitCode
        oomKilled = wire.State?.OOMKilled ?? false
        ports = (wire.NetworkSettings?.Ports ?? [:]).sorted { $0.key < $1.key }.flatMap { key, bindings -> [Port] in
            guard let bindings, !bindings.isEmpty else { return [Port(containerPort: key, hostIP: nil, hostPort: nil)] }
            return bindings.map { Port(containerPort: key, hostIP: $0.HostIp, hostPort: $0.HostPort) }
        }
        mounts = (wire.Mounts ?? []).map { mount in
            let kind: Mount.Kind
            switch mount.Type {
            case "bind": kind = .bind
            case "volume": kind = EngineNames.isAnonymousVolume(mount.Name) ? .anonymousVolume : .namedVolume
            case "tmpfs": kind = .tmpfs
            default: kind = .other
            }
            return Mount(kind: kind, name: mount.Name, source: mount.Source, destination: mount.Destination ?? "", readWrite: mount.RW ?? true)
        }
        // Docker lists mounts in map order, different between two inspects of one container.
        .sorted { ($0.destination, $0.name ?? "", $0.source ?? "") < ($1.destination, $1.name ?? "", $1.source ?? "") }
        networks = (wire.NetworkSettings?.Networks ?? [:]).keys.sorted()
        networkMode = wire.HostConfig?.NetworkMode
        let labels = wire.Config?.Labels ?? [:]
        self.labels = labels
        restartPolicy = wire.HostConfig?.RestartPolicy?.Name.flatMap { $0.isEmpty ? nil : $0 }
        restartMaximumRetries = wire.HostConfig?.RestartPolicy?.MaximumRetryCount
        environmentNames = wire.Config?.Env?.names ?? []
        tty = wire.Config?.Tty ?? false
        compose = Self.compose(from: labels)
        pod = wire.Pod.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Compose v1/v2 labels (`com.docker.compose.*`); podman-compose sets those too plus its own
    /// `io.podman.compose.project`.
    static func compose(from labels: [String: String]) -> ComposeInfo? {
        guard let project = labels["com.docker.compose.project"] ?? labels["io.podman.compose.project"] else { return nil }
        let files = (labels["com.docker.compose.project.config_files"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        return ComposeInfo(project: project, service: labels["com.docker.compose.service"],
                           workingDirectory: labels["com.docker.compose.project.working_dir"],
                           configFiles: files.filter { !$0.isEmpty })
    }
}

struct InspectWire: Decodable {
    var Id: String
    var Name: String?
    var Created: String?
    var Image: String?
    var RestartCount: Int?
    var Pod: String?
    var State: StateWire?
    var Config: ConfigWire?
    var HostConfig: HostConfigWire?
    var NetworkSettings: NetworkSettingsWire?
    var Mounts: [MountWire]?

    struct StateWire: Decodable {
        var Status: String?
        var ExitCode: Int?
        var OOMKilled: Bool?
        var StartedAt: String?
        var FinishedAt: String?
        var Health: HealthWire?
        struct HealthWire: Decodable { var Status: String? }
    }
    struct ConfigWire: Decodable {
        var Image: String?
        var Labels: [String: String]?
        var Env: EnvironmentNames?
        var Tty: Bool?
    }
    struct HostConfigWire: Decodable {
        var NetworkMode: String?
        var RestartPolicy: RestartPolicyWire?
        struct RestartPolicyWire: Decodable { var Name: String?; var MaximumRetryCount: Int? }
    }
    struct NetworkSettingsWire: Decodable {
        var Ports: [String: [PortBindingWire]?]?
        var Networks: [String: IgnoredValue]?
        struct PortBindingWire: Decodable { var HostIp: String?; var HostPort: String? }
    }
    struct MountWire: Decodable {
        var `Type`: String?
        var Name: String?
        var Source: String?
        var Destination: String?
        var RW: Bool?
    }
}

/// `Config.Env` decoded to the variable names only: each `NAME=value` string is cut at `=` as it
/// is read, so no value survives decoding.
struct EnvironmentNames: Decodable {
    var names: [String]

    init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        var names: [String] = []
        while !container.isAtEnd {
            let entry = (try? container.decode(String.self)) ?? ""
            let name = entry.prefix { $0 != "=" }
            if !name.isEmpty { names.append(String(name)) }
        }
        self.names = names
    }
}

/// Any JSON value, skipped.
struct IgnoredValue: Decodable {
    init(from decoder: any Decoder) throws {}
}

enum EngineNames {
    /// Anonymous volumes get a random 64-hex-digit name on Docker and Podman alike.
    static func isAnonymousVolume(_ name: String?) -> Bool {
        guard let name, name.utf8.count == 64 else { return false }
        return name.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}

/// RFC 3339 timestamps with up to nanoseconds (Go's time.RFC3339Nano); Go's zero time is "never".
/// RFC 3339 timestamps as engines write them (`2024-05-01T10:00:00.123456789Z`, `…+02:00`; Podman's
/// nanoseconds, Docker's zero time `0001-01-01T00:00:00Z` meaning "never"). Parsed by hand: a
/// discovery reads three per container and `ISO8601DateFormatter` cost a fifth of a warm one.
public enum EngineTimestamp {
    public static func parse(_ text: String?) -> Date? {
        guard let text, !text.isEmpty, !text.hasPrefix("0001-01-01") else { return nil }
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes.count <= 64 else { return nil }
        func number(_ start: Int, _ length: Int) -> Int? {
            var value = 0
            for index in start..<(start + length) {
                let byte = bytes[index]
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard bytes[4] == 45, bytes[7] == 45, bytes[10] == 84 || bytes[10] == 116 || bytes[10] == 32, bytes[13] == 58, bytes[16] == 58,
              let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
              let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
              (1...12).contains(month), (1...daysIn(month, year)).contains(day), hour < 24, minute < 60, second <= 60 else { return nil }
        var cursor = 19
        var fraction = 0.0
        if bytes[cursor] == 46 {
            cursor += 1
            var scale = 0.1
            let digitsStart = cursor
            while cursor < bytes.count, bytes[cursor] >= 48, bytes[cursor] <= 57 {
                fraction += Double(bytes[cursor] - 48) * scale
                scale /= 10
                cursor += 1
            }
            guard cursor > digitsStart, cursor < bytes.count else { return nil }
        }
        var offset = 0
        switch bytes[cursor] {
        case 90, 122:  // Z z
            guard cursor + 1 == bytes.count else { return nil }
        case 43, 45:  // + -
            guard cursor + 6 == bytes.count, bytes[cursor + 3] == 58, let hours = number(cursor + 1, 2), let minutes = number(cursor + 4, 2),
                  hours < 24, minutes < 60 else { return nil }
            offset = (hours * 3600 + minutes * 60) * (bytes[cursor] == 43 ? 1 : -1)
        default:
            return nil
        }
        let seconds = daysSinceEpoch(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    private static func daysIn(_ month: Int, _ year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Howard Hinnant's days_from_civil: proleptic Gregorian calendar, no table, no Foundation.
    private static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
