/// The one place that decides whether a presented host key is trusted. Both transports use it
/// (OpenSSH indirectly: it writes only pinned keys to its known_hosts and checks strictly).
enum HostKeyVerifier {
    /// nil when the key is trusted; otherwise the refusal to report. A refusal means the
    /// handshake is aborted before authentication, so nothing (not even the credential) is sent.
    static func refusal(presented: HostKeyPin, policy: HostKeyPolicy) -> SSHError? {
        switch policy {
        case .trustOnFirstUse:
            return nil
        case .pinned(let pins):
            if pins.contains(presented) { return nil }
            if pins.isEmpty { return .hostKeyUnknown(presented: presented) }
            // A host with several keys shows us the one swift-nio-ssh prefers. A different algorithm is
            // not proof of a changed key, but it is not verifiable here either: refuse, and let the
            // automatic executor retry with OpenSSH, which asks for the pinned algorithm.
            if !pins.contains(where: { $0.algorithm == presented.algorithm }) {
                return .hostKeyAlgorithmNotPinned(presented: presented)
            }
            return .hostKeyChanged(expected: pins, presented: presented)
        }
    }
}
