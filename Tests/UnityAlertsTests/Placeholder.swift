import Testing
@testable import UnityAlerts
