import NIOConcurrencyHelpers
import NIOCore
import NIOSSH

/// What the handshake learned, shared between the event loop and the awaiting task.
final class HandshakeRecord: Sendable {
    private let state = NIOLockedValueBox<(presented: HostKeyPin?, refusal: SSHError?)>((nil, nil))

    var presented: HostKeyPin? { state.withLockedValue { $0.presented } }
    var refusal: SSHError? { state.withLockedValue { $0.refusal } }

    func record(presented: HostKeyPin, refusal: SSHError?) {
        state.withLockedValue { $0 = (presented, refusal) }
    }
}

/// Checks the server's host key against the target's policy. Unlike nio-ssh's example delegate,
/// it accepts a key only when `HostKeyVerifier` says so.
final class PinningHostKeyDelegate: NIOSSHClientServerAuthenticationDelegate {
    private let policy: HostKeyPolicy
    private let record: HandshakeRecord

    init(policy: HostKeyPolicy, record: HandshakeRecord) {
        self.policy = policy
        self.record = record
    }

    func validateHostKey(hostKey: NIOSSHPublicKey, validationCompletePromise: EventLoopPromise<Void>) {
        guard let presented = try? HostKeyPin(line: String(openSSHPublicKey: hostKey)) else {
            // A certificate or a type we cannot express as a pin: never trusted.
            let error = SSHError.unsupportedKey("host presented an unsupported key type")
            validationCompletePromise.fail(error)
            return
        }
        let refusal = HostKeyVerifier.refusal(presented: presented, policy: policy)
        record.record(presented: presented, refusal: refusal)
        if let refusal {
            validationCompletePromise.fail(refusal)
        } else {
            validationCompletePromise.succeed(())
        }
    }
}

/// Offers the single configured credential once. A second request means the server rejected it:
/// fail with `.authenticationFailed` instead of looping.
final class SingleCredentialDelegate: NIOSSHClientUserAuthenticationDelegate {
    private let username: String
    private let credential: SSHCredential
    private var offered = false

    init(username: String, credential: SSHCredential) {
        self.username = username
        self.credential = credential
    }

    func nextAuthenticationType(
        availableMethods: NIOSSHAvailableUserAuthenticationMethods,
        nextChallengePromise: EventLoopPromise<NIOSSHUserAuthenticationOffer?>
    ) {
        guard !offered else {
            nextChallengePromise.fail(SSHError.authenticationFailed)
            return
        }
        offered = true
        switch credential {
        case .privateKey(let key):
            guard availableMethods.contains(.publicKey), let nioKey = key.nioKey else {
                nextChallengePromise.fail(key.nioKey == nil ? SSHError.unsupportedKey("RSA user key") : .authenticationFailed)
                return
            }
            nextChallengePromise.succeed(.init(username: username, serviceName: "", offer: .privateKey(.init(privateKey: nioKey))))
        case .password(let password):
            guard availableMethods.contains(.password) else {
                nextChallengePromise.fail(SSHError.authenticationFailed)
                return
            }
            nextChallengePromise.succeed(.init(username: username, serviceName: "", offer: .password(.init(password: password))))
        }
    }
}

/// Sits behind `NIOSSHHandler` on the connection channel: completes `ready` when user auth succeeds,
/// fails it with the first error, and closes the connection on any later error.
final class ConnectionStateHandler: ChannelInboundHandler {
    typealias InboundIn = Any

    private let ready: EventLoopPromise<Void>
    private let record: HandshakeRecord
    private var settled = false

    init(ready: EventLoopPromise<Void>, record: HandshakeRecord) {
        self.ready = ready
        self.record = record
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is UserAuthSuccessEvent, !settled {
            settled = true
            ready.succeed(())
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        settle(record.refusal ?? SSHError.from(error))
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        settle(record.refusal ?? .connectionClosed)
        context.fireChannelInactive()
    }

    private func settle(_ error: SSHError) {
        guard !settled else { return }
        settled = true
        ready.fail(error)
    }
}
