import Foundation
import NIOConcurrencyHelpers
import NIOCore
import UnityCore

/// A command stream through the system ssh (over the ControlMaster): ssh's stdin/stdout pipes as one
/// NIO pipe channel, its stderr as another, its exit seen by `waitpid` on a plain thread. The waiter
/// thread keeps the stream alive until ssh exits: an abandoned stream runs until the remote command
/// ends, so callers `close()` what they open.
final class OpenSSHCommandStream: SSHCommandStream {
    struct Process: Sendable {
        let pid: pid_t
        let markers: StreamMarkers
        /// Runs `kill -SIGNAL -- -PGID` on the host over the ControlMaster (blocking, bounded).
        let killRemote: @Sendable (_ signal: String, _ processGroup: Int) -> Void
        /// Removes the call's files and frees the slot; runs exactly once, at the end.
        let release: @Sendable () -> Void
    }

    /// How opening ended: the wrapper reported its process group, or ssh ended before it did.
    enum Start: Sendable {
        case started
        case endedEarly(status: Int32, stderr: String)
    }

    private struct State {
        var processGroup: Int?
        var exitMarker: Int32?
        var sshStatus: Int32?
        var stdoutDone = false
        var stderrDone = false
        var stopped = false
        var finished = false
        var pidAlive = true
        var filter: StreamMarkers.Filter
        var rawStderr: [UInt8] = []
    }

    let inbox: StreamInbox
    private let process: Process
    private let state: NIOLockedValueBox<State>
    private let started: EventLoopPromise<Start>
    private var pipes: (io: any Channel, errors: any Channel)? {
        get { channels.withLockedValue { $0 } }
    }
    private let channels = NIOLockedValueBox<(io: any Channel, errors: any Channel)?>(nil)

    init(process: Process, inbox: StreamInbox, loop: any EventLoop) {
        self.process = process
        self.inbox = inbox
        self.state = NIOLockedValueBox(State(filter: StreamMarkers.Filter(nonce: process.markers.nonce)))
        self.started = loop.makePromise(of: Start.self)
    }

    var startResult: EventLoopFuture<Start> { started.futureResult }

    func attach(io: any Channel, errors: any Channel) {
        channels.withLockedValue { $0 = (io, errors) }
    }

    // MARK: SSHCommandStream

    func write(_ bytes: [UInt8]) async throws {
        guard !bytes.isEmpty, let io = pipes?.io else { return }
        try await outbound { try await io.writeAndFlush(io.allocator.buffer(bytes: bytes)) }
    }

    func finishWriting() async throws {
        guard let io = pipes?.io else { return }
        try await outbound { try await io.close(mode: .output) }
    }

    func read() async throws -> [UInt8]? {
        let io = pipes?.io
        return try await inbox.read(requestMore: { io?.read() }, onCancel: { [weak self] in self?.stop() })
    }

    var stderr: [UInt8] { inbox.stderr }

    func waitForExit() async throws -> SSHStreamExit {
        try await withTaskCancellationHandler {
            try await inbox.waitForExit()
        } onCancel: { [weak self] in
            self?.stop()
        }
    }

    func close() async {
        stop()
        for _ in 0..<Int((SSHStreamLimits.killAfter + .seconds(5)) / .milliseconds(50)) where !inbox.isFinished {
            try? await Task.sleep(for: .milliseconds(50))
        }
    }

    /// SIGTERM to the remote process group, SIGKILL after `killAfter`; then our pipes and the local
    /// ssh client go too, so the stream finishes (and frees its slot) even on a dead connection.
    func stop() {
        let group: Int?? = state.withLockedValue { state in
            guard !state.stopped, !state.finished else { return .none }
            state.stopped = true
            return .some(state.processGroup)
        }
        guard case .some(let processGroup) = group else { return }
        inbox.fail(.cancelled)
        let (process, inbox, state, pipes) = (process, inbox, state, pipes)
        pipes?.io.read()  // drain, so the remote side is never stuck on a full pipe while it stops
        let thread = Thread {
            if let processGroup { process.killRemote("TERM", processGroup) }
            let deadline = ContinuousClock.now + SSHStreamLimits.killAfter
            while ContinuousClock.now < deadline, !inbox.isFinished { usleep(50_000) }
            if !inbox.isFinished, let processGroup { process.killRemote("KILL", processGroup) }
            pipes?.io.close(promise: nil)
            pipes?.errors.close(promise: nil)
            state.withLockedValue { state in
                if state.pidAlive { kill(process.pid, SIGKILL) }
            }
        }
        thread.start()
    }

