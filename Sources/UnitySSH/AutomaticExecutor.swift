import NIOConcurrencyHelpers

/// The executor the app uses: swift-nio-ssh by default, the system OpenSSH client when the user key
/// is RSA, when only RSA host keys are pinned, or when a host turned out to offer only RSA host keys
/// (remembered per endpoint). `SSHTarget.transport` can force either transport.
public final class AutomaticExecutor: SSHExecutor {
    public let nio: NIOSSHTransport
    public let openSSH: OpenSSHTransport
    private let rsaOnlyEndpoints = NIOLockedValueBox<Set<String>>([])

    public init(nio: NIOSSHTransport, openSSH: OpenSSHTransport) {
        self.nio = nio
        self.openSSH = openSSH
    }

    public convenience init(configuration: SSHPoolConfiguration = .init(), workspace: OpenSSHWorkspace) throws {
        self.init(nio: NIOSSHTransport(configuration: configuration), openSSH: try OpenSSHTransport(workspace: workspace))
    }

    /// The transport `run` would pick right now (for the app's server page).
    public func transport(for target: SSHTarget) -> SSHTransportKind {
        switch target.transport {
        case .nio, .openssh: return target.transport
        case .automatic: return needsOpenSSH(target) ? .openssh : .nio
        }
    }

    public func run(
        _ command: RemoteCommand, on target: SSHTarget, timeout: Duration, maxOutput: Int
    ) async throws -> CommandResult {
        guard transport(for: target) == .nio else {
            return try await openSSH.run(command, on: target, timeout: timeout, maxOutput: maxOutput)
        }
        do {
            return try await nio.run(command, on: target, timeout: timeout, maxOutput: maxOutput)
        } catch let error as SSHError where target.transport == .automatic && Self.isRSAHint(error) {
            // Nothing was sent: the handshake stopped before authentication. OpenSSH negotiates the
            // pinned (or RSA) host-key algorithm and still checks strictly against the pins.
            rememberRSAOnly(target)
            return try await openSSH.run(command, on: target, timeout: timeout, maxOutput: maxOutput)
        }
    }

    public func invalidate(_ target: SSHTarget) async {
        rsaOnlyEndpoints.withLockedValue { _ = $0.remove(target.endpoint) }
        await nio.invalidate(target)
        await openSSH.invalidate(target)
    }

    public func shutdown() async {
        await nio.shutdown()
        await openSSH.shutdown()
    }

    func rememberRSAOnly(_ target: SSHTarget) {
        rsaOnlyEndpoints.withLockedValue { _ = $0.insert(target.endpoint) }
    }

    static func isRSAHint(_ error: SSHError) -> Bool {
        switch error {
        case .hostRequiresRSA, .hostKeyAlgorithmNotPinned: true
        // The bastion offered an algorithm without a pin: OpenSSH asks it for the pinned one.
        case .jumpHostKeyRefused(let refusal): isRSAHint(refusal)
        default: false
        }
    }

    private func needsOpenSSH(_ target: SSHTarget) -> Bool {
        if case .privateKey(let key) = target.credential, key.requiresOpenSSH { return true }
        let pins = target.hostKeyPolicy.pins
        if !pins.isEmpty, !pins.contains(where: \.isNIOCompatible) { return true }
        if rsaOnlyEndpoints.withLockedValue({ $0.contains(target.endpoint) }) { return true }
        // A tunnel is one transport end to end: if the bastion needs OpenSSH, so does the hop behind it.
        return target.jump.map(needsOpenSSH) ?? false
    }
}
