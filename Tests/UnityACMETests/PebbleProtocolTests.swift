import Foundation
import UnityACMETestSupport
import Testing
@testable import UnityACME

@Suite("ACME protocol details against real Pebble", .enabled(if: PebbleServer.shouldRun), .timeLimit(.minutes(3)))
struct PebbleProtocolTests {
    @Test("External Account Binding: refused without it, accepted with Pebble's example kid/HMAC key")
    func externalAccountBinding() async throws {
        var options = PebbleServer.Options()
        options.externalAccountBinding = true
        try await PebbleSession.with(options) { _, session in
            #expect(try await session.client().directory().meta?.externalAccountRequired == true)
            let without = await #expect(throws: ACMEProblem.self) {
                try await session.client().register(termsOfServiceAgreed: true)
            }
            #expect(without?.shortType == "externalAccountRequired")

            let wrongKey = try ExternalAccountBinding(keyID: "kid-1", macKey: Base64URL.encode(Data(repeating: 7, count: 48)))
            let wrong = await #expect(throws: ACMEProblem.self) {
                try await session.client().register(termsOfServiceAgreed: true, externalAccountBinding: wrongKey)
            }
            #expect(wrong?.detail?.isEmpty == false)

            let eab = try ExternalAccountBinding(keyID: "kid-1", macKey: PebbleServer.eabKeys["kid-1"] ?? "")
            let account = try await session.client().register(
                contact: ["mailto:ops@homelab.test"], termsOfServiceAgreed: true, externalAccountBinding: eab)
            #expect(account.status == "valid")
        }
    }

    @Test("A rejected nonce is retried once with the nonce from the badNonce response")
    func badNonceRetry() async throws {
        try await PebbleSession.with { _, session in
            let client = session.client()
            await client.injectNonceForTesting("bm9uY2Utbm90LWlzc3VlZC1ieS1wZWJibGU")
            let account = try await client.register(termsOfServiceAgreed: true)
            #expect(account.status == "valid")
            #expect(await client.badNonceRetries == 1)
        }
    }

    @Test("When every nonce is rejected (PEBBLE_WFE_NONCEREJECT=100) the client retries exactly once, then reports badNonce")
    func badNonceGivesUp() async throws {
        var options = PebbleServer.Options()
        options.nonceRejectPercent = 100
        try await PebbleSession.with(options) { _, session in
            let client = session.client()
            let problem = await #expect(throws: ACMEProblem.self) { try await client.register(termsOfServiceAgreed: true) }
            #expect(problem?.isBadNonce == true)
            #expect(problem?.status == 400)
            #expect(await client.badNonceRetries == 1)
        }
    }

    @Test("Problem documents: an invalid identifier comes back as a typed ACMEProblem with the CA's text")
    func problemDocument() async throws {
        try await PebbleSession.with { _, session in
            let client = try await session.registeredClient()
            let problem = await #expect(throws: ACMEProblem.self) {
                try await client.newOrder(identifiers: [.dns("not a valid name!.test")])
            }
            #expect(["malformed", "rejectedIdentifier"].contains(problem?.shortType ?? ""))
            #expect(problem?.detail?.isEmpty == false)
            #expect(problem?.description.contains(problem?.detail ?? "<none>") == true)
        }
    }

    @Test("Requests without an account URL fail locally; an RSA account key (RS256) registers and orders")
    func rsaAccount() async throws {
        try await PebbleSession.with { harness, session in
            let unregistered = session.client()
            await #expect(throws: ACMEError.noAccount) {
                try await unregistered.newOrder(identifiers: [.dns("a.lab.test")])
            }
            let rsa = try ACMEAccountKey.generateRSA(bits: 2048)
            let client = try await session.registeredClient(key: rsa)
            let solver = ChallTestSrvSolver(http: session.http, baseURL: harness.challTestSrvURL)
            let issued = try await client.issueCertificate(CertificateOrderRequest(names: ["rsa.lab.test"]), solvers: [solver])
            #expect(issued.info.dnsNames == ["rsa.lab.test"])
        }
    }

    @Test("keyChange rolls the account to a new key; the old key no longer finds the account")
    func keyRollover() async throws {
        try await PebbleSession.with { _, session in
            let oldKey = ACMEAccountKey.generateP256()
            let client = try await session.registeredClient(key: oldKey)
            let url = await client.accountURL
            let newKey = ACMEAccountKey.generateP256()
            try await client.changeKey(to: newKey)
            #expect(try await session.client(key: newKey).lookUpAccount().url == url)
            await #expect(throws: ACMEProblem.self) { try await session.client(key: oldKey).lookUpAccount() }
            #expect(try await client.fetchAccount().status == "valid")
        }
    }

    @Test("DNS-01 through a lego-style exec hook script (present/cleanup <fqdn> <value>) that calls challtestsrv")
    func execHookIssuance() async throws {
        try await PebbleSession.with { harness, session in
            let script = harness.directory.appendingPathComponent("hook.sh")
            let log = harness.directory.appendingPathComponent("hook.log")
            try """
            #!/bin/sh
            echo "$@" >> \(log.path)
            case "$1" in
              present) curl -fsS -X POST -d "{\\"host\\":\\"$2\\",\\"value\\":\\"$3\\"}" \(harness.challTestSrvURL)/set-txt ;;
              cleanup) curl -fsS -X POST -d "{\\"host\\":\\"$2\\"}" \(harness.challTestSrvURL)/clear-txt ;;
            esac
            """.write(to: script, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
            let client = try await session.registeredClient()
            let hook = ExecDNSProvider(program: script.path)
            let issued = try await client.issueCertificate(CertificateOrderRequest(names: ["hook.lab.test"]), solvers: [hook])
            #expect(issued.info.dnsNames == ["hook.lab.test"])
            let lines = try String(contentsOf: log, encoding: .utf8).split(separator: "\n")
            #expect(lines.count == 2)
            #expect(lines.first?.hasPrefix("present _acme-challenge.hook.lab.test. ") == true)
            #expect(lines.last?.hasPrefix("cleanup _acme-challenge.hook.lab.test. ") == true)
        }
    }
}
