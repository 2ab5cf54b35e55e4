import Foundation
import UnityRegistry

/// One update check over many containers: exactly one `manifest(for:)` per distinct
/// (registry, repository, tag) and one tag listing per distinct repository that needs it, however
/// many containers share them, at most `concurrency` registry requests at a time.
public struct UpdateCheckCycle: Sendable {
    public struct Outcome: Sendable {
        public var verdicts: [UUID: UpdateVerdict]
        public var manifestRequests: Int
        public var tagRequests: Int
        public var checkedAt: Date
    }

    let registry: any RegistryQuerying
    let concurrency: Int
    let tagLimit: Int
    let now: @Sendable () -> Date

    public init(registry: any RegistryQuerying, concurrency: Int = 8, tagLimit: Int = 10_000, now: @escaping @Sendable () -> Date) {
        self.registry = registry
        self.concurrency = max(1, concurrency)
        self.tagLimit = max(1, tagLimit)
        self.now = now
    }

    public func run(_ subjects: [UpdateSubject]) async -> Outcome {
        var verdicts: [UUID: UpdateVerdict] = [:]
        var checks: [(UpdateSubject, UpdateCheck)] = []
        for subject in subjects {
            switch UpdateDecision.plan(subject) {
            case .settled(let verdict): verdicts[subject.containerID] = verdict
            case .check(let check): checks.append((subject, check))
            }
        }
        var manifestKeys: [String: ImageReference] = [:]
        var tagKeys: [String: ImageReference] = [:]
        for (_, check) in checks {
            manifestKeys[check.reference.canonical] = check.reference
            if check.needsTags { tagKeys[Self.repositoryKey(check.reference)] = check.reference }
        }
        var requests: [Request] = manifestKeys.keys.sorted().map { .manifest($0, manifestKeys[$0]!) }
        requests += tagKeys.keys.sorted().map { .tags($0, tagKeys[$0]!) }
        let answers = await perform(requests)
        for (subject, check) in checks {
            let manifest = answers.manifests[check.reference.canonical]
                ?? .failure(.invalidResponse(registry: check.reference.registry, message: "no answer"))
            let tags = check.needsTags ? answers.tags[Self.repositoryKey(check.reference)] : nil
            verdicts[subject.containerID] = UpdateDecision.decide(subject, check, manifest: manifest, tags: tags)
        }
        return Outcome(verdicts: verdicts, manifestRequests: manifestKeys.count, tagRequests: tagKeys.count, checkedAt: now())
    }

    static func repositoryKey(_ reference: ImageReference) -> String { "\(reference.registry)/\(reference.repository)" }

    enum Request: Sendable {
        case manifest(String, ImageReference)
        case tags(String, ImageReference)
    }

    enum Answer: Sendable {
        case manifest(String, Result<RegistryManifest, RegistryError>)
        case tags(String, Result<[String], RegistryError>)
    }

    struct Answers {
        var manifests: [String: Result<RegistryManifest, RegistryError>] = [:]
        var tags: [String: Result<[String], RegistryError>] = [:]
    }

    /// A task group kept at most `concurrency` requests deep.
    func perform(_ requests: [Request]) async -> Answers {
        let registry = self.registry
        let tagLimit = self.tagLimit
        return await withTaskGroup(of: Answer.self) { group in
            var answers = Answers()
            func collect(_ answer: Answer) {
                switch answer {
                case .manifest(let key, let result): answers.manifests[key] = result
                case .tags(let key, let result): answers.tags[key] = result
                }
            }
            var pending = requests[...]
            var running = 0
            while !pending.isEmpty || running > 0 {
                while running < concurrency, let request = pending.popFirst() {
                    running += 1
                    group.addTask {
                        switch request {
                        case .manifest(let key, let reference):
                            do throws(RegistryError) { return .manifest(key, .success(try await registry.manifest(for: reference))) } catch { return .manifest(key, .failure(error)) }
                        case .tags(let key, let reference):
                            do throws(RegistryError) { return .tags(key, .success(try await registry.tags(of: reference, limit: tagLimit))) } catch { return .tags(key, .failure(error)) }
                        }
                    }
                }
                guard let answer = await group.next() else { break }
                running -= 1
                collect(answer)
            }
            return answers
        }
    }
}
