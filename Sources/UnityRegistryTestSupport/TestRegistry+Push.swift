import Foundation

extension TestRegistry {
    public enum PushFormat: Sendable {
        /// The layout's own OCI manifests and index, digests preserved.
        case oci
        /// Converted by skopeo to Docker media types (`--format v2s2`): new manifest digests.
        case dockerV2Schema2
    }

    /// Pushes `oci:LAYOUT:ref` to `repository:tag` with skopeo (all platforms of an index) and returns
    /// the manifest digest skopeo reports (`--digestfile`).
    @discardableResult
    public func push(_ layout: TestOCILayout, ref: String, repository: String, tag: String, format: PushFormat = .oci) throws -> String {
        let digestFile = "\(directory)/digest-\(UUID().uuidString.prefix(8))"
        var arguments = ["copy", "--quiet", "--insecure-policy", "--all", "--digestfile", digestFile]
        switch format {
        case .oci: arguments.append("--preserve-digests")
        case .dockerV2Schema2: arguments += ["--format", "v2s2"]
        }
        if kind == .basicTLS {
            arguments += ["--dest-cert-dir", try certDirectory()]
        } else {
            arguments.append("--dest-tls-verify=false")
        }
        if kind != .open { arguments += ["--dest-creds", "\(Self.username):\(Self.password)"] }
        // The token registry is pushed to under the realm's host name, as a client would address it.
        let destination = kind == .token ? localhostHost : host
        arguments += ["oci:\(layout.directory):\(ref)", "docker://\(destination)/\(repository):\(tag)"]
        try RegistryTestCommand.run("/usr/bin/skopeo", arguments)
        defer { try? FileManager.default.removeItem(atPath: digestFile) }
        return try String(contentsOfFile: digestFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// PUTs a manifest document as it is (for shapes skopeo will not copy, such as an index inside an
    /// index). Only for the open registry. Returns the body's digest.
    @discardableResult
    public func putManifest(_ body: Data, mediaType: String, repository: String, reference: String) throws -> String {
        precondition(kind == .open, "putManifest is for the open registry")
        let file = "\(directory)/manifest-\(UUID().uuidString.prefix(8)).json"
        try body.write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let status = try RegistryTestCommand.run("/usr/bin/curl", [
            "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-X", "PUT", "-H", "Content-Type: \(mediaType)",
            "--data-binary", "@\(file)", "http://\(host)/v2/\(repository)/manifests/\(reference)"])
        guard status.hasPrefix("2") else { throw RegistryTestSupportError("PUT manifest answered \(status)") }
        return TestOCILayout.digest(body)
    }

    /// skopeo's `--dest-cert-dir` layout: the CA as `ca.crt`.
    private func certDirectory() throws -> String {
        let dir = "\(directory)/skopeo-certs"
        if !FileManager.default.fileExists(atPath: "\(dir)/ca.crt") {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try (caCertificatePEM ?? "").write(toFile: "\(dir)/ca.crt", atomically: true, encoding: .utf8)
        }
        return dir
    }
}
