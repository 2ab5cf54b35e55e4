/// A per-run random token that frames every section of the collection script's output.
///
/// Remote commands print arbitrary text (process titles, disk models, file names). Because
/// each run uses a fresh nonce that exists only in the script text (sent over stdin, so it is
/// not visible in the remote process list), no output can contain a valid marker by accident
/// or on purpose.
public struct CollectionNonce: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    public let value: String

    /// Accepts 16–64 ASCII letters and digits: enough entropy, and nothing the shell or the
    /// marker syntax would interpret.
    public init?(_ value: String) {
        guard (16...64).contains(value.utf8.count),
              value.utf8.allSatisfy({ Self.alphabet.utf8.contains($0) })
        else { return nil }
        self.value = value
    }

    /// 32 characters from a 62-letter alphabet (~190 bits) using the system CSPRNG.
    public static func random() -> CollectionNonce {
        var generator = SystemRandomNumberGenerator()
        return random(using: &generator)
    }

    public static func random<G: RandomNumberGenerator>(using generator: inout G) -> CollectionNonce {
        let letters = Array(alphabet)
        var text = ""
        for _ in 0..<32 {
            let index = Int(generator.next(upperBound: UInt64(letters.count)))
            text.append(letters[index])
        }
        // The alphabet and length always satisfy the validating init; fall back to a fixed
        // valid value instead of trapping, should that invariant ever be broken by an edit.
        return CollectionNonce(text) ?? CollectionNonce(unchecked: text)
    }

    public var description: String { value }

    private init(unchecked value: String) { self.value = value }

    static let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
}
