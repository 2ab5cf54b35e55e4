import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import UnityCore

extension OpenSSHTransport: SSHStreamingExecutor {
    /// `ssh` through the target's ControlMaster with its stdio as the stream. Holds one slot of the
    /// control directory's gate until the stream finished, like the NIO transport's channel slot.
    public func openStream(
        _ command: RemoteCommand, on target: SSHTarget, openTimeout: Duration, maxStderr: Int
    ) async throws -> any SSHCommandStream {
        do {
            return try await openStreamMapped(command, on: target, openTimeout: openTimeout, maxStderr: maxStderr)
        } catch {
            throw SSHError.from(error)
        }
    }

    private func openStreamMapped(
        _ command: RemoteCommand, on target: SSHTarget, openTimeout: Duration, maxStderr: Int
    ) async throws -> any SSHCommandStream {
        try target.requirePinnedForStreaming()
        let call = try prepareCall(for: target)
        let loop = NIOSingletons.posixEventLoopGroup.next()
        let gate = gate(for: target, directory: call.directory)
        do {
            try await gate.acquire(deadline: .now() + TimeAmount(openTimeout), on: loop)
        } catch {
            call.removeFiles()
            throw error
        }
        let released = NIOLockedValueBox(false)
        let release: @Sendable () -> Void = {
            guard released.withLockedValue({ done in defer { done = true }; return !done }) else { return }
            call.removeFiles()
            gate.release()
        }
        let markers = StreamMarkers()
        let prepared = command.prepared(for: target.sudo)
        let sshPath = sshPath
        let killRemote: @Sendable (String, Int) -> Void = { signal, group in
            let kill = RemoteCommand(unchecked: "kill -\(signal) -- -\(group)", privileged: command.privileged).prepared(for: target.sudo)
            BlockingSSH.run(sshPath, call.arguments(kill.line), stdin: kill.stdin, timeout: .seconds(10))
        }
        let stream: OpenSSHCommandStream
        do {
            stream = try await spawn(call.arguments(markers.wrap(prepared.line)), loop: loop, maxStderr: maxStderr) { pid in
                OpenSSHCommandStream.Process(pid: pid, markers: markers, killRemote: killRemote, release: release)
            }
        } catch {
            release()
            throw error
        }
        if let stdin = prepared.stdin, !stdin.isEmpty { try await stream.write(Array(stdin)) }
        let timer = loop.scheduleTask(in: TimeAmount(openTimeout)) { stream.abandonStart(.commandTimeout) }
        defer { timer.cancel() }
        let start = try await withTaskCancellationHandler {
            try await stream.startResult.get()
        } onCancel: {
            stream.abandonStart(.cancelled)
        }
        switch start {
        case .started:
            return stream
        case .endedEarly(let status, let stderr):
            try await checkDiagnostics(status: status, stderr: call.jumpStderr() + stderr, target: target)
            throw SSHError.transport("ssh ended before the command started (exit status \(status))")
        }
    }

    /// Starts ssh with three pipes, wraps them in NIO pipe channels and waits for its exit on a thread.
    private func spawn(
        _ arguments: [String], loop: any EventLoop, maxStderr: Int, process: (pid_t) -> OpenSSHCommandStream.Process
    ) async throws -> OpenSSHCommandStream {
        let input = try ChildProcess.pipe(), output = try ChildProcess.pipe(), errors = try ChildProcess.pipe()
        let pid: pid_t
        do {
            pid = try ChildProcess.spawn(sshPath, arguments, stdin: input.read, stdout: output.write, stderr: errors.write)
        } catch {
            [input.read, input.write, output.read, output.write, errors.read, errors.write].forEach { close($0) }
            throw SSHError(error)
        }
        [input.read, output.write, errors.write].forEach { close($0) }
        let stream = OpenSSHCommandStream(process: process(pid), inbox: StreamInbox(maxStderr: maxStderr), loop: loop)
        let waiter = Thread { stream.sshExited(ChildProcess.wait(pid)) }
        waiter.start()
        let io = try await NIOPipeBootstrap(group: loop)
            .channelOption(ChannelOptions.autoRead, value: false)
            .channelOption(ChannelOptions.allowRemoteHalfClosure, value: true)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(SSHPipeHandler(role: .stdout, stream: stream)) }
            }
            .takingOwnershipOfDescriptors(input: output.read, output: input.write).get()
        let errs = try await NIOPipeBootstrap(group: loop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(SSHPipeHandler(role: .stderr, stream: stream)) }
            }
            .takingOwnershipOfDescriptor(input: errors.read).get()
        stream.attach(io: io, errors: errs)
        return stream
    }
}

/// A short ssh run from a plain thread (the stream's kill), bounded by `timeout`.
enum BlockingSSH {
    static func run(_ sshPath: String, _ arguments: [String], stdin: Data?, timeout: Duration) {
        guard let input = try? ChildProcess.pipe() else { return }
        let null = open("/dev/null", O_RDWR | O_CLOEXEC)
        defer { close(null) }
        guard let pid = try? ChildProcess.spawn(sshPath, arguments, stdin: input.read, stdout: null, stderr: null) else {
            close(input.read)
            close(input.write)
            return
        }
        close(input.read)
        if let stdin, !stdin.isEmpty { _ = stdin.withUnsafeBytes { write(input.write, $0.baseAddress, $0.count) } }
        close(input.write)
        let deadline = ContinuousClock.now + timeout
        while waitpid(pid, nil, WNOHANG) == 0 {
            if ContinuousClock.now > deadline {
                kill(pid, SIGKILL)
                _ = ChildProcess.wait(pid)
                return
            }
            usleep(20_000)
        }
    }
}
