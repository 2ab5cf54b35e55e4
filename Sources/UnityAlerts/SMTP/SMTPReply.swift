import NIOCore

/// One SMTP reply, possibly multi-line ("250-first", "250 last").
public struct SMTPReply: Sendable, Hashable, CustomStringConvertible {
    public var code: Int
    public var lines: [String]

    public var description: String { "\(code) \(lines.joined(separator: " / "))" }

    /// EHLO keywords, upper-cased: "STARTTLS", "AUTH PLAIN LOGIN", "8BITMIME"…
    var extensions: [String] { lines.dropFirst().map { $0.uppercased() } }

    func supports(_ keyword: String) -> Bool {
        extensions.contains { $0 == keyword || $0.hasPrefix(keyword + " ") }
    }
}


public enum SMTPError: Error, Sendable, CustomStringConvertible {
    case rejected(stage: String, reply: SMTPReply)
    case timeout(stage: String)
    case closed(stage: String)
    case unsupported(String)
    case malformedReply(String)
    case transport(stage: String, String)

    public var description: String {
        switch self {
        case .rejected(let stage, let reply): "\(stage) refused: \(reply)"
        case .timeout(let stage): "timed out waiting for the server (\(stage))"
        case .closed(let stage): "the server closed the connection (\(stage))"
        case .unsupported(let what): what
        case .malformedReply(let line): "malformed SMTP reply: \(line.prefix(200))"
        case .transport(let stage, let error): "\(stage): \(error)"
        }
    }

    var reply: SMTPReply? {
        if case .rejected(_, let reply) = self { return reply }
        return nil
    }

    /// 5xx replies and missing server features will not go away by retrying.
    var retryable: Bool {
        switch self {
        case .rejected(_, let reply): reply.code < 500
        case .unsupported, .malformedReply: false
        case .timeout, .closed, .transport: true
        }
    }
}


/// Splits the byte stream into replies. Lines longer than 4 KiB or replies longer than 100
/// lines are refused, so a hostile server cannot grow memory without bound.
struct SMTPReplyDecoder: ByteToMessageDecoder {
    typealias InboundOut = SMTPReply

    private var pending: [String] = []
    private var pendingCode: Int?

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > 4096 { throw SMTPError.malformedReply("line longer than 4096 bytes") }
            return .needMoreData
        }
        let length = newline - buffer.readerIndex + 1
        // Bytes, not String: Swift treats "\r\n" as one Character, so suffix checks miss it.
        guard var bytes = buffer.readBytes(length: length) else { return .needMoreData }
        while let last = bytes.last, last == UInt8(ascii: "\n") || last == UInt8(ascii: "\r") { bytes.removeLast() }
        let line = String(decoding: bytes, as: UTF8.self)
        guard bytes.count >= 3, let code = Int(String(decoding: bytes[0..<3], as: UTF8.self)), (200...599).contains(code) else {
            throw SMTPError.malformedReply(line)
        }
        if let pendingCode, pendingCode != code { throw SMTPError.malformedReply(line) }
        let isLast = bytes.count == 3 || bytes[3] == UInt8(ascii: " ")
        guard isLast || bytes[3] == UInt8(ascii: "-") else { throw SMTPError.malformedReply(line) }
        pending.append(bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : "")
        guard pending.count <= 100 else { throw SMTPError.malformedReply("reply longer than 100 lines") }
        if isLast {
            context.fireChannelRead(wrapInboundOut(SMTPReply(code: code, lines: pending)))
            pending = []
            pendingCode = nil
        } else {
            pendingCode = code
        }
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }
}
