import Vapor

/// The UI's only script, served by Unity (the CSP allows nothing else). Pages work without it:
/// it adds live refresh of the dashboard's alert panel, copy buttons and delete confirmations.
enum WebScript {
    static func serve(_ request: Request) async throws -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .init(type: "text", subType: "javascript", parameters: ["charset": "utf-8"])
        headers.cacheControl = .init(maxAge: 3600)
        return Response(status: .ok, headers: headers, body: .init(string: source))
    }

    static let source = """
    "use strict";
    // Live alert panel: the server pushes a Server-Sent Event on every alert change; the panel is
    // then fetched again as server-rendered HTML, so there is one renderer (Swift), not two.
    (function () {
      var panel = document.querySelector("[data-live-alerts]");
      if (!panel || !window.EventSource) return;
      var pending = null;
      function reload() {
        pending = null;
        fetch(panel.getAttribute("data-live-alerts"), { credentials: "same-origin", headers: { Accept: "text/html" } })
          .then(function (r) { return r.ok ? r.text() : null; })
          .then(function (html) { if (html !== null) { panel.innerHTML = html; panel.setAttribute("data-refreshed", String(Date.now())); } })
          .catch(function () {});
      }
      var source = new EventSource("/api/v1/alerts/stream");
      source.addEventListener("alert", function () { if (!pending) pending = setTimeout(reload, 300); });
      source.addEventListener("open", function () { panel.setAttribute("data-live", "connected"); });
    })();

    // Copy buttons are hidden until this script can make them work.
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var source = document.getElementById(button.getAttribute("data-copy"));
        if (!source) return;
        var text = source.value !== undefined ? source.value : source.textContent;
        var done = function () { button.textContent = "Copied"; };
        if (navigator.clipboard) { navigator.clipboard.writeText(text).then(done, function () { source.select(); }); }
        else { source.select(); document.execCommand("copy"); done(); }
      });
    });

    // Destructive forms ask first (without the script they simply submit).
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
      });
    });
    """
}
