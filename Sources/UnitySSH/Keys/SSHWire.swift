import Foundation

/// Reader for the SSH wire encoding (RFC 4251 §5): big-endian uint32 lengths in front of strings.
/// Every read is bounds-checked because the bytes come from user-supplied key files.
struct SSHWireReader {
    private let bytes: [UInt8]
    private(set) var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isAtEnd: Bool { offset >= bytes.count }

    mutating func readUInt32() throws(SSHError) -> UInt32 {
        guard bytes.count - offset >= 4 else { throw .invalidKey("truncated key data") }
        var value: UInt32 = 0
        for index in offset..<(offset + 4) { value = value << 8 | UInt32(bytes[index]) }
        offset += 4
        return value
    }

    mutating func readBytes(count: Int) throws(SSHError) -> [UInt8] {
        guard count >= 0, bytes.count - offset >= count else { throw .invalidKey("truncated key data") }
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }

    mutating func readString() throws(SSHError) -> [UInt8] {
        let length = try readUInt32()
        guard length <= 1 << 20 else { throw .invalidKey("implausible field length") }
        return try readBytes(count: Int(length))
    }

    mutating func readText() throws(SSHError) -> String {
        String(decoding: try readString(), as: UTF8.self)
    }

    /// An mpint without its sign-padding zero bytes, left-padded to `width` when given.
    mutating func readUnsignedMPInt(width: Int? = nil) throws(SSHError) -> [UInt8] {
        var value = Array(try readString().drop { $0 == 0 })
        if let width {
            guard value.count <= width else { throw .invalidKey("integer wider than the curve") }
            value = [UInt8](repeating: 0, count: width - value.count) + value
        }
        return value
    }
}

/// Writer for the same encoding, used to build public-key blobs and openssh-key-v1 files.
struct SSHWireWriter {
    private(set) var bytes: [UInt8] = []

    mutating func write(_ value: UInt32) {
        bytes += [UInt8(value >> 24 & 0xff), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)]
    }

    mutating func writeString<C: Collection>(_ value: C) where C.Element == UInt8 {
        write(UInt32(value.count))
        bytes += value
    }

    mutating func writeString(_ text: String) { writeString(Array(text.utf8)) }

    /// Writes a non-negative big integer as an mpint (a leading zero when the high bit is set).
    mutating func writeUnsignedMPInt(_ magnitude: [UInt8]) {
        let trimmed = Array(magnitude.drop { $0 == 0 })
        writeString(trimmed.first.map { $0 & 0x80 != 0 } == true ? [0] + trimmed : trimmed)
    }

    mutating func writeRaw(_ raw: [UInt8]) { bytes += raw }
}
