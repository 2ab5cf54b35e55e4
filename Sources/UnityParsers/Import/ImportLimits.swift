/// How much one import may ask of the parser. A preview runs inside a request, so its work has to
/// follow limits the operator can read in the refusal, not whatever a pasted file asks for (a 600 KB
/// ssh config of 20,000 hosts and 2,000 wildcard blocks once kept a core busy for minutes).
public struct ImportLimits: Sendable, Equatable {
    /// Distinct hosts that would become servers.
    public var maxHosts: Int
    /// `Host` patterns with `*` or `?`: each may have to be tried on every host.
    public var maxWildcardPatterns: Int
    /// Host entries before de-duplication (an Ansible host listed under many groups, a range repeated).
    public var maxHostEntries: Int

    public init(maxHosts: Int, maxWildcardPatterns: Int, maxHostEntries: Int) {
        self.maxHosts = maxHosts
        self.maxWildcardPatterns = maxWildcardPatterns
        self.maxHostEntries = maxHostEntries
    }

    /// What the import preview (API and web form) accepts.
    public static let preview = ImportLimits(maxHosts: 5_000, maxWildcardPatterns: 1_000, maxHostEntries: 50_000)
    public static let unlimited = ImportLimits(maxHosts: .max, maxWildcardPatterns: .max, maxHostEntries: .max)
}

/// The text asks for more than `ImportLimits` allow; `problem` says which limit, in words for the operator.
public struct ImportLimitExceeded: Error, Sendable, Equatable {
    public let problem: String

    static func hosts(_ limits: ImportLimits) -> ImportLimitExceeded {
        ImportLimitExceeded(problem: "names more than \(limits.maxHosts) hosts; a preview takes at most \(limits.maxHosts) hosts (split the file)")
    }

    static func hostEntries(_ limits: ImportLimits) -> ImportLimitExceeded {
        ImportLimitExceeded(problem: "has more than \(limits.maxHostEntries) host entries; a preview takes at most \(limits.maxHostEntries) (split the file)")
    }

    static func wildcardPatterns(_ limits: ImportLimits) -> ImportLimitExceeded {
        ImportLimitExceeded(problem: "has more than \(limits.maxWildcardPatterns) Host patterns with * or ?; a preview takes at most \(limits.maxWildcardPatterns) wildcard patterns")
    }
}
