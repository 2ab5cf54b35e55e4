import Crypto
import Foundation

/// Hand-made OCI image layouts (shared/TESTBED.md §4's make-oci.sh, in Swift): a one-file layer
/// (tar, gzip-framed), an image config and manifest per platform, optionally an image index with an
/// attestation entry as BuildKit writes it. Everything is content-addressed and deterministic, so the
/// digests printed here are what skopeo pushes with `--preserve-digests`.
public final class TestOCILayout {
    public struct Descriptor: Sendable, Equatable {
        public var mediaType: String
        public var digest: String
        public var size: Int
    }

    public struct Platform: Sendable, Equatable {
        public var os: String
        public var architecture: String
        public var variant: String?
        public init(os: String = "linux", architecture: String, variant: String? = nil) {
            self.os = os
            self.architecture = architecture
            self.variant = variant
        }
    }

    public let directory: String
    private var refs: [(name: String, descriptor: Descriptor)] = []

    public init(directory: String) throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: "\(directory)/blobs/sha256", withIntermediateDirectories: true)
        try Data(#"{"imageLayoutVersion":"1.0.0"}"#.utf8).write(to: URL(fileURLWithPath: "\(directory)/oci-layout"))
    }

    /// One single-platform image whose layer holds `/etc/image-tag` = `content`.
    @discardableResult
    public func addImage(content: String, platform: Platform = Platform(architecture: "amd64"),
                         labels: [String: String] = [:]) throws -> Descriptor {
        let tar = Self.tar(files: ["etc/image-tag": Data((content + "\n").utf8)])
        let layer = try addBlob(Self.gzipStored(tar), mediaType: "application/vnd.oci.image.layer.v1.tar+gzip")
        var config: [String: Any] = [
            "architecture": platform.architecture, "os": platform.os, "created": "2026-01-01T00:00:00Z",
            "config": ["Env": ["PATH=/bin"], "Labels": labels.merging(["org.opencontainers.image.version": content]) { a, _ in a }],
            "rootfs": ["type": "layers", "diff_ids": [Self.digest(tar)]],
            "history": [["created_by": "UnityRegistryTestSupport"]],
        ]
        if let variant = platform.variant { config["variant"] = variant }
        let configBlob = try addBlob(Self.json(config), mediaType: "application/vnd.oci.image.config.v1+json")
        let manifest: [String: Any] = [
            "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": Self.object(configBlob), "layers": [Self.object(layer)],
        ]
        return try addBlob(Self.json(manifest), mediaType: "application/vnd.oci.image.manifest.v1+json")
    }

    /// An image index over one image per platform, plus (when `attestation`) an `unknown/unknown`
    /// entry marked `vnd.docker.reference.type: attestation-manifest` pointing at the first image.
    @discardableResult
    public func addIndex(content: String, platforms: [Platform], attestation: Bool = true) throws -> (index: Descriptor, images: [Descriptor]) {
        var entries: [[String: Any]] = []
        var images: [Descriptor] = []
        for platform in platforms {
            let image = try addImage(content: "\(content) \(platform.os)/\(platform.architecture)", platform: platform)
            images.append(image)
            var platformObject: [String: Any] = ["os": platform.os, "architecture": platform.architecture]
            if let variant = platform.variant { platformObject["variant"] = variant }
            entries.append(Self.object(image).merging(["platform": platformObject]) { a, _ in a })
        }
        if attestation, let first = images.first {
            let statement = try addImage(content: "attestation for \(content)", platform: Platform(os: "unknown", architecture: "unknown"))
            entries.append(Self.object(statement).merging([
                "platform": ["os": "unknown", "architecture": "unknown"],
                "annotations": ["vnd.docker.reference.type": "attestation-manifest", "vnd.docker.reference.digest": first.digest],
            ]) { a, _ in a })
        }
        let index: [String: Any] = ["schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": entries]
        return (try addBlob(Self.json(index), mediaType: "application/vnd.oci.image.index.v1+json"), images)
    }

    /// Names `descriptor` `name` in index.json (what `oci:DIR:name` refers to).
    public func tag(_ descriptor: Descriptor, as name: String) throws {
        refs.removeAll { $0.name == name }
        refs.append((name, descriptor))
        let manifests = refs.map { Self.object($0.descriptor).merging(["annotations": ["org.opencontainers.image.ref.name": $0.name]]) { a, _ in a } }
        try Self.json(["schemaVersion": 2, "manifests": manifests]).write(to: URL(fileURLWithPath: "\(directory)/index.json"))
    }

    public func addBlob(_ data: Data, mediaType: String) throws -> Descriptor {
        let digest = Self.digest(data)
        try data.write(to: URL(fileURLWithPath: "\(directory)/blobs/sha256/\(digest.dropFirst("sha256:".count))"))
        return Descriptor(mediaType: mediaType, digest: digest, size: data.count)
    }

    public static func digest(_ data: Data) -> String {
        "sha256:" + SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    static func object(_ descriptor: Descriptor) -> [String: Any] {
        ["mediaType": descriptor.mediaType, "digest": descriptor.digest, "size": descriptor.size]
    }

    static func json(_ object: Any) throws -> Data {
        try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    }

    // MARK: tar and gzip, by hand (deterministic: fixed owner, mode and mtime)

    static func tar(files: [String: Data]) -> Data {
        var archive = Data()
        var directories = Set<String>()
        for path in files.keys.sorted() {
            var parent = ""
            for component in path.split(separator: "/").dropLast() {
                parent += component + "/"
                if directories.insert(parent).inserted { archive += header(name: parent, size: 0, type: "5", mode: "0000755") }
            }
            let data = files[path]!
            archive += header(name: path, size: data.count, type: "0", mode: "0000644") + data
            archive += Data(count: (512 - data.count % 512) % 512)
        }
        return archive + Data(count: 1024)
    }

    private static func header(name: String, size: Int, type: Character, mode: String) -> Data {
        var block = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, at offset: Int) { for (i, byte) in text.utf8.enumerated() { block[offset + i] = byte } }
        put(name, at: 0)
        put(mode, at: 100)
        put("0000000", at: 108)
        put("0000000", at: 116)
        put(String(format: "%011o", size), at: 124)
        put("00000000000", at: 136)
        put("        ", at: 148)
        put(String(type), at: 156)
        put("ustar", at: 257)
        put("00", at: 263)
        let checksum = block.reduce(0) { $0 + Int($1) }
        put(String(format: "%06o", checksum), at: 148)
        block[154] = 0
        block[155] = 0x20
        return Data(block)
    }

    /// gzip with deflate "stored" blocks (RFC 1951 §3.2.4): a valid gzip stream without a compressor.
    static func gzipStored(_ data: Data) -> Data {
        var out = Data([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255])
        let bytes = [UInt8](data)
        var offset = 0
        repeat {
            let count = min(65535, bytes.count - offset)
            let final: UInt8 = offset + count == bytes.count ? 1 : 0
            out.append(final)
            out.append(contentsOf: [UInt8(count & 0xff), UInt8(count >> 8), UInt8(~count & 0xff), UInt8((~count >> 8) & 0xff)])
            out.append(contentsOf: bytes[offset..<offset + count])
            offset += count
        } while offset < bytes.count
        for value in [crc32(bytes), UInt32(truncatingIfNeeded: bytes.count)] {
            out.append(contentsOf: [UInt8(value & 0xff), UInt8((value >> 8) & 0xff), UInt8((value >> 16) & 0xff), UInt8(value >> 24)])
        }
        return out
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xffff_ffff
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc >> 1) ^ (0xedb8_8320 & (0 &- (crc & 1))) }
        }
        return ~crc
    }
}
