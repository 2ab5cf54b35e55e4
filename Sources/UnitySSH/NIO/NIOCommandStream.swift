import NIOConcurrencyHelpers
import NIOCore
import NIOSSH

/// A command stream on a swift-nio-ssh session channel.
final class NIOCommandStream: SSHCommandStream {
    private let channel: any Channel
    let inbox: StreamInbox
    private let stopping = NIOLockedValueBox(false)

    init(channel: any Channel, inbox: StreamInbox) {
        self.channel = channel
        self.inbox = inbox
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
    /// its channel closed. Reading goes on meanwhile (and drops the bytes) so the command is never
    /// stuck on a full window while it shuts down.
    func stop() {
        let first = stopping.withLockedValue { stopping in
            defer { stopping = true }
            return !stopping
        }
        guard first else { return }
        inbox.fail(.cancelled)
        let channel = channel
        channel.eventLoop.execute {
            guard channel.isActive else { return }
            channel.triggerUserOutboundEvent(SSHChannelRequestEvent.SignalRequest(signal: "TERM"), promise: nil)
            channel.close(mode: .output, promise: nil)
            channel.read()
            channel.eventLoop.scheduleTask(in: TimeAmount(SSHStreamLimits.killAfter)) {
                guard channel.isActive else { return }
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
        _ command: PreparedCommand, inbox: StreamInbox, timeout: Duration, release: @escaping @Sendable () -> Void
    ) async throws -> any Channel {
        let loop = channel.eventLoop
        let opened = loop.makePromise(of: Void.self)
        let child = loop.makePromise(of: (any Channel).self)
        let handler = sshHandler
        loop.execute {
            handler.value.createChannel(child, channelType: .session) { channel, _ in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(StreamHandler(command: command, inbox: inbox, opened: opened))
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
