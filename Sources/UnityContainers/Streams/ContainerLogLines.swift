import Foundation
import UnityParsers

/// One line of container output. A line longer than the splitter's limit is handed on in parts,
/// each but the last with `continues == true`, so one endless line cannot fill Unity's memory.
public struct ContainerLogLine: Sendable, Equatable {
    public var stream: ContainerOutputStream
    /// The line without its newline (and without the timestamp when one was asked for).
    public var text: String
    /// Set when the logs were asked with `timestamps`.
    public var timestamp: Date?
    public var continues: Bool

    public init(stream: ContainerOutputStream, text: String, timestamp: Date? = nil, continues: Bool = false) {
        self.stream = stream
        self.text = text
        self.timestamp = timestamp
        self.continues = continues
    }
}

/// Demultiplexed chunks in, lines out, per stream (stdout and stderr interleave by frame, so each
/// keeps its own partial line). Pure and bounded.
public struct ContainerLogLineSplitter: Sendable {
    public static let defaultMaxLineBytes = 16 * 1024

    public let maxLineBytes: Int
    public let timestamps: Bool
    private var pending: [ContainerOutputStream: [UInt8]] = [:]
    /// Streams whose current line already had a part handed on (its timestamp went with that part).
    private var inContinuation: Set<ContainerOutputStream> = []

    public init(timestamps: Bool, maxLineBytes: Int = ContainerLogLineSplitter.defaultMaxLineBytes) {
        self.timestamps = timestamps
        self.maxLineBytes = max(16, maxLineBytes)
    }

    public mutating func feed(_ chunk: ContainerOutputChunk) -> [ContainerLogLine] {
        var lines: [ContainerLogLine] = []
        var buffer = pending[chunk.stream, default: []]
        for byte in chunk.bytes {
            if byte == UInt8(ascii: "\n") {
                lines.append(line(buffer, stream: chunk.stream, continues: false))
                buffer.removeAll(keepingCapacity: true)
            } else {
                buffer.append(byte)
                if buffer.count >= maxLineBytes {
                    lines.append(line(buffer, stream: chunk.stream, continues: true))
                    buffer.removeAll(keepingCapacity: true)
                }
            }
        }
        pending[chunk.stream] = buffer
        return lines
    }

    /// The last lines without a newline at end of stream.
    public mutating func finish() -> [ContainerLogLine] {
        var lines: [ContainerLogLine] = []
        for stream in [ContainerOutputStream.stdout, .stderr, .stdin] {
            if let buffer = pending[stream], !buffer.isEmpty { lines.append(line(buffer, stream: stream, continues: false)) }
        }
        pending = [:]
        return lines
    }

    private mutating func line(_ bytes: [UInt8], stream: ContainerOutputStream, continues: Bool) -> ContainerLogLine {
        var body = bytes[...]
        if body.last == UInt8(ascii: "\r") { body.removeLast() }
        var timestamp: Date?
        // Docker puts "2026-12-07T10:11:14.136849605Z " before each line; only a line's first part has it.
        if timestamps, !inContinuation.contains(stream), let space = body.firstIndex(of: UInt8(ascii: " ")), space - body.startIndex <= 40,
           let date = EngineTimestamp.parse(String(decoding: body[..<space], as: UTF8.self)) {
            timestamp = date
            body = body[(space + 1)...]
        }
        if continues { inContinuation.insert(stream) } else { inContinuation.remove(stream) }
        return ContainerLogLine(stream: stream, text: String(decoding: body, as: UTF8.self), timestamp: timestamp, continues: continues)
    }
}
