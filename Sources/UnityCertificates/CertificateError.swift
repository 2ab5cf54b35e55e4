/// Every failure of certificate import, issuance and probing. Messages say what is wrong with the
/// input, never include key material.
public enum CertificateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text held no `-----BEGIN CERTIFICATE-----` block at all.
    case noCertificate
    /// A `BEGIN` line without its matching `END` line (a copy-paste cut short).
    case truncatedPEM(label: String)
    /// The base64 between the armour lines does not decode.
    case invalidBase64(label: String, index: Int)
    /// The block decodes but is not a DER X.509 certificate; `index` is 0-based in the input.
    case invalidCertificate(index: Int, reason: String)
    /// No private-key block, or one of a kind we do not read (encrypted, DSA, …).
    case noPrivateKey
    case unsupportedPrivateKey(String)
    case invalidPrivateKey(String)
    /// The key is well-formed but is not the private half of the leaf's public key.
    case keyMismatch
    /// Several certificates in the bundle issue nothing else in it: which one is the leaf is a guess.
    case ambiguousLeaf(subjects: [String])
    case invalidSubjectAlternativeName(String)
    case issuanceFailed(String)
    /// The served-certificate probe could not complete a TLS handshake.
    case probeFailed(String)
    case probeTimedOut(host: String, port: Int)

    public var description: String {
        switch self {
        case .noCertificate: "no PEM certificate found (expected -----BEGIN CERTIFICATE-----)"
        case .truncatedPEM(let label): "PEM block '\(label)' has no END line: the text is truncated"
        case .invalidBase64(let label, let index): "PEM block #\(index + 1) ('\(label)') is not valid base64"
        case .invalidCertificate(let index, let reason): "certificate #\(index + 1) is not a valid X.509 certificate: \(reason)"
        case .noPrivateKey: "no PEM private key found"
        case .unsupportedPrivateKey(let what): "unsupported private key: \(what)"
        case .invalidPrivateKey(let why): "invalid private key: \(why)"
        case .keyMismatch: "private key does not match the certificate"
        case .ambiguousLeaf(let subjects): "cannot tell which certificate is the leaf: \(subjects.joined(separator: "; "))"
        case .invalidSubjectAlternativeName(let name): "invalid subject alternative name: \(name)"
        case .issuanceFailed(let why): "certificate issuance failed: \(why)"
        case .probeFailed(let why): "TLS probe failed: \(why)"
        case .probeTimedOut(let host, let port): "TLS probe of \(host):\(port) timed out"
        }
    }
}
