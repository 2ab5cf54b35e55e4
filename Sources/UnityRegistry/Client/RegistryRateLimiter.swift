import Foundation

/// Per registry host: a token bucket that spaces requests out, and a "backed off until" set by a
/// 429 or a 503 with `Retry-After`, before which no request is sent at all (the caller gets
/// `rateLimited` at once and keeps its last good result).
actor RegistryRateLimiter {
    private struct Bucket {
        var tokens: Double
        var updated: Date
    }

    private let requestsPerSecond: Double
    private let burst: Double
    private let clock: any RegistryClock
    private var buckets: [String: Bucket] = [:]
    private var backedOffUntil: [String: Date] = [:]

    /// `requestsPerSecond <= 0` turns the bucket off (back-off still applies).
    init(requestsPerSecond: Double, burst: Int, clock: any RegistryClock) {
        self.requestsPerSecond = requestsPerSecond
        self.burst = Double(max(1, burst))
        self.clock = clock
    }

    /// Takes one request's token for `host`, waiting for it when the bucket is empty.
    func acquire(host: String, registry: String) async throws(RegistryError) {
        let now = clock.now()
        if let until = backedOffUntil[host] {
            if until > now {
                throw .rateLimited(registry: registry, retryAfterSeconds: Int(until.timeIntervalSince(now).rounded(.up)))
            }
            backedOffUntil[host] = nil
        }
        guard requestsPerSecond > 0 else { return }
        var bucket = buckets[host] ?? Bucket(tokens: burst, updated: now)
        bucket.tokens = min(burst, bucket.tokens + max(0, now.timeIntervalSince(bucket.updated)) * requestsPerSecond)
        bucket.updated = now
        // Reserve before waiting so concurrent callers queue behind each other instead of all waking at once.
        bucket.tokens -= 1
        buckets[host] = bucket
        guard bucket.tokens < 0 else { return }
        do {
            try await clock.sleep(seconds: -bucket.tokens / requestsPerSecond)
        } catch {
            throw .transport(registry: registry, message: "cancelled while waiting for the request rate limit")
        }
    }

    /// No request to `host` before `seconds` from now (the longer of an existing and the new back-off).
    func backOff(host: String, seconds: Int) {
        let until = clock.now().addingTimeInterval(TimeInterval(max(0, seconds)))
        if let existing = backedOffUntil[host], existing > until { return }
        backedOffUntil[host] = until
    }

    /// How long `host` is still backed off (0 when not), for the app's status display.
    func backOffRemaining(host: String) -> TimeInterval {
        guard let until = backedOffUntil[host] else { return 0 }
        return max(0, until.timeIntervalSince(clock.now()))
    }
}
