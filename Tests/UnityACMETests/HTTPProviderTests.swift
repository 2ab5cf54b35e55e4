import Foundation
import UnityACMETestSupport
import Testing
@testable import UnityACME

/// A recording fake of the httpreq endpoint, acme-dns and the Cloudflare API v4, in Python's
/// standard library, so the providers are checked over real HTTP without any external service.
private let fakeServer = #"""
import http.server, json, sys
log = open(sys.argv[1], "a")
class H(http.server.BaseHTTPRequestHandler):
    def handle_one(self, method):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n).decode() if n else ""
        log.write(json.dumps({"method": method, "path": self.path, "body": body,
            "auth": self.headers.get("Authorization"), "user": self.headers.get("X-Api-User"),
            "key": self.headers.get("X-Api-Key")}) + "\n"); log.flush()
        status, out, extra = 200, {"success": True, "result": []}, {}
        base = "http://" + self.headers.get("Host")
        if self.path == "/dir":
            out = {"newNonce": base + "/nonce", "newAccount": base + "/acct", "newOrder": base + "/order",
                   "renewalInfo": base + "/ari"}
        elif self.path.startswith("/ari/"):
            out = {"suggestedWindow": {"start": "2030-01-01T00:00:00Z", "end": "2030-01-02T00:00:00Z"}}
            extra = {"Retry-After": "21600"}
        elif self.path.startswith("/client/v4/zones?name=example.org"):
            out["result"] = [{"id": "zone1", "name": "example.org"}]
        elif self.path == "/client/v4/zones/zone1/dns_records" or self.path.startswith("/client/v4/zones/zone1/dns_records/"):
            out["result"] = {"id": "rec1"}
        elif self.headers.get("Authorization") == "Bearer bad":
            status, out = 403, {"success": False, "errors": [{"code": 10000, "message": "Authentication error"}]}
        data = json.dumps(out).encode()
        self.send_response(status); self.send_header("Content-Type", "application/json")
        for k, v in extra.items(): self.send_header(k, v)
        self.send_header("Content-Length", str(len(data))); self.end_headers(); self.wfile.write(data)
    def do_GET(self): self.handle_one("GET")
    def do_POST(self): self.handle_one("POST")
    def do_DELETE(self): self.handle_one("DELETE")
    def log_message(self, *a): pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
