import Foundation
import UnityCore

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

    /// Through UnityCore's runner rather than Foundation's `Process`: on Linux that notices an exit
    /// only when every holder of a socket it passes to the child has closed it, so a hook that
    /// leaves anything running in the background (an ssh ControlMaster, a daemonising nsupdate)
    /// would hold the order forever. Here a hung hook is stopped after `timeout`.
    private func run(_ arguments: [String]) async throws {
        let output: ProcessRunner.Output
        do {
            let variables = environment.merging(["EXEC_MODE": mode == .raw ? "RAW" : ""]) { $1 }
            output = try await ProcessRunner.run(program, arguments, environment: variables, timeout: timeout, maxOutput: 1 << 20)
        } catch {
            throw DNSProviderError(provider: "exec", message: "\(program) \(arguments.first ?? ""): \(error)")
        }
        guard output.status == 0 else {
            let text = String(decoding: output.stdout + output.stderr, as: UTF8.self)
            throw DNSProviderError(provider: "exec", message: "\(program) \(arguments.first ?? "") exited \(output.status): "
                                   + text.trimmingCharacters(in: .whitespacesAndNewlines).prefix(500))
        }
    }
}
