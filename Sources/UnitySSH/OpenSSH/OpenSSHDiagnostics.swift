import Foundation

/// Reads the ssh client's own diagnostics. ssh exits 255 both for its own errors and when the remote
/// command exits 255, so only a recognised ssh message turns a 255 into an error.
enum OpenSSHDiagnostics {
    enum Verdict: Equatable {
        case hostKeyMismatch(fingerprint: String?)
        case error(SSHError)
        case remoteExit
    }

    static func classify(status: Int32, stderr: String) -> Verdict {
        guard status == 255 else { return .remoteExit }
        if stderr.contains("REMOTE HOST IDENTIFICATION HAS CHANGED") || stderr.contains("Host key verification failed")
            || stderr.contains("host key is known for") {
            return .hostKeyMismatch(fingerprint: firstFingerprint(in: stderr))
        }
        let table: [(String, SSHError)] = [
            ("Permission denied (", .authenticationFailed),
            ("Too many authentication failures", .authenticationFailed),
            ("Connection timed out", .connectTimeout),
            ("Operation timed out", .connectTimeout),
            ("Connection refused", .connectFailed("connection refused")),
            ("Could not resolve hostname", .connectFailed("cannot resolve host name")),
            ("No route to host", .connectFailed("no route to host")),
            ("no matching host key type found", .unsupportedKey("no host key type in common with the server")),
            ("Unable to negotiate", .unsupportedKey("no algorithm in common with the server")),
            ("Load key", .invalidKey("the ssh client could not load the key")),
            ("Connection closed by", .connectionClosed),
            ("Connection reset by", .connectionClosed),
            ("closed by remote host", .connectionClosed),
            ("Broken pipe", .connectionClosed),
            ("kex_exchange_identification", .connectionClosed),
            ("Session open refused by peer", .channelLimit),
        ]
        for (pattern, error) in table where stderr.contains(pattern) {
            return .error(error)
        }
        return .remoteExit
    }

    /// True when ssh's host-key refusal is about `name` (as known_hosts spells it): "Host key for NAME has
    /// changed", "No ED25519 host key is known for NAME and …", "… host key for NAME …".
    static func refusalNames(_ name: String, in stderr: String) -> Bool {
        ["key for \(name) ", "known for \(name) ", "key for \(name)\n"].contains { stderr.contains($0) }
    }

    /// `SHA256:…` from "The fingerprint for the ED25519 key sent by the remote host is\nSHA256:…."
    static func firstFingerprint(in text: String) -> String? {
        guard let range = text.range(of: "SHA256:") else { return nil }
        let tail = text[range.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "+" || $0 == "/" }
        return tail.isEmpty ? nil : "SHA256:" + tail
    }
}
