import UnitySSH

/// Where and how a certificate goes onto a server, and how to check the service picked it up.
public struct DeploymentPlan: Sendable {
    /// Leaf + chain (`fullchain.pem` style) unless `chainPath` is set, then the leaf alone.
    public var certificatePath: String
    /// A separate chain file, for services configured with one (Apache's SSLCertificateChainFile).
    public var chainPath: String?
    public var keyPath: String
    /// `user` or `user:group` for chown; nil keeps whoever writes (the SSH user, or root under sudo).
    public var owner: String?
    public var certificateMode: String
    public var keyMode: String
    /// Makes the service load the new files, e.g. `systemctl reload nginx`.
    public var reload: RemoteCommand
    /// The TLS endpoint to probe afterwards, and the SNI that selects this certificate there.
    public var verifyHost: String
    public var verifyPort: Int
    public var verifyServerName: String?
    /// How long to keep probing for the new serial after the reload (services reload asynchronously).
    public var verifyWindow: Duration
    public var verifyInterval: Duration

    public init(
        certificatePath: String, chainPath: String? = nil, keyPath: String, owner: String? = nil,
        certificateMode: String = "0644", keyMode: String = "0600", reload: RemoteCommand,
        verifyHost: String, verifyPort: Int = 443, verifyServerName: String? = nil,
        verifyWindow: Duration = .seconds(10), verifyInterval: Duration = .milliseconds(250)
    ) {
        self.certificatePath = certificatePath
        self.chainPath = chainPath
        self.keyPath = keyPath
        self.owner = owner
        self.certificateMode = certificateMode
        self.keyMode = keyMode
        self.reload = reload
        self.verifyHost = verifyHost
        self.verifyPort = verifyPort
        self.verifyServerName = verifyServerName
        self.verifyWindow = verifyWindow
        self.verifyInterval = verifyInterval
    }
}

/// What is deployed: leaf, issuers and the key, checked to belong together.
public struct DeployableCertificate: Sendable {
    public var leaf: ParsedCertificate
    public var chain: [ParsedCertificate]
    public var privateKeyPEM: String

    public init(_ issued: IssuedCertificate) {
        leaf = issued.certificate
        chain = issued.chain
        privateKeyPEM = issued.privateKeyPEM
    }

    /// Throws `.noPrivateKey` when the bundle was imported without its key.
    public init(_ bundle: CertificateBundle) throws(CertificateError) {
        guard let key = bundle.privateKey else { throw .noPrivateKey }
        leaf = bundle.leaf
        chain = bundle.chain
        privateKeyPEM = key.pem
    }
}

/// How a deployment ended. Only `.deployed` is a success: a reload that "worked" while the
/// service still serves the old certificate is the failure this whole check exists for.
public enum DeploymentOutcome: Sendable, Equatable, CustomStringConvertible {
    case deployed(verifiedSerial: String)
    case renewedButNotServed(servedSerial: String)
    case reloadFailed(exitStatus: Int32, stderr: String)
    case writeFailed(path: String, message: String)
    case verifyUnreachable(message: String)

    public var succeeded: Bool {
        if case .deployed = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .deployed(let serial): "deployed; the service now serves serial \(serial)"
        case .renewedButNotServed(let served): "files written and reloaded, but the service still serves serial \(served)"
        case .reloadFailed(let status, let stderr): "reload command failed (exit \(status)): \(stderr)"
        case .writeFailed(let path, let message): "could not write \(path): \(message)"
        case .verifyUnreachable(let message): "files written and reloaded, but the service could not be probed: \(message)"
        }
    }
}
