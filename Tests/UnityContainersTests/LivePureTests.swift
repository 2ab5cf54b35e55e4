import Foundation
import Testing
@testable import UnityContainers
import UnityParsers

@Suite("API version negotiation (pure)")
struct APIVersionNegotiationTests {
    @Test func picksTheLowerOfBothMaximums() throws {
        #expect(try APIVersionNegotiation.choose(daemonMaximum: EngineAPIVersion(1, 41), daemonMinimum: EngineAPIVersion(1, 12)) == EngineAPIVersion(1, 41))
        #expect(try APIVersionNegotiation.choose(daemonMaximum: EngineAPIVersion(1, 45), daemonMinimum: nil) == EngineAPIVersion(1, 45))
        // Docker 29: offers 1.52, refuses below 1.44.
        #expect(try APIVersionNegotiation.choose(daemonMaximum: EngineAPIVersion(1, 52), daemonMinimum: EngineAPIVersion(1, 44)) == EngineAPIVersion(1, 51))
        #expect(try APIVersionNegotiation.choose(daemonMaximum: EngineAPIVersion(2, 0), daemonMinimum: nil) == APIVersionNegotiation.unityMaximum)
    }

    @Test func tooOldAndTooNew() {
        #expect(throws: ContainerEngineError.apiTooOld(daemonMaximum: "1.40", unityMinimum: "1.41")) {
            try APIVersionNegotiation.choose(daemonMaximum: EngineAPIVersion(1, 40), daemonMinimum: EngineAPIVersion(1, 12))
        }
        #expect(throws: ContainerEngineError.apiTooNew(daemonMinimum: "1.52", unityMaximum: "1.51")) {
            try APIVersionNegotiation.choose(daemonMaximum: EngineAPIVersion(1, 60), daemonMinimum: EngineAPIVersion(1, 52))
        }
    }

    @Test func versionsOrderNumerically() {
        #expect(EngineAPIVersion(1, 9) < EngineAPIVersion(1, 41))
        #expect(EngineAPIVersion("1.41") == EngineAPIVersion(1, 41))
        #expect(EngineAPIVersion("1") == nil && EngineAPIVersion("x.y") == nil && EngineAPIVersion("1.99999") == nil)
    }
}

@Suite("Log lines and ANSI stripping (pure)")
struct LogLinePureTests {
    @Test func linesPerStreamAcrossChunks() {
        var splitter = ContainerLogLineSplitter(timestamps: false)
        var lines = splitter.feed(ContainerOutputChunk(stream: .stdout, bytes: Array("one\ntw".utf8)))
        lines += splitter.feed(ContainerOutputChunk(stream: .stderr, bytes: Array("oops\r\n".utf8)))
        lines += splitter.feed(ContainerOutputChunk(stream: .stdout, bytes: Array("o\nlast".utf8)))
        lines += splitter.finish()
        #expect(lines == [ContainerLogLine(stream: .stdout, text: "one"), ContainerLogLine(stream: .stderr, text: "oops"),
                          ContainerLogLine(stream: .stdout, text: "two"), ContainerLogLine(stream: .stdout, text: "last")])
    }

    @Test func longLinesAreCutIntoBoundedParts() {
        var splitter = ContainerLogLineSplitter(timestamps: false, maxLineBytes: 16)
        let lines = splitter.feed(ContainerOutputChunk(stream: .stdout, bytes: Array(repeating: UInt8(ascii: "x"), count: 40) + [10]))
        #expect(lines.map(\.text.count) == [16, 16, 8])
        #expect(lines.map(\.continues) == [true, true, false])
    }

    @Test func timestampsAreParsedOffTheFront() {
        var splitter = ContainerLogLineSplitter(timestamps: true)
        let lines = splitter.feed(ContainerOutputChunk(stream: .stdout, bytes: Array("2026-12-07T10:11:14.136849605Z hello world\n".utf8)))
        #expect(lines.first?.text == "hello world")
        #expect(abs((lines.first?.timestamp?.timeIntervalSince1970 ?? 0) - 1_796_638_274.136849605) < 0.001)
    }

    @Test func ansiSequencesAndControlsGo() {
        // The bytes busybox `printf '\033[31mred\033[0m'` writes, with an OSC title and a cursor move.
        #expect(ANSIEscapeStripper.strip("\u{1B}[31mred\u{1B}[0m") == "red")
        #expect(ANSIEscapeStripper.strip("\u{1B}]0;title\u{07}a\u{1B}[2K\u{1B}[1;32;40mb\tc\u{1B}(B\r\u{08}") == "ab\tc")
        #expect(ANSIEscapeStripper.strip("cut at the end \u{1B}[3") == "cut at the end ")
        #expect(ANSIEscapeStripper.strip("ümlaut ✓ \u{9B}31mx") == "ümlaut ✓ x")
    }

    @Test func topArgumentsAreAFixedList() {
        #expect(ContainerTopArguments.allCases.map(\.rawValue) == ["", "-ef", "aux"])
        #expect(ContainerTopArguments(rawValue: "-ef; rm -rf /") == nil)
    }

    @Test func eventFiltersAreJSONEncoded() {
        let filters = EngineEventFilters(types: ["container"], containers: ["a b\"c"], events: ["die"])
        let decoded = filters.queryValue?.removingPercentEncoding
        #expect(decoded == #"{"container":["a b\"c"],"event":["die"],"type":["container"]}"#)
    }

    @Test func plainTCPNeedsTheExplicitOptIn() throws {
        #expect(throws: ContainerEngineError.insecureTransportNotAllowed(endpoint: "tcp://10.0.0.5:2375")) {
            _ = try PlainTCPTransport(host: "10.0.0.5", port: 2375, allowInsecure: false)
        }
        #expect(try PlainTCPTransport(host: "10.0.0.5", port: 2375, allowInsecure: true).endpointDescription.contains("insecure"))
    }

    @Test func badTLSMaterialIsAConfigurationError() {
        do {
            _ = try TLSSocketTransport(host: "127.0.0.1", port: 2376, tls: ContainerTLSConfiguration(caPEM: "not pem", clientCertificatePEM: nil, clientKeyPEM: nil))
            Issue.record("expected an error")
        } catch {
            #expect(error.code == "container_engine_tls_configuration_invalid")
        }
    }
}
