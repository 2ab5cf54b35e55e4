/// An imported certificate: leaf first, then its issuers in order, optionally with its key.
public struct CertificateBundle: Sendable {
    public var leaf: ParsedCertificate
    /// Intermediates (and a root, when the file had one), each issuing the one before it.
    public var chain: [ParsedCertificate]
    /// Certificates in the input that are not on the leaf's issuing path (kept, not dropped,
    /// so the admin sees them).
    public var unrelated: [ParsedCertificate]
    public var privateKey: ImportedPrivateKey?

    public var all: [ParsedCertificate] { [leaf] + chain }

    /// Leaf + chain as PEM, the `fullchain.pem` form that nginx and haproxy read.
    public var fullChainPEM: String { all.map(\.pem).joined() }
    public var chainPEM: String { chain.map(\.pem).joined() }

    /// Imports certificate, chain and key texts. The certificates may come in any order and split
    /// across `certificatePEM` and `chainPEM` in any way; the leaf is found by structure.
    /// A key that is not the leaf's throws `.keyMismatch`.
    public init(certificatePEM: String, chainPEM: String? = nil, privateKeyPEM: String? = nil) throws(CertificateError) {
        var certificates = try ParsedCertificate.parseAll(pem: certificatePEM)
        if let chainPEM, !chainPEM.allSatisfy(\.isWhitespace) {
            certificates += try ParsedCertificate.parseAll(pem: chainPEM)
        }
        let ordered = try ChainOrdering.order(certificates)
        leaf = ordered.leaf
        chain = ordered.chain
        unrelated = ordered.unrelated
        if let privateKeyPEM {
            let key = try ImportedPrivateKey(pem: privateKeyPEM)
            guard key.matches(leaf) else { throw .keyMismatch }
            privateKey = key
        }
    }
}

/// Finds the leaf of a set of certificates and walks its issuers.
public enum ChainOrdering {
    public struct Result: Sendable {
        public var leaf: ParsedCertificate
        public var chain: [ParsedCertificate]
        public var unrelated: [ParsedCertificate]
    }

    /// The leaf is the certificate that issued none of the others. When several qualify (two
    /// unrelated chains pasted together), a single non-CA among them is the leaf; otherwise the
    /// choice would be a guess and `.ambiguousLeaf` is thrown. A lone certificate is its own leaf.
    public static func order(_ input: [ParsedCertificate]) throws(CertificateError) -> Result {
        var certificates: [ParsedCertificate] = []
        for certificate in input where !certificates.contains(certificate) { certificates.append(certificate) }
        guard !certificates.isEmpty else { throw .noCertificate }
        let candidates = certificates.filter { candidate in
            !certificates.contains { $0 != candidate && $0.isIssued(by: candidate) }
        }
        let leaf: ParsedCertificate
        if candidates.count == 1 {
            leaf = candidates[0]
        } else if candidates.filter({ !$0.isCA }).count == 1, let only = candidates.first(where: { !$0.isCA }) {
            leaf = only
        } else {
            // Every certificate issues another: a cycle (cross-signed roots); file order decides.
            guard !candidates.isEmpty else { return walk(from: certificates[0], in: certificates) }
            throw .ambiguousLeaf(subjects: candidates.map(\.subject))
        }
        return walk(from: leaf, in: certificates)
    }

    private static func walk(from leaf: ParsedCertificate, in certificates: [ParsedCertificate]) -> Result {
        var chain: [ParsedCertificate] = []
        var current = leaf
        var used = [leaf]
        // Stops at a self-signed root (issued by itself, already used) or a missing issuer.
        while let issuer = certificates.first(where: { !used.contains($0) && current.isIssued(by: $0) }) {
            chain.append(issuer)
            used.append(issuer)
            current = issuer
        }
        return Result(leaf: leaf, chain: chain, unrelated: certificates.filter { !used.contains($0) })
    }
}
