import Foundation

/// Builds the RFC 5322 message (headers + body) and the DATA payload.
enum SMTPMessage {
    static func build(_ message: RenderedMessage, config: SMTPChannel, messageID: UUID, date: Date, eightBit: Bool) -> String {
        let domain = config.from.split(separator: "@").last.map(String.init) ?? config.heloName
        let body = normalize(message.body) + "\r\n"
        let longLine = body.split(separator: "\r\n").contains { $0.utf8.count > 990 }
        let useBase64 = !eightBit && !body.allSatisfy(\.isASCII) || longLine
        var headers = [
            "Date: \(rfc5322Date(date))",
            "Message-ID: <\(messageID.uuidString.lowercased())@\(domain)>",
            "From: \(config.fromName.map { "\(encodeWord(headerSafe($0))) <\(config.from)>" } ?? config.from)",
            "To: \(config.to.joined(separator: ", "))",
            "Subject: \(encodeWord(headerSafe(message.title)))",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: \(useBase64 ? "base64" : (body.allSatisfy(\.isASCII) ? "7bit" : "8bit"))",
            // RFC 3834: keeps vacation responders from answering alerts.
            "Auto-Submitted: auto-generated",
            "X-Unity-Event: \(message.event.rawValue)",
        ]
        if let link = message.link { headers.append("X-Unity-Link: \(headerSafe(link))") }
        let encodedBody = useBase64 ? wrap(Data(body.utf8).base64EncodedString(), width: 76) : body
        return headers.joined(separator: "\r\n") + "\r\n\r\n" + encodedBody
    }

    /// The DATA payload: CRLF line endings, leading dots doubled (RFC 5321 4.5.2), terminator.
    static func dataPayload(_ message: String) -> String {
        let lines = normalize(message).components(separatedBy: "\r\n").map { $0.hasPrefix(".") ? "." + $0 : $0 }
        var text = lines.joined(separator: "\r\n")
        if !text.hasSuffix("\r\n") { text += "\r\n" }
        return text + ".\r\n"
    }

    static func normalize(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .replacingOccurrences(of: "\n", with: "\r\n")
    }

    /// Header values never carry line breaks: a title with CR/LF must not add headers.
    static func headerSafe(_ text: String) -> String {
        text.replacingOccurrences(of: "[\r\n\u{2028}\u{2029}]+", with: " ", options: .regularExpression)
    }

    /// RFC 2047 encoded-word for non-ASCII header text.
    static func encodeWord(_ text: String) -> String {
        if text.allSatisfy(\.isASCII) { return text }
        return "=?UTF-8?B?\(Data(text.utf8).base64EncodedString())?="
    }

    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: date)
    }

    static func wrap(_ text: String, width: Int) -> String {
        var lines: [Substring] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            lines.append(rest.prefix(width))
            rest = rest.dropFirst(width)
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}
