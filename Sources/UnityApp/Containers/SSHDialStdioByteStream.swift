import UnityContainers
import UnitySSH

/// One dial-stdio channel as the engine client's byte stream. When the channel ends early (the CLI
/// is missing, the socket refused us, the daemon died), what dial-stdio printed and its exit status
/// become the engine error, instead of a bare "connection closed".
final class SSHDialStdioByteStream: ContainerByteStream {
    private let stream: any SSHCommandStream
    private let endpoint: String
    /// How long an ended stream's exit status is awaited (sshd sends it right after EOF).
    private static let exitWait: Duration = .seconds(3)

    init(stream: any SSHCommandStream, endpoint: String) {
        self.stream = stream
        self.endpoint = endpoint
    }

    func write(_ bytes: [UInt8]) async throws {
        do {
            try await stream.write(bytes)
        } catch let error as SSHError {
            throw await failure(error)
        }
    }

    func closeWrite() async throws {
        do {
            try await stream.finishWriting()
        } catch let error as SSHError {
            throw await failure(error)
        }
    }

    func read() async throws -> [UInt8]? {
        let chunk: [UInt8]?
        do {
            chunk = try await stream.read()
        } catch let error as SSHError {
            throw await failure(error)
        }
        if let chunk { return chunk }
        // End of stdout: a clean end only if dial-stdio exited 0 (the engine closed the connection).
        let exit = await exitStatus()
        if exit?.status == 0 { return nil }
        throw dialStdioError(exit)
    }

    func close() async {
        await stream.close()
    }

    private func failure(_ error: SSHError) async -> any Error {
        switch error {
        case .cancelled: return CancellationError()
        case .connectionClosed:
            // The channel closed under us: dial-stdio's own words, if it left any, say why.
            if let exit = await exitStatus(), exit.status != 0 || !stream.stderr.isEmpty { return dialStdioError(exit) }
            return Self.map(error, endpoint: endpoint)
        default: return Self.map(error, endpoint: endpoint)
        }
    }

    private func dialStdioError(_ exit: SSHStreamExit?) -> ContainerEngineError {
        ContainerEngineError.fromDialStdioFailure(
            exitStatus: exit?.status.map(Int.init), stderr: String(decoding: stream.stderr, as: UTF8.self), endpoint: endpoint
        )
    }

    /// The exit, if it comes within `exitWait`.
    private func exitStatus() async -> SSHStreamExit? {
        let stream = stream
        return await withTaskGroup(of: SSHStreamExit?.self) { group in
            group.addTask { try? await stream.waitForExit() }
            group.addTask {
                try? await Task.sleep(for: Self.exitWait)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    /// SSH failures in the engine's words: an unreachable engine, never a 500.
    static func map(_ error: SSHError, endpoint: String) -> any Error {
        switch error {
        case .cancelled: CancellationError()
        case .commandTimeout, .connectTimeout: ContainerEngineError.timeout(endpoint: endpoint)
        default: ContainerEngineError.streamInterrupted(endpoint: endpoint, reason: "SSH: \(error.description)")
        }
    }
}
