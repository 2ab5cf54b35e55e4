/// A server described by an operator's existing files (ssh config, Ansible inventory), shown as a
/// preview before anything is created.
public struct ImportedServer: Sendable, Equatable, Codable {
    public var name: String
    public var address: String
    public var port: Int?
    public var username: String?
    public var identityFile: String?
    public var proxyJump: String?
    public var tags: [String]

    public init(name: String, address: String, port: Int? = nil, username: String? = nil,
                identityFile: String? = nil, proxyJump: String? = nil, tags: [String] = []) {
        self.name = name
        self.address = address
        self.port = port
        self.username = username
        self.identityFile = identityFile
        self.proxyJump = proxyJump
        self.tags = tags
    }
}

/// What an import found and what it had to skip, line by line.
public struct ImportResult: Sendable, Equatable, Codable {
    public var servers: [ImportedServer]
    public var warnings: [String]

    public init(servers: [ImportedServer], warnings: [String]) {
        self.servers = servers
        self.warnings = warnings
    }
}
