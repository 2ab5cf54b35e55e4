import NIOConcurrencyHelpers
import NIOCore
import NIOSSH

/// A command stream on a swift-nio-ssh session channel.
final class NIOCommandStream: SSHCommandStream {
    private let channel: any Channel
    let inbox: StreamInbox
    private let stopping = NIOLockedValueBox(false)
    /// Sends `kill -SIGNAL -- -PGID` on a second channel of the same connection, if the group is known.
    private let killRemote: @Sendable (String) -> Void

    init(channel: any Channel, inbox: StreamInbox, killRemote: @escaping @Sendable (String) -> Void) {
        self.channel = channel
        self.inbox = inbox
        self.killRemote = killRemote
    }

    func write(_ bytes: [UInt8]) async throws {
        guard !bytes.isEmpty else { return }
        try await outbound {
            let data = SSHChannelData(type: .channel, data: .byteBuffer(self.channel.allocator.buffer(bytes: bytes)))
            try await self.channel.writeAndFlush(data)
        }
    }

    func finishWriting() async throws {
        try await outbound { try await self.channel.close(mode: .output) }
    }

    func read() async throws -> [UInt8]? {
        try await inbox.read(requestMore: { [channel] in channel.read() }, onCancel: { [weak self] in self?.stop() })
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
        // Bounded: a dead connection may never confirm the close.
        let closed = channel.eventLoop.makePromise(of: Void.self)
        channel.closeFuture.cascade(to: closed)
        let timer = channel.eventLoop.scheduleTask(in: TimeAmount(SSHStreamLimits.killAfter + .seconds(5))) { closed.succeed(()) }
        _ = try? await closed.futureResult.get()
        timer.cancel()
    }

    /// SIGTERM and EOF now; SIGKILL and a channel close if the command is still there after
    /// `killAfter`. Closing alone would not stop it: sshd keeps a session's process running after
    /// its channel closed. The SSH "signal" request is sent, but sshd 9.2 refuses it ("session
    /// signalling requires privilege separation"), so the signal also goes to the process group
    /// the wrapper reported, with `kill` on a second channel. Reading goes on meanwhile (and drops the bytes) so the command is never
    /// stuck on a full window while it shuts down.
    func stop() {
        let first = stopping.withLockedValue { stopping in
            defer { stopping = true }
            return !stopping
        }
        guard first else { return }
        inbox.fail(.cancelled)
        let (channel, killRemote) = (channel, killRemote)
        channel.eventLoop.execute {
            guard channel.isActive else { return }
            killRemote("TERM")
            channel.triggerUserOutboundEvent(SSHChannelRequestEvent.SignalRequest(signal: "TERM"), promise: nil)
            channel.close(mode: .output, promise: nil)
            channel.read()
            channel.eventLoop.scheduleTask(in: TimeAmount(SSHStreamLimits.killAfter)) {
                guard channel.isActive else { return }
                killRemote("KILL")
                channel.triggerUserOutboundEvent(SSHChannelRequestEvent.SignalRequest(signal: "KILL"), promise: nil)
                channel.close(promise: nil)
            }
        }
    }

    private func outbound(_ body: @escaping @Sendable () async throws -> Void) async throws {
        do {
            try await withTaskCancellationHandler {
                try await body()
            } onCancel: { [weak self] in
                self?.stop()
            }
        } catch {
            if Task.isCancelled || stopping.withLockedValue({ $0 }) { throw SSHError.cancelled }
            throw SSHError.from(error)
        }
    }

    deinit {
        // An abandoned stream must not keep its slot (and the remote process) forever.
        stop()
    }
}

extension SSHConnection {
    /// Opens a session channel running `command` as a stream. `release` runs exactly once, when the
    /// channel is gone (or never opened): the caller's session slot.
    func openStream(
        _ command: PreparedCommand, markers: StreamMarkers, inbox: StreamInbox, processGroup: NIOLockedValueBox<Int?>,
        timeout: Duration, release: @escaping @Sendable () -> Void
    ) async throws -> any Channel {
        let loop = channel.eventLoop
        let opened = loop.makePromise(of: Void.self)
        let child = loop.makePromise(of: (any Channel).self)
        let handler = sshHandler
        loop.execute {
            handler.value.createChannel(child, channelType: .session) { channel, _ in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(StreamHandler(
                        command: command, markers: markers, inbox: inbox, opened: opened, processGroup: processGroup))
                }
            }
        }
        child.futureResult.whenComplete { result in
            switch result {
            case .success(let channel): channel.closeFuture.whenComplete { _ in release() }
            case .failure(let error):
                // Never opened, so the command was not sent: safe to retry on another connection.
                opened.fail(ChannelOpenFailure(error: SSHError.from(error)))
                release()
            }
        }
        let abandon: @Sendable (SSHError) -> Void = { error in
            opened.fail(error)
            child.futureResult.whenSuccess { $0.close(promise: nil) }
        }
        let timer = loop.scheduleTask(in: TimeAmount(timeout)) { abandon(.commandTimeout) }
        defer { timer.cancel() }
        do {
            try await withTaskCancellationHandler {
                try await opened.futureResult.get()
            } onCancel: {
                abandon(.cancelled)
            }
        } catch {
            // A refused or failed exec leaves the channel open: close it so its slot frees.
            child.futureResult.whenSuccess { $0.close(promise: nil) }
            throw error
        }
        return try await child.futureResult.get()
    }
}

extension SSHConnection {
    /// Runs a short command on a new channel without waiting for it or taking a slot (a stream's
    /// kill: the slots may all be held by streams, and sshd's MaxSessions 10 leaves room above 8).
    func execDetached(_ command: PreparedCommand) {
        let loop = channel.eventLoop
        let outcome = loop.makePromise(of: ExecOutcome.self)
        outcome.futureResult.whenComplete { _ in }
        let child = loop.makePromise(of: (any Channel).self)
        child.futureResult.whenFailure { outcome.fail($0) }
        let handler = sshHandler
        loop.execute {
            handler.value.createChannel(child, channelType: .session) { channel, _ in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ExecHandler(command: command, maxOutput: 1 << 12, promise: outcome, allocator: channel.allocator))
                }
            }
        }
    }
}
