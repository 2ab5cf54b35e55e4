import Crypto
import Foundation
import UnityCore
import NIOConcurrencyHelpers

/// Drives the system OpenSSH client for what swift-nio-ssh cannot do: RSA user keys and RSA-only hosts.
/// Same contract as `NIOSSHTransport`: strict pinning (a known_hosts file written only from pins),
/// the same timeouts, quoting and errors. Connections are pooled by ControlMaster/ControlPersist.
public final class OpenSSHTransport: SSHExecutor {
    let sshPath: String
    private let keyscanPath: String
    private let folder: TransportFolder
    private var baseDirectory: String { folder.path }
    private let channelsPerConnection: Int
    private let gates = NIOLockedValueBox<[String: (endpoint: String, gate: AsyncGate)]>([:])

    /// - Parameter workspace: where this transport's private folder (control sockets, known_hosts,
    ///   key files while a command runs) is made; the app's is under its data folder.
    public init(
        workspace: OpenSSHWorkspace, sshPath: String = "/usr/bin/ssh", keyscanPath: String = "/usr/bin/ssh-keyscan",
        channelsPerConnection: Int = 8
    ) throws {
        self.sshPath = sshPath
        self.keyscanPath = keyscanPath
        self.channelsPerConnection = channelsPerConnection
        self.folder = try workspace.makeTransportFolder()
    }

    public func run(
        _ command: RemoteCommand, on target: SSHTarget, timeout: Duration, maxOutput: Int
    ) async throws -> CommandResult {
        try await execute(command, on: target, timeout: timeout, maxOutput: maxOutput, gated: true)
    }

    /// `gated: false` only for the short `kill` a stream's close sends: every slot may be held by
    /// streams, and the kill is what frees one (sshd's MaxSessions 10 leaves room above our 8).
    func execute(
        _ command: RemoteCommand, on target: SSHTarget, timeout: Duration, maxOutput: Int, gated: Bool
    ) async throws -> CommandResult {
        let start = ContinuousClock.now
        let call = try prepareCall(for: target)
        defer { call.removeFiles() }
        let prepared = command.prepared(for: target.sudo)
        let gate = self.gate(for: target, directory: call.directory)
        let runSSH = { () async throws -> ProcessRunner.Output in
            do {
                return try await ProcessRunner.run(
                    self.sshPath, call.arguments(prepared.line), stdin: prepared.stdin, timeout: timeout, maxOutput: maxOutput
                )
            } catch let error as ProcessError {
                throw SSHError(error)
            }
        }
        let output = gated ? try await gate.withSlot(runSSH) : try await runSSH()
        let stderr = call.jumpStderr() + String(decoding: output.stderr, as: UTF8.self)
        try await checkDiagnostics(status: output.status, stderr: stderr, target: target)
        return CommandResult(
            stdout: output.stdout, stderr: output.stderr, exitStatus: output.status, duration: .now - start,
            hostKey: learnedKey(call.knownHosts, hop: target, learning: call.learning),
            jumpHostKey: target.jump.flatMap { learnedKey(call.knownHosts, hop: $0, learning: call.learning) },
            transport: .openssh
        )
    }

    /// Throws when ssh's own diagnostics say it failed (rather than the remote command).
    func checkDiagnostics(status: Int32, stderr: String, target: SSHTarget) async throws {
        switch OpenSSHDiagnostics.classify(status: status, stderr: stderr) {
        case .hostKeyMismatch(let fingerprint):
            // ProxyJump's own ssh writes to the same stderr: its refusal names the bastion.
            if let jump = target.jump, OpenSSHDiagnostics.refusalNames(OpenSSHConfigFile.knownHostsName(jump), in: stderr) {
                throw await refusal(for: jump, fingerprint: fingerprint).onJumpHost()
            }
            throw await refusal(for: target, fingerprint: fingerprint)
        case .error(let error):
            throw error
        case .remoteExit:
            return
        }
    }

    /// The per-call files of one ssh invocation: its config, known_hosts and key files.
    struct Call: Sendable {
        let directory: String
        let config: String
        let knownHosts: String
        let jumpLog: String?
        let learning: Bool
        let created: [String]

        func arguments(_ line: String) -> [String] {
            ["-F", config, "-T", OpenSSHConfigFile.targetAlias, "--", line]
        }

