import Foundation
import NIOHTTP1

/// Reading the response headers registries use for digests, rate limits and pagination.
enum RegistryHeaders {
    /// `ratelimit-limit: 100;w=21600` / `ratelimit-remaining: 76;w=21600` (Docker Hub; plain integers
    /// elsewhere). Nil when neither header is present or neither holds a number.
    static func rateLimit(_ headers: HTTPHeaders) -> RegistryRateLimit? {
        let limit = headers.first(name: "ratelimit-limit").flatMap(leadingInteger)
        let remaining = headers.first(name: "ratelimit-remaining").flatMap(leadingInteger)
        guard limit != nil || remaining != nil else { return nil }
        return RegistryRateLimit(limit: limit, remaining: remaining)
    }

    static func leadingInteger(_ value: String) -> Int? {
        let head = value.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        return Int(head).flatMap { $0 >= 0 ? $0 : nil }
    }

    /// Seconds to wait from `Retry-After`: delta-seconds or an HTTP-date (RFC 9110 §10.2.3), measured
    /// from `now` (the client's clock), rounded up, never negative; nil when absent or unreadable.
    static func retryAfterSeconds(_ headers: HTTPHeaders, now: Date) -> Int? {
        guard let value = headers.first(name: "Retry-After")?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Int(value) { return max(0, seconds) }
        guard let date = httpDate(value) else { return nil }
        return max(0, Int(date.timeIntervalSince(now).rounded(.up)))
    }

    /// IMF-fixdate, RFC 850 and asctime, the three forms RFC 9110 §5.6.7 requires a recipient to accept.
    static func httpDate(_ value: String) -> Date? {
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            if let date = formatter.date(from: value) { return date }
        }
        return nil
    }

    /// The target of `Link: <…>; rel="next"` (tags and catalog pagination), as written (relative or absolute).
    static func nextLink(_ headers: HTTPHeaders) -> String? {
        for value in headers[canonicalForm: "Link"] {
            let text = String(value)
            guard let open = text.firstIndex(of: "<"), let close = text[open...].firstIndex(of: ">") else { continue }
            let parameters = text[text.index(after: close)...].split(separator: ";").map {
                $0.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "\"", with: "")
            }
            if parameters.contains(where: { $0 == "rel=next" || ($0.hasPrefix("rel=") && $0.dropFirst(4).split(separator: " ").contains("next")) }) {
                return String(text[text.index(after: open)..<close])
            }
        }
        return nil
    }

    /// The media type of `Content-Type` without parameters (`; charset=utf-8`).
    static func mediaType(_ headers: HTTPHeaders) -> String? {
        guard let value = headers.first(name: "Content-Type") else { return nil }
        let type = value.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        return type.isEmpty ? nil : type
    }

    /// `Docker-Content-Digest` when it is a well-formed `algorithm:hex` digest.
    static func contentDigest(_ headers: HTTPHeaders) -> String? {
        guard let value = headers.first(name: "Docker-Content-Digest")?.trimmingCharacters(in: .whitespaces),
              ImageReference.isDigest(value) else { return nil }
        return value
    }
}
