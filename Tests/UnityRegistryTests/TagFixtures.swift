import Foundation

/// The real tag lists in `Fixtures/tags/` (see `Fixtures/SOURCES.md`), read through the bundle.
enum TagFixtures {
    struct Missing: Error, CustomStringConvertible {
        let name: String
        var description: String { "tag fixture not found: \(name)" }
    }

    static func names() throws -> [String] {
        guard let folder = Bundle.module.url(forResource: "Fixtures", withExtension: nil)?.appendingPathComponent("tags") else {
            throw Missing(name: "tags/")
        }
        return try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".txt") }
            .map { String($0.dropLast(4)) }.sorted()
    }

    static func tags(_ image: String) throws -> [String] {
        guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil)?.appendingPathComponent("tags/\(image).txt"),
              let data = FileManager.default.contents(atPath: url.path) else { throw Missing(name: image) }
        return String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).map(String.init)
    }
}
