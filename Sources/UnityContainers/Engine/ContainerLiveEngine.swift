import Foundation
import UnityParsers

/// Live state of containers: logs, stats, processes, events. A refinement of `ContainerEngine` so
/// inventory-only engines (and fakes) need not implement streams. Every stream holds its own
/// connection (never a pooled one) and closes it when the stream ends, fails, or its consumer is
/// cancelled; every error is a `ContainerEngineError`.
public protocol ContainerLiveEngine: ContainerEngine {
    /// The container's output, demultiplexed into lines tagged stdout/stderr (a TTY container's raw
    /// stream is all stdout). `tail`: the last N lines (nil: all); `since`: only newer lines;
    /// `follow`: keep the stream open for new output until cancelled.
    func logs(_ id: String, tail: Int?, since: Date?, follow: Bool, timestamps: Bool) async throws
        -> AsyncThrowingStream<ContainerLogLine, any Error>
    /// One sample. `quick`: ask for `one-shot=true` (API ≥ 1.41): an immediate answer without a
    /// previous sample, so no CPU % on Docker; otherwise the engine waits for two samples (~1–2 s).
    func stats(_ id: String, quick: Bool) async throws -> ContainerStatsSample
    /// A sample about every second (Docker) or every few seconds (Podman) until cancelled.
    func statsStream(_ id: String) async throws -> AsyncThrowingStream<ContainerStatsSample, any Error>
    func top(_ id: String, psArguments: ContainerTopArguments) async throws -> ContainerProcessList
    /// Engine events from `since` (nil: from now), until cancelled.
    func events(since: Date?, filters: EngineEventFilters) async throws -> AsyncThrowingStream<EngineEvent, any Error>
}

/// The `ps` options `top` may pass. A fixed list: the value reaches `ps` on the container host, so
/// no free text is ever forwarded.
public enum ContainerTopArguments: String, Sendable, CaseIterable, Codable {
    /// The engine's default (`-ef`).
    case engineDefault = ""
    case full = "-ef"
    case userOriented = "aux"
}

/// Which events to receive (`filters` of `GET /events`). Values are sent JSON-encoded, never
/// interpolated into anything.
public struct EngineEventFilters: Sendable, Equatable {
    /// "container", "image", "volume", "network".
    public var types: [String]
    /// Container ids or names.
    public var containers: [String]
    /// Actions ("start", "die", "oom", "health_status").
    public var events: [String]

    public init(types: [String] = ["container"], containers: [String] = [], events: [String] = []) {
        self.types = types
        self.containers = containers
        self.events = events
    }

    /// `{"type":["container"],…}`, percent-encoded for the query.
    var queryValue: String? {
        var object: [String: [String]] = [:]
        if !types.isEmpty { object["type"] = types }
        if !containers.isEmpty { object["container"] = containers }
        if !events.isEmpty { object["event"] = events }
        guard !object.isEmpty, let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return nil }
        return String(decoding: data, as: UTF8.self).addingPercentEncoding(withAllowedCharacters: .alphanumerics)
    }
}
