import Foundation
import Logging
import UnityApp
import UnityCore
import Vapor

// Thin entry point: read the configuration, wire the application, run the command
// (`serve` when none is given), shut down cleanly.

// Everything Unity writes (database, key file, backups) holds secrets: private to this user.
umask(0o077)

let config: AppConfig
do {
    config = try AppConfig.load()
} catch {
    FileHandle.standardError.write(Data("unity: \(error)\n".utf8))
    exit(2)
}

var environment = try Environment.detect()
let level = Logger.Level(rawValue: config.logLevel) ?? .info
LoggingSystem.bootstrap { label in
    var handler = StreamLogHandler.standardError(label: label)
    handler.logLevel = level
    return handler
}

let command = environment.arguments.dropFirst().first
let serving = command == nil || command == "serve" || command?.hasPrefix("-") == true

let app = try await Application.make(environment)
do {
    if HelpMode.requested(environment.arguments) {
        HelpMode.configure(app)
    } else if RestoreMode.requested(environment.arguments) {
        RestoreMode.configure(app, config: config)
    } else if MigrateMode.requested(environment.arguments) {
        try MigrateMode.configure(app, config: config)
    } else {
        try await configure(app, config: config, serving: serving)
    }
    try await app.execute()
    try await app.asyncShutdown()
} catch let error as ConfigError {
    FileHandle.standardError.write(Data("unity: \(error)\n".utf8))
    try? await app.asyncShutdown()
    exit(2)
} catch {
    FileHandle.standardError.write(Data("unity: \(error)\n".utf8))
    try? await app.asyncShutdown()
    exit(1)
}
