import Fluent
import UnityContainers
import UnityCore
import Vapor

/// TLS and plain-TCP container hosts: what `POST /container-hosts` accepts for them (every problem a
/// 422 naming its field), and the transport built from the certificate inventory when the engine is
/// reached. The client key leaves its sealed column only in `configuration`, for the TLS context.
enum ContainerHostTLS {
    static let plainTCPWarning = "Plain TCP: container control travels unencrypted and unauthenticated, and anyone who can "
        + "reach this port is root on the host. Use TLS (ca_certificate_id and client_certificate_id) instead."

    /// A new TLS (or, opted in, plain-TCP) host from the create body.
    static func host(name: String, serverID: UUID?, body: CreateContainerHostBody, on db: any Database) async throws -> ContainerHostRecord {
        guard let raw = body.endpoint, let endpoint = TCPEndpoint(parsing: raw) else {
            throw APIError.validation("endpoint", "tcp://HOST:PORT, e.g. tcp://nas.lan:2376")
        }
        if body.socketPath != nil { throw APIError.validation("socket_path", "a TCP host has no socket path; give endpoint or socket_path") }
        let host = ContainerHostRecord(name: name, transport: .tls, serverID: serverID, socketPath: nil, now: Date())
        host.endpoint = endpoint.description
        if body.insecurePlainTcp == true {
            guard body.caCertificateId == nil, body.clientCertificateId == nil else {
                throw APIError.validation("insecure_plain_tcp", "plain TCP uses no certificates: drop ca_certificate_id and client_certificate_id, or insecure_plain_tcp for TLS")
            }
            host.transport = ContainerHostRecord.TransportKind.tcp.rawValue
            host.insecurePlainTCP = true
            return host
        }
        host.caCertificateID = try await caCertificate(body.caCertificateId, on: db).requireID()
        host.clientCertificateID = try await clientCertificate(body.clientCertificateId, on: db).requireID()
        host.insecurePlainTCP = false
        return host
    }

    static func caCertificate(_ id: UUID?, on db: any Database) async throws -> CertificateRecord {
        guard let id else {
            throw APIError.validation("ca_certificate_id", "required for TLS: the CA that signed the daemon's certificate (or insecure_plain_tcp: true for plain TCP)")
        }
        guard let row = try await CertificateRecord.find(id, on: db) else { throw APIError.validation("ca_certificate_id", "no such certificate in the inventory") }
        guard row.isCA else {
            throw APIError.validation("ca_certificate_id", "\(row.name) is not a CA certificate (basicConstraints CA:true); pick the CA that signed the daemon's certificate")
        }
        return row
    }

    static func clientCertificate(_ id: UUID?, on db: any Database) async throws -> CertificateRecord {
        guard let id else {
            throw APIError.validation("client_certificate_id", "required for TLS: Unity's client certificate, signed by the CA the daemon trusts (dockerd --tlsverify)")
        }
        guard let row = try await CertificateRecord.find(id, on: db) else { throw APIError.validation("client_certificate_id", "no such certificate in the inventory") }
        guard row.sealedPrivateKey != nil else {
            throw APIError.validation("client_certificate_id", "Unity does not hold the private key of \(row.name); import the certificate with its key")
        }
        return row
    }

    /// The transport of a `tls` or `tcp` host.
    static func transport(for host: ContainerHostRecord, application: Application) async throws -> any ContainerTransport {
        guard let raw = host.endpoint, let endpoint = TCPEndpoint(parsing: raw) else {
            throw ContainerEngineError.transportUnavailable(endpoint: host.endpoint ?? host.name, reason: "the host has no tcp:// endpoint")
        }
        if host.transportKind == .tcp {
            return try PlainTCPTransport(host: endpoint.host, port: endpoint.port, allowInsecure: host.insecurePlainTCP == true)
        }
        let tls = try await configuration(ca: host.caCertificateID, client: host.clientCertificateID, db: application.db, secrets: application.unity.secrets)
        return try TLSSocketTransport(host: endpoint.host, port: endpoint.port, tls: tls)
    }

    /// The CA and client certificate from the inventory, the key opened from its sealed column.
    static func configuration(ca caID: UUID?, client clientID: UUID?, db: any Database, secrets: SecretBox) async throws -> ContainerTLSConfiguration {
        guard let caID, let ca = try await CertificateRecord.find(caID, on: db) else {
            throw ContainerEngineError.tlsConfigurationInvalid(reason: "the CA certificate is no longer in the inventory")
        }
        guard let clientID, let client = try await CertificateRecord.find(clientID, on: db), let sealed = client.sealedPrivateKey else {
            throw ContainerEngineError.tlsConfigurationInvalid(reason: "the client certificate or its key is no longer in the inventory")
        }
        let key = try CertificateRecord.keyColumn.open(sealed, id: client.requireID(), in: secrets)
        return ContainerTLSConfiguration(caPEM: ca.certificatePEM, clientCertificatePEM: client.certificatePEM + client.chainPEM, clientKeyPEM: key)
    }
}
