import Foundation
import UnityContainers
import Vapor

/// One container's update state as the API shows it. `stale` means the last check failed
/// transiently (rate limit, registry down): `last_good_*` is what the check before it found.
struct ContainerUpdateDTO: Content, APIExample {
    var containerId: UUID
    var containerName: String
    var hostId: UUID
    var image: String?
    /// up_to_date, update_available, unknown, skipped, pinned; `not_checked` before the first check.
    var status: String
    /// digest (a rebuild of the same tag), patch, minor, major
    var kind: String?
    var reason: String?
    var currentTag: String?
    var currentDigest: String?
    var candidateTag: String?
    var candidateDigest: String?
    var intermediateCount: Int?
    var checkedAt: Date?
    var stale: Bool
    var lastGoodStatus: String?
    var lastGoodCheckedAt: Date?
    var pinned: Bool
    var skippedTag: String?
    var skippedDigest: String?

    init(container: ContainerRecord, status row: ContainerUpdateStatusRecord?) throws {
        containerId = try container.requireID(); containerName = container.name; hostId = container.hostID; image = container.imageReference
        status = row?.status ?? "not_checked"; kind = row?.kind; reason = row?.reason; currentTag = row?.currentTag; currentDigest = row?.currentDigest
        candidateTag = row?.candidateTag; candidateDigest = row?.candidateDigest; intermediateCount = row?.intermediateCount
        checkedAt = row?.checkedAt; stale = row?.stale ?? false; lastGoodStatus = row?.lastGoodStatus; lastGoodCheckedAt = row?.lastGoodCheckedAt
        pinned = row?.pinned ?? false; skippedTag = row?.skippedTag; skippedDigest = row?.skippedDigest
    }

    private init() {
        containerId = UUID(); containerName = "web"; hostId = UUID(); image = "nginx:1.27.0"; status = "update_available"; kind = "minor"
        reason = nil; currentTag = "1.27.0"; currentDigest = "sha256:" + String(repeating: "ab", count: 32); candidateTag = "1.28.1"
        candidateDigest = nil; intermediateCount = 2; checkedAt = Date(); stale = false; lastGoodStatus = nil; lastGoodCheckedAt = nil
        pinned = false; skippedTag = nil; skippedDigest = nil
    }

    static var example: ContainerUpdateDTO { .init() }
    static var allowedValues: [String: [String]] {
        ["status": UpdateStatus.allCases.map(\.rawValue) + ["not_checked"], "kind": ["digest", "patch", "minor", "major"]]
    }
}

struct PinUpdateBody: Content, APIExample {
    var pinned: Bool?
    static var example: PinUpdateBody { .init(pinned: true) }
}