        func jumpStderr() -> String {
            jumpLog.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) } ?? ""
        }

        func removeFiles() {
            created.forEach(PrivateFile.remove)
        }
    }

    func prepareCall(for target: SSHTarget) throws -> Call {
        try OpenSSHConfigFile.checkSafe(target)
        // A hop under trust on first use learns its key into a per-call file (read back below, never
        // kept) and gets no ControlMaster: a master would outlive the decision to pin.
        let learning = target.hostKeyPolicy == .trustOnFirstUse || target.jump?.hostKeyPolicy == .trustOnFirstUse
        let directory = try connectionDirectory(for: target)
        let call = "\(directory)/\(UInt64.random(in: .min ... .max))"
        var created = ["\(call).conf"]
        do {
            let knownHosts = learning ? "\(call).known" : "\(directory)/known_hosts"
            if learning { created.append(knownHosts) }
            try PrivateFile.write(OpenSSHConfigFile.knownHosts(for: target), to: knownHosts)
            let identity = try writeKey(target.credential, to: "\(call).key", created: &created)
            let jumpIdentity = try target.jump.map { try writeKey($0.credential, to: "\(call).jkey", created: &created) } ?? nil
            var paths = OpenSSHConfigFile.Paths(
                directory: directory, knownHosts: knownHosts, controlPath: learning ? nil : "\(directory)/c",
                identity: identity, jumpIdentity: jumpIdentity
            )
            paths.sshPath = sshPath
            paths.config = "\(call).conf"
            if target.jump != nil {
                paths.jumpLog = "\(call).jerr"
                created.append("\(call).jerr")
                try PrivateFile.write("", to: "\(call).jerr")
            }
            try PrivateFile.write(OpenSSHConfigFile.render(target: target, paths: paths), to: "\(call).conf")
            return Call(directory: directory, config: "\(call).conf", knownHosts: knownHosts, jumpLog: paths.jumpLog,
                        learning: learning, created: created)
        } catch {
            created.forEach(PrivateFile.remove)
            throw error
        }
    }

    private func refusal(for hop: SSHTarget, fingerprint: String?) async -> SSHError {
        let presented = await scanHostKey(hop, matching: fingerprint)
        let pins = hop.hostKeyPolicy.pins
        if pins.isEmpty, let presented { return .hostKeyUnknown(presented: presented) }
        return .hostKeyChanged(expected: pins, presented: presented)
    }

    /// Under TOFU ssh ran with `accept-new` on a file holding no key for that hop: what it wrote is
    /// exactly the key it verified. A pinned hop reports nothing (its key is the pin).
    private func learnedKey(_ path: String, hop: SSHTarget, learning: Bool) -> HostKeyPin? {
        guard learning, hop.hostKeyPolicy == .trustOnFirstUse,
              let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return HostKeyPin.pins(inKnownHosts: text, host: hop.host, port: hop.port).first
    }

    /// After a refusal, fetch the new key for the admin to review. Informational only: it is
    /// reported, never trusted, and kept only if it matches the fingerprint ssh printed.
    private func scanHostKey(_ target: SSHTarget, matching fingerprint: String?) async -> HostKeyPin? {
        guard target.jump == nil,
              let output = try? await ProcessRunner.run(
                keyscanPath, ["-T", "5", "-p", String(target.port), target.host], timeout: .seconds(10), maxOutput: 1 << 16
              ) else { return nil }
        let pins = HostKeyPin.pins(inKnownHosts: String(decoding: output.stdout, as: UTF8.self), host: target.host, port: target.port)
        guard let fingerprint else { return pins.first }
        return pins.first { $0.fingerprint == fingerprint }
    }

    private func writeKey(_ credential: SSHCredential, to path: String, created: inout [String]) throws(SSHError) -> String? {
        switch credential {
        case .privateKey(let key):
            created.append(path)
            try PrivateFile.write(key.openSSHFileText(), to: path)
            return path
        case .password:
            // BatchMode forbids prompts; password logins stay on the swift-nio-ssh transport.
            throw .unsupportedKey("password authentication is not available on the OpenSSH transport")
        }
    }

    /// One directory per target identity: its control socket and known_hosts belong to exactly one
    /// (endpoint, user, credential, pins) combination, so a changed pin never reuses an old master.
    private func connectionDirectory(for target: SSHTarget) throws(SSHError) -> String {
        let digest = SHA256.hash(data: Data(target.identity.utf8)).prefix(8).map { String(format: "%02x", $0) }.joined()
        let directory = "\(baseDirectory)/\(digest)"
        try PrivateFile.makeDirectory(directory)
        return directory
    }

    func gate(for target: SSHTarget, directory: String) -> AsyncGate {
        gates.withLockedValue { gates in
            if let existing = gates[directory] { return existing.gate }
            let gate = AsyncGate(limit: channelsPerConnection)
            gates[directory] = (target.endpoint, gate)
            return gate
        }
    }

    public func invalidate(_ target: SSHTarget) async {
        let directories = gates.withLockedValue { gates in
            gates.filter { $0.value.endpoint == target.endpoint }.map(\.key)
        }
        for directory in directories { await stopMaster(directory) }
    }

    public func shutdown() async {
        let directories = gates.withLockedValue { Array($0.keys) }
        for directory in directories { await stopMaster(directory) }
        folder.remove()
    }

    private func stopMaster(_ directory: String) async {
        let socket = "\(directory)/c"
        guard FileManager.default.fileExists(atPath: socket) else { return }
        _ = try? await ProcessRunner.run(
            sshPath, ["-F", "/dev/null", "-o", "ControlPath=\(socket)", "-O", "exit", "unity"],
            timeout: .seconds(5), maxOutput: 1 << 16
        )
    }
}
