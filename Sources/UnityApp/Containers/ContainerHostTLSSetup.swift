import Fluent
import UnityCertificates
import UnityContainers
import Vapor

struct SetupContainerHostTLSBody: Content, APIExample {
    /// The daemon's TLS port (2376 by default).
    var port: Int?
    /// Folder on the server for ca.pem, server-cert.pem and server-key.pem (default /etc/docker/unity-tls).
    var directory: String?
    /// Validity of the daemon's and Unity's certificates in days (default 365).
    var validityDays: Int?
    static var example: SetupContainerHostTLSBody { .init(port: 2376, directory: "/etc/docker/unity-tls", validityDays: 365) }
}

struct ContainerHostTLSSetupDTO: Content, APIExample {
    var host: ContainerHostDTO
    var caCertificateId: UUID
    var serverCertificateId: UUID
    var clientCertificateId: UUID
    /// What was written on the server.
    var files: [String]
    /// True when dockerd already answered over TLS with these files: the host now uses TLS.
    var daemonListening: Bool
    var daemonErrorCode: String?
    /// The daemon.json members and dockerd flags that make Docker listen with these files.
    var daemonJson: String
    var dockerdFlags: String
    var message: String

    static var example: ContainerHostTLSSetupDTO {
        .init(host: .example, caCertificateId: UUID(), serverCertificateId: UUID(), clientCertificateId: UUID(),
              files: ["/etc/docker/unity-tls/ca.pem"], daemonListening: false, daemonErrorCode: "container_engine_down",
              daemonJson: #"{"tlscacert": "/etc/docker/unity-tls/ca.pem"}"#, dockerdFlags: "-H tcp://0.0.0.0:2376 --tlsverify",
              message: "files deployed; restart dockerd with TLS, then run the set-up again")
    }
}

