import Testing
@testable import UnityRegistry

/// `WWW-Authenticate` as registries really send it (pure).
@Suite struct AuthChallengeTests {
    @Test func dockerHubStyleBearer() {
        let challenges = AuthChallenge.parse(#"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull""#)
        #expect(challenges == [AuthChallenge(scheme: "bearer", parameters: [
            "realm": "https://auth.docker.io/token", "service": "registry.docker.io", "scope": "repository:library/nginx:pull"])])
    }

    @Test(arguments: [
        // quoted commas inside the scope, spaces around separators
        (#"Bearer realm="https://ghcr.io/token", service="ghcr.io", scope="repository:a/b:pull,push""#,
         [AuthChallenge(scheme: "Bearer", parameters: ["realm": "https://ghcr.io/token", "service": "ghcr.io", "scope": "repository:a/b:pull,push"])]),
        // two challenges in one value
        (#"Basic realm="Registry Realm", Bearer realm="https://r.example/token",service="r""#,
         [AuthChallenge(scheme: "basic", parameters: ["realm": "Registry Realm"]),
          AuthChallenge(scheme: "bearer", parameters: ["realm": "https://r.example/token", "service": "r"])]),
        // case of scheme and names, token values, spaces around '='
        (#"BEARER Realm = "https://x/t" , Service=x"#,
         [AuthChallenge(scheme: "bearer", parameters: ["realm": "https://x/t", "service": "x"])]),
        // escaped quote and backslash in a quoted value
        (#"Basic realm="say \"hi\" \\ there""#, [AuthChallenge(scheme: "basic", parameters: ["realm": #"say "hi" \ there"#])]),
        // a scheme without parameters, then another challenge
        ("Negotiate, Basic realm=\"r\"", [AuthChallenge(scheme: "negotiate"), AuthChallenge(scheme: "basic", parameters: ["realm": "r"])]),
        // token68
        ("Negotiate abc123==", [AuthChallenge(scheme: "negotiate", parameters: ["token68": "abc123=="])]),
        // an unterminated quote runs to the end instead of trapping
        (#"Bearer realm="https://x/t"#, [AuthChallenge(scheme: "bearer", parameters: ["realm": "https://x/t"])]),
        ("", []),
        (" , ,", []),
    ])
    func parses(header: String, expected: [AuthChallenge]) {
        #expect(AuthChallenge.parse(header) == expected)
    }

    @Test func severalHeaderValues() {
        let challenges = AuthChallenge.parse([#"Basic realm="a""#, #"Bearer realm="https://b/t""#])
        #expect(challenges.map(\.scheme) == ["basic", "bearer"])
        #expect(challenges[1].realm == "https://b/t")
    }

    @Test(arguments: ["\"", "=", "==,=", "Bearer ,,,=,\"", "Bearer realm=", "Bearer realm=\"", "\u{0}\u{1}", "Basic realm=\"x\"\"y\""])
    func neverTrapsOnGarbage(header: String) {
        _ = AuthChallenge.parse(header)
    }
}
