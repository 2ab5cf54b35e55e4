import Foundation

/// `{{name}}` substitution, nothing more: no loops, no expressions, so a user-edited template
/// can never run code or fail at send time. Unknown placeholders render empty; `{{ name }}` with
/// spaces is accepted.
public enum TemplateRenderer {
    public static func render(_ template: String, values: [String: String]) -> String {
        var out = ""
        var rest = Substring(template)
        while let open = rest.range(of: "{{") {
            out += rest[..<open.lowerBound]
            let afterOpen = rest[open.upperBound...]
            guard let close = afterOpen.range(of: "}}") else {
                out += rest[open.lowerBound...]
                return out
            }
            let name = afterOpen[..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            out += values[name] ?? ""
            rest = afterOpen[close.upperBound...]
        }
        out += rest
        return out
    }

    /// The placeholder names a template uses, so an editor can reject typos before saving.
    public static func placeholders(in template: String) -> [String] {
        var names: [String] = []
        var rest = Substring(template)
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            names.append(rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces))
            rest = rest[close.upperBound...]
        }
        return names
    }
}
