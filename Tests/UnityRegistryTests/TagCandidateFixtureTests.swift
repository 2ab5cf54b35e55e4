import Testing
@testable import UnityRegistry

/// The classification table over the real tag lists: for a current tag, the newest tag of the same
/// variant and the same number of parts, its kind, and how many admitted releases lie in between.
/// Expected values were worked out from the fixture files by hand and an independent script, not
/// by running this code.
@Suite struct TagCandidateFixtureTests {
    static let table: [(image: String, current: String, candidate: String?, kind: UpdateKind?, between: Int)] = [
        ("postgres", "16.2", "18.6", .major, 30),
        ("postgres", "16.2-alpine", "18.6-alpine", .major, 30),
        ("postgres", "15-alpine", "18-alpine", .major, 2),
        ("postgres", "16", "18", .major, 1),
        ("nginx", "1.25.3", "1.31.4", .minor, 34),
        ("nginx", "1.25.3-alpine-slim", "1.31.4-alpine-slim", .minor, 34),
        ("nginx", "1.25-alpine", "1.31-alpine", .minor, 5),
        ("redis", "7.2.4", "8.10.1", .major, 59),
        ("redis", "7.2.4-alpine", "8.10.1-alpine", .major, 59),
        ("mariadb", "10.11.6", "12.3.2", .major, 50),
        ("mariadb", "10.6", "12.3", .major, 17),
        ("traefik", "2.11.10", "3.7.11", .major, 105),
        ("traefik", "3.1.4", "3.7.11", .minor, 62),
        ("traefik", "v3.1.4", "v3.7.11", .minor, 62),
        ("nextcloud", "28.0.1-apache", "34.0.3-apache", .major, 90),
        ("nextcloud", "28.0.1-fpm-alpine", "34.0.3-fpm-alpine", .major, 90),
        ("mysql", "8.0.36", "26.7.0", .major, 36),
        ("mongo", "6.0.17", "8.3.8", .major, 75),
        ("httpd", "2.4.58-alpine", "2.4.68-alpine", .patch, 9),
        ("memcached", "1.6.22", "1.6.45", .patch, 22),
        ("rabbitmq", "3.13.7-management", "4.3.5-management", .major, 29),
        ("eclipse-mosquitto", "2.0.18", "2.0.22", .patch, 3),
        ("haproxy", "2.8.14", "3.4.3", .major, 83),
        ("caddy", "2.7.6-alpine", "2.11.4-alpine", .minor, 9),
        ("ghost", "5.130.5", "6.59.0", .major, 74),
        ("ghost", "5-alpine", "6-alpine", .major, 0),
        ("influxdb", "2.7.4", "2.9.1", .minor, 10),
        ("telegraf", "1.29.2", "1.39.3", .minor, 46),
        ("registry", "2.8.1", "3.1.1", .major, 4),
        ("node", "20.18.3-alpine", "26.7.0-alpine", .major, 83),
        ("python", "3.11.8-slim-bookworm", "3.14.7-slim-bookworm", .minor, 44),
        ("golang", "1.23.11-alpine", "1.27.0-alpine", .minor, 33),
        ("alpine", "3.18.4", "3.24.1", .minor, 49),
        ("debian", "12.4-slim", "13.6-slim", .major, 17),
        ("ubuntu", "22.04", "26.10", .major, 8),
        ("busybox", "1.36.0-musl", "1.38.0-musl", .minor, 2),
        ("adminer", "4.8.1", "6.0.1", .major, 13),
        ("matomo", "5.0.1", "5.13.0", .minor, 27),
        ("redmine", "5.1.1", "7.0.0", .major, 25),
        ("couchdb", "3.3.2", "3.5.2", .minor, 6),
        ("cassandra", "4.1.3", "5.0.9", .major, 18),
        ("neo4j", "5.17.0", "2026.07.1", .major, 64),
        ("solr", "9.4.0", "10.0.0", .major, 10),
        ("elasticsearch", "8.13.0", "9.5.2", .major, 103),
        ("kibana", "8.13.4", "9.5.2", .major, 101),
        ("docker", "28.0.1-dind", "29.7.2-dind", .major, 40),
        ("rust", "1.75.0-slim-bookworm", "1.98.0-slim-bookworm", .minor, 32),
        ("ruby", "3.2.2-alpine", "4.0.6-alpine", .major, 38),
        ("nats", "2.10.9-alpine", "2.14.5-alpine", .minor, 55),
        ("varnish", "7.4.2", "9.0.3", .major, 16),
        ("kong", "3.5.0", "3.9.3", .minor, 8),
        ("odoo", "16.0", "19.0", .major, 2),
        ("friendica", "2023.12-apache", "2026.05-apache", .major, 4),
        ("zookeeper", "3.8.3", "3.9.5", .minor, 8),
        ("sonarqube", "10.3.0-community", "10.7.0-community", .minor, 5),
        ("chronograf", "1.10.2", "1.11.4", .minor, 10),
        ("postfixadmin", "3.3.13-apache", "4.0.5-apache", .major, 6),
        ("phpmyadmin", "5.2.1-apache", "5.2.3-apache", .patch, 1),
        // Percona's `8.0.26-16` carries a build number after `-`: every release is its own variant,
        // so without a transform nothing is proposed (see the transform case below).
        ("percona", "8.0.26-16", nil, nil, 0),
        // mongo-express `1.0.2-20-alpine3.19`: `20` is the Node version; no newer 1.0.x under it.
        ("mongo-express", "1.0.2-20-alpine3.19", nil, nil, 0),
    ]

    @Test func theTableCoversAtLeastFortyRealTagLists() throws {
        #expect(try TagFixtures.names().count >= 40)
        #expect(Set(Self.table.map(\.image)).count >= 40)
    }

    @Test(arguments: table.indices)
    func newestCandidateOfTheSameShape(index: Int) throws {
        let row = Self.table[index]
        let tags = try TagFixtures.tags(row.image)
        let listed = tags.contains(row.current)
        #expect(listed, "\(row.current) is in \(row.image)'s list")
        let current = try #require(TagVersion.parse(row.current))
        let candidate = TagCandidates.candidate(current: current, tags: tags, policy: try TagPolicy().validated())
        #expect(candidate?.tag == row.candidate, "\(row.image):\(row.current)")
        #expect(candidate?.kind == row.kind, "\(row.image):\(row.current)")
        if row.candidate != nil { #expect(candidate?.intermediateCount == row.between, "\(row.image):\(row.current)") }
    }

    /// Every tag of every fixture parses or is refused without trapping, and the non-version names
    /// people use as floating tags are not read as versions.
    @Test func everyFixtureTagIsReadWithoutTrapping() throws {
        var versions = 0
        for name in try TagFixtures.names() {
            for tag in try TagFixtures.tags(name) where TagVersion.parse(tag) != nil { versions += 1 }
        }
        #expect(versions > 20_000)
        for floating in ["latest", "stable", "mainline", "alpine", "bookworm", "edge", "trixie", "alpine3.19", "chabichou"] {
            #expect(TagVersion.parse(floating) == nil, "\(floating)")
        }
    }
}
