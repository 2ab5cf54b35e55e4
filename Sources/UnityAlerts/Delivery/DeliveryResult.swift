import Foundation

/// The outcome of one delivery attempt. Every text in it has been scrubbed of the channel's
/// secrets, so it can go to the notification log and the API as is.
public struct DeliveryResult: Sendable, Hashable, Codable {
    public var ok: Bool
    /// HTTP status code of the (last) request, for HTTP services.
    public var httpStatus: Int?
    /// The SMTP server's reply to the last command, e.g. "250 2.0.0 Ok: queued".
    public var smtpReply: String?
    public var error: String?
    /// False when trying again cannot help (401, 404, 550 mailbox unknown, bad config).
    public var retryable: Bool

    public init(ok: Bool, httpStatus: Int? = nil, smtpReply: String? = nil, error: String? = nil, retryable: Bool = true) {
        self.ok = ok
        self.httpStatus = httpStatus
        self.smtpReply = smtpReply
        self.error = error
        self.retryable = retryable
    }

    public static func http(_ status: Int, error: String? = nil) -> DeliveryResult {
        let ok = (200..<300).contains(status) && error == nil
        // 408 and 429 are "later", other 4xx are "never" (bad token, deleted webhook).
        let retryable = !ok && (status >= 500 || status == 408 || status == 429 || (200..<300).contains(status))
        return DeliveryResult(ok: ok, httpStatus: status, error: ok ? nil : (error ?? "HTTP \(status)"), retryable: retryable)
    }

    public func scrubbed(by channel: ChannelConfig) -> DeliveryResult {
        var copy = self
        copy.error = error.map(channel.scrub)
        copy.smtpReply = smtpReply.map(channel.scrub)
        return copy
    }
}


/// Sends one rendered message to one channel. Implementations never throw: every failure is a
/// `DeliveryResult` so the dispatcher can log and retry uniformly.
public protocol NotificationSender: Sendable {
    /// `deliveryID` is stable across retries of the same message (Matrix uses it as the
    /// transaction id, so a retry after a lost response is not posted twice).
    func send(_ message: RenderedMessage, to channel: ChannelConfig, deliveryID: UUID) async -> DeliveryResult
}