/// "Docker on this server listens on TLS" in one call: the internal CA issues the daemon's server
/// certificate (SAN = the server's address) and Unity's client certificate, the daemon's files go
/// to the server over its SSH connection (all or none), and the host records the TLS endpoint. It
/// switches to TLS only once dockerd answers there, so an SSH host keeps working until dockerd is
/// restarted with the printed configuration (Unity does not edit daemon.json or restart Docker).
enum ContainerHostTLSSetup {
    static func setup(_ request: Request) async throws -> ContainerHostTLSSetupDTO {
        let host = try await ContainerHostsController.find(request)
        let body = request.body.data == nil ? SetupContainerHostTLSBody() : try request.decodeBody(SetupContainerHostTLSBody.self)
        let port = body.port ?? 2376
        guard (1...65_535).contains(port) else { throw APIError.validation("port", "1 to 65535") }
        let directory = body.directory ?? "/etc/docker/unity-tls"
        guard directory.hasPrefix("/"), directory.count > 1, directory.count <= 200, !directory.hasSuffix("/"),
              !directory.split(separator: "/").contains(".."), !directory.contains(where: { $0.isNewline || $0 == "\0" }) else {
            throw APIError.validation("directory", "an absolute folder path such as /etc/docker/unity-tls")
        }
        let validity = body.validityDays ?? 365
        guard (1...3_650).contains(validity) else { throw APIError.validation("validity_days", "1 to 3650") }
        guard let serverID = host.serverID, let server = try await MonitoredServer.find(serverID, on: request.db) else {
            throw APIError.conflict("TLS set-up needs a container host on a monitored server: Unity deploys the daemon's files over its SSH connection")
        }

        let ca = try await CertificatesController.internalCA(request, createIfMissing: true)
        let address = server.address
        let isIP = address.contains(":") || address.split(separator: ".").count == 4 && address.allSatisfy { ("0"..."9").contains($0) || $0 == "." }
        let daemon: IssuedCertificate, client: IssuedCertificate
        do {
            daemon = try ca.issue(LeafRequest(dnsNames: isIP ? [] : [address], ipAddresses: isIP ? [address] : [], validityDays: validity))
            client = try ca.issue(LeafRequest(dnsNames: ["unity-docker-client"], validityDays: validity, clientAuth: true))
        } catch {
            throw APIError.conflict("cannot issue a certificate for \(address): \(error)")
        }
        let files = [RemoteFile(path: "\(directory)/ca.pem", contents: ca.rootPEM, mode: "0644"),
                     RemoteFile(path: "\(directory)/server-cert.pem", contents: daemon.certificatePEM, mode: "0644"),
                     RemoteFile(path: "\(directory)/server-key.pem", contents: daemon.privateKeyPEM, mode: "0600")]
        let target = try await ServerTargets.target(for: server, request: request)
        if let failure = await RemoteFileSetWriter(executor: request.unity.ssh).write(files, owner: nil, creatingDirectory: directory, on: target) {
            throw APIError(status: .badGateway, code: "container_tls_deploy_failed",
                           message: "\(failure.description) (on \(server.name); its files were left as they were)")
        }

        // Stored only once deployed, so a failed set-up leaves no certificates behind.
        let caRecord = try await inventoryRoot(ca, request: request)
        let label = String(server.name.prefix(60))
        let serverRecord = try await CertificatesController.store(name: "docker daemon \(label)", source: "internal_ca", leaf: daemon.certificate,
                                                                  chain: daemon.chain, keyPEM: daemon.privateKeyPEM, request: request)
        let clientRecord = try await CertificatesController.store(name: "unity docker client \(label)", source: "internal_ca", leaf: client.certificate,
                                                                  chain: client.chain, keyPEM: client.privateKeyPEM, request: request)
        let endpoint = TCPEndpoint(host: address, port: port)
        host.endpoint = endpoint.description
        host.caCertificateID = try caRecord.requireID()
        host.serverCertificateID = try serverRecord.requireID()
        host.clientCertificateID = try clientRecord.requireID()
        host.insecurePlainTCP = false

        let tls = ContainerTLSConfiguration(caPEM: ca.rootPEM, clientCertificatePEM: client.fullChainPEM, clientKeyPEM: client.privateKeyPEM)
        var daemonError: ContainerEngineError?
        do {
            _ = try await DockerAPIEngine(transport: try TLSSocketTransport(host: endpoint.host, port: port, tls: tls)).facts()
        } catch let error as ContainerEngineError {
            daemonError = error
        }
        if daemonError == nil { host.transport = ContainerHostRecord.TransportKind.tls.rawValue }
        try await host.save(on: request.db)
        if daemonError == nil { _ = try? await ContainerDiscovery.run(host, application: request.application, database: request.db) }

        request.audit.targetID = host.id?.uuidString
        request.audit.details["server"] = server.name
        request.audit.details["directory"] = directory
        request.audit.details["daemon_listening"] = String(daemonError == nil)
        let (json, flags) = daemonConfiguration(directory: directory, port: port)
        return ContainerHostTLSSetupDTO(
            host: try ContainerHostDTO(host), caCertificateId: host.caCertificateID!, serverCertificateId: host.serverCertificateID!,
            clientCertificateId: host.clientCertificateID!, files: files.map(\.path), daemonListening: daemonError == nil,
            daemonErrorCode: daemonError?.code, daemonJson: json, dockerdFlags: flags,
            message: daemonError == nil
                ? "dockerd answers over TLS at \(endpoint); the host now uses TLS"
                : "files deployed to \(server.name):\(directory); configure dockerd with them (daemon_json, dockerd_flags), restart it, then run the set-up again to switch this host to TLS")
    }

    /// The internal CA's root as an inventory certificate (no key), so a host can refer to it by id.
    static func inventoryRoot(_ ca: InternalCA, request: Request) async throws -> CertificateRecord {
        if let row = try await CertificateRecord.query(on: request.db).filter(\.$fingerprint == ca.root.sha256Fingerprint).first() { return row }
        return try await CertificatesController.store(name: "Unity Internal CA", source: "internal_ca", leaf: ca.root, chain: [], keyPEM: nil, request: request)
    }

    /// What dockerd needs: the files in daemon.json, `--tlsverify` and the TCP listener as flags
    /// (dockerd 20.10 turns client-certificate checking on only from the flag, and a `hosts` entry in
    /// daemon.json conflicts with the `-H fd://` of Debian's and Docker's systemd unit).
    static func daemonConfiguration(directory: String, port: Int) -> (json: String, flags: String) {
        let json = """
        {
          "tlscacert": "\(directory)/ca.pem",
          "tlscert": "\(directory)/server-cert.pem",
          "tlskey": "\(directory)/server-key.pem"
        }
        """
        return (json, "-H fd:// -H tcp://0.0.0.0:\(port) --tlsverify")
    }
}