    /// Opening took too long or was cancelled.
    func abandonStart(_ error: SSHError) {
        started.fail(error)
        stop()
    }

    private func outbound(_ body: @escaping @Sendable () async throws -> Void) async throws {
        do {
            try await withTaskCancellationHandler {
                try await body()
            } onCancel: { [weak self] in
                self?.stop()
            }
        } catch {
            if Task.isCancelled || state.withLockedValue({ $0.stopped }) { throw SSHError.cancelled }
            throw SSHError.from(error)
        }
    }

    // MARK: events from the pipes and the waiter thread

    func stdoutEnded() {
        inbox.endOfOutput()
        settle { $0.stdoutDone = true }
    }

    func stderrBytes(_ bytes: [UInt8]) {
        let (events, passed, startedNow) = state.withLockedValue { state -> ([StreamMarkers.Event], [UInt8], Bool) in
            let (events, passed) = state.filter.feed(bytes)
            var startedNow = false
            for event in events {
                switch event {
                case .started(let group) where state.processGroup == nil:
                    state.processGroup = group
                    startedNow = true
                case .exited(let status): state.exitMarker = status
                default: break
                }
            }
            if state.processGroup == nil, state.rawStderr.count < 1 << 16 { state.rawStderr += passed }
            return (events, passed, startedNow)
        }
        _ = events
        if !passed.isEmpty { inbox.receiveStderr(passed) }
        if startedNow { started.succeed(.started) }
    }

    func stderrEnded() {
        settle { $0.stderrDone = true }
    }

    func sshExited(_ status: Int32) {
        settle { state in
            state.sshStatus = status
            state.pidAlive = false
        }
    }

    /// Applies `change`; once ssh exited and both pipes ended, the stream is finished.
    private func settle(_ change: (inout State) -> Void) {
        let outcome: (exit: SSHStreamExit?, early: Start?)? = state.withLockedValue { state in
            change(&state)
            guard !state.finished, let sshStatus = state.sshStatus, state.stdoutDone, state.stderrDone else { return nil }
            state.finished = true
            guard state.processGroup != nil else {
                return (nil, .endedEarly(status: sshStatus, stderr: String(decoding: state.rawStderr, as: UTF8.self)))
            }
            if let marker = state.exitMarker { return (SSHStreamExit(status: marker), nil) }
            // The wrapper did not report: killed (by our close or otherwise), or the connection died.
            if state.stopped { return (SSHStreamExit(status: nil, signal: "TERM"), nil) }
            return (sshStatus == 255 ? nil : SSHStreamExit(status: sshStatus), nil)
        }
        guard let outcome else { return }
        if let early = outcome.early { started.succeed(early) }
        inbox.finish(exit: outcome.exit)
        pipes?.io.close(promise: nil)
        pipes?.errors.close(promise: nil)
        process.release()
    }

}

/// Feeds one of ssh's pipes into its stream: stdout on demand (autoRead off), stderr as it comes.
final class SSHPipeHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    enum Role { case stdout, stderr }

    private let role: Role
    private weak var stream: OpenSSHCommandStream?
    private let inbox: StreamInbox
    private var ended = false

    init(role: Role, stream: OpenSSHCommandStream) {
        self.role = role
        self.stream = stream
        self.inbox = stream.inbox
    }

    func channelActive(context: ChannelHandlerContext) {
        if role == .stdout { context.read() }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = Array(unwrapInboundIn(data).readableBytesView)
        switch role {
        case .stdout: inbox.receive(bytes)
        case .stderr: stream?.stderrBytes(bytes)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if role == .stdout, inbox.wantsMore { context.read() }
        context.fireChannelReadComplete()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed { end() }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        end()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        end()
        context.close(promise: nil)
    }

    private func end() {
        guard !ended else { return }
        ended = true
        switch role {
        case .stdout: stream?.stdoutEnded()
        case .stderr: stream?.stderrEnded()
        }
    }
}
