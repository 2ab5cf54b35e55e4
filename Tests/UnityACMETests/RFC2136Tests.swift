import Crypto
import Foundation
import Testing
@testable import UnityACME

@Suite("RFC 2136 DNS UPDATE with TSIG")
struct RFC2136Tests {
    static let secret = Data((1...32).map { UInt8($0) }).base64EncodedString()

    @Test("Wire format: header, zone, TXT add/delete records and a TSIG RR whose MAC covers message + variables")
    func wireFormat() throws {
        let message = DNSUpdateMessage(id: 0x1234, zone: "lab.test.", changes: [
            .add(name: "_acme-challenge.lab.test.", text: "abc", ttl: 60),
            .delete(name: "_acme-challenge.lab.test.", text: "old"),
        ])
        let unsigned = try message.unsigned()
        let expected: [UInt8] = [0x12, 0x34, 0x28, 0x00, 0, 1, 0, 0, 0, 2, 0, 0]
            + [3] + Array("lab".utf8) + [4] + Array("test".utf8) + [0, 0, 6, 0, 1]
            + [15] + Array("_acme-challenge".utf8) + [3] + Array("lab".utf8) + [4] + Array("test".utf8) + [0]
            + [0, 16, 0, 1, 0, 0, 0, 60, 0, 4, 3] + Array("abc".utf8)
            + [15] + Array("_acme-challenge".utf8) + [3] + Array("lab".utf8) + [4] + Array("test".utf8) + [0]
            + [0, 16, 0, 254, 0, 0, 0, 0, 0, 4, 3] + Array("old".utf8)
        #expect(unsigned == expected)

        let key = DNSUpdateMessage.TSIGKey(name: "unity-key.", secret: Data(base64Encoded: Self.secret) ?? Data())
        let signed = try message.signed(with: key, timeSigned: 0x0000_6500_0000, fudge: 300)
        #expect(Array(signed.prefix(10)) == Array(unsigned.prefix(10)))
        #expect(signed[10] == 0 && signed[11] == 1)
        #expect(Array(signed[12..<unsigned.count]) == Array(unsigned[12...]))
        var variables: [UInt8] = [9] + Array("unity-key".utf8) + [0, 0, 255, 0, 0, 0, 0]
        variables += [11] + Array("hmac-sha256".utf8) + [0, 0, 0, 0x65, 0, 0, 0, 0x01, 0x2c, 0, 0, 0, 0]
        let mac = Array(HMAC<SHA256>.authenticationCode(for: unsigned + variables, using: SymmetricKey(data: key.secret)))
        var rr: [UInt8] = [9] + Array("unity-key".utf8) + [0, 0, 250, 0, 255, 0, 0, 0, 0]
        let rdata: [UInt8] = [11] + Array("hmac-sha256".utf8) + [0, 0, 0, 0x65, 0, 0, 0, 0x01, 0x2c, 0, 32] + mac
            + [0x12, 0x34, 0, 0, 0, 0]
        rr += [UInt8(rdata.count >> 8), UInt8(rdata.count & 0xff)] + rdata
        #expect(Array(signed[unsigned.count...]) == rr)
    }

    @Test("Response codes are read only from a response with the request's id")
    func responseCode() {
        #expect(DNSUpdateMessage.responseCode([0x12, 0x34, 0xA8, 0x05] + [UInt8](repeating: 0, count: 8), id: 0x1234) == 5)
        #expect(DNSUpdateMessage.responseCode([0x12, 0x35, 0xA8, 0x00] + [UInt8](repeating: 0, count: 8), id: 0x1234) == nil)
        #expect(DNSUpdateMessage.rcodeName(9) == "NOTAUTH")
    }

    @Test("Against a real Knot DNS: add over UDP and TCP, visible with dig; delete removes only that value; bad key is NOTAUTH",
          .enabled(if: KnotHarness.installed || ProcessInfo.processInfo.environment["CI"] != nil))
    func knot() async throws {
        let knot = try KnotHarness(secret: Self.secret)
        do { try await knotChecks(knot) } catch {
            await knot.stop()
            throw error
        }
        await knot.stop()
    }

    private func knotChecks(_ knot: KnotHarness) async throws {
        try await knot.waitUntilReady()
        let udp = try RFC2136DNSProvider(server: "127.0.0.1", port: knot.port, zone: "lab.test",
                                         tsigKeyName: "unity-key", tsigSecret: Self.secret)
        var tcp = udp
        tcp.transport = .tcp
        let one = ChallengeTask(type: "dns-01", domain: "lab.test", isWildcard: false, token: "t1", keyAuthorization: "t1.x")
        let two = ChallengeTask(type: "dns-01", domain: "lab.test", isWildcard: true, token: "t2", keyAuthorization: "t2.x")
        #expect(udp.canSolve(domain: "www.lab.test") && !udp.canSolve(domain: "other.test"))
        try await udp.present(one)
        try await tcp.present(two)
        #expect(Set(try await knot.txt("_acme-challenge.lab.test")) == [one.dnsTXTValue, two.dnsTXTValue])
        await udp.cleanUp(one)
        #expect(try await knot.txt("_acme-challenge.lab.test") == [two.dnsTXTValue])
        await tcp.cleanUp(two)
        #expect(try await knot.txt("_acme-challenge.lab.test") == [])

        let wrong = try RFC2136DNSProvider(server: "127.0.0.1", port: knot.port, zone: "lab.test",
                                           tsigKeyName: "unity-key", tsigSecret: Data(repeating: 9, count: 32).base64EncodedString())
        let error = await #expect(throws: DNSProviderError.self) { try await wrong.present(one) }
        #expect(error?.message.contains("NOTAUTH") == true)
    }
}
