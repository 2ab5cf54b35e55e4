import Foundation
import UnityParsers

// The write operations of an update (issue 17), beside the inventory and lifecycle calls.
extension DockerAPIEngine: ContainerUpdateOperations {
    public func negotiatedAPIVersion() async throws -> EngineAPIVersion { try await apiVersion() }

    public func inspectContainerRaw(_ idOrName: String) async throws -> RawContainerInspect? {
        guard let json = try await optionalJSON("/containers/\(Self.pathSegment(idOrName))/json", what: "container \(idOrName)") else { return nil }
        return RawContainerInspect(json: json)
    }

    public func inspectImage(_ reference: String) async throws -> ImageInspectFacts? {
        guard let json = try await optionalJSON("/images/\(Self.pathSegment(reference))/json", what: "image \(reference)") else { return nil }
        return ImageInspectFacts(json: json)
    }

    private func optionalJSON(_ path: String, what: String) async throws -> EngineJSON? {
        let response = try await send(HTTPRequest(method: "GET", target: try await versioned(path)))
        if response.status == 404 { return nil }
        try check(response, what: what)
        do { return try EngineJSON.parse(Data(response.body)) } catch {
            throw ContainerEngineError.invalidResponse(reason: "\(what): the inspect is not JSON")
        }
    }

    public func pullImage(_ reference: String, credentials: RegistryPullCredentials?) async throws {
        let parts = ImageReferenceParts(reference)
        let query = "fromImage=\(Self.queryValue(parts.repository))&tag=\(Self.queryValue(parts.pullTag))"
        var headers = HTTPHeaderFields()
        if let credentials { headers.add("X-Registry-Auth", credentials.headerValue) }
        let response = try await send(HTTPRequest(method: "POST", target: try await versioned("/images/create?\(query)"), headers: headers),
                                      maxBodyBytes: 64 << 20)
        try check(response, what: "image \(reference)")
        if let failure = Self.pullFailure(response.body) {
            throw ContainerEngineError.engineError(status: response.status, message: "pull of \(reference) failed: \(failure)")
        }
    }

    /// The first `errorDetail`/`error` of a pull's progress stream (JSON lines), nil when it has none.
    static func pullFailure(_ body: [UInt8]) -> String? {
        for line in body.split(separator: UInt8(ascii: "\n")) {
            guard let json = try? EngineJSON.parse(Data(line)) else { continue }
            if let message = json.at("errorDetail", "message")?.string ?? json["error"]?.string, !message.isEmpty {
                return String(message.prefix(500))
            }
        }
        return nil
    }

    public func tagImage(_ source: String, repository: String, tag: String) async throws {
        let path = "/images/\(Self.pathSegment(source))/tag?repo=\(Self.queryValue(repository))&tag=\(Self.queryValue(tag))"
        let response = try await send(HTTPRequest(method: "POST", target: try await versioned(path)))
        try check(response, what: "image \(source)")
    }

    public func renameContainer(_ idOrName: String, to newName: String) async throws {
        let path = "/containers/\(Self.pathSegment(idOrName))/rename?name=\(Self.queryValue(newName))"
        let response = try await send(HTTPRequest(method: "POST", target: try await versioned(path)))
        try check(response, what: "container \(idOrName)")
    }

    public func createContainer(name: String, body: EngineJSON) async throws -> String {
        var headers = HTTPHeaderFields()
        headers.add("Content-Type", "application/json")
        let request = HTTPRequest(method: "POST", target: try await versioned("/containers/create?name=\(Self.queryValue(name))"),
                                  headers: headers, body: body.serialized())
        let response = try await send(request)
        try check(response, what: "container \(name)")
        guard let id = (try? EngineJSON.parse(Data(response.body)))?["Id"]?.string, !id.isEmpty else {
            throw ContainerEngineError.invalidResponse(reason: "create of \(name) answered without an Id")
        }
        return id
    }

    public func connectNetwork(_ network: String, container: String, endpoint: EngineJSON) async throws {
        var headers = HTTPHeaderFields()
        headers.add("Content-Type", "application/json")
        let body = EngineJSON.object(["Container": .string(container), "EndpointConfig": endpoint])
        let request = HTTPRequest(method: "POST", target: try await versioned("/networks/\(Self.pathSegment(network))/connect"),
                                  headers: headers, body: body.serialized())
        let response = try await send(request)
        try check(response, what: "network \(network)")
    }

    public func recentLogs(_ id: String, lines: Int) async throws -> [String] {
        var collected: [String] = []
        for try await line in try await logs(id, tail: max(1, lines), since: nil, follow: false, timestamps: false) {
            collected.append(line.text)
        }
        return Array(collected.suffix(lines))
    }

    /// A query value percent-encoded (`/`, `:`, `@` and `+` too, so a reference stays one value).
    static func queryValue(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-_.~"))) ?? value
    }
}
