/// Header fields in arrival order; lookups ignore case (HTTP field names are case-insensitive, and
/// Go's net/http canonicalises them as `Api-Version` while Podman's proxy may not).
public struct HTTPHeaderFields: Sendable, Equatable {
    public private(set) var fields: [Field]

    public struct Field: Sendable, Equatable {
        public var name: String
        public var value: String
    }

    public init(_ pairs: [(String, String)] = []) {
        fields = pairs.map { Field(name: $0.0, value: $0.1) }
    }

    public mutating func add(_ name: String, _ value: String) {
        fields.append(Field(name: name, value: value))
    }

    /// The first value of `name`, nil when absent.
    public subscript(name: String) -> String? {
        fields.first { $0.name.caseInsensitiveEquals(name) }?.value
    }

    /// Every value of `name` (repeated fields), in order.
    public func values(_ name: String) -> [String] {
        fields.filter { $0.name.caseInsensitiveEquals(name) }.map(\.value)
    }
}

/// A request to the engine. `target` is the origin-form path with its query, already encoded.
public struct HTTPRequest: Sendable, Equatable {
    public var method: String
    public var target: String
    public var headers: HTTPHeaderFields
    public var body: [UInt8]?

    public init(method: String, target: String, headers: HTTPHeaderFields = HTTPHeaderFields(), body: [UInt8]? = nil) {
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
    }

    /// The bytes on the wire. `Host` is required by HTTP/1.1; the engine ignores its value (the docker
    /// CLI sends `api.moby.localhost` over dial-stdio too). A body always gets a Content-Length, so
    /// the connection stays reusable.
    public func serialized() -> [UInt8] {
        var text = "\(method) \(target) HTTP/1.1\r\n"
        if headers["Host"] == nil { text += "Host: docker\r\n" }
        for field in headers.fields { text += "\(field.name): \(field.value)\r\n" }
        if let body, headers["Content-Length"] == nil { text += "Content-Length: \(body.count)\r\n" }
        text += "\r\n"
        var bytes = Array(text.utf8)
        if let body { bytes += body }
        return bytes
    }
}

/// Status line and headers of a response.
public struct HTTPResponseHead: Sendable, Equatable {
    public var status: Int
    public var reason: String
    /// 0 for HTTP/1.0, 1 for HTTP/1.1.
    public var minorVersion: Int
    public var headers: HTTPHeaderFields

    /// Whether the connection may carry another request after this response (HTTP/1.1 default,
    /// unless the server said `Connection: close`; HTTP/1.0 only with an explicit keep-alive).
    public var keepAlive: Bool {
        let tokens = headers.values("Connection").flatMap { $0.split(separator: ",") }
            .map { $0.trimmingSpaces().lowercased() }
        if tokens.contains("close") { return false }
        return minorVersion >= 1 || tokens.contains("keep-alive")
    }
}

/// A complete, buffered response (inventory calls and actions; never logs or events).
public struct HTTPResponse: Sendable, Equatable {
    public var head: HTTPResponseHead
    public var body: [UInt8]
    public var status: Int { head.status }
}

/// What the response parser saw that cannot be HTTP/1.1 (or exceeds its bounds).
public struct HTTPParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { "invalid HTTP response from the engine: \(reason)" }
}

extension String {
    func caseInsensitiveEquals(_ other: String) -> Bool {
        utf8.count == other.utf8.count && lowercased() == other.lowercased()
    }
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
        return String(slice)
    }
}
