/// A daemon's TCP address as Docker writes it: `tcp://host:port` (`tcp://[::1]:2376` for IPv6).
/// Nothing else is accepted: no path, user, query or scheme other than tcp, so a stored endpoint is
/// always something the TCP transports can dial as it is.
public struct TCPEndpoint: Sendable, Equatable, CustomStringConvertible {
    public let host: String
    public let port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    public init?(parsing text: String) {
        guard text.hasPrefix("tcp://") else { return nil }
        let rest = text.dropFirst("tcp://".count)
        let hostPart: Substring, portPart: Substring
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]"), rest[rest.index(after: close)...].hasPrefix(":") else { return nil }
            hostPart = rest[rest.index(after: rest.startIndex)..<close]
            portPart = rest[rest.index(close, offsetBy: 2)...]
            guard hostPart.contains(":"), hostPart.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { return nil }
        } else {
            guard let colon = rest.lastIndex(of: ":") else { return nil }
            hostPart = rest[..<colon]
            portPart = rest[rest.index(after: colon)...]
            // DNS names and IPv4 literals: letters, digits, dots, hyphens, underscores.
            guard hostPart.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "_") }),
                  !hostPart.hasPrefix("-"), !hostPart.hasPrefix(".") else { return nil }
        }
        guard !hostPart.isEmpty, hostPart.utf8.count <= 253, (1...5).contains(portPart.count), portPart.allSatisfy(\.isASCIIDigit),
              let port = Int(portPart), (1...65_535).contains(port) else { return nil }
        self.init(host: String(hostPart), port: port)
    }

    /// The `tcp://` form, IPv6 in brackets.
    public var description: String { host.contains(":") ? "tcp://[\(host)]:\(port)" : "tcp://\(host):\(port)" }
}
