import Foundation
import Testing
import UnityRegistry
import UnityRegistryTestSupport

/// 429/503 back-off and the per-host token bucket. The 429 and 503 come from a FAKE registry (a
/// recording HTTP responder): distribution cannot be made to rate-limit. The clock is injected.
@Suite struct RegistryRateLimitTests {
    @Test func rateLimitedWithRetryAfterSendsNothingUntilItPasses() async throws {
        let fake = try TestHTTPServer.start { request in
            TestHTTPServer.Response(status: 429, headers: [("Retry-After", "30"), ("Content-Type", "application/json")],
                                    body: Data(#"{"errors":[{"code":"TOOMANYREQUESTS"}]}"#.utf8))
        }
        defer { fake.stop() }
        let clock = ManualRegistryClock()
        let host = "127.0.0.1:\(fake.port)"
        let ref = try reference(host, "homelab/app", tag: "latest")
        try await withRegistryClient(access: openAccess, clock: clock) { client in
            await #expect(throws: RegistryError.rateLimited(registry: host, retryAfterSeconds: 30)) { try await client.manifest(for: ref) }
            #expect(fake.requestCount == 1)
            clock.advance(10)
            await #expect(throws: RegistryError.rateLimited(registry: host, retryAfterSeconds: 20)) { try await client.manifest(for: ref) }
            await #expect(throws: RegistryError.rateLimited(registry: host, retryAfterSeconds: 20)) { try await client.tags(of: ref, limit: 5) }
            #expect(fake.requestCount == 1)
            #expect(await client.backOffRemaining(registry: host) == 20)
            clock.advance(20)
            await #expect(throws: RegistryError.rateLimited(registry: host, retryAfterSeconds: 30)) { try await client.manifest(for: ref) }
            #expect(fake.requestCount == 2)
        }
    }

    @Test func retryAfterAsHTTPDateIsMeasuredOnTheInjectedClock() async throws {
        let clock = ManualRegistryClock()
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let date = formatter.string(from: clock.now().addingTimeInterval(90))
        let fake = try TestHTTPServer.start { _ in TestHTTPServer.Response(status: 503, headers: [("Retry-After", date)]) }
        defer { fake.stop() }
        let host = "127.0.0.1:\(fake.port)"
        try await withRegistryClient(access: openAccess, clock: clock) { client in
            let ref = try reference(host, "homelab/app", tag: "latest")
            await #expect(throws: RegistryError.unavailable(registry: host, status: 503, retryAfterSeconds: 90)) { try await client.manifest(for: ref) }
            await #expect(throws: RegistryError.rateLimited(registry: host, retryAfterSeconds: 90)) { try await client.manifest(for: ref) }
            #expect(fake.requestCount == 1)
        }
    }

    @Test func serverErrorWithoutRetryAfterIsUnavailableAndNotBackedOff() async throws {
        let fake = try TestHTTPServer.start { _ in TestHTTPServer.Response(status: 502) }
        defer { fake.stop() }
        let host = "127.0.0.1:\(fake.port)"
        try await withRegistryClient(access: openAccess, clock: ManualRegistryClock()) { client in
            let ref = try reference(host, "homelab/app", tag: "latest")
            for _ in 0..<2 {
                await #expect(throws: RegistryError.unavailable(registry: host, status: 502, retryAfterSeconds: nil)) { try await client.manifest(for: ref) }
            }
            #expect(fake.requestCount == 2)
        }
    }

    @Test func tokenBucketSpacesRequestsOnTheInjectedClock() async throws {
        let registry = try TestRegistry.open()
        let layout = try newLayout()
        try layout.tag(try layout.addImage(content: "bucket"), as: "b")
        let repository = uniqueRepository()
        try registry.push(layout, ref: "b", repository: repository, tag: "b")
        let clock = ManualRegistryClock()
        var options = RegistryClient.Options()
        options.requestsPerSecond = 2
        options.burst = 3
        try await withRegistryClient(access: openAccess, options: options, clock: clock) { client in
            let ref = try reference(registry.host, repository, tag: "b")
            for _ in 0..<5 { _ = try await client.manifest(for: ref) }
        }
        // Three from the burst, then one every half second.
        #expect(clock.slept == [0.5, 0.5])
    }

    @Test func redirectToAHostNotAllowedIsRefused() async throws {
        let elsewhere = try TestHTTPServer.start { _ in TestHTTPServer.Response(status: 200) }
        defer { elsewhere.stop() }
        let fake = try TestHTTPServer.start { _ in
            TestHTTPServer.Response(status: 307, headers: [("Location", "http://localhost:\(elsewhere.port)/v2/homelab/app/manifests/latest")])
        }
        defer { fake.stop() }
        let host = "127.0.0.1:\(fake.port)"
        try await withRegistryClient(access: RegistryAccess(username: "u", password: "redirect-UNITYCANARY", allowInsecureHTTP: true)) { client in
            await #expect(throws: RegistryError.refusedHost(registry: host, host: "localhost:\(elsewhere.port)")) {
                try await client.manifest(for: try reference(host, "homelab/app", tag: "latest"))
            }
        }
        #expect(elsewhere.requestCount == 0)
    }
}
