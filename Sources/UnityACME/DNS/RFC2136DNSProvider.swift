import Foundation

/// DNS-01 through RFC 2136 dynamic updates signed with TSIG hmac-sha256 (BIND, Knot, PowerDNS,
/// Technitium…). Adds the TXT record on `present` and deletes exactly that record on `cleanUp`.
public struct RFC2136DNSProvider: ChallengeSolver {
    public enum Transport: String, Sendable, Codable { case udp, tcp }

    public let challengeType = "dns-01"
    public var server: String
    public var port: Int
    /// The zone to update, e.g. `lab.test.`; only names inside it are accepted.
    public var zone: String
    public var tsigKeyName: String
    public var transport: Transport
    public var ttl: UInt32
    public var timeout: TimeInterval
    public var propagationDelay: Duration
    private let secret: Data

    /// - Parameter tsigSecret: the base64 secret as in `key "name" { secret "…"; }` (the app seals it).
    public init(server: String, port: Int = 53, zone: String, tsigKeyName: String, tsigSecret: String,
                transport: Transport = .udp, ttl: UInt32 = 60, timeout: TimeInterval = 10,
                propagationDelay: Duration = .zero) throws {
        guard let secret = Data(base64Encoded: tsigSecret) ?? Base64URL.decode(tsigSecret), !secret.isEmpty else {
            throw DNSProviderError(provider: "rfc2136", message: "TSIG secret is not base64")
        }
        self.server = server
        self.port = port
        self.zone = zone.hasSuffix(".") ? zone : zone + "."
        self.tsigKeyName = tsigKeyName.hasSuffix(".") ? tsigKeyName : tsigKeyName + "."
        self.secret = secret
        self.transport = transport
        self.ttl = ttl
        self.timeout = timeout
        self.propagationDelay = propagationDelay
    }

    public func canSolve(domain: String) -> Bool {
        let name = domain.lowercased() + "."
        let zone = zone.lowercased()
        return name == zone || name.hasSuffix("." + zone)
    }

    public func present(_ task: ChallengeTask) async throws {
        try await send(.add(name: task.dnsRecordName, text: task.dnsTXTValue, ttl: ttl))
    }

    public func cleanUp(_ task: ChallengeTask) async {
        try? await send(.delete(name: task.dnsRecordName, text: task.dnsTXTValue))
    }

    func send(_ change: DNSUpdateMessage.Change) async throws {
        let id = UInt16.random(in: 0...UInt16.max)
        let message = DNSUpdateMessage(id: id, zone: zone, changes: [change])
        let bytes = try message.signed(with: .init(name: tsigKeyName, secret: secret),
                                       timeSigned: UInt64(Date().timeIntervalSince1970))
        let (server, port, transport, timeout) = (server, port, transport, timeout)
        // Blocking sockets with a receive timeout, on their own thread so the cooperative pool never blocks.
        let response: [UInt8] = try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result {
                    try DNSSocket.exchange(bytes, server: server, port: port, tcp: transport == .tcp, timeout: timeout)
                })
            }
        }
        guard let rcode = DNSUpdateMessage.responseCode(response, id: id) else {
            throw DNSProviderError(provider: "rfc2136", message: "no valid response from \(server):\(port)")
        }
        guard rcode == 0 else {
            throw DNSProviderError(provider: "rfc2136", message: "\(server) answered \(DNSUpdateMessage.rcodeName(rcode))")
        }
    }
}

/// One request/response over UDP or TCP (2-byte length prefix, RFC 1035 §4.2.2), IPv4 or IPv6.
enum DNSSocket {
    static func exchange(_ request: [UInt8], server: String, port: Int, tcp: Bool, timeout: TimeInterval) throws -> [UInt8] {
        var hints = addrinfo()
        hints.ai_socktype = tcp ? Int32(SOCK_STREAM.rawValue) : Int32(SOCK_DGRAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(server, String(port), &hints, &list) == 0, let info = list else {
            throw DNSProviderError(provider: "rfc2136", message: "cannot resolve \(server)")
        }
        defer { freeaddrinfo(list) }
        let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
        guard fd >= 0 else { throw DNSProviderError(provider: "rfc2136", message: "socket() failed") }
        defer { close(fd) }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        guard connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
            throw DNSProviderError(provider: "rfc2136", message: "cannot connect to \(server):\(port)")
        }
        var payload = request
        if tcp { payload = [UInt8(request.count >> 8), UInt8(request.count & 0xFF)] + request }
        guard payload.withUnsafeBytes({ Glibc.send(fd, $0.baseAddress, $0.count, 0) }) == payload.count else {
            throw DNSProviderError(provider: "rfc2136", message: "send to \(server):\(port) failed")
        }
        if !tcp { return try receive(fd, max: 65535, server: server) }
        let length = try receiveExactly(fd, 2, server: server)
        return try receiveExactly(fd, Int(length[0]) << 8 | Int(length[1]), server: server)
    }

    private static func receive(_ fd: Int32, max: Int, server: String) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: max)
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { throw DNSProviderError(provider: "rfc2136", message: "no answer from \(server) (timeout)") }
        return Array(buffer.prefix(n))
    }

    private static func receiveExactly(_ fd: Int32, _ count: Int, server: String) throws -> [UInt8] {
        var out: [UInt8] = []
        while out.count < count {
            out += try receive(fd, max: count - out.count, server: server)
        }
        return out
    }
}
