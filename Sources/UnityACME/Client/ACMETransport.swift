import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// Builds the HTTPClient the ACME code talks through. Certificate verification stays on: a private
/// CA (step-ca, Pebble in tests) is trusted by adding its root, never by switching checks off.
public enum ACMEHTTPClientFactory {
    /// - Parameters:
    ///   - trustRootsPEM: extra PEM roots trusted in addition to the system store.
    ///   - pinned: trust only `trustRootsPEM`, not the system store (a CA whose root was pinned by
    ///     fingerprint must not be impersonated by any publicly trusted certificate).
    public static func make(trustRootsPEM: String? = nil, pinned: Bool = false, timeout: TimeAmount = .seconds(30)) throws -> HTTPClient {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let trustRootsPEM {
            let roots = try NIOSSLCertificate.fromPEMBytes(Array(trustRootsPEM.utf8))
            guard !roots.isEmpty else { throw ACMEError.invalidCertificate("no certificate in trustRootsPEM") }
            if pinned { tls.trustRoots = .certificates(roots) } else { tls.additionalTrustRoots = [.certificates(roots)] }
        } else if pinned {
            throw ACMEError.invalidCertificate("a pinned client needs its root")
        }
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        configuration.timeout = .init(connect: .seconds(10), read: timeout)
        configuration.redirectConfiguration = .disallow
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }
}

struct HTTPResult: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: Data
    var url: String

    var text: String { String(decoding: body, as: UTF8.self) }

    /// Seconds to wait from a `Retry-After` header: delta-seconds or an HTTP-date (RFC 9110 §10.2.3).
    var retryAfter: TimeInterval? {
        guard let value = headers.first(name: "Retry-After")?.trimmingCharacters(in: .whitespaces) else {
            return nil
        }
        if let seconds = TimeInterval(value) { return max(0, seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: value).map { max(0, $0.timeIntervalSinceNow) }
    }

    /// The problem document in an error response, if the body is one.
    var problem: ACMEProblem? {
        guard status >= 400, var problem = try? JSONDecoder().decode(ACMEProblem.self, from: body) else {
            return nil
        }
        if problem.status == nil { problem.status = status }
        problem.retryAfter = retryAfter
        return problem
    }
}

/// One HTTP exchange over a caller-owned HTTPClient; bodies are capped because a CA or DNS API
/// answer larger than a few MB is an error, not data.
struct HTTPTransport: Sendable {
    let client: HTTPClient
    var timeout: TimeAmount = .seconds(30)
    static let maxBody = 4 * 1024 * 1024

    func send(_ method: HTTPMethod, _ url: String, body: Data? = nil,
              headers extra: [(String, String)] = []) async throws -> HTTPResult {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "User-Agent", value: "Unity-ACME/1 (swift AsyncHTTPClient)")
        for (name, value) in extra { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await client.execute(request, timeout: timeout)
        let buffer = try await response.body.collect(upTo: Self.maxBody)
        return HTTPResult(status: Int(response.status.code), headers: response.headers,
                          body: Data(buffer.readableBytesView), url: url)
    }
}

/// Lets the test target (which depends on UnityACME only) name the client type.
typealias SharedHTTPClient = HTTPClient
