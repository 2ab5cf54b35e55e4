/// One challenge of a `WWW-Authenticate` header (RFC 9110 §11.6.1): `Bearer realm="…",service="…",scope="…"`.
public struct AuthChallenge: Sendable, Equatable {
    /// Lower-cased (`bearer`, `basic`).
    public var scheme: String
    /// Parameter names lower-cased, values unquoted.
    public var parameters: [String: String]

    public init(scheme: String, parameters: [String: String] = [:]) {
        self.scheme = scheme.lowercased()
        self.parameters = parameters
    }

    public var realm: String? { parameters["realm"] }
    public var service: String? { parameters["service"] }
    public var scope: String? { parameters["scope"] }

    /// Every challenge in the given header values. Robust to what registries really send: several
    /// challenges in one value, quoted values with commas and escaped quotes (`scope="repository:a:pull,push"`),
    /// spaces around `=`, unknown schemes and token68 values (kept as parameter `token68`). Never traps.
    public static func parse(_ values: [String]) -> [AuthChallenge] {
        values.flatMap { parse(Array($0.utf8)) }
    }

    public static func parse(_ value: String) -> [AuthChallenge] { parse([value]) }

    private static func parse(_ bytes: [UInt8]) -> [AuthChallenge] {
        var scanner = Scanner(bytes: bytes)
        var challenges: [AuthChallenge] = []
        while true {
            scanner.skip { $0 == .space || $0 == .tab || $0 == .comma }
            guard let scheme = scanner.token(), !scheme.isEmpty else {
                if scanner.atEnd { break }
                scanner.advance() // a stray character (a quote, `=`) cannot start a challenge: skip it
                continue
            }
            var challenge = AuthChallenge(scheme: scheme)
            while true {
                scanner.skip { $0 == .space || $0 == .tab }
                let mark = scanner.position
                guard let name = scanner.token(), !name.isEmpty else {
                    // token68 (`Negotiate abc==`) or the end of this challenge's parameters
                    if let token68 = scanner.token68() { challenge.parameters["token68"] = token68 }
                    break
                }
                scanner.skip { $0 == .space || $0 == .tab }
                guard scanner.peek == .equals else {
                    scanner.position = mark // the name was the next challenge's scheme
                    break
                }
                scanner.advance()
                if scanner.peek == .equals {
                    // `abc==`: a token68 with padding, not a parameter
                    scanner.skip { $0 == .equals }
                    challenge.parameters["token68"] = String(decoding: scanner.bytes[mark..<scanner.position], as: UTF8.self)
                    break
                }
                scanner.skip { $0 == .space || $0 == .tab }
                if scanner.peek == nil || scanner.peek == .comma {
                    // `name=` with nothing after it was a token68 ending in padding
                    challenge.parameters[name.lowercased()] = ""
                } else {
                    challenge.parameters[name.lowercased()] = scanner.peek == .quote ? scanner.quoted() : scanner.token() ?? ""
                }
                scanner.skip { $0 == .space || $0 == .tab }
                guard scanner.peek == .comma else { break }
                // After a comma either another parameter of this challenge or the next challenge follows.
                scanner.advance()
            }
            challenges.append(challenge)
        }
        return challenges
    }
}

private extension UInt8 {
    static let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t"), comma = UInt8(ascii: ",")
    static let equals = UInt8(ascii: "="), quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")

    /// RFC 9110 `tchar`.
    var isTokenCharacter: Bool {
        switch self {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        default: Array("!#$%&'*+-.^_`|~".utf8).contains(self)
        }
    }
}

private struct Scanner {
    let bytes: [UInt8]
    var position = 0

    var atEnd: Bool { position >= bytes.count }
    var peek: UInt8? { atEnd ? nil : bytes[position] }
    mutating func advance() { position += 1 }

    mutating func skip(while predicate: (UInt8) -> Bool) {
        while let byte = peek, predicate(byte) { advance() }
    }

    mutating func token() -> String? {
        let start = position
        skip { $0.isTokenCharacter }
        return position > start ? String(decoding: bytes[start..<position], as: UTF8.self) : nil
    }

    /// `token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`
    mutating func token68() -> String? {
        let start = position
        skip { $0.isTokenCharacter || $0 == UInt8(ascii: "/") }
        skip { $0 == .equals }
        return position > start ? String(decoding: bytes[start..<position], as: UTF8.self) : nil
    }

    /// A quoted-string with backslash escapes; an unterminated one runs to the end of the value.
    mutating func quoted() -> String {
        advance()
        var value: [UInt8] = []
        while let byte = peek {
            advance()
            if byte == .quote { break }
            if byte == .backslash, let escaped = peek {
                value.append(escaped)
                advance()
            } else {
                value.append(byte)
            }
        }
        return String(decoding: value, as: UTF8.self)
    }
}
