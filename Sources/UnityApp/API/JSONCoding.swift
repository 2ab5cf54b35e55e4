import Foundation

extension JSONEncoder {
    /// snake_case keys and ISO-8601 UTC timestamps: the API's conventions, used for every body.
    static var unity: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}

extension JSONDecoder {
    /// Note: Swift properties use `Id`, not `ID`, so that snake_case `user_id` maps back to them.
    static var unity: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
