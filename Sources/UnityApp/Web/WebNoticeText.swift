/// Notices travel in a cookie (see `WebFlash`); long texts (command output, many problems) are cut
/// well under the browsers' 4 KB cookie limit.
enum WebNoticeText {
    static let limit = 900

    static func short(_ text: String) -> String { text.count > limit ? String(text.prefix(limit)) + "…" : text }
}
