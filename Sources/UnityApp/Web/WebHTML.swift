import Foundation

/// Small HTML pieces the views share. Every value that comes from data goes through `esc`.
enum WebHTML {
    static func esc(_ text: String) -> String { WebPage.escape(text) }

    /// A labelled input with its error beneath it; the error is tied to the input for screen readers.
    static func field(_ label: String, name: String, form: FormState, type: String = "text", value fallback: String = "",
                      required: Bool = false, hint: String? = nil, extra: String = "") -> String {
        let id = "f-\(name.replacingOccurrences(of: ".", with: "-"))"
        let error = form.errors[name]
        let value = type == "password" ? "" : form.value(name, default: fallback)
        var attributes = "id=\"\(id)\" name=\"\(esc(name))\" type=\"\(type)\" value=\"\(esc(value))\""
        if required { attributes += " required" }
        if error != nil { attributes += " aria-invalid=\"true\" aria-describedby=\"\(id)-error\"" }
        if !extra.isEmpty { attributes += " " + extra }
        return """
        <div class="field"><label for="\(id)">\(esc(label))</label><input \(attributes)>\(hint.map { "<small class=\"muted\">\(esc($0))</small>" } ?? "")\(errorText(id, error))</div>
        """
    }

    static func textarea(_ label: String, name: String, form: FormState, rows: Int = 6, required: Bool = false, keepValue: Bool = true) -> String {
        let id = "f-\(name)"
        let error = form.errors[name]
        let value = keepValue ? form.value(name) : ""
        let invalid = error == nil ? "" : " aria-invalid=\"true\" aria-describedby=\"\(id)-error\""
        return """
        <div class="field"><label for="\(id)">\(esc(label))</label><textarea id="\(id)" name="\(esc(name))" rows="\(rows)"\(required ? " required" : "")\(invalid) spellcheck="false">\(esc(value))</textarea>\(errorText(id, error))</div>
        """
    }

    static func select(_ label: String, name: String, options: [(value: String, label: String)], selected: String, form: FormState) -> String {
        let id = "f-\(name)"
        let current = form.value(name, default: selected)
        let items = options.map { (option) -> String in
            "<option value=\"\(esc(option.value))\"\(option.value == current ? " selected" : "")>\(esc(option.label))</option>"
        }.joined()
        return "<div class=\"field\"><label for=\"\(id)\">\(esc(label))</label><select id=\"\(id)\" name=\"\(esc(name))\">\(items)</select>\(errorText(id, form.errors[name]))</div>"
    }

    static func checkbox(_ label: String, name: String, value: String = "on", checked: Bool) -> String {
        let id = "f-\(name)-\(value)".replacingOccurrences(of: " ", with: "-")
        return "<div class=\"check\"><input type=\"checkbox\" id=\"\(esc(id))\" name=\"\(esc(name))\" value=\"\(esc(value))\"\(checked ? " checked" : "")><label for=\"\(esc(id))\">\(esc(label))</label></div>"
    }

    private static func errorText(_ id: String, _ error: String?) -> String {
        error.map { "<p class=\"field-error\" id=\"\(id)-error\">\(esc($0))</p>" } ?? ""
    }

    /// The message above a form for problems that name no field.
    static func formMessage(_ form: FormState) -> String {
        form.message.map { "<p class=\"error\" role=\"alert\">\(esc($0))</p>" } ?? ""
    }

    /// A one-button form: the no-JavaScript way to POST an action.
    static func actionButton(_ label: String, action: String, viewer: WebViewer, style: String = "", hidden: [String: String] = [:]) -> String {
        let inputs = hidden.sorted { $0.key < $1.key }.map { "<input type=\"hidden\" name=\"\(esc($0.key))\" value=\"\(esc($0.value))\">" }.joined()
        let cls = style.isEmpty ? "" : " class=\"\(style)\""
        return "<form method=\"post\" action=\"\(esc(action))\" class=\"inline\">\(viewer.csrfField)\(inputs)<button type=\"submit\"\(cls)>\(esc(label))</button></form>"
    }

    static func badge(_ text: String, tone: String) -> String {
        "<span class=\"badge badge-\(esc(tone))\">\(esc(text))</span>"
    }

    /// Rows of cells that are already HTML; an empty list shows `empty` instead of a bare header.
    static func table(headers: [String], rows: [[String]], empty: String, caption: String? = nil) -> String {
        guard !rows.isEmpty else { return "<p class=\"muted empty\">\(esc(empty))</p>" }
        let head = headers.map { "<th scope=\"col\">\(esc($0))</th>" }.joined()
        let body = rows.map { "<tr>" + $0.map { "<td>\($0)</td>" }.joined() + "</tr>" }.joined(separator: "\n")
        return "<div class=\"table-wrap\"><table>\(caption.map { "<caption>\(esc($0))</caption>" } ?? "")<thead><tr>\(head)</tr></thead><tbody>\n\(body)\n</tbody></table></div>"
    }
}

/// How numbers and times read on the pages (and in the end-to-end test, which recomputes them).
enum WebFormat {
    /// Binary units with one decimal: 16 GiB of RAM reads "16.0 GiB".
    static func bytes(_ value: UInt64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"]
        var amount = Double(value)
        var unit = 0
        while amount >= 1024, unit < units.count - 1 { amount /= 1024; unit += 1 }
        return unit == 0 ? "\(value) B" : String(format: "%.1f %@", amount, units[unit])
    }

    static func bytes(_ value: Int) -> String { bytes(UInt64(max(0, value))) }

    static func percent(_ value: Double) -> String { String(format: "%.1f %%", value) }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e12 ? String(Int(value)) : String(format: "%.2f", value)
    }

    static func date(_ date: Date?) -> String {
        guard let date else { return "—" }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withSpaceBetweenDateAndTime]
        return formatter.string(from: date) + " UTC"
    }

    /// `<time>` with the machine-readable value, so a browser or test can read it exactly.
    static func time(_ date: Date?) -> String {
        guard let date else { return "—" }
        return "<time datetime=\"\(ISO8601DateFormatter().string(from: date))\">\(Self.date(date))</time>"
    }

    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds)
        if total < 120 { return "\(total) s" }
        if total < 7_200 { return "\(total / 60) min" }
        if total < 172_800 { return "\(total / 3_600) h" }
        return "\(total / 86_400) d"
    }
}
