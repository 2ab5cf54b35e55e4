import Foundation
import UnityCore

/// Every failure of the SSH trust plane. Messages name the host and the reason, never a secret:
/// no key material, password or command output goes into an error.
public enum SSHError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The policy forbids trust on first use and no pin matches the algorithm family offered.
    case hostKeyUnknown(presented: HostKeyPin)
    /// The server presented a key that differs from every pin. Nothing was sent on that connection.
    /// `presented` is nil only when the OpenSSH transport could not read the new key back.
    case hostKeyChanged(expected: [HostKeyPin], presented: HostKeyPin?)
    /// The host offered a key of an algorithm that has no pin (e.g. ed25519 when only an RSA key is pinned).
    /// Not a changed key, but not verifiable by this transport either; the automatic executor retries with OpenSSH.
    case hostKeyAlgorithmNotPinned(presented: HostKeyPin)
    /// A stream was asked for a target (or bastion) under trust on first use: streams need a pin first.
    case hostKeyNotPinned
    /// The jump host (bastion) was refused for its own host key: `refusal` is one of the three cases above,
    /// about the bastion. Nothing was sent to the bastion (not even the credential) nor to the target.
    /// Only host-key refusals are wrapped; other bastion failures (timeouts, authentication) pass through as they are.
    indirect case jumpHostKeyRefused(SSHError)
    case authenticationFailed
    case connectTimeout
    case connectFailed(String)
    case commandTimeout
    case connectionClosed
    case outputTooLarge(limit: Int)
    /// The server refused a new session channel while none of ours was open (MaxSessions reached by others).
    case channelLimit
    /// The key type or host-key algorithm needs a transport this executor does not have (RSA on swift-nio-ssh).
    case unsupportedKey(String)
    /// Only RSA host keys offered: key exchange with swift-nio-ssh is impossible.
    case hostRequiresRSA
    case invalidKey(String)
    /// The private key is encrypted and no passphrase was given.
    case passphraseRequired
    /// The passphrase did not decrypt the key (check bytes, padding or authentication tag failed).
    case wrongPassphrase
    /// A key file whose stated public key is not the one its private key derives.
    case keyMismatch
    /// Key generation was asked for a size the key type does not allow.
    case invalidKeySize(String)
    case invalidHostKeyLine(String)
    case cancelled
    /// A local failure outside the protocol (spawning ssh, writing temp files, …).
    case transport(String)

    public var description: String {
        switch self {
        case .hostKeyUnknown(let presented):
            "host key \(presented.fingerprint) is not pinned and trust on first use is disabled"
        case .hostKeyChanged(_, let presented):
            "REMOTE HOST KEY CHANGED: presented \(presented?.fingerprint ?? "an unknown key"), which matches no pinned key; nothing was sent"
        case .hostKeyAlgorithmNotPinned(let presented):
            "host offered a \(presented.algorithm) key, for which no key is pinned"
        case .jumpHostKeyRefused(let refusal): "jump host: \(refusal.description)"
        case .hostKeyNotPinned: "the host key is not pinned yet: test the connection once to pin it, then retry"
        case .authenticationFailed: "authentication failed: the server rejected the credential"
        case .connectTimeout: "connection timed out"
        case .connectFailed(let reason): "could not connect: \(reason)"
        case .commandTimeout: "command timed out"
        case .connectionClosed: "connection closed by the remote side"
        case .outputTooLarge(let limit): "command output exceeded \(limit) bytes"
        case .channelLimit: "the server refused another session channel (MaxSessions)"
        case .unsupportedKey(let what): "unsupported key: \(what)"
        case .hostRequiresRSA: "the host offers only RSA host keys"
        case .invalidKey(let why): "invalid private key: \(why)"
        case .passphraseRequired:
            "the private key is protected by a passphrase: supply it, or decrypt the key once with `ssh-keygen -p`"
        case .wrongPassphrase: "the passphrase does not decrypt this private key"
        case .keyMismatch: "invalid private key: public and private key do not match"
        case .invalidKeySize(let why): "invalid key size: \(why)"
        case .invalidHostKeyLine(let why): "invalid host key line: \(why)"
        case .cancelled: "cancelled"
        case .transport(let why): "ssh transport error: \(why)"
        }
    }

    /// True for errors that mean "the host's identity could not be verified": the app sets
    /// status `host_key_changed` only for `.hostKeyChanged`, but none of these may be retried blindly.
    public var isHostKeyProblem: Bool {
        switch self {
        case .hostKeyUnknown, .hostKeyChanged, .hostKeyAlgorithmNotPinned, .hostKeyNotPinned, .jumpHostKeyRefused: true
        default: false
        }
    }

    public var isJumpHostKeyRefusal: Bool {
        if case .jumpHostKeyRefused = self { return true }
        return false
    }

    /// A bastion's host-key refusal, marked as such so the caller records it on the jump server, not the target.
    func onJumpHost() -> SSHError {
        isHostKeyProblem ? .jumpHostKeyRefused(self) : self
    }
}

extension SSHError {
    /// A local ssh run that ended early, in the words every transport uses.
    init(_ error: ProcessError) {
        switch error {
        case .timeout: self = .commandTimeout
        case .outputTooLarge(let limit): self = .outputTooLarge(limit: limit)
        case .cancelled: self = .cancelled
        case .cannotStart(let reason): self = .transport(reason)
        }
    }
}
