import Foundation
import UnitySSH

/// Host-key pins as stored on a server row (JSON), converted to and from UnitySSH's `HostKeyPin`.
enum HostKeyPins {
    struct Stored: Codable {
        var algorithm: String
        var keyBase64: String
    }

    static func decode(_ text: String) -> [HostKeyPin] {
        let stored = (try? JSONDecoder().decode([Stored].self, from: Data(text.utf8))) ?? []
        return stored.compactMap { try? HostKeyPin(algorithm: $0.algorithm, keyBase64: $0.keyBase64) }
    }

    static func encode(_ pins: [HostKeyPin]) -> String {
        let stored = pins.map { Stored(algorithm: $0.algorithm, keyBase64: $0.keyBase64) }
        return (try? String(decoding: JSONEncoder().encode(stored), as: UTF8.self)) ?? "[]"
    }
}