print(s.server_address[1], flush=True)
s.serve_forever()
"""#

@Suite("HTTP-based DNS-01 providers against a recording fake")
struct HTTPProviderTests {
    let task = ChallengeTask(type: "dns-01", domain: "www.example.org", isWildcard: false, token: "tok",
                             keyAuthorization: "tok.thumb")

    @Test("httpreq (lego-compatible): default and RAW bodies on /present and /cleanup, basic auth")
    func httpreq() async throws {
        try await withFake { base, http, requests in
            let plain = HTTPRequestDNSProvider(endpoint: base + "/", username: "u", password: "p", httpClient: http)
            try await plain.present(task)
            await plain.cleanUp(task)
            let raw = HTTPRequestDNSProvider(endpoint: base, mode: .raw, httpClient: http)
            try await raw.present(task)
            let log = try requests()
            #expect(log.map { $0["path"] as? String } == ["/present", "/cleanup", "/present"])
            #expect(body(log[0]) == ["fqdn": "_acme-challenge.www.example.org.", "value": task.dnsTXTValue])
            #expect(log[0]["auth"] as? String == "Basic " + Data("u:p".utf8).base64EncodedString())
            #expect(body(log[2]) == ["domain": "www.example.org", "token": "tok", "keyAuth": "tok.thumb"])
            #expect(log[2]["auth"] is NSNull)
        }
    }

    @Test("acme-dns: /update with X-Api-User/X-Api-Key and the account's subdomain; unknown domains are not claimed")
    func acmeDNS() async throws {
        try await withFake { base, http, requests in
            let account = ACMEDNSProvider.Account(username: "user-1", password: "secret-1", subdomain: "d420c923")
            let provider = ACMEDNSProvider(serverURL: base, accounts: ["www.example.org": account], httpClient: http)
            #expect(provider.canSolve(domain: "www.example.org") && !provider.canSolve(domain: "other.org"))
            try await provider.present(task)
            let log = try requests()
            #expect(log.first?["path"] as? String == "/update")
            #expect(log.first?["user"] as? String == "user-1" && log.first?["key"] as? String == "secret-1")
            #expect(body(log[0]) == ["subdomain": "d420c923", "txt": task.dnsTXTValue])
        }
    }

    @Test("Cloudflare v4: zone found by walking up the name, TXT created with the token, deleted by id; API errors surface")
    func cloudflare() async throws {
        try await withFake { base, http, requests in
            let provider = CloudflareDNSProvider(apiToken: "tok-123", baseURL: base + "/client/v4", httpClient: http)
            try await provider.present(task)
            await provider.cleanUp(task)
            let log = try requests()
            #expect(log.map { "\($0["method"] ?? "") \($0["path"] ?? "")" } == [
                "GET /client/v4/zones?name=www.example.org&status=active",
                "GET /client/v4/zones?name=example.org&status=active",
                "POST /client/v4/zones/zone1/dns_records",
                "DELETE /client/v4/zones/zone1/dns_records/rec1",
            ])
            #expect(log.allSatisfy { $0["auth"] as? String == "Bearer tok-123" })
            let created = try JSONSerialization.jsonObject(with: Data((log[2]["body"] as? String ?? "").utf8)) as? [String: Any]
            #expect(created?["name"] as? String == "_acme-challenge.www.example.org")
            #expect(created?["content"] as? String == task.dnsTXTValue && created?["type"] as? String == "TXT")

            let bad = CloudflareDNSProvider(apiToken: "bad", baseURL: base + "/client/v4", httpClient: http)
            let other = ChallengeTask(type: "dns-01", domain: "nope.test", isWildcard: false, token: "t", keyAuthorization: "t.k")
            let error = await #expect(throws: DNSProviderError.self) { try await bad.present(other) }
            #expect(error?.message.contains("Authentication error") == true)
        }
    }

    @Test("ARI over HTTP: renewalInfo URL from the directory, GET <renewalInfo>/<certID>, window and Retry-After")
    func renewalInfo() async throws {
        try await withFake { base, http, requests in
            let client = ACMEClient(directoryURL: base + "/dir", accountKey: .generateP256(), httpClient: http)
            let pem = try await selfSignedPEM()
            let info = try #require(try await client.renewalInfo(certificatePEM: pem))
            #expect(info.windowStart == Date(timeIntervalSince1970: 1_893_456_000))
            #expect(info.retryAfter == 21_600)
            let id = try RenewalInfo.certificateID(pem: pem)
            #expect(try requests().map { $0["path"] as? String } == ["/dir", "/ari/" + id])
        }
    }

    @Test("exec (lego-compatible): argument vectors in default and RAW mode")
    func execArguments() {
        #expect(ExecDNSProvider(program: "/x").arguments("present", task)
                == ["present", "_acme-challenge.www.example.org.", task.dnsTXTValue])
        #expect(ExecDNSProvider(program: "/x", mode: .raw).arguments("cleanup", task)
                == ["cleanup", "--", "www.example.org", "tok", "tok.thumb"])
    }

    @Test("exec: a failing hook's exit status and output become the error text")
    func execFailure() async throws {
        let provider = ExecDNSProvider(program: "/bin/sh", environment: [:])
        // /bin/sh present … reads a file named "present": it fails, with sh's own message.
        let error = await #expect(throws: DNSProviderError.self) { try await provider.present(task) }
        #expect(error?.message.contains("exited 2") == true)
        #expect(error?.message.contains("No such file") == true)
    }

    /// A hook that leaves a process running in the background still finishes when the hook does
    /// (Foundation's `Process` would wait for the background process); a hook that hangs is
    /// stopped after the provider's timeout with a clear error.
    @Test("exec: a hook's background child does not hold the order; a hung hook times out")
    func execBackgroundChildAndTimeout() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("unity-exec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer {
            if let pid = (try? String(contentsOf: dir.appendingPathComponent("bg.pid"), encoding: .utf8)).flatMap({ pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }) {
                kill(pid, SIGKILL)
            }
            try? FileManager.default.removeItem(at: dir)
        }
        let hook = dir.appendingPathComponent("hook.sh")
        try """
        #!/bin/sh
        sleep 60 >/dev/null 2>&1 </dev/null &
        echo $! > "$HOOK_DIR/bg.pid"
        echo "$1 $2 $3 mode=$EXEC_MODE" > "$HOOK_DIR/called"
        """.write(to: hook, atomically: true, encoding: .utf8)
        chmod(hook.path, 0o755)
        let provider = ExecDNSProvider(program: hook.path, environment: ["HOOK_DIR": dir.path], timeout: .seconds(30))
        let started = ContinuousClock.now
        try await provider.present(task)
        // 30 s would be the timeout; the hook itself takes milliseconds.
        #expect(ContinuousClock.now - started < .seconds(20))
        #expect(try String(contentsOf: dir.appendingPathComponent("called"), encoding: .utf8)
                == "present _acme-challenge.www.example.org. \(task.dnsTXTValue) mode=\n")

        let hangs = dir.appendingPathComponent("hangs.sh")
        try "#!/bin/sh\nexec sleep 60\n".write(to: hangs, atomically: true, encoding: .utf8)
        chmod(hangs.path, 0o755)
        let hung = ExecDNSProvider(program: hangs.path, timeout: .seconds(1))
        let error = await #expect(throws: DNSProviderError.self) { try await hung.present(task) }
        #expect(error?.message.contains("did not finish in time") == true, "\(String(describing: error))")
    }

    private func selfSignedPEM() async throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("unity-ari-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let cert = dir.appendingPathComponent("c.pem").path
        try await TestChildProcess.checked("/usr/bin/openssl", [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1",
            "-subj", "/CN=ari.test", "-keyout", dir.appendingPathComponent("k.pem").path, "-out", cert])
        return try String(contentsOfFile: cert, encoding: .utf8)
    }

    private func body(_ entry: [String: Any]) -> [String: String]? {
        (try? JSONSerialization.jsonObject(with: Data((entry["body"] as? String ?? "").utf8))) as? [String: String]
    }

    private func withFake(_ body: (String, SharedHTTPClient, () throws -> [[String: Any]]) async throws -> Void) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("unity-fake-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let log = dir.appendingPathComponent("requests.jsonl")
        let script = dir.appendingPathComponent("fake.py")
        try fakeServer.write(to: script, atomically: true, encoding: .utf8)
        let out = Pipe()
        let process = TestChildProcess("/usr/bin/python3", [script.path, log.path], stdout: out)
        try process.start()
        let http = try ACMEHTTPClientFactory.make()
        do {
            let portLine = try await readLine(out.fileHandleForReading)
            let requests = { () throws -> [[String: Any]] in
                let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                return try text.split(separator: "\n").map {
                    (try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) ?? [:]
                }
            }
            try await body("http://127.0.0.1:\(portLine)", http, requests)
        } catch {
            try? await http.shutdown()
            await process.stop()
            try? FileManager.default.removeItem(at: dir)
            throw error
        }
        try await http.shutdown()
        await process.stop()
        try? FileManager.default.removeItem(at: dir)
    }

    private func readLine(_ handle: FileHandle) async throws -> String {
        // availableData blocks: keep it off the cooperative pool.
        let data = try await Task.detached {
            var data = Data()
            while !data.contains(UInt8(ascii: "\n")) {
                let chunk = handle.availableData
                if chunk.isEmpty { throw TestSupportError("fake server exited") }
                data += chunk
            }
            return data
        }.value
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
