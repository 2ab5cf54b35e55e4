import Foundation
import UnitySSHTestSupport
@testable import UnitySSH

/// The client keys every test sshd authorizes, generated once per run by ssh-keygen.
enum ClientKeys {
    static let kinds: [(name: String, type: String, bits: String?)] = [
        ("ed25519", "ed25519", nil), ("p256", "ecdsa", "256"), ("p384", "ecdsa", "384"),
        ("p521", "ecdsa", "521"), ("rsa", "rsa", "2048"),
    ]

    static func key(_ name: String) throws -> SSHPrivateKey {
        guard let kind = kinds.first(where: { $0.name == name }) else { throw Shell.Failure(description: "no key \(name)") }
        return try SSHPrivateKey(text: TestKeys.load(kind.name, type: kind.type, bits: kind.bits).text)
    }

    static func authorizedLines() throws -> [String] {
        try kinds.map { try TestKeys.load($0.name, type: $0.type, bits: $0.bits).publicLine.trimmingCharacters(in: .newlines) }
    }
}

/// Values that would do damage if they ever reached a shell unquoted.
enum HostileValues {
    static let all = [
        "; rm -rf /tmp/unity-pwned", "$(touch /tmp/unity-pwned)", "`touch /tmp/unity-pwned`",
        "it's \"quoted\"", "line1\nline2\n", "*", "a\\b", "--help", "' ; touch /tmp/unity-pwned ; '", "|| true &",
    ]
}

extension SSHError {
    static func caught(_ body: () async throws -> Void) async -> SSHError? {
        do {
            try await body()
            return nil
        } catch let error as SSHError {
            return error
        } catch {
            return .transport("unexpected \(type(of: error))")
        }
    }
}
