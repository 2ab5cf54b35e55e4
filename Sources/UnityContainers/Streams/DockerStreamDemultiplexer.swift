/// Which output of the container a piece of log text came from.
public enum ContainerOutputStream: String, Sendable, Equatable, Codable {
    case stdin, stdout, stderr
}

/// A piece of container output. Pieces are not lines: one frame may hold several lines or part of
/// one, and a long frame is handed on in parts as it arrives.
public struct ContainerOutputChunk: Sendable, Equatable {
    public var stream: ContainerOutputStream
    public var bytes: [UInt8]

    public init(stream: ContainerOutputStream, bytes: [UInt8]) {
        self.stream = stream
        self.bytes = bytes
    }

    public var text: String { String(decoding: bytes, as: UTF8.self) }
}

/// Docker's multiplexed attach/logs format for containers without a TTY: each frame is an 8-byte
/// header `[stream, 0, 0, 0, size (big-endian UInt32)]` followed by `size` payload bytes. Containers
/// with a TTY send raw bytes instead (`raw: true`), all of it stdout.
///
/// Pure and incremental: headers split across reads are completed by the next feed, payloads are
/// passed on as they arrive (so one huge frame never has to be held whole), and a byte that cannot
/// start a frame is an error rather than garbage text.
public struct DockerStreamDemultiplexer: Sendable {
    public struct FramingError: Error, Sendable, Equatable, CustomStringConvertible {
        public var reason: String
        public var description: String { "invalid log stream from the engine: \(reason)" }
    }

    public let raw: Bool
    private var header: [UInt8] = []
    private var current: ContainerOutputStream = .stdout
    private var remaining = 0

    public init(raw: Bool) {
        self.raw = raw
    }

    /// True when the stream may end here (no frame half received).
    public var isAtFrameBoundary: Bool { raw || (header.isEmpty && remaining == 0) }

    public mutating func feed(_ bytes: [UInt8]) throws(FramingError) -> [ContainerOutputChunk] {
        if raw { return bytes.isEmpty ? [] : [ContainerOutputChunk(stream: .stdout, bytes: bytes)] }
        var chunks: [ContainerOutputChunk] = []
        var index = 0
        while index < bytes.count {
            if remaining > 0 {
                let take = min(remaining, bytes.count - index)
                append(bytes[index..<index + take], to: &chunks)
                index += take
                remaining -= take
                continue
            }
            let need = 8 - header.count
            let take = min(need, bytes.count - index)
            header += bytes[index..<index + take]
            index += take
            guard header.count == 8 else { break }
            let stream: ContainerOutputStream
            switch header[0] {
            case 0: stream = .stdin
            case 1: stream = .stdout
            case 2: stream = .stderr
            default: throw FramingError(reason: "unknown stream type \(header[0]) in a frame header")
            }
            guard header[1] == 0, header[2] == 0, header[3] == 0 else {
                throw FramingError(reason: "malformed frame header (is the container using a TTY?)")
            }
            current = stream
            remaining = header[4...7].reduce(0) { $0 << 8 | Int($1) }
            header.removeAll(keepingCapacity: true)
        }
        return chunks
    }

    /// Consecutive payload of the same stream within one feed is joined into one chunk.
    private func append(_ payload: ArraySlice<UInt8>, to chunks: inout [ContainerOutputChunk]) {
        if let last = chunks.last, last.stream == current {
            chunks[chunks.count - 1].bytes += payload
        } else {
            chunks.append(ContainerOutputChunk(stream: current, bytes: Array(payload)))
        }
    }
}

/// Splits a stream of newline-delimited JSON documents (`/events`, `/containers/{id}/stats`) into
/// documents. Bounded: a "line" longer than `maxLineBytes` is an error, not unbounded growth.
public struct JSONLineSplitter: Sendable {
    public struct LineTooLong: Error, Sendable, Equatable, CustomStringConvertible {
        public var limit: Int
        public var description: String { "the engine sent a JSON document longer than \(limit) bytes" }
    }

    public let maxLineBytes: Int
    private var pending: [UInt8] = []

    public init(maxLineBytes: Int = 1 << 20) {
        self.maxLineBytes = maxLineBytes
    }

    /// Complete, non-blank lines in `bytes` (with what was pending), without their newline.
    public mutating func feed(_ bytes: [UInt8]) throws(LineTooLong) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var start = bytes.startIndex
        while let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
            let line = pending + bytes[start..<newline]
            pending.removeAll(keepingCapacity: true)
            if line.count > maxLineBytes { throw LineTooLong(limit: maxLineBytes) }
            if line.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\t") }) {
                lines.append(line)
            }
            start = newline + 1
        }
        pending += bytes[start...]
        if pending.count > maxLineBytes { throw LineTooLong(limit: maxLineBytes) }
        return lines
    }

    /// What is left at end of stream (a last document without a newline), if anything.
    public mutating func finish() -> [UInt8]? {
        defer { pending.removeAll() }
        return pending.contains(where: { $0 > UInt8(ascii: " ") }) ? pending : nil
    }
}
