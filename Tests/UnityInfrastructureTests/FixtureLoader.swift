import Foundation

/// Loads the real-output fixtures copied into `Fixtures/` (see `Fixtures/SOURCES.md`).
///
/// Tests read fixtures through the bundle rather than `#filePath` so they keep working when the
/// package is built from another directory (CI clones, throwaway packages that symlink this folder).
enum FixtureLoader {
    struct Missing: Error, CustomStringConvertible {
        let path: String
        var description: String { "fixture not found: \(path)" }
    }

    /// The `Fixtures` folder inside the test bundle.
    static func root() throws -> URL {
        guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            throw Missing(path: "Fixtures")
        }
        return url
    }

    /// Raw bytes of `Fixtures/<relativePath>`, e.g. `"mdstat/pymdstat-01-no-arrays.txt"`.
    static func data(_ relativePath: String) throws -> Data {
        let url = try root().appendingPathComponent(relativePath)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw Missing(path: relativePath)
        }
        return data
    }

    /// UTF-8 text of a fixture (invalid bytes are replaced, never dropped silently into a crash).
    static func text(_ relativePath: String) throws -> String {
        String(decoding: try data(relativePath), as: UTF8.self)
    }

    /// Relative paths (`folder/file`) of every file in one fixture folder, sorted, so tests can
    /// prove that each fixture is covered.
    static func files(in folder: String) throws -> [String] {
        let url = try root().appendingPathComponent(folder)
        let names = try FileManager.default.contentsOfDirectory(atPath: url.path)
        return names.filter { !$0.hasPrefix(".") }.sorted().map { "\(folder)/\($0)" }
    }
}
