import AsyncHTTPClient
import Crypto
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOSSL

public struct RegistryHTTPRequest: Sendable {
    public var method: HTTPMethod
    public var url: String
    public var headers: HTTPHeaders
    /// Larger answers are an error, not data (a manifest or a tags page beyond a few MiB).
    public var maxBody: Int
    /// PEM of the only CA trusted for this request's TLS; nil = the system store.
    public var caCertificatePEM: String?
}

public struct RegistryHTTPResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: Data
}

/// Why a transport could not deliver a request; the client turns it into `RegistryError`.
public enum RegistryTransportError: Error, Sendable {
    case bodyTooLarge(limit: Int)
    case invalidCA(String)
    case tls(String)
    case connection(String)
}

/// One HTTP exchange, no redirects followed (the client decides which hosts a redirect may reach).
public protocol RegistryTransport: Sendable {
    func send(_ request: RegistryHTTPRequest) async throws(RegistryTransportError) -> RegistryHTTPResponse
}

/// AsyncHTTPClient with one client per trust configuration (the system store, or each registry's own
/// CA), created on first use and kept until `shutdown()`. Certificate verification is never switched off.
public final class HTTPRegistryTransport: RegistryTransport {
    private let clients = NIOLockedValueBox<[String: HTTPClient]>([:])
    private let timeout: TimeAmount

    public init(timeout: TimeAmount = .seconds(30)) {
        self.timeout = timeout
    }

    public func send(_ request: RegistryHTTPRequest) async throws(RegistryTransportError) -> RegistryHTTPResponse {
        let client = try await client(for: request.caCertificatePEM)
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = request.method
        outgoing.headers = request.headers
        do {
            let response = try await client.execute(outgoing, timeout: timeout)
            let body: ByteBuffer
            do {
                body = try await response.body.collect(upTo: max(request.maxBody, 0))
            } catch is NIOTooManyBytesError {
                throw RegistryTransportError.bodyTooLarge(limit: request.maxBody)
            }
            return RegistryHTTPResponse(status: Int(response.status.code), headers: response.headers,
                                        body: Data(body.readableBytesView))
        } catch let error as RegistryTransportError {
            throw error
        } catch {
            throw Self.describe(error)
        }
    }

    public func shutdown() async {
        let all = clients.withLockedValue { clients -> [HTTPClient] in defer { clients = [:] }; return Array(clients.values) }
        for client in all { try? await client.shutdown() }
    }

    private func client(for caPEM: String?) async throws(RegistryTransportError) -> HTTPClient {
        let key = caPEM.map { SHA256.hash(data: Data($0.utf8)).map { String(format: "%02x", $0) }.joined() } ?? "system"
        if let existing = clients.withLockedValue({ $0[key] }) { return existing }
        var tls = TLSConfiguration.makeClientConfiguration()
        if let caPEM {
            let roots: [NIOSSLCertificate]
            do { roots = try NIOSSLCertificate.fromPEMBytes(Array(caPEM.utf8)) } catch {
                throw .invalidCA("the registry's CA certificate is not valid PEM")
            }
            guard !roots.isEmpty else { throw .invalidCA("the registry's CA certificate holds no certificate") }
            tls.trustRoots = .certificates(roots)
        }
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        configuration.timeout = .init(connect: .seconds(10), read: timeout)
        configuration.redirectConfiguration = .disallow
        configuration.decompression = .disabled
        // Fail at once on a refused connection or an untrusted certificate instead of retrying until the
        // connect timeout: the check cycle retries later anyway, and a TLS mistake is not transient.
        configuration.connectionPool.retryConnectionEstablishment = false
        let created = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        let (winner, loser) = clients.withLockedValue { clients -> (HTTPClient, HTTPClient?) in
            if let existing = clients[key] { return (existing, created) }
            clients[key] = created
            return (created, nil)
        }
        // Two first requests raced: the second client was never used.
        if let loser { try? await loser.shutdown() }
        return winner
    }

    /// A message that says what failed (TLS trust above all) and contains no request data.
    static func describe(_ error: any Error) -> RegistryTransportError {
        let detail = String(describing: error)
        let typeName = String(reflecting: type(of: error))
        if typeName.contains("NIOSSL") || typeName.contains("BoringSSL") || detail.contains("CERTIFICATE_VERIFY_FAILED")
            || detail.contains("handshakeFailed") {
            return .tls("TLS handshake failed; the registry's certificate is not trusted or does not name the host"
                        + " (give the registry's CA certificate): \(detail.prefix(300))")
        }
        if let httpError = error as? HTTPClientError {
            return .connection(String(describing: httpError).prefix(300).description)
        }
        return .connection(detail.prefix(300).description)
    }
}
