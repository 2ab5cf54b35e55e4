import Foundation
import Testing
@testable import UnityRegistry

/// Which hosts each registry may send credentials or redirects to (pure).
@Suite struct RegistryHostPolicyTests {
    private func policy(_ text: String, _ access: RegistryAccess? = nil) throws -> RegistryHostPolicy {
        RegistryHostPolicy(reference: try ImageReference.parse(text), access: access)
    }

    @Test(arguments: [
        ("nginx", "auth.docker.io", true),
        ("nginx", "registry-1.docker.io", true),
        ("nginx", "evil.example", false),
        ("nginx", "ghcr.io", false),
        ("lscr.io/linuxserver/plex", "ghcr.io", true),
        ("lscr.io/linuxserver/plex", "auth.docker.io", false),
        ("ghcr.io/a/b", "ghcr.io", true),
        ("ghcr.io/a/b", "github.com", false),
        ("registry.gitlab.com/g/p", "gitlab.com", true),
        ("quay.io/prometheus/node-exporter", "quay.io", true),
        ("quay.io/prometheus/node-exporter", "QUAY.IO", true),
        ("registry.example.com:5050/g/p", "registry.example.com", true), // same name, another port
        ("registry.example.com:5050/g/p", "gitlab.example.com", false),
        ("127.0.0.1:5000/a", "localhost", false),
    ])
    func credentialHosts(image: String, host: String, allowed: Bool) throws {
        #expect(try policy(image).allowsCredentials(toHost: host) == allowed)
    }

    @Test func additionalAuthHostsExtendOneRegistry() throws {
        let access = RegistryAccess(additionalAuthHosts: ["GitLab.Example.com"])
        #expect(try policy("registry.example.com/g/p", access).allowsCredentials(toHost: "gitlab.example.com"))
        #expect(try !policy("registry.example.com/g/p").allowsCredentials(toHost: "gitlab.example.com"))
    }

    @Test func redirectsStayOnAllowedHosts() throws {
        let lscr = try policy("lscr.io/linuxserver/plex")
        #expect(lscr.allowsRedirect(to: URLComponents(string: "https://ghcr.io/v2/linuxserver/plex/manifests/latest")!))
        #expect(!lscr.allowsRedirect(to: URLComponents(string: "https://evil.example/v2/x")!))
        let local = try policy("127.0.0.1:5000/a")
        #expect(local.allowsRedirect(to: URLComponents(string: "http://127.0.0.1:5000/v2/a/manifests/x")!))
        // The same host name on another port is the same operator (as for token realms); another name is not.
        #expect(local.allowsRedirect(to: URLComponents(string: "http://127.0.0.1:6000/v2/a/manifests/x")!))
        #expect(!local.allowsRedirect(to: URLComponents(string: "http://localhost:5000/v2/a/manifests/x")!))
        let hub = try policy("nginx")
        #expect(hub.allowsRedirect(to: URLComponents(string: "https://registry-1.docker.io:443/v2/library/nginx/manifests/1")!))
    }
}
