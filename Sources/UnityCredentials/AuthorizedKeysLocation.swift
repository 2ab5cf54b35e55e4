import UnitySSH

/// Where a server's sshd reads the login user's keys. A relative path is resolved against the login
/// user's `$HOME` on the server (expanded there, so a literal `~` is never quoted into a command);
/// an absolute path is used as is (`AuthorizedKeysFile /etc/ssh/authorized_keys/%u` setups).
public struct AuthorizedKeysLocation: Sendable, Hashable, CustomStringConvertible {
    public let path: String

    public init(_ path: String) { self.path = path }

    /// OpenSSH's default: `~/.ssh/authorized_keys` of the login user.
    public static let userDefault = AuthorizedKeysLocation(".ssh/authorized_keys")

    public var description: String { path.hasPrefix("/") ? path : "$HOME/\(path)" }
}

/// One server a key job works on: Unity's current access to it, and its authorized_keys file
/// (of `access.username`, the login user).
public struct ManagedServer: Sendable {
    /// The app's name or id for the server, echoed in results and progress events.
    public var id: String
    public var access: SSHTarget
    public var authorizedKeys: AuthorizedKeysLocation

    public init(id: String, access: SSHTarget, authorizedKeys: AuthorizedKeysLocation = .userDefault) {
        self.id = id
        self.access = access
        self.authorizedKeys = authorizedKeys
    }
}
