import Foundation
import UnityCore
import UnityParsers

/// `ContainerEngine` over the Docker Engine API, for Docker and for Podman's Docker-compatible
/// service. Keeps one idle connection for reuse (over SSH each new dial-stdio channel costs a
/// round trip and a process on the host); concurrent callers get their own connections.
public final class DockerAPIEngine: ContainerEngine {
    public let transport: any ContainerTransport
    private let idle = LockedValue<[EngineHTTPConnection]>([])
    private let negotiated = LockedValue<EngineAPIVersion?>(nil)
    private static let maxIdleConnections = 2

    public init(transport: any ContainerTransport) {
        self.transport = transport
    }

    private var endpoint: String { transport.endpointDescription }

    /// Closes the kept connections (over SSH: ends their dial-stdio processes); the engine stays usable.
    public func closeIdleConnections() async {
        for connection in idle.withLock({ list -> [EngineHTTPConnection] in defer { list.removeAll() }; return list }) {
            await connection.close()
        }
    }

    /// How many connections are kept for reuse now (benchmarks and tests look).
    public var idleConnectionCount: Int { idle.withLock { $0.count } }

    // MARK: requests

    /// Sends one request on an idle connection (or a new one) and returns the buffered response.
    /// An idle connection the engine closed meanwhile (EOF before any response byte) is retried once
    /// on a fresh one; nothing reached the engine then, so even a POST is safe to resend.
    func send(_ request: HTTPRequest, maxBodyBytes: Int = EngineHTTPConnection.defaultMaxBodyBytes) async throws -> HTTPResponse {
        if let reused = idle.withLock({ $0.popLast() }) {
            if let response = try await exchange(request, on: reused, maxBodyBytes: maxBodyBytes) { return response }
        }
        let fresh = EngineHTTPConnection(stream: try await transport.openStream(), endpoint: endpoint)
        guard let response = try await exchange(request, on: fresh, maxBodyBytes: maxBodyBytes) else {
            throw ContainerEngineError.streamInterrupted(endpoint: endpoint, reason: "connection closed before a response arrived")
        }
        return response
    }

    private func exchange(_ request: HTTPRequest, on connection: EngineHTTPConnection, maxBodyBytes: Int) async throws -> HTTPResponse? {
        do {
            guard let head = try await connection.start(request) else {
                await connection.close()
                return nil
            }
            var body: [UInt8] = []
            while let chunk = try await connection.nextBodyChunk() {
                body += chunk
                if body.count > maxBodyBytes { throw ContainerEngineError.responseTooLarge(limit: maxBodyBytes) }
            }
            await keepOrClose(connection, keepAlive: head.keepAlive)
            return HTTPResponse(head: head, body: body)
        } catch {
            await connection.close()
            throw error
        }
    }

    /// GETs pipelined on one kept (or fresh) connection, kept again afterwards. A kept connection
    /// found dead before any answer is replaced once, as in `send`.
    func sendPipelined(_ requests: [HTTPRequest]) async throws -> [HTTPResponse] {
        if let reused = idle.withLock({ $0.popLast() }) {
            if let responses = try await pipelined(requests, on: reused) { return responses }
        }
        let fresh = EngineHTTPConnection(stream: try await transport.openStream(), endpoint: endpoint)
        guard let responses = try await pipelined(requests, on: fresh) else {
            throw ContainerEngineError.streamInterrupted(endpoint: endpoint, reason: "connection closed before a response arrived")
        }
        return responses
    }

    private func pipelined(_ requests: [HTTPRequest], on connection: EngineHTTPConnection) async throws -> [HTTPResponse]? {
        do {
            guard let responses = try await connection.pipelined(requests) else {
                await connection.close()
                return nil
            }
            await keepOrClose(connection, keepAlive: true)
            return responses
        } catch {
            await connection.close()
            throw error
        }
    }

    private func keepOrClose(_ connection: EngineHTTPConnection, keepAlive: Bool) async {
        let kept = keepAlive && connection.isReusable && idle.withLock { list -> Bool in
            guard list.count < Self.maxIdleConnections else { return false }
            list.append(connection)
            return true
        }
        if !kept { await connection.close() }
    }

