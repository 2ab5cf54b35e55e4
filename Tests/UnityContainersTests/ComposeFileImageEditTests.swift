import Testing
@testable import UnityContainers

@Suite("Compose file image edit")
struct ComposeFileImageEditTests {
    static let file = """
    # the operator's comment stays
    x-common: &common
      restart: unless-stopped
    services:
      db:
        image: postgres:16.4   # pinned on purpose
        environment:
          image: not-this-one
      web:
        <<: *common
        image: "registry.local:5000/app:1.2.0"
        ports: ["8080:80"]
      builder:
        build: ./builder
    volumes:
      data: {}
    """

    @Test("only the named service's image changes, everything else byte for byte")
    func editsOneValue() throws {
        let outcome = try ComposeFileImageEdit.setImage("registry.local:5000/app:1.3.0", in: Self.file, service: "web")
        guard case .edited(let text, let previous) = outcome else { Issue.record("expected an edit, got \(outcome)"); return }
        #expect(previous == "registry.local:5000/app:1.2.0")
        #expect(text == Self.file.replacingOccurrences(of: "\"registry.local:5000/app:1.2.0\"", with: "\"registry.local:5000/app:1.3.0\""))
    }

    @Test("a plain value keeps its trailing comment, and a deeper image: key is not the service's")
    func keepsComment() throws {
        let outcome = try ComposeFileImageEdit.setImage("postgres:16.6", in: Self.file, service: "db")
        guard case .edited(let text, _) = outcome else { Issue.record("expected an edit"); return }
        #expect(text.contains("    image: postgres:16.6   # pinned on purpose\n"))
        #expect(text.contains("      image: not-this-one\n"))
        #expect(try ComposeFileImageEdit.currentImage(in: text, service: "db") == "postgres:16.6")
    }

    @Test("the same reference is no edit; a floating tag only needs pull and up")
    func unchanged() throws {
        #expect(try ComposeFileImageEdit.setImage("postgres:16.4", in: Self.file, service: "db") == .unchanged)
    }

    @Test("what cannot be edited safely is refused with the reason")
    func refusals() {
        #expect(throws: ComposeFileImageEdit.Refusal.noImage(service: "builder")) {
            try ComposeFileImageEdit.setImage("x:1", in: Self.file, service: "builder")
        }
        #expect(throws: ComposeFileImageEdit.Refusal.serviceNotFound("cache")) {
            try ComposeFileImageEdit.setImage("x:1", in: Self.file, service: "cache")
        }
        #expect(throws: ComposeFileImageEdit.Refusal.noServicesSection) {
            try ComposeFileImageEdit.setImage("x:1", in: "version: '3'\n", service: "web")
        }
        #expect(throws: ComposeFileImageEdit.Refusal.self) {
            try ComposeFileImageEdit.setImage("x:1", in: "services: {web: {image: a}}\n", service: "web")
        }
        #expect(throws: ComposeFileImageEdit.Refusal.self) {
            try ComposeFileImageEdit.setImage("x:1", in: "services:\n  web:\n    image: app:${TAG:-1}\n", service: "web")
        }
        #expect(throws: ComposeFileImageEdit.Refusal.self) {
            try ComposeFileImageEdit.setImage("x:1 # evil", in: Self.file, service: "web")
        }
    }

    @Test("quoted service keys and CRLF-free four-space indents are read")
    func otherLayouts() throws {
        let text = "services:\n    \"web\":\n        image: 'app:1'\n"
        #expect(try ComposeFileImageEdit.setImage("app:2", in: text, service: "web")
            == .edited(text: "services:\n    \"web\":\n        image: 'app:2'\n", previous: "app:1"))
    }
}
