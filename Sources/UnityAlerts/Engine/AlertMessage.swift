import Foundation

/// The one-line message stored on an alert ("what happened"), separate from the per-channel
/// notification templates ("how to tell people").
enum AlertMessage {
    static func make(rule: AlertRule, alert: AlertState, detail: String?) -> String {
        if let detail, !detail.isEmpty { return detail }
        if let template = rule.messageTemplate {
            return TemplateRenderer.render(template, values: [
                "rule": rule.name, "resource": alert.resource.name, "value": formatValue(alert.value),
                "threshold": formatValue(rule.threshold), "operator": rule.comparison.rawValue,
            ])
        }
        return "\(rule.name): \(alert.resource.name) is \(formatValue(alert.value)) "
            + "(\(rule.comparison.rawValue) \(formatValue(rule.threshold)))"
    }
}


/// Values print without a trailing ".0" and with at most two decimals: "91", "91.25".
func formatValue(_ value: Double) -> String {
    guard value.isFinite else { return String(value) }
    if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
    return String(format: "%.2f", value).replacingOccurrences(of: #"\.?0+$"#, with: "", options: .regularExpression)
}
