import Foundation
import Testing
import UnityContainers
import UnityParsers

/// The recreate rule without an engine: from an old inspect (shaped like Docker 20.10's) and the old
/// image's config to the create body.
@Suite("Update recreate plan")
struct UpdateRecreatePlanTests {
    static let oldID = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

    static func inspect(networkMode: String = "front", hostname: String = "0123456789ab") -> RawContainerInspect {
        let text = """
        {"Id":"\(oldID)","Name":"/web","Image":"sha256:oldimage",
         "Config":{"Hostname":"\(hostname)","Domainname":"","User":"","Env":["PATH=/bin","APP_VERSION=v1","APP_MODE=custom","MINE=1"],
          "Cmd":["/bin/sh","-c","serve"],"Entrypoint":null,"WorkingDir":"/","Image":"reg/app:v1",
          "Labels":{"org.example.version":"v1","owner":"me","com.docker.compose.image":"sha256:oldimage"},
          "Healthcheck":{"Test":["CMD","/bin/true"],"Interval":1000000000},"Volumes":{"/anon":{}},"StopSignal":"SIGTERM",
          "UnknownFutureField":{"kept":true}},
         "HostConfig":{"Binds":["data:/data"],"Mounts":[{"Type":"tmpfs","Target":"/cache"}],"NetworkMode":"\(networkMode)",
          "CapAdd":["NET_ADMIN"],"CapDrop":["MKNOD"],"Devices":[{"PathOnHost":"/dev/zero","PathInContainer":"/dev/z","CgroupPermissions":"rwm"}],
          "SecurityOpt":["no-new-privileges"],"Sysctls":{"net.ipv4.ip_unprivileged_port_start":"0"},"Tmpfs":{"/scratch":"size=1m"},
          "Ulimits":[{"Name":"nofile","Soft":512,"Hard":1024}],"Memory":67108864,"NanoCpus":500000000,
          "RestartPolicy":{"Name":"unless-stopped","MaximumRetryCount":0},"LogConfig":{"Type":"json-file","Config":{"max-size":"1m"}},
          "Dns":["10.0.0.53"],"ExtraHosts":["db.internal:10.0.0.5"],"Links":["/db:/web/database"],"ContainerIDFile":"/tmp/cid"},
         "Mounts":[{"Type":"volume","Name":"data","Destination":"/data","RW":true},
                   {"Type":"volume","Name":"4f1e2d3c","Destination":"/anon","RW":true}],
         "NetworkSettings":{"Networks":{
          "front":{"IPAMConfig":{"IPv4Address":"10.231.0.10"},"Aliases":["0123456789ab","web-alias"],"MacAddress":"02:42:0a:e7:00:0a","NetworkID":"n1"},
          "back":{"IPAMConfig":null,"Aliases":["0123456789ab","api"],"MacAddress":"02:42:0a:e8:00:02","NetworkID":"n2"}}}}
        """
        return RawContainerInspect(json: try! EngineJSON.parse(Data(text.utf8)))
    }

    static let oldImageConfig = try! EngineJSON.parse(Data("""
    {"Env":["PATH=/bin","APP_VERSION=v1","APP_MODE=image-default"],"Cmd":["/bin/sh","-c","serve"],"WorkingDir":"/",
     "Labels":{"org.example.version":"v1"},"Healthcheck":{"Test":["CMD","/bin/true"],"Interval":1000000000},"StopSignal":"SIGTERM"}
    """.utf8))

    static func plan(_ old: RawContainerInspect = inspect(), api: EngineAPIVersion = EngineAPIVersion(1, 41)) -> RecreatePlan {
        RecreatePlan.make(old: old, oldImageConfig: oldImageConfig, candidateImage: "reg/app:v2", candidateImageID: "sha256:newimage",
                          apiVersion: api, containerNames: ["feedbeef": "sidecar-target"])
    }

    @Test func keepsEveryUserSettingAndDropsOldImageDefaults() throws {
        let body = Self.plan().createBody
        #expect(body["Image"]?.string == "reg/app:v2")
        // Image defaults dropped so v2's apply; the user's own values stay.
        #expect(body["Env"]?.stringArray == ["APP_MODE=custom", "MINE=1"])
        #expect(body["Cmd"] == .null)
        #expect(body["Healthcheck"] == .null)
        #expect(body["WorkingDir"]?.string == "")
        #expect(body["StopSignal"] == .null)
        #expect(body["Labels"]?.object?["org.example.version"] == nil)
        #expect(body["Labels"]?["owner"]?.string == "me")
        #expect(body["Labels"]?["com.docker.compose.image"]?.string == "sha256:newimage")
        #expect(body["Hostname"] == nil)  // was the old short id
        #expect(body["UnknownFutureField"]?["kept"]?.bool == true)
        let host = try #require(body["HostConfig"])
        let original = try #require(Self.inspect().json["HostConfig"])
        for key in ["Mounts", "CapAdd", "CapDrop", "Devices", "SecurityOpt", "Sysctls", "Tmpfs", "Ulimits", "Memory", "NanoCpus",
                    "RestartPolicy", "LogConfig", "Dns", "ExtraHosts", "NetworkMode"] {
            #expect(host[key] == original[key], "HostConfig.\(key)")
        }
        // The named volume's bind stays, the anonymous volume is re-attached by its name.
        #expect(host["Binds"]?.stringArray == ["data:/data", "4f1e2d3c:/anon"])
        #expect(host["Links"]?.stringArray == ["db:database"])
        #expect(host["ContainerIDFile"]?.string == "")
    }

