import Foundation
import NIOCore
import UnityCore
import Vapor
import VaporTesting

/// A response as tests look at it: status, headers, raw body and the body as JSON.
public struct TestResponse: Sendable {
    public let status: HTTPResponseStatus
    public let headers: HTTPHeaders
    public let body: String

    public var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:]
    }

    /// The body when it is a JSON array of objects (list endpoints that do not page).
    public var jsonArray: [[String: Any]] {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [[String: Any]] ?? []
    }

    public var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }
    public var errorMessage: String? { (json["error"] as? [String: Any])?["message"] as? String }
    public var errorField: String? { (json["error"] as? [String: Any])?["field"] as? String }
}

/// Sends requests to an application in memory (or over a real socket with `.running`), with the
/// credentials and JSON handling every API test needs.
public struct TestClient: Sendable {
    public let app: Application
    public var method: Application.Method

    public init(_ app: Application, method: Application.Method = .inMemory) {
        self.app = app
        self.method = method
    }

    /// Every response the suite sees can be appended to `UNITY_TEST_CAPTURE` (a file), so the test
    /// script can grep all API output for leaked canary secrets.
    private static let captureFile = ProcessInfo.processInfo.environment["UNITY_TEST_CAPTURE"]

    public func send(_ httpMethod: HTTPMethod, _ path: String, token: String? = nil,
                     json: Any? = nil, rawBody: String? = nil, headers extra: HTTPHeaders = [:]) async throws -> TestResponse {
        var headers = extra
        if let token { headers.bearerAuthorization = .init(token: token) }
        var body: ByteBuffer?
        if let json {
            let data = try JSONSerialization.data(withJSONObject: json)
            body = ByteBuffer(data: data)
            headers.contentType = .json
        } else if let rawBody {
            body = ByteBuffer(string: rawBody)
            if headers.contentType == nil { headers.contentType = .json }
        }
        let response = try await app.testing(method: method).sendRequest(httpMethod, path, headers: headers, body: body)
        let result = TestResponse(status: response.status, headers: response.headers, body: response.body.string)
        if let file = Self.captureFile { Self.capture(result, path: path, file: file) }
        return result
    }

    private static func capture(_ response: TestResponse, path: String, file: String) {
        let line = "\(response.status.code) \(path) \(response.headers.map { "\($0.name)=\($0.value)" }.joined(separator: ";")) \(response.body)\n"
        guard let handle = FileHandle(forWritingAtPath: file) else {
            FileManager.default.createFile(atPath: file, contents: Data(line.utf8))
            return
        }
        handle.seekToEndOfFile()
        handle.write(Data(line.utf8))
        try? handle.close()
    }

    // MARK: - Accounts

    /// The bootstrap admin every test app gets (created directly, as `serve` would).
    public static let adminPassword = "admin-password-for-tests"

    public func login(_ username: String, _ password: String) async throws -> String {
        let response = try await send(.POST, "/api/v1/auth/login", json: ["username": username, "password": password])
        guard response.status == .ok, let token = response.json["access_token"] as? String else {
            throw TestSupportError("login as \(username) failed: \(response.status) \(response.body)")
        }
        return token
    }

    /// Creates a user with `role` through the API (as admin) and returns a token for them.
    public func user(_ role: Role, name: String? = nil, adminToken: String) async throws -> (id: String, token: String) {
        let username = name ?? "\(role.rawValue)-\(UUID().uuidString.prefix(6).lowercased())"
        let password = "password-\(UUID().uuidString)"
        let created = try await send(.POST, "/api/v1/users", token: adminToken,
                                     json: ["username": username, "role": role.rawValue, "password": password])
        guard created.status == .created, let user = created.json["user"] as? [String: Any], let id = user["id"] as? String else {
            throw TestSupportError("creating \(username) failed: \(created.status) \(created.body)")
        }
        return (id, try await login(username, password))
    }

    public func apiKey(scopes: [String], token: String) async throws -> String {
        let created = try await send(.POST, "/api/v1/api-keys", token: token, json: ["name": "test key", "scopes": scopes])
        guard created.status == .created, let secret = created.json["token"] as? String else {
            throw TestSupportError("creating an API key failed: \(created.status) \(created.body)")
        }
        return secret
    }
}
