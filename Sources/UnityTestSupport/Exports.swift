// Pebble, child processes and free ports live in UnityACMETestSupport (no Vapor, so the ACME
// module's own tests use them too); app tests get them through this module.
@_exported import UnityACMETestSupport
