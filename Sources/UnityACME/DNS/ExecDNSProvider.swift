import Foundation
import UnityCore

/// DNS-01 through a program, argument-compatible with lego's `exec` provider so existing scripts
/// work unchanged: `program present <fqdn> <value>` / `program cleanup <fqdn> <value>`, or in RAW
/// mode `program present -- <domain> <token> <keyAuth>`. `EXEC_MODE` is set in the environment
/// as lego's own users have it.
///
/// The app builds it only from a hook in the admin's `DNSHookDirectory`. The hook's environment is
/// `ChildEnvironment`'s fixed PATH, HOME and LANG, `EXEC_MODE`, and the order's secrets, whose names
/// must be `HOOK_` + capitals, digits and underscores: no name a shell, the loader or an interpreter
/// reads as code or as a search path (`BASH_ENV`, `ENV`, `LD_*`, `PATH`, `PYTHONPATH`…) can be set.
public struct ExecDNSProvider: ChallengeSolver {
    /// The only names an order's secrets may have in the hook's environment.
    public static func isAllowedVariable(_ name: String) -> Bool {
        let rest = name.utf8.dropFirst(variablePrefix.utf8.count)
        return name.hasPrefix(variablePrefix) && !rest.isEmpty && rest.count <= 64
            && rest.allSatisfy { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "_") }
    }
    public static let variablePrefix = "HOOK_"

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
        if let refused = environment.keys.sorted().first(where: { !Self.isAllowedVariable($0) }) {
            throw DNSProviderError(provider: "exec", message: "the variable \(refused) is not passed to hooks (only \(Self.variablePrefix)…)")
        }
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
