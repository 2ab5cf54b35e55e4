import Testing
@testable import UnityRegistry

@Suite struct ImageReferenceTests {
    @Test(arguments: [
        ("nginx", "docker.io/library/nginx:latest"),
        ("nginx:1.27-alpine", "docker.io/library/nginx:1.27-alpine"),
        ("docker.io/nginx", "docker.io/library/nginx:latest"),
        ("index.docker.io/library/nginx:stable", "docker.io/library/nginx:stable"),
        ("linuxserver/plex:1.40", "docker.io/linuxserver/plex:1.40"),
        ("lscr.io/linuxserver/plex", "lscr.io/linuxserver/plex:latest"),
        ("ghcr.io/home-assistant/home-assistant:2024.6", "ghcr.io/home-assistant/home-assistant:2024.6"),
        ("localhost:5000/homelab/app:1.0.0", "localhost:5000/homelab/app:1.0.0"),
        ("127.0.0.1:5000/app", "127.0.0.1:5000/app:latest"),
        ("localhost/app", "localhost/app:latest"),
        ("registry.gitlab.com/group/sub/project:v2", "registry.gitlab.com/group/sub/project:v2"),
        ("nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
         "docker.io/library/nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"),
        ("quay.io/prometheus/node-exporter:v1.8.1@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
         "quay.io/prometheus/node-exporter:v1.8.1@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"),
        ("my_org/my__app-x", "docker.io/my_org/my__app-x:latest"),
    ])
    func normalisesLikeDocker(input: String, canonical: String) throws {
        #expect(try ImageReference.parse(input).canonical == canonical)
    }

    @Test func familiarFormDropsDockerHubDefaults() throws {
        #expect(try ImageReference.parse("docker.io/library/nginx:1.27").familiar == "nginx:1.27")
        #expect(try ImageReference.parse("linuxserver/plex").familiar == "linuxserver/plex:latest")
        #expect(try ImageReference.parse("ghcr.io/a/b:1").familiar == "ghcr.io/a/b:1")
        #expect(try ImageReference.parse("nginx").apiHost == "registry-1.docker.io")
        #expect(try ImageReference.parse("localhost:5000/a").apiHost == "localhost:5000")
    }

    @Test(arguments: ["", "  ", "Nginx", "nginx:", "nginx:-bad", "a//b", "nginx@sha256:xyz", "nginx@md5",
                      "-lead/x", "x_/y", "a___b", "host:notaport/x"])
    func rejectsInvalidReferences(input: String) {
        #expect(throws: ImageReferenceError.self) { try ImageReference.parse(input) }
    }

    @Test func sameRepositoryIgnoresTagAndDigest() throws {
        let a = try ImageReference.parse("nginx:1.27")
        let b = try ImageReference.parse("docker.io/library/nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
        #expect(a.sameRepository(as: b))
        #expect(!a.sameRepository(as: try ImageReference.parse("ghcr.io/library/nginx")))
        #expect(a.withTag("1.28").canonical == "docker.io/library/nginx:1.28")
    }
}
