import Foundation

/// The outcome of one remote command. stdout and stderr are kept apart, bytes as received.
public struct CommandResult: Sendable, Equatable {
    public var stdout: Data
    public var stderr: Data
    /// The remote exit status; -1 when the process was killed by a signal (see `exitSignal`).
    public var exitStatus: Int32
    public var exitSignal: String?
    public var duration: Duration
    /// The host key the server presented on this connection, when the transport saw it. Under
    /// `.trustOnFirstUse` this is always set: the caller records it as the pin and audits it.
    public var hostKey: HostKeyPin?
    /// The host key the jump host (bastion) presented, when the target was reached through one. Under a
    /// `.trustOnFirstUse` bastion policy this is the key to pin for the bastion, exactly as `hostKey` is for the target.
    public var jumpHostKey: HostKeyPin?
    public var transport: SSHTransportKind

    public init(
        stdout: Data, stderr: Data, exitStatus: Int32, exitSignal: String? = nil,
        duration: Duration, hostKey: HostKeyPin?, jumpHostKey: HostKeyPin? = nil, transport: SSHTransportKind
    ) {
        self.stdout = stdout
        self.stderr = stderr
        self.exitStatus = exitStatus
        self.exitSignal = exitSignal
        self.duration = duration
        self.hostKey = hostKey
        self.jumpHostKey = jumpHostKey
        self.transport = transport
    }

    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
    public var succeeded: Bool { exitStatus == 0 }
}
