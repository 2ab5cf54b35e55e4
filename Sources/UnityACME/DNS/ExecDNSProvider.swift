import Foundation

/// DNS-01 through a program, argument-compatible with lego's `exec` provider so existing scripts
/// work unchanged: `program present <fqdn> <value>` / `program cleanup <fqdn> <value>`, or in RAW
/// mode `program present -- <domain> <token> <keyAuth>`. `EXEC_MODE` is set in the environment
/// as lego's own users have it.
public struct ExecDNSProvider: ChallengeSolver {
    public enum Mode: String, Sendable, Codable { case `default`, raw }

    public let challengeType = "dns-01"
    public var program: String
    public var mode: Mode
    public var environment: [String: String]
    public var timeout: Duration
    public var propagationDelay: Duration

    public init(program: String, mode: Mode = .default, environment: [String: String] = [:],
                timeout: Duration = .seconds(120), propagationDelay: Duration = .zero) {
        self.program = program
        self.mode = mode
        self.environment = environment
        self.timeout = timeout
        self.propagationDelay = propagationDelay
    }

    /// The argument vector lego would pass (without the program itself).
    public func arguments(_ action: String, _ task: ChallengeTask) -> [String] {
        switch mode {
        case .default: [action, task.dnsRecordName, task.dnsTXTValue]
        case .raw: [action, "--", task.domain, task.token, task.keyAuthorization]
        }
    }

    public func present(_ task: ChallengeTask) async throws {
        try await run(arguments("present", task))
    }

    public func cleanUp(_ task: ChallengeTask) async {
        try? await run(arguments("cleanup", task))
    }

    private func run(_ arguments: [String]) async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        env["EXEC_MODE"] = mode == .raw ? "RAW" : ""
        process.environment = env
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        // Collect output as it arrives (on Foundation's queue, not the cooperative pool), so a
        // chatty hook can never fill the pipe and block.
        let collected = LockedBox(Data())
        output.fileHandleForReading.readabilityHandler = { handle in
            let chunk = handle.availableData
            collected.withLock { if $0.count < 65_536 { $0.append(chunk) } }
        }
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: DNSProviderError(provider: "exec", message: "cannot run \(program): \(error)"))
                return
            }
            let pid = process.processIdentifier
            let limit = timeout
            // A hung hook must not hold the order forever: kill it after `timeout`.
            Task {
                try? await Task.sleep(for: limit)
                if process.isRunning, process.processIdentifier == pid { process.terminate() }
            }
        }
        output.fileHandleForReading.readabilityHandler = nil
        let rest = (try? output.fileHandleForReading.readToEnd()) ?? nil
        let text = collected.withLock { String(decoding: $0 + (rest ?? Data()), as: UTF8.self) }
        guard status == 0 else {
            throw DNSProviderError(provider: "exec", message: "\(program) \(arguments.first ?? "") exited \(status): "
                                   + text.trimmingCharacters(in: .whitespacesAndNewlines).prefix(500))
        }
    }
}