    /// Throws the domain error for a non-2xx answer; `what` names the object for 404s.
    func check(_ response: HTTPResponse, what: String) throws(ContainerEngineError) {
        guard !(200..<300).contains(response.status) else { return }
        let message = Self.engineMessage(response.body)
        switch response.status {
        case 304: return  // already started / already stopped: the wanted state holds
        case 404: throw .notFound(what: what)
        case 409: throw .conflict(message: message)
        default: throw .engineError(status: response.status, message: message)
        }
    }

    /// `{"message": "..."}`, the engine's error body, or the first bytes of whatever it sent.
    static func engineMessage(_ body: [UInt8]) -> String {
        struct Wire: Decodable { var message: String? }
        if let wire = try? JSONDecoder().decode(Wire.self, from: Data(body)), let message = wire.message { return String(message.prefix(500)) }
        return String(String(decoding: body.prefix(200), as: UTF8.self))
    }

    // MARK: version negotiation and facts

    /// The negotiated version, negotiating on first use.
    func apiVersion() async throws -> EngineAPIVersion {
        if let known = negotiated.withLock({ $0 }) { return known }
        return try await facts().apiVersion
    }

    /// Path under the negotiated version: `/v1.41/containers/json`.
    func versioned(_ path: String) async throws -> String {
        "/v\(try await apiVersion())\(path)"
    }

    public func facts() async throws -> ContainerEngineFacts {
        // HEAD /_ping is the cheapest probe; some proxies and old Podman answer HEAD wrongly, so GET.
        var ping = try await send(HTTPRequest(method: "HEAD", target: "/_ping"))
        if !(200..<300).contains(ping.status) { ping = try await send(HTTPRequest(method: "GET", target: "/_ping")) }
        guard (200..<300).contains(ping.status) else {
            throw ContainerEngineError.invalidResponse(reason: "/_ping answered \(ping.status)")
        }
        let versionResponse = try await send(HTTPRequest(method: "GET", target: "/version"))
        try check(versionResponse, what: "/version")
        let version: EngineVersionInfo
        do { version = try EngineVersionInfo.decode(Data(versionResponse.body)) } catch {
            throw ContainerEngineError.invalidResponse(reason: error.description)
        }
        guard let daemonMaximum = (ping.head.headers["Api-Version"]).flatMap(EngineAPIVersion.init)
                ?? version.apiVersion.flatMap(EngineAPIVersion.init) else {
            throw ContainerEngineError.invalidResponse(reason: "the engine did not say which API version it speaks")
        }
        let chosen = try APIVersionNegotiation.choose(daemonMaximum: daemonMaximum,
                                                      daemonMinimum: version.minAPIVersion.flatMap(EngineAPIVersion.init))
        negotiated.withLock { $0 = chosen }
        let infoResponse = try await send(HTTPRequest(method: "GET", target: "/v\(chosen)/info"))
        try check(infoResponse, what: "/info")
        let info: EngineSystemInfo
        do { info = try EngineSystemInfo.decode(Data(infoResponse.body)) } catch {
            throw ContainerEngineError.invalidResponse(reason: error.description)
        }
        let libpod = ping.head.headers["Libpod-API-Version"]
        return ContainerEngineFacts(
            kind: libpod != nil || version.isPodman ? .podman : .docker, version: version.version,
            apiVersion: chosen, daemonAPIVersion: daemonMaximum, libpodAPIVersion: libpod,
            os: version.os, architecture: version.architecture, storageDriver: info.storageDriver,
            cgroupVersion: info.cgroupVersion, rootless: info.rootless)
    }

    // MARK: inventory

    private func getJSON(_ path: String, what: String) async throws -> Data {
        let response = try await send(HTTPRequest(method: "GET", target: try await versioned(path)))
        try check(response, what: what)
        return Data(response.body)
    }

    private func decoded<T>(_ body: () throws(ParseError) -> T) throws -> T {
        do { return try body() } catch { throw ContainerEngineError.invalidResponse(reason: error.description) }
    }

    public func images() async throws -> [ImageSummary] {
        let data = try await getJSON("/images/json", what: "images")
        return try decoded { () throws(ParseError) in try ImageSummary.decodeList(data) }
    }

