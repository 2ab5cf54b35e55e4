import Foundation
import NIOCore
import NIOSSH

/// The raw outcome of one exec channel, before the transport adds timing and the host key.
struct ExecOutcome: Sendable {
    var stdout: Data
    var stderr: Data
    var exitStatus: Int32
    var exitSignal: String?
}

/// Tells an exec channel to stop (timeout, cancellation). Sendable, so any thread can fire it.
struct ExecAbort: Sendable {
    let error: SSHError
}

/// Runs one command on a session channel: sends `exec` (want-reply), then stdin and EOF, collects
/// stdout/stderr separately under a byte cap, and completes once with the exit status.
/// Confined to the child channel's event loop, like every NIO handler.
final class ExecHandler: ChannelDuplexHandler {
    typealias InboundIn = SSHChannelData
    typealias InboundOut = Never
    typealias OutboundIn = Never
    typealias OutboundOut = SSHChannelData

    private let command: PreparedCommand
    private let maxOutput: Int
    private let promise: EventLoopPromise<ExecOutcome>
    private var stdout: ByteBuffer
    private var stderr: ByteBuffer
    private var exitStatus: Int32?
    private var exitSignal: String?
    private var done = false

    init(command: PreparedCommand, maxOutput: Int, promise: EventLoopPromise<ExecOutcome>, allocator: ByteBufferAllocator) {
        self.command = command
        self.maxOutput = maxOutput
        self.promise = promise
        self.stdout = allocator.buffer(capacity: 0)
        self.stderr = allocator.buffer(capacity: 0)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        // Keep the channel open after the server's EOF: the exit status may arrive after it.
        context.channel.setOption(ChannelOptions.allowRemoteHalfClosure, value: true).assumeIsolated()
            .whenFailure { error in self.finish(context: context, .failure(SSHError.from(error))) }
    }

    func channelActive(context: ChannelHandlerContext) {
        let request = SSHChannelRequestEvent.ExecRequest(command: command.line, wantReply: true)
        context.triggerUserOutboundEvent(request).assumeIsolated()
            .whenFailure { error in self.finish(context: context, .failure(SSHError.from(error))) }
        context.fireChannelActive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case is ChannelSuccessEvent:
            // exec accepted: send stdin (the sudo password, if any), then EOF so nothing waits on input.
            if let stdin = command.stdin {
                var buffer = context.channel.allocator.buffer(capacity: stdin.count)
                buffer.writeBytes(stdin)
                context.write(wrapOutboundOut(SSHChannelData(type: .channel, data: .byteBuffer(buffer))), promise: nil)
                context.flush()
            }
            context.close(mode: .output, promise: nil)
        case is ChannelFailureEvent:
            finish(context: context, .failure(.transport("the server refused to run the command")))
        case let status as SSHChannelRequestEvent.ExitStatus:
            exitStatus = Int32(truncatingIfNeeded: status.exitStatus)
        case let signal as SSHChannelRequestEvent.ExitSignal:
            exitSignal = signal.signalName
        case let abort as ExecAbort:
            finish(context: context, .failure(abort.error))
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let message = unwrapInboundIn(data)
        guard case .byteBuffer(var bytes) = message.data, !done else { return }
        if stdout.readableBytes + stderr.readableBytes + bytes.readableBytes > maxOutput {
            finish(context: context, .failure(.outputTooLarge(limit: maxOutput)))
            return
        }
        switch message.type {
        case .channel: stdout.writeBuffer(&bytes)
        case .stdErr: stderr.writeBuffer(&bytes)
        default: break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let exitStatus {
            finish(context: context, .success(outcome(exitStatus)))
        } else if exitSignal != nil {
            finish(context: context, .success(outcome(-1)))
        } else {
            finish(context: context, .failure(.connectionClosed))
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        finish(context: context, .failure(SSHError.from(error)))
    }

    private func outcome(_ status: Int32) -> ExecOutcome {
        ExecOutcome(
            stdout: Data(stdout.readableBytesView), stderr: Data(stderr.readableBytesView),
            exitStatus: status, exitSignal: exitSignal
        )
    }

    /// Completes the promise exactly once; on failure the channel is closed so the remote process gets SIGPIPE/EOF.
    private func finish(context: ChannelHandlerContext, _ result: Result<ExecOutcome, SSHError>) {
        guard !done else { return }
        done = true
        switch result {
        case .success(let outcome):
            promise.succeed(outcome)
        case .failure(let error):
            promise.fail(error)
            context.close(promise: nil)
        }
    }
}
