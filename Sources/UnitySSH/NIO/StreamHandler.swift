import NIOConcurrencyHelpers
import NIOCore
import NIOSSH

/// The NIO side of an `SSHCommandStream`: sends `exec` (want-reply), then the prepared stdin (a sudo
/// password) without EOF, and feeds stdout, stderr, EOF and the exit into the stream's inbox.
/// Reads only on demand (autoRead off): while the inbox is full, the peer's window closes and the
/// remote command is held back. Confined to the child channel's event loop.
final class StreamHandler: ChannelInboundHandler {
    typealias InboundIn = SSHChannelData

    private let command: PreparedCommand
    private let inbox: StreamInbox
    /// Succeeded once the server accepted the exec request.
    private let opened: EventLoopPromise<Void>
    private var exit: SSHStreamExit?
    private var markers: StreamMarkers.Filter
    /// The remote process group, once the wrapper reported it (see `StreamMarkers`).
    let processGroup: NIOLockedValueBox<Int?>

    init(command: PreparedCommand, markers: StreamMarkers, inbox: StreamInbox, opened: EventLoopPromise<Void>,
         processGroup: NIOLockedValueBox<Int?>) {
        self.command = command
        self.markers = StreamMarkers.Filter(nonce: markers.nonce)
        self.inbox = inbox
        self.opened = opened
        self.processGroup = processGroup
    }

    func handlerAdded(context: ChannelHandlerContext) {
        // Keep the channel open after the server's EOF: the exit status may arrive after it.
        let channel = context.channel
        channel.setOption(ChannelOptions.allowRemoteHalfClosure, value: true)
            .flatMap { channel.setOption(ChannelOptions.autoRead, value: false) }
            .whenFailure { [opened] error in opened.fail(SSHError.from(error)) }
    }

    func channelActive(context: ChannelHandlerContext) {
        let request = SSHChannelRequestEvent.ExecRequest(command: command.line, wantReply: true)
        context.triggerUserOutboundEvent(request).whenFailure { [opened] error in opened.fail(SSHError.from(error)) }
        context.fireChannelActive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case is ChannelSuccessEvent:
            if let stdin = command.stdin, !stdin.isEmpty {
                context.writeAndFlush(wrapOutbound(Array(stdin), context: context), promise: nil)
            }
            opened.succeed(())
            if inbox.wantsMore { context.read() }
        case is ChannelFailureEvent:
            opened.fail(SSHError.transport("the server refused to run the command"))
            context.close(promise: nil)
        case let status as SSHChannelRequestEvent.ExitStatus:
            exit = SSHStreamExit(status: Int32(truncatingIfNeeded: status.exitStatus))
        case let signal as SSHChannelRequestEvent.ExitSignal:
            exit = SSHStreamExit(status: nil, signal: signal.signalName)
        case let event as ChannelEvent where event == .inputClosed:
            inbox.endOfOutput()
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let message = unwrapInboundIn(data)
        guard case .byteBuffer(let buffer) = message.data else { return }
        let bytes = Array(buffer.readableBytesView)
        switch message.type {
        case .channel: inbox.receive(bytes)
        case .stdErr:
            let (events, passed) = markers.feed(bytes)
            for case .started(let group) in events { processGroup.withLockedValue { $0 = group } }
            if !passed.isEmpty { inbox.receiveStderr(passed) }
        default: break
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if inbox.wantsMore { context.read() }
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        opened.fail(SSHError.connectionClosed)
        inbox.finish(exit: exit)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let mapped = SSHError.from(error)
        opened.fail(mapped)
        inbox.fail(mapped)
        context.close(promise: nil)
    }

    private func wrapOutbound(_ bytes: [UInt8], context: ChannelHandlerContext) -> NIOAny {
        NIOAny(SSHChannelData(type: .channel, data: .byteBuffer(context.channel.allocator.buffer(bytes: bytes))))
    }
}
