import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOSSL
import SwiftASN1

/// step-ca's bootstrap, as `step ca bootstrap` does it: fetch `GET {url}/root/{fingerprint}`
/// without verifying TLS (we do not trust the CA yet; that is the point), then trust the answer
/// only if the SHA-256 of its DER equals the fingerprint the administrator copied from the CA.
/// After this, every call uses a client that trusts exactly this root.
public enum StepCARoot {
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        case unreachable(String)
        case rejected(status: Int, message: String)
        case fingerprintMismatch(expected: String, actual: String)
        case malformed(String)

        public var description: String {
            switch self {
            case .unreachable(let why): "step-ca could not be reached: \(why)"
            case .rejected(let status, let message): "step-ca answered \(status): \(message)"
            case .fingerprintMismatch(let expected, let actual):
                "the CA's root has fingerprint \(actual), not \(expected)"
            case .malformed(let what): "malformed step-ca root: \(what)"
            }
        }
    }

    /// Lowercase hex SHA-256 of the first certificate's DER in `pem`.
    public static func fingerprint(pem: String) throws -> String {
        guard let document = try? PEMDocument(pemString: pem), document.discriminator == "CERTIFICATE" else {
            throw Failure.malformed("not a PEM certificate")
        }
        return SHA256.hash(data: document.derBytes).map { String(format: "%02x", $0) }.joined()
    }

    /// Returns the root PEM once its fingerprint matches `fingerprint` (lowercase hex).
    public static func fetch(baseURL: String, fingerprint: String, timeout: TimeAmount = .seconds(15)) async throws -> String {
        let base = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .none  // bootstrap only: the fingerprint check below is the trust
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        configuration.timeout = .init(connect: .seconds(10), read: timeout)
        configuration.redirectConfiguration = .disallow
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        let result: HTTPResult
        do {
            result = try await HTTPTransport(client: client, timeout: timeout).send(.GET, "\(base)/root/\(fingerprint)")
            try? await client.shutdown()
        } catch {
            try? await client.shutdown()
            throw Failure.unreachable(String(describing: error))
        }
        let object = (try? JSONSerialization.jsonObject(with: result.body)) as? [String: Any]
        guard result.status == 200 else {
            throw Failure.rejected(status: result.status, message: object?["message"] as? String ?? String(result.text.prefix(200)))
        }
        guard let pem = object?["ca"] as? String else { throw Failure.malformed("no \"ca\" in the answer") }
        let actual = try Self.fingerprint(pem: pem)
        guard actual == fingerprint.lowercased() else { throw Failure.fingerprintMismatch(expected: fingerprint, actual: actual) }
        return pem
    }
}
