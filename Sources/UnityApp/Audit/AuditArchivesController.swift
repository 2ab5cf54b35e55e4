import Fluent
import Vapor

/// `/api/v1/audit/archives` (admins): the archived days of credential audit events and whether
/// their hash chain is intact; one day as JSON lines.
enum AuditArchivesController {
    static func list(_ request: Request) async throws -> AuditArchiveListDTO {
        let archives = try await AuditArchiveRecord.query(on: request.db).sort(\.$day).all()
        let broken = CredentialAuditArchive.firstBrokenDay(archives)
        return AuditArchiveListDTO(chainIntact: broken == nil, brokenAt: broken,
                                   archives: archives.reversed().map { .init(day: $0.day, events: $0.events, sha256: $0.sha256, previousSha256: $0.previousSHA256) })
    }

    static func day(_ request: Request) async throws -> Response {
        let day = request.parameters.get("day") ?? ""
        guard CredentialAuditArchive.parse(day) != nil else { throw APIError.validation("day", "a day like 2026-11-26") }
        guard let archive = try await AuditArchiveRecord.query(on: request.db).filter(\.$day == day).first() else { throw APIError.notFound("archive") }
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "application", subType: "x-ndjson")
        headers.add(name: "X-Unity-Archive-SHA256", value: archive.sha256)
        headers.add(name: .contentDisposition, value: "attachment; filename=\"unity-credential-audit-\(day).jsonl\"")
        return Response(status: .ok, headers: headers, body: .init(string: archive.content))
    }
}

struct AuditArchiveListDTO: Content, APIExample {
    struct Day: Content {
        var day: String
        var events: Int
        var sha256: String
        var previousSha256: String
    }

    var chainIntact: Bool
    /// The first day whose content or link no longer matches its hash.
    var brokenAt: String?
    /// Newest first.
    var archives: [Day]

    static var example: AuditArchiveListDTO {
        .init(chainIntact: true, brokenAt: nil, archives: [.init(day: "2026-11-26", events: 12, sha256: String(repeating: "ab", count: 32),
                                                                  previousSha256: String(repeating: "cd", count: 32))])
    }
}
