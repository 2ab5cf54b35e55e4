import Foundation
import UnitySSHTestSupport
@testable import UnitySSH

/// The outer fields of an openssh-key-v1 file, for tests that build corrupt or spliced files.
struct OpenSSHFileFields {
    var cipher: String
    var kdf: String
    var kdfOptions: [UInt8]
    var publicBlob: [UInt8]
    var section: [UInt8]
    var trailer: [UInt8]

    init(text: String) throws {
        let body = text.split(whereSeparator: \.isNewline).filter { !$0.hasPrefix("-----") }.joined()
        guard let data = Data(base64Encoded: body) else { throw Shell.Failure(description: "not base64") }
        var reader = SSHWireReader(Array(data))
        _ = try reader.readBytes(count: OpenSSHKeyFormat.magic.count)
        cipher = try reader.readText()
        kdf = try reader.readText()
        kdfOptions = try reader.readString()
        _ = try reader.readUInt32()
        publicBlob = try reader.readString()
        section = try reader.readString()
        var rest: [UInt8] = []
        while !reader.isAtEnd { rest += try reader.readBytes(count: 1) }
        trailer = rest
    }

    var bytes: [UInt8] {
        var writer = SSHWireWriter()
        writer.writeRaw(OpenSSHKeyFormat.magic)
        writer.writeString(cipher)
        writer.writeString(kdf)
        writer.writeString(kdfOptions)
        writer.write(1)
        writer.writeString(publicBlob)
        writer.writeString(section)
        writer.writeRaw(trailer)
        return writer.bytes
    }

    var text: String { Self.armor(bytes) }

    static func armor(_ bytes: [UInt8]) -> String {
        let body = Data(bytes).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return "\(OpenSSHKeyFormat.header)\n\(body)\n\(OpenSSHKeyFormat.footer)\n"
    }
}
