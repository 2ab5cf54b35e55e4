/// Alerts and notifications. See AlertEngine.swift.
enum UnityAlertsModule {}
