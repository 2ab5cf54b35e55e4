import Foundation
import Testing
@testable import UnityParsers

/// The full inspect document keeps everything the engine sent except environment values.
@Suite struct ContainerInspectDocumentTests {
    static let withSecrets = #"""
    {"Id":"abc","State":{"Running":true,"Pid":3854,"ExitCode":0},"HostConfig":{"Memory":0,"CpuShares":1.5,"Binds":null},
     "Config":{"Env":["PATH=/bin","TOKEN=s3cr=et","EMPTY=","NOVALUE"],"Labels":{"com.docker.compose.project":"web"}}}
    """#

    private func object(_ document: ContainerInspectDocument) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: document.json) as? [String: Any])
    }

    @Test func environmentValuesAreMaskedAndEverythingElseKept() throws {
        let document = try ContainerInspectDocument.decode(Data(Self.withSecrets.utf8), revealEnvironment: false)
        let text = String(decoding: document.json, as: UTF8.self)
        #expect(!text.contains("s3cr") && !text.contains("/bin\""))
        let json = try object(document)
        #expect((json["Config"] as? [String: Any])?["Env"] as? [String] == ["PATH=***", "TOKEN=***", "EMPTY=***", "NOVALUE=***"])
        // Keys as the engine names them; booleans stay booleans, numbers numbers, null null.
        #expect(text.contains(#""Running":true"#) && text.contains(#""Pid":3854"#) && text.contains(#""CpuShares":1.5"#))
        #expect(text.contains(#""Binds":null"#) && text.contains(#""com.docker.compose.project":"web""#))
        #expect(document.environmentRevealed == false)
    }

    @Test func revealKeepsTheValues() throws {
        let document = try ContainerInspectDocument.decode(Data(Self.withSecrets.utf8), revealEnvironment: true)
        #expect((try object(document)["Config"] as? [String: Any])?["Env"] as? [String] == ["PATH=/bin", "TOKEN=s3cr=et", "EMPTY=", "NOVALUE"])
        #expect(document.environmentRevealed)
    }

    @Test func aRealInspectDecodesAndGarbageIsAParseError() throws {
        let document = try ContainerInspectDocument.decode(FixtureLoader.data("docker-api/watchtower-inspect-running.json"), revealEnvironment: false)
        #expect((try object(document)["State"] as? [String: Any])?["Pid"] as? Int == 3854)
        #expect(throws: ParseError.self) { try ContainerInspectDocument.decode(Data("[1,2]".utf8), revealEnvironment: false) }
        #expect(throws: ParseError.self) { try ContainerInspectDocument.decode(Data("{\"Id\":".utf8), revealEnvironment: false) }
    }
}
