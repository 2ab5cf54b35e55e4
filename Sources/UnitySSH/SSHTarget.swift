import Crypto
import Foundation

/// How Unity proves who it is to a server.
public enum SSHCredential: Sendable {
    case privateKey(SSHPrivateKey)
    case password(String)

    /// A stable, secret-free identity for pooling: the key fingerprint, or a digest of the password.
    var identity: String {
        switch self {
        case .privateKey(let key): "key:\(key.fingerprint)"
        case .password(let password): "pw:\(HostKeyPin.fingerprint(ofBlob: Data(password.utf8)))"
        }
    }
}

/// How the server's identity is checked.
public enum HostKeyPolicy: Sendable, Hashable {
    /// Accept only these keys. An empty list accepts nothing.
    case pinned([HostKeyPin])
    /// First contact: accept the presented key and return it in `CommandResult.hostKey` so the caller
    /// records (and audits) it, then switches the server to `.pinned`.
    case trustOnFirstUse

    var pins: [HostKeyPin] {
        if case .pinned(let pins) = self { return pins }
        return []
    }
}

/// How privileged commands are wrapped on this server.
public enum SudoPolicy: Sendable, Hashable {
    /// Run as is (root login, or no privilege needed).
    case none
    /// `sudo -n`: never prompts, fails at once when a password would be needed.
    case passwordless
    /// `sudo -S` with the password written to the remote stdin (never argv).
    case password(String)
}

/// Which transport runs the commands.
public enum SSHTransportKind: String, Sendable, Hashable, Codable {
    /// swift-nio-ssh unless the key or the host needs RSA, then the system OpenSSH client.
    case automatic
    case nio
    case openssh
}

/// Everything needed to reach one server. Value type: the app builds it from its rows on each use.
public struct SSHTarget: Sendable {
    public var host: String
    public var port: Int
    public var username: String
    public var credential: SSHCredential
    public var hostKeyPolicy: HostKeyPolicy
    public var sudo: SudoPolicy
    public var transport: SSHTransportKind
    public var connectTimeout: Duration
    // An array gives the recursive value its indirection; at most one element.
    private var jumpStorage: [SSHTarget]

    public init(
        host: String, port: Int = 22, username: String, credential: SSHCredential,
        hostKeyPolicy: HostKeyPolicy, jump: SSHTarget? = nil, sudo: SudoPolicy = .none,
        transport: SSHTransportKind = .automatic, connectTimeout: Duration = .seconds(10)
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.credential = credential
        self.hostKeyPolicy = hostKeyPolicy
        self.jumpStorage = jump.map { [$0] } ?? []
        self.sudo = sudo
        self.transport = transport
        self.connectTimeout = connectTimeout
    }

    /// A bastion reached first; the connection to this target is tunnelled through it (direct-tcpip / ProxyJump).
    public var jump: SSHTarget? {
        get { jumpStorage.first }
        set { jumpStorage = newValue.map { [$0] } ?? [] }
    }

    /// `host:port`, the unit for handshake limits and for "this host needs OpenSSH" memory.
    public var endpoint: String { "\(host):\(port)" }

    /// Pool key: a connection may be reused only for the same endpoint, user, credential, pins and route.
    /// Changing any of them (e.g. an admin accepting a new host key) gives a fresh connection.
    public var identity: String {
        let pins = hostKeyPolicy.pins.map(\.keyBase64).sorted().joined(separator: ",")
        let policy = pins.isEmpty && hostKeyPolicy == .trustOnFirstUse ? "tofu" : pins
        var text = "\(username)@\(endpoint)|\(credential.identity)|\(policy)"
        if let jump { text += "|via:" + jump.identity }
        return text
    }
}
