import Foundation
import UnityACMETestSupport
import Testing
@testable import UnityACME

@Suite("ACME against real Pebble", .enabled(if: PebbleServer.shouldRun), .timeLimit(.minutes(3)))
struct PebbleIssuanceTests {
    @Test("newAccount with contact and ToS; onlyReturnExisting finds it again; unknown key is refused")
    func accountLifecycle() async throws {
        try await PebbleSession.with { _, session in
            let key = ACMEAccountKey.generateP256()
            let client = session.client(key: key)
            let account = try await client.register(contact: ["mailto:ops@homelab.test"], termsOfServiceAgreed: true)
            #expect(account.status == "valid")
            #expect(account.url.contains("/my-account/"))

            let again = session.client(key: key)
            let found = try await again.lookUpAccount()
            #expect(found.url == account.url)

            let stranger = session.client()
            let error = await #expect(throws: ACMEProblem.self) { try await stranger.lookUpAccount() }
            #expect(error?.shortType == "accountDoesNotExist")
        }
    }

    @Test("HTTP-01 issuance of two names served by Unity's HTTP01Server; chain verifies against Pebble's root")
    func http01TwoNames() async throws {
        try await PebbleSession.with { harness, session in
            let server = HTTP01Server(host: "127.0.0.1", port: harness.httpChallengePort)
            try await server.start()
            do {
                let client = try await session.registeredClient()
                let issued = try await client.issueCertificate(
                    CertificateOrderRequest(names: ["web.homelab.test", "nas.homelab.test"]), solvers: [server])
                #expect(Set(issued.info.dnsNames) == ["web.homelab.test", "nas.homelab.test"])
                #expect(issued.info.issuer.contains("Pebble Intermediate CA"))
                #expect(issued.info.keyType == "ec-p256")
                #expect(issued.info.chainLength >= 2)
                #expect(try CertificateInfo.privateKey(issued.privateKeyPEM, matches: issued.chainPEM))
                #expect(try await opensslVerify(chainPEM: issued.chainPEM, rootPEM: try await session.rootPEM()))
                #expect(try await session.certificateStatus(serialHex: issued.info.serialHex) == "Valid")
            } catch {
                await server.stop()
                throw error
            }
            await server.stop()
        }
    }

    @Test("DNS-01 issuance of *.lab.test + lab.test through challtestsrv, with an RSA-2048 certificate key")
    func dns01Wildcard() async throws {
        try await PebbleSession.with { harness, session in
            let client = try await session.registeredClient()
            let solver = ChallTestSrvSolver(http: session.http, baseURL: harness.challTestSrvURL)
            let issued = try await client.issueCertificate(
                CertificateOrderRequest(names: ["*.lab.test", "lab.test"], keyType: .rsa2048), solvers: [solver])
            #expect(Set(issued.info.dnsNames) == ["*.lab.test", "lab.test"])
            #expect(issued.info.keyType == "rsa-2048")
            #expect(try CertificateInfo.privateKey(issued.privateKeyPEM, matches: issued.chainPEM))
            #expect(try await opensslVerify(chainPEM: issued.chainPEM, rootPEM: try await session.rootPEM()))
        }
    }

    @Test("A wildcard without a DNS-01 solver fails before anything is presented, naming the offered types")
    func wildcardNeedsDNS() async throws {
        try await PebbleSession.with { harness, session in
            let client = try await session.registeredClient()
            let server = HTTP01Server(host: "127.0.0.1", port: harness.httpChallengePort)
            let error = await #expect(throws: ACMEError.self) {
                try await client.issueCertificate(CertificateOrderRequest(names: ["*.lab.test"]), solvers: [server])
            }
            guard case .unsupportedChallenge(let name, let offered)? = error else {
                Issue.record("unexpected \(String(describing: error))")
                return
            }
            #expect(name == "*.lab.test")
            #expect(offered == ["dns-01"])
        }
    }

    @Test("Renewal: a second order for the same names gives a new serial; Pebble 2.4 has no ARI endpoint")
    func renewal() async throws {
        try await PebbleSession.with { harness, session in
            let client = try await session.registeredClient()
            let solver = ChallTestSrvSolver(http: session.http, baseURL: harness.challTestSrvURL)
            let request = CertificateOrderRequest(names: ["renew.lab.test"])
            let first = try await client.issueCertificate(request, solvers: [solver])
            #expect(try await client.renewalInfo(certificatePEM: first.chainPEM) == nil)
            var renewal = request
            renewal.replaces = try RenewalInfo.certificateID(pem: first.chainPEM)
            let second = try await client.issueCertificate(renewal, solvers: [solver])
            #expect(second.info.serialHex != first.info.serialHex)
            #expect(second.info.dnsNames == ["renew.lab.test"])
            #expect(second.privateKeyPEM != first.privateKeyPEM)
            let id = try RenewalInfo.certificateID(pem: second.chainPEM)
            #expect(id.hasPrefix(Base64URL.encode(hexBytes(second.info.authorityKeyIdentifier ?? "")) + "."))
        }
    }

    @Test("Revocation by the account, then by the certificate key; Pebble's management API says Revoked")
    func revocation() async throws {
        try await PebbleSession.with { harness, session in
            let client = try await session.registeredClient()
            let solver = ChallTestSrvSolver(http: session.http, baseURL: harness.challTestSrvURL)
            let one = try await client.issueCertificate(CertificateOrderRequest(names: ["old.lab.test"]), solvers: [solver])
            try await client.revoke(certificatePEM: one.chainPEM, reason: .superseded)
            #expect(try await session.certificateStatus(serialHex: one.info.serialHex) == "Revoked")

            let two = try await client.issueCertificate(CertificateOrderRequest(names: ["key.lab.test"]), solvers: [solver])
            let certificateKey = try ACMEAccountKey(pem: two.privateKeyPEM)
            try await session.client().revoke(certificatePEM: two.chainPEM, reason: .keyCompromise,
                                              certificateKey: certificateKey)
            #expect(try await session.certificateStatus(serialHex: two.info.serialHex) == "Revoked")

            let again = await #expect(throws: ACMEProblem.self) {
                try await client.revoke(certificatePEM: one.chainPEM)
            }
            #expect(again?.shortType == "alreadyRevoked")
        }
    }
}

func hexBytes(_ hex: String) -> [UInt8] {
    var bytes: [UInt8] = []
    var index = hex.startIndex
    while let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex), index < hex.endIndex {
        if let byte = UInt8(hex[index..<next], radix: 16) { bytes.append(byte) }
        index = next
    }
    return bytes
}
