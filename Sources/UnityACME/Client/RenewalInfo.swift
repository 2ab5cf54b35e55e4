import Foundation
import X509

/// ACME Renewal Information (RFC 9773): the window in which the CA wants the certificate renewed.
public struct RenewalInfo: Sendable, Equatable {
    public var windowStart: Date
    public var windowEnd: Date
    public var explanationURL: String?
    /// Seconds until the app should ask again (the response's Retry-After).
    public var retryAfter: TimeInterval?

    public init(windowStart: Date, windowEnd: Date, explanationURL: String? = nil, retryAfter: TimeInterval? = nil) {
        self.windowStart = windowStart
        self.windowEnd = windowEnd
        self.explanationURL = explanationURL
        self.retryAfter = retryAfter
    }

    /// Parses `{"suggestedWindow": {"start": …, "end": …}, "explanationURL": …}`.
    public static func parse(_ json: Data) throws -> RenewalInfo {
        struct Body: Decodable {
            struct Window: Decodable { var start: String; var end: String }
            var suggestedWindow: Window
            var explanationURL: String?
        }
        let body: Body
        do { body = try JSONDecoder().decode(Body.self, from: json) } catch {
            throw ACMEError.malformedResponse("renewalInfo: \(error)")
        }
        guard let start = parseDate(body.suggestedWindow.start), let end = parseDate(body.suggestedWindow.end),
              start < end
        else { throw ACMEError.malformedResponse("renewalInfo window is not two ordered RFC 3339 dates") }
        return RenewalInfo(windowStart: start, windowEnd: end, explanationURL: body.explanationURL)
    }

    /// RFC 9773 §4.1: base64url(AKI keyIdentifier) "." base64url(serial number DER content octets).
    public static func certificateID(pem: String) throws -> String {
        let certificate = try Certificate(pemEncoded: CertificateInfo.splitPEM(pem).first ?? "")
        guard let aki = try certificate.extensions.authorityKeyIdentifier?.keyIdentifier else {
            throw ACMEError.invalidCertificate("no Authority Key Identifier: ARI needs one")
        }
        // swift-certificates keeps the serial as an unsigned magnitude; DER content octets of a
        // positive INTEGER need a leading 0x00 when the top bit is set (RFC 9773's own example has one).
        var serial = Array(certificate.serialNumber.bytes.drop { $0 == 0 })
        if serial.isEmpty || serial[0] & 0x80 != 0 { serial.insert(0, at: 0) }
        return Base64URL.encode(Array(aki)) + "." + Base64URL.encode(serial)
    }

    static func parseDate(_ text: String) -> Date? {
        let plain = ISO8601DateFormatter()
        if let date = plain.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }
}

/// When to renew. Pure: the app's scheduler passes `now` and whatever ARI it last fetched.
public enum RenewalPolicy {
    /// Default: renew when one third of the lifetime remains (Let's Encrypt's advice).
    public static let defaultFraction = 1.0 / 3.0

    /// True when less than `fraction` of the lifetime remains, or when `now` is inside or past the
    /// CA's suggested window (the CA may move the window earlier, e.g. before a mass revocation).
    public static func shouldRenew(notBefore: Date, notAfter: Date, ari: RenewalInfo? = nil,
                                   now: Date, fraction: Double = defaultFraction) -> Bool {
        if let ari, now >= ari.windowStart { return true }
        return now >= renewalDate(notBefore: notBefore, notAfter: notAfter, fraction: fraction)
    }

    /// The moment `fraction` of the lifetime remains.
    public static func renewalDate(notBefore: Date, notAfter: Date, fraction: Double = defaultFraction) -> Date {
        let clamped = min(max(fraction, 0), 1)
        let lifetime = notAfter.timeIntervalSince(notBefore)
        return notAfter.addingTimeInterval(-lifetime * clamped)
    }
}
