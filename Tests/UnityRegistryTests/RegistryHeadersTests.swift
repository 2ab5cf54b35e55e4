import Foundation
import NIOHTTP1
import Testing
@testable import UnityRegistry

/// Rate-limit, Retry-After and Link headers (pure).
@Suite struct RegistryHeadersTests {
    @Test func dockerHubRateLimitHeaders() {
        let headers = HTTPHeaders([("ratelimit-limit", "100;w=21600"), ("ratelimit-remaining", "76;w=21600"),
                                   ("docker-ratelimit-source", "192.0.2.1")])
        #expect(RegistryHeaders.rateLimit(headers) == RegistryRateLimit(limit: 100, remaining: 76))
    }

    @Test func plainAndPartialRateLimitHeaders() {
        #expect(RegistryHeaders.rateLimit(HTTPHeaders([("RateLimit-Limit", "5000")])) == RegistryRateLimit(limit: 5000, remaining: nil))
        #expect(RegistryHeaders.rateLimit(HTTPHeaders([("ratelimit-remaining", " 0 ; w=3600")])) == RegistryRateLimit(limit: nil, remaining: 0))
        #expect(RegistryHeaders.rateLimit(HTTPHeaders([("ratelimit-limit", "lots")])) == nil)
        #expect(RegistryHeaders.rateLimit(HTTPHeaders()) == nil)
    }

    @Test func retryAfterSecondsAndDates() {
        let now = Date(timeIntervalSince1970: 1_445_412_480) // Wed, 21 Oct 2015 07:28:00 GMT
        func retry(_ value: String) -> Int? { RegistryHeaders.retryAfterSeconds(HTTPHeaders([("Retry-After", value)]), now: now) }
        #expect(retry("120") == 120)
        #expect(retry("0") == 0)
        #expect(retry("Wed, 21 Oct 2015 07:30:00 GMT") == 120)
        #expect(retry("Wednesday, 21-Oct-15 07:29:00 GMT") == 60)
        #expect(retry("Wed Oct 21 07:28:30 2015") == 30)
        #expect(retry("Wed, 21 Oct 2015 07:00:00 GMT") == 0) // in the past: now
        #expect(retry("soon") == nil)
        #expect(RegistryHeaders.retryAfterSeconds(HTTPHeaders(), now: now) == nil)
    }

    @Test func nextLinkRelativeAndAbsolute() {
        #expect(RegistryHeaders.nextLink(HTTPHeaders([("Link", #"</v2/a/tags/list?last=b&n=2>; rel="next""#)])) == "/v2/a/tags/list?last=b&n=2")
        #expect(RegistryHeaders.nextLink(HTTPHeaders([("Link", #"<https://r.example/v2/a/tags/list?n=2&last=c>; rel=next"#)]))
                == "https://r.example/v2/a/tags/list?n=2&last=c")
        #expect(RegistryHeaders.nextLink(HTTPHeaders([("Link", #"</prev>; rel="prev", </next>; rel="next""#)])) == "/next")
        #expect(RegistryHeaders.nextLink(HTTPHeaders([("Link", #"</prev>; rel="prev""#)])) == nil)
    }

    @Test func accessDescriptionsHideThePassword() {
        let access = RegistryAccess(username: "unity", password: "pw-UNITYCANARY-hidden", allowInsecureHTTP: true)
        #expect(!"\(access)".contains("UNITYCANARY"))
        #expect(!String(reflecting: access).contains("UNITYCANARY"))
        var dumped = ""
        dump(access, to: &dumped)
        #expect(!dumped.contains("UNITYCANARY"))
    }
}