    @Test func explicitValuesThatDifferFromTheImageStay() throws {
        var old = Self.inspect(hostname: "custom-host")
        old.json["Config"]?["WorkingDir"] = .string("/data")
        old.json["Config"]?["Cmd"] = .array([.string("/bin/sh"), .string("-c"), .string("other")])
        old.json["Config"]?["Healthcheck"] = .object(["Test": .array([.string("NONE")])])
        let body = Self.plan(old).createBody
        #expect(body["Hostname"]?.string == "custom-host")
        #expect(body["WorkingDir"]?.string == "/data")
        #expect(body["Cmd"]?.stringArray == ["/bin/sh", "-c", "other"])
        #expect(body["Healthcheck"]?["Test"]?.stringArray == ["NONE"])
    }

    @Test func olderAPIsCreateWithThePrimaryNetworkAndConnectTheRest() throws {
        let plan = Self.plan(api: EngineAPIVersion(1, 41))
        let endpoints = try #require(plan.createBody.at("NetworkingConfig", "EndpointsConfig")?.object)
        #expect(Array(endpoints.keys) == ["front"])
        #expect(endpoints["front"]?["Aliases"]?.stringArray == ["web-alias"])  // short id removed
        #expect(endpoints["front"]?["IPAMConfig"]?["IPv4Address"]?.string == "10.231.0.10")
        #expect(endpoints["front"]?["MacAddress"] == nil)  // < 1.44: no per-endpoint MAC
        #expect(plan.connectAfter.map(\.network) == ["back"])
        #expect(plan.connectAfter.first?.endpoint["Aliases"]?.stringArray == ["api"])
        #expect(plan.connectAfter.first?.endpoint["IPAMConfig"] == nil)  // dynamic address: not pinned
    }

    @Test func newerAPIsCreateWithEveryNetwork() throws {
        let plan = Self.plan(api: EngineAPIVersion(1, 44))
        let endpoints = try #require(plan.createBody.at("NetworkingConfig", "EndpointsConfig")?.object)
        #expect(Set(endpoints.keys) == ["front", "back"])
        #expect(plan.connectAfter.isEmpty)
        #expect(endpoints["front"]?["MacAddress"]?.string == "02:42:0a:e7:00:0a")  // explicit address: MAC kept
        #expect(endpoints["back"]?["MacAddress"] == nil)
    }

    @Test func containerNetworkModeIsResolvedToAName() throws {
        let plan = Self.plan(Self.inspect(networkMode: "container:feedbeef"))
        #expect(plan.createBody.at("HostConfig", "NetworkMode")?.string == "container:sidecar-target")
        #expect(plan.createBody["NetworkingConfig"] == nil)
        #expect(plan.connectAfter.isEmpty)
    }

    @Test func hostNetworkHasNoEndpoints() throws {
        let plan = Self.plan(Self.inspect(networkMode: "host"))
        #expect(plan.createBody["NetworkingConfig"] == nil)
        #expect(plan.connectAfter.isEmpty)
    }

    @Test func referencesSplitForThePullAPI() {
        let tagged = ImageReferenceParts("127.0.0.1:5000/app:v2")
        #expect(tagged.repository == "127.0.0.1:5000/app")
        #expect(tagged.tag == "v2")
        #expect(tagged.registryHost == "127.0.0.1:5000")
        #expect(tagged.pinned(to: "sha256:ab") == "127.0.0.1:5000/app@sha256:ab")
        let pinned = ImageReferenceParts("ghcr.io/org/app:1.2@sha256:cd")
        #expect(pinned.repository == "ghcr.io/org/app")
        #expect(pinned.pullTag == "sha256:cd")
        #expect(ImageReferenceParts("nginx").registryHost == "docker.io")
        #expect(ImageReferenceParts("localhost:5000/x").tag == nil)
        let auth = RegistryPullCredentials(username: "u", password: "p", serverAddress: "r").headerValue
        #expect(!auth.contains("+") && !auth.contains("/"))
    }
}
