/// The key types Unity generates and accepts, named as Unity's API names them.
public enum SSHKeyType: String, CaseIterable, Codable, Sendable {
    case ed25519
    case ecdsaP256 = "ecdsa-p256"
    case ecdsaP384 = "ecdsa-p384"
    case ecdsaP521 = "ecdsa-p521"
    case rsa

    /// The type of an SSH algorithm name (`ssh-ed25519`, `ecdsa-sha2-nistp256`, …), nil for others.
    public init?(algorithm: String) {
        guard let type = Self.allCases.first(where: { $0.algorithm == algorithm }) else { return nil }
        self = type
    }

    /// The SSH algorithm name, as in public-key lines.
    public var algorithm: String {
        switch self {
        case .ed25519: "ssh-ed25519"
        case .ecdsaP256: "ecdsa-sha2-nistp256"
        case .ecdsaP384: "ecdsa-sha2-nistp384"
        case .ecdsaP521: "ecdsa-sha2-nistp521"
        case .rsa: "ssh-rsa"
        }
    }

    /// RSA sizes Unity generates. BoringSSL silently rounds a size down to a multiple of 128 bits and caps
    /// moduli at 8192, so only multiples of 128 in that range give the size that was asked for.
    public static let rsaBitRange = 2048...8192
    public static let rsaDefaultBits = 4096

    /// The fixed size of the non-RSA types, so a caller that sends it anyway is not refused.
    var fixedBits: Int? {
        switch self {
        case .ed25519, .ecdsaP256: 256
        case .ecdsaP384: 384
        case .ecdsaP521: 521
        case .rsa: nil
        }
    }
}
