import Testing
@testable import UnityContainers

@Suite("HTTP/1.1 response parser")
struct HTTPResponseParserTests {
    /// Feeds `wire` in pieces of `size` bytes and collects the events, joining body pieces.
    static func parse(_ wire: String, method: String = "GET", pieces size: Int) throws -> (heads: [HTTPResponseHead], body: String, ends: Int) {
        var parser = HTTPResponseParser()
        parser.expectResponse(to: method)
        let bytes = Array(wire.utf8)
        var heads: [HTTPResponseHead] = [], body: [UInt8] = [], ends = 0
        var index = 0
        while index < bytes.count {
            let end = min(index + size, bytes.count)
            for event in try parser.feed(Array(bytes[index..<end])) {
                switch event {
                case .head(let head): heads.append(head)
                case .body(let piece): body += piece
                case .end: ends += 1
                }
            }
            index = end
        }
        return (heads, String(decoding: body, as: UTF8.self), ends)
    }

    @Test(arguments: [1, 2, 3, 7, 64, 10_000])
    func contentLengthInAnySplit(size: Int) throws {
        let wire = "HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Length: 11\r\nContent-Type: application/json\r\n\r\n{\"ok\":true}"
        let result = try Self.parse(wire, pieces: size)
        #expect(result.heads.count == 1)
        #expect(result.heads[0].status == 200)
        #expect(result.heads[0].headers["api-version"] == "1.41")
        #expect(result.heads[0].keepAlive)
        #expect(result.body == "{\"ok\":true}")
        #expect(result.ends == 1)
    }

    @Test(arguments: [1, 2, 5, 9, 1000])
    func chunkedWithExtensionsAndTrailersInAnySplit(size: Int) throws {
        let wire = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: yes\r\n\r\n"
        let result = try Self.parse(wire, pieces: size)
        #expect(result.body == "hello, world")
        #expect(result.ends == 1)
    }

    @Test func headAnd204HaveNoBodyEvenWithALength() throws {
        let head = try Self.parse("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n", method: "HEAD", pieces: 4)
        #expect(head.ends == 1 && head.body.isEmpty)
        let noContent = try Self.parse("HTTP/1.1 204 No Content\r\n\r\n", method: "POST", pieces: 100)
        #expect(noContent.ends == 1 && noContent.heads[0].status == 204)
    }

    @Test func continueIsSkipped() throws {
        let result = try Self.parse("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n", pieces: 3)
        #expect(result.heads.map(\.status) == [201])
    }

    @Test func twoResponsesOnOneConnectionKeepTheLeftover() throws {
        var parser = HTTPResponseParser()
        parser.expectResponse(to: "GET")
        let both = Array("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nAHTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\nno".utf8)
        let first = try parser.feed(both)
        #expect(first.count == 3)
        #expect(!parser.isAtMessageBoundary)  // the second response is already waiting
        parser.expectResponse(to: "GET")
        let second = try parser.feed([])
        #expect(second.first.map { if case .head(let head) = $0 { head.status == 404 } else { false } } == true)
        #expect(second.last == .end)
        #expect(parser.isAtMessageBoundary)
    }

    @Test func untilCloseEndsAtEOFButTruncatedBodiesFail() throws {
        var parser = HTTPResponseParser()
        parser.expectResponse(to: "GET")
        _ = try parser.feed(Array("HTTP/1.0 200 OK\r\n\r\nraw".utf8))
        #expect(try parser.finish() == [.end])

        var cut = HTTPResponseParser()
        cut.expectResponse(to: "GET")
        _ = try cut.feed(Array("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc".utf8))
        #expect(throws: HTTPParseError.self) { try cut.finish() }

        var chunkCut = HTTPResponseParser()
        chunkCut.expectResponse(to: "GET")
        _ = try chunkCut.feed(Array("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab".utf8))
        #expect(throws: HTTPParseError.self) { try chunkCut.finish() }
    }

    @Test func connectionCloseAndHTTP10AreNotReusable() throws {
        let close = try Self.parse("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", pieces: 50)
        #expect(!close.heads[0].keepAlive)
        let old = try Self.parse("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", pieces: 50)
        #expect(!old.heads[0].keepAlive)
    }

