import Foundation
import UnityRegistry

/// What a container needs from the registry before it can be decided.
public struct UpdateCheck: Sendable {
    /// The tag's reference without digest: the key requests are de-duplicated by.
    public var reference: ImageReference
    public var tag: String
    public var watch: UpdateWatchPolicy
    public var policy: CompiledTagPolicy
    public var mode: TagWatchMode
    /// The image's repo digests for this repository (every one, not only the first).
    public var localDigests: [String]

    public var needsTags: Bool {
        switch mode {
        case .digestOnly: false
        case .floatingMajor: watch.followMajor
        case .version: true
        }
    }
}

public enum UpdatePlan: Sendable {
    /// Decided without the registry (pinned, skipped, no usable reference).
    case settled(UpdateVerdict)
    case check(UpdateCheck)
}

/// The pure part of update detection: from a container and the registry's answers to a verdict.
public enum UpdateDecision {
    public static func plan(_ subject: UpdateSubject) -> UpdatePlan {
        guard let text = subject.imageReference, !text.isEmpty else {
            return .settled(.unknown("the container has no image reference"))
        }
        let reference: ImageReference
        do { reference = try ImageReference.parse(text) } catch { return .settled(.unknown(error.description)) }
        let watch = UpdateWatchPolicy.from(labels: subject.labels)
        guard watch.enabled else {
            return .settled(UpdateVerdict(status: .skipped, reason: "update watching is turned off by a label", currentTag: reference.tag))
        }
        if let digest = reference.digest {
            return .settled(UpdateVerdict(status: .pinned, reason: "the reference pins a digest", currentTag: reference.tag, currentDigest: digest))
        }
        if subject.userPinned || watch.pinned {
            return .settled(UpdateVerdict(status: .pinned, reason: subject.userPinned ? "pinned" : "pinned by label", currentTag: reference.tag))
        }
        let tag = reference.tag ?? "latest"
        let policy: CompiledTagPolicy
        do { policy = try watch.tags.validated() } catch { return .settled(.unknown(error.description, tag: tag)) }
        return .check(UpdateCheck(reference: reference.withTag(tag), tag: tag, watch: watch, policy: policy,
                                  mode: TagWatchMode.of(tag, policy: policy),
                                  localDigests: localDigests(subject.repoDigests, for: reference)))
    }

    /// The digests of `RepoDigests` entries naming the same registry and repository.
    static func localDigests(_ repoDigests: [String], for reference: ImageReference) -> [String] {
        var digests: [String] = []
        for entry in repoDigests {
            guard let parsed = try? ImageReference.parse(entry), let digest = parsed.digest,
                  parsed.sameRepository(as: reference), !digests.contains(digest) else { continue }
            digests.append(digest)
        }
        return digests
    }

    /// `tags` is nil when the check did not need a listing.
    public static func decide(_ subject: UpdateSubject, _ check: UpdateCheck, manifest: Result<RegistryManifest, RegistryError>,
                              tags: Result<[String], RegistryError>?) -> UpdateVerdict {
        var verdict = UpdateVerdict(status: .unknown, currentTag: check.tag, currentDigest: check.localDigests.first)
        if check.needsTags, let current = currentVersion(check.mode) {
            switch tags {
            case .failure(let error)?:
                return failed(error, verdict)
            case .success(let list)?:
                if let candidate = TagCandidates.candidate(current: current, tags: list, policy: check.policy) {
                    if candidate.tag == subject.skippedTag {
                        verdict.reason = "version \(candidate.tag) was skipped"
                    } else {
                        verdict.status = .updateAvailable
                        verdict.kind = candidate.kind
                        verdict.candidateTag = candidate.tag
                        verdict.intermediateCount = candidate.intermediateCount
                        return verdict
                    }
                }
            case nil:
                return .unknown("the tag listing was not fetched", tag: check.tag)
            }
        }
        let answer: RegistryManifest
        switch manifest {
        case .failure(let error): return failed(error, verdict)
        case .success(let value): answer = value
        }
        if case .version = check.mode, !check.watch.watchDigest {
            verdict.status = .upToDate
            verdict.reason = verdict.reason ?? "no newer version; digest watching is off"
            return verdict
        }
        guard !check.localDigests.isEmpty else {
            verdict.reason = "the image has no repo digest for \(check.reference.registry)/\(check.reference.repository)"
                + " (built locally or pulled under another name), so its digest cannot be compared"
            return verdict
        }
        if let matched = matchingDigest(check.localDigests, answer, platform: subject.platform) {
            verdict.status = .upToDate
            verdict.currentDigest = matched
            return verdict
        }
        if answer.digest == subject.skippedDigest {
            verdict.status = .skipped
            verdict.reason = "the rebuild \(answer.digest) was skipped"
            verdict.candidateDigest = answer.digest
            return verdict
        }
        verdict.status = .updateAvailable
        verdict.kind = .digest
        verdict.candidateTag = check.tag
        verdict.candidateDigest = answer.digest
        verdict.reason = nil
        return verdict
    }

    /// Up to date when a repo digest equals the digest the tag resolves to (an index pulled as a whole),
    /// or, for an index, the entry for the host's platform (Docker records the platform manifest's digest
    /// for single-platform pulls on some engines). A single-platform answer is only ever compared with
    /// equality: a platform digest is never taken for an index digest, which is how permanent false
    /// "update available" happen.
    static func matchingDigest(_ local: [String], _ manifest: RegistryManifest, platform: HostPlatform?) -> String? {
        if local.contains(manifest.digest) { return manifest.digest }
        guard manifest.isIndex else { return nil }
        let entries = platform.map { $0.entries(in: manifest.platforms) } ?? manifest.platforms
        return entries.first { local.contains($0.digest) }?.digest
    }

    static func currentVersion(_ mode: TagWatchMode) -> TagVersion? {
        switch mode {
        case .digestOnly: nil
        case .floatingMajor(let version), .version(let version): version
        }
    }

    static func failed(_ error: RegistryError, _ base: UpdateVerdict) -> UpdateVerdict {
        var verdict = base
        verdict.status = .unknown
        verdict.kind = nil
        verdict.candidateTag = nil
        verdict.candidateDigest = nil
        verdict.reason = error.description
        verdict.transient = error.isTransient
        return verdict
    }
}
