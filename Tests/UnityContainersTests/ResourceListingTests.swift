import Foundation
import Testing
import UnityContainers
import UnityContainersTestSupport
import UnityParsers

@Suite("Volumes and networks")
struct ResourceListingTests {
    /// Shapes as Docker 20.10 answers them (Podman's compat API sends the same keys, `Labels` may be null).
    @Test func decodesVolumesWithNullsAndAnonymousNames() throws {
        let json = """
        {"Volumes":[{"CreatedAt":"2024-03-01T10:00:00Z","Driver":"local","Labels":null,"Mountpoint":"/var/lib/docker/volumes/data/_data","Name":"data","Options":null,"Scope":"local"},
        {"Driver":"local","Labels":{"com.docker.compose.project":"homelab"},"Name":"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","Scope":"local"}],"Warnings":null}
        """
        let volumes = try VolumeSummary.decodeList(Data(json.utf8))
        #expect(volumes.map(\.name) == ["0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "data"])
        #expect(volumes[0].anonymous && !volumes[1].anonymous)
        #expect(volumes[1].created == Date(timeIntervalSince1970: 1_709_287_200))
        #expect(volumes[0].labels["com.docker.compose.project"] == "homelab")
        #expect(try VolumeSummary.decodeList(Data(#"{"Volumes":null}"#.utf8)).isEmpty)
        #expect(throws: ParseError.self) { try VolumeSummary.decodeList(Data("[1,2]".utf8)) }
    }

    @Test func decodesNetworksWithIPAM() throws {
        let json = """
        [{"Name":"bridge","Id":"abc","Created":"2024-03-01T10:00:00.123456789Z","Scope":"local","Driver":"bridge","EnableIPv6":false,
          "IPAM":{"Driver":"default","Options":null,"Config":[{"Subnet":"172.17.0.0/16","Gateway":"172.17.0.1"}]},
          "Internal":false,"Attachable":false,"Containers":{},"Options":{},"Labels":{}},
         {"Name":"host","Id":"def","Driver":"host","IPAM":{"Config":null},"Labels":null}]
        """
        let networks = try NetworkSummary.decodeList(Data(json.utf8))
        #expect(networks.map(\.name) == ["bridge", "host"])
        #expect(networks[0].subnets == ["172.17.0.0/16"] && networks[0].gateways == ["172.17.0.1"])
        #expect(networks[1].subnets.isEmpty && networks[1].driver == "host")
        #expect(throws: ParseError.self) { try NetworkSummary.decodeList(Data(#"{"Name":1}"#.utf8)) }
    }

    @Test(arguments: [ContainerEngineKind.docker, .podman])
    func realEngineListsVolumesAndNetworks(kind: ContainerEngineKind) async throws {
        let test = kind == .docker ? try TestEngine.docker() : try TestEngine.podman()
        let engine = DockerAPIEngine(transport: test.transport)
        let suffix = UUID().uuidString.prefix(6).lowercased()
        try test.cli(["volume", "create", "--label", "purpose=test", "unity-vol-\(suffix)"])
        defer { _ = try? test.cli(["volume", "rm", "-f", "unity-vol-\(suffix)"]) }
        let volumes = try await engine.volumes()
        let volume = try #require(volumes.first { $0.name == "unity-vol-\(suffix)" })
        #expect(volume.labels["purpose"] == "test")
        #expect(!volume.anonymous)
        #expect(volume.driver == "local")
        let networks = try await engine.networks()
        // The test Podman runs with host networking and no CNI configuration, so its list may be empty;
        // Docker always has its built-in `host` and `none`.
        if kind == .docker { #expect(networks.contains { $0.name == "host" && $0.driver == "host" }) }
    }
}