    @Test(arguments: [
        "SSH-2.0-OpenSSH_9.2\r\n\r\n",
        "HTTP/1.1 2000 OK\r\n\r\n",
        "HTTP/1.1 200 OK\r\n folded: header\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffffff\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n",
        "HTTP/1.1 200 OK\r\n: empty name\r\n\r\n",
    ])
    func hostileResponsesAreErrorsNotTraps(wire: String) {
        #expect(throws: HTTPParseError.self) { _ = try Self.parse(wire, pieces: 3) }
    }

    @Test func headIsBounded() {
        var parser = HTTPResponseParser(maxHeadBytes: 1024)
        parser.expectResponse(to: "GET")
        let endless = Array(("HTTP/1.1 200 OK\r\n" + String(repeating: "X-Pad: aaaaaaaaaa\r\n", count: 100)).utf8)
        #expect(throws: HTTPParseError.self) { _ = try parser.feed(endless) }
        var noNewline = HTTPResponseParser(maxHeadBytes: 1024)
        noNewline.expectResponse(to: "GET")
        #expect(throws: HTTPParseError.self) { _ = try noNewline.feed([UInt8](repeating: 65, count: 2000)) }
    }

    @Test func requestSerialisationAddsHostAndLength() {
        let request = HTTPRequest(method: "POST", target: "/v1.41/containers/abc/stop?t=3", body: Array("{}".utf8))
        #expect(String(decoding: request.serialized(), as: UTF8.self)
            == "POST /v1.41/containers/abc/stop?t=3 HTTP/1.1\r\nHost: docker\r\nContent-Length: 2\r\n\r\n{}")
    }
}

@Suite("Docker stream framing")
struct DockerStreamFramingTests {
    static func frame(_ stream: UInt8, _ text: String) -> [UInt8] {
        let payload = Array(text.utf8)
        let size = UInt32(payload.count)
        return [stream, 0, 0, 0, UInt8(size >> 24), UInt8(size >> 16 & 0xff), UInt8(size >> 8 & 0xff), UInt8(size & 0xff)] + payload
    }

    @Test(arguments: [1, 3, 8, 9, 13, 1000])
    func demultiplexesInAnySplit(size: Int) throws {
        let wire = Self.frame(1, "out line\n") + Self.frame(2, "err line\n") + Self.frame(1, "") + Self.frame(1, "more\n")
        var demux = DockerStreamDemultiplexer(raw: false)
        var out = "", err = ""
        var index = 0
        while index < wire.count {
            let end = min(index + size, wire.count)
            for chunk in try demux.feed(Array(wire[index..<end])) {
                if chunk.stream == .stdout { out += chunk.text } else { err += chunk.text }
            }
            index = end
        }
        #expect(out == "out line\nmore\n")
        #expect(err == "err line\n")
        #expect(demux.isAtFrameBoundary)
    }

    @Test func halfAFrameIsNotABoundary() throws {
        var demux = DockerStreamDemultiplexer(raw: false)
        _ = try demux.feed(Array(Self.frame(1, "abcdef").prefix(10)))
        #expect(!demux.isAtFrameBoundary)
    }

    @Test func ttyStreamsAreRawStdout() throws {
        var demux = DockerStreamDemultiplexer(raw: true)
        #expect(try demux.feed(Array("\u{1}\u{0}plain".utf8)) == [ContainerOutputChunk(stream: .stdout, bytes: Array("\u{1}\u{0}plain".utf8))])
    }

    @Test func garbageIsAFramingError() {
        var demux = DockerStreamDemultiplexer(raw: false)
        #expect(throws: DockerStreamDemultiplexer.FramingError.self) { _ = try demux.feed(Array("hello world".utf8)) }
    }

    @Test func jsonLinesSplitAcrossReads() throws {
        var splitter = JSONLineSplitter(maxLineBytes: 64)
        #expect(try splitter.feed(Array("{\"a\":1}\n{\"b\"".utf8)).map { String(decoding: $0, as: UTF8.self) } == ["{\"a\":1}"])
        #expect(try splitter.feed(Array(":2}\r\n\n".utf8)).map { String(decoding: $0, as: UTF8.self) } == ["{\"b\":2}\r"])
        #expect(try splitter.feed(Array("{\"c\":3}".utf8)).isEmpty)
        #expect(splitter.finish().map { String(decoding: $0, as: UTF8.self) } == "{\"c\":3}")
        var bounded = JSONLineSplitter(maxLineBytes: 8)
        #expect(throws: JSONLineSplitter.LineTooLong.self) { _ = try bounded.feed([UInt8](repeating: 65, count: 20)) }
    }
}