    /// List, then inspect each. The inspects are pipelined on `inspectWidth` kept connections (each
    /// inspect alone is a round trip; over SSH the latency, not the engine, is the cost). A container
    /// removed between the two calls is skipped, not an error. The answer keeps the list's order.
    public func containers() async throws -> [ContainerDetails] {
        let listData = try await getJSON("/containers/json?all=true", what: "containers")
        let ids = try decoded { () throws(ParseError) in try ContainerList.ids(listData) }
        let digests = Dictionary(try await images().map { ($0.id, $0.repoDigests) }, uniquingKeysWith: { first, _ in first })
        let prefix = "/v\(try await apiVersion())"
        let sliceSize = max(1, (ids.count + Self.inspectWidth - 1) / Self.inspectWidth)
        let slices = stride(from: 0, to: ids.count, by: sliceSize).map { $0..<min($0 + sliceSize, ids.count) }
        var found = [ContainerDetails?](repeating: nil, count: ids.count)
        try await withThrowingTaskGroup(of: (Range<Int>, [ContainerDetails?]).self) { group in
            for slice in slices {
                let requests = ids[slice].map { HTTPRequest(method: "GET", target: "\(prefix)/containers/\(Self.escape($0))/json") }
                group.addTask { (slice, try await self.sendPipelined(requests).enumerated().map { try self.inspected($1, id: ids[slice.lowerBound + $0]) }) }
            }
            for try await (slice, details) in group {
                found.replaceSubrange(slice, with: details)
            }
        }
        return found.compactMap { details in
            guard var details else { return nil }
            details.repoDigests = details.imageID.flatMap { digests[$0] } ?? []
            return details
        }
    }

    /// Matches `maxIdleConnections`: every inspect connection is kept for the next discovery.
    static let inspectWidth = 2

    private func inspected(_ response: HTTPResponse, id: String) throws -> ContainerDetails? {
        if response.status == 404 { return nil }
        try check(response, what: "container \(id)")
        return try decoded { () throws(ParseError) in try ContainerDetails.decode(Data(response.body)) }
    }

    // MARK: actions

    private func post(_ path: String, what: String) async throws {
        let response = try await send(HTTPRequest(method: "POST", target: try await versioned(path)))
        try check(response, what: what)
    }

    private static func escape(_ id: String) -> String {
        id.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-_."))) ?? id
    }

    public func start(_ id: String) async throws {
        try await post("/containers/\(Self.escape(id))/start", what: "container \(id)")
    }

    public func stop(_ id: String, timeout: Int?) async throws {
        try await post("/containers/\(Self.escape(id))/stop" + (timeout.map { "?t=\(max(0, $0))" } ?? ""), what: "container \(id)")
    }

    public func restart(_ id: String, timeout: Int?) async throws {
        try await post("/containers/\(Self.escape(id))/restart" + (timeout.map { "?t=\(max(0, $0))" } ?? ""), what: "container \(id)")
    }

    public func pause(_ id: String) async throws {
        try await post("/containers/\(Self.escape(id))/pause", what: "container \(id)")
    }

    public func unpause(_ id: String) async throws {
        try await post("/containers/\(Self.escape(id))/unpause", what: "container \(id)")
    }

    public func remove(_ id: String, force: Bool, removeAnonymousVolumes: Bool) async throws {
        if !force {
            struct Inspect: Decodable { var State: StateWire?; struct StateWire: Decodable { var Running: Bool? } }
            let response = try await send(HTTPRequest(method: "GET", target: try await versioned("/containers/\(Self.escape(id))/json")))
            try check(response, what: "container \(id)")
            if (try? JSONDecoder().decode(Inspect.self, from: Data(response.body)))?.State?.Running == true {
                throw ContainerEngineError.containerRunning(id: id)
            }
        }
        let query = "?force=\(force)&v=\(removeAnonymousVolumes)"
        let response = try await send(HTTPRequest(method: "DELETE", target: try await versioned("/containers/\(Self.escape(id))\(query)")))
        try check(response, what: "container \(id)")
    }
}
