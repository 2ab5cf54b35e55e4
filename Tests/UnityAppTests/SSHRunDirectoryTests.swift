import Foundation
import Testing
import UnityTestSupport
@testable import UnityApp

/// The OpenSSH transport's private folders (control sockets, known_hosts, key files while a
/// command runs) live under the data folder, and what a crashed process left there is removed
/// at the next start.
struct SSHRunDirectoryTests {
    @Test func leftoversOfACrashAreSweptAtStartAndTheFolderIsPrivate() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("unity-run-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: data) }
        let leftover = "\(data)/run/ssh-Ab12Cd"
        let unrelated = "\(data)/run/not-ours"
        for folder in [leftover + "/0123456789abcdef", unrelated] {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        try "-----BEGIN OPENSSH PRIVATE KEY-----\n".write(toFile: leftover + "/0123456789abcdef/1.key", atomically: true, encoding: .utf8)
        try await withUnityApp(settings: ["UNITY_DATA_DIR": data]) { _ in
            #expect(!FileManager.default.fileExists(atPath: leftover), "a crashed process's key file is still there")
            #expect(FileManager.default.fileExists(atPath: unrelated), "only Unity's own folder names are removed")
            let mode = try FileManager.default.attributesOfItem(atPath: "\(data)/run")[.posixPermissions] as? Int
            #expect(mode == 0o700)
        }
    }
}
