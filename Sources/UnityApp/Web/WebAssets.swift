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

    // Container page: its last log lines as a server-rendered fragment; while "Follow" is ticked,
    // the API's log stream (EventSource: the last lines, then new ones as they are written), or the
    // fragment again every 3 s where EventSource is missing or its stream fails. A CPU sparkline
    // from one stats sample every 5 s.
    (function () {
      var logs = document.querySelector("[data-container-logs]");
      function fragment(url, into, after) {
        return fetch(url + "?fragment=1", { credentials: "same-origin", headers: { Accept: "text/html" } })
          .then(function (r) { return r.text(); })
          .then(function (html) { into.innerHTML = html; if (after) after(); })
          .catch(function () {});
      }
      if (logs) {
        var body = logs.querySelector("[data-logs-body]"), follow = logs.querySelector("[data-logs-follow]");
        var scrollDown = function () { var pre = body.querySelector("pre"); if (pre) pre.scrollTop = pre.scrollHeight; logs.setAttribute("data-loaded", String(Date.now())); };
        fragment(logs.getAttribute("data-container-logs"), body, scrollDown);
        var streamURL = logs.getAttribute("data-logs-stream"), source = null, polling = null, pre = null, continues = false;
        // Escape sequences (colours, cursor moves) are stripped as the server does for the fragment.
        var ansi = /\\u001b\\[[0-?]*[ -\\/]*[@-~]|\\u001b\\][^\\u0007\\u001b]*(\\u0007|\\u001b\\\\)|\\u001b[@-_]/g;
        var stopFollowing = function () {
          if (source) { source.close(); source = null; }
          if (polling) { clearInterval(polling); polling = null; }
          logs.removeAttribute("data-following");
        };
        var poll = function () {
          if (source) { source.close(); source = null; }
          logs.setAttribute("data-following", "poll");
          if (!polling) polling = setInterval(function () { fragment(logs.getAttribute("data-container-logs"), body, scrollDown); }, 3000);
        };
        var append = function (line) {
          if (!pre) { pre = document.createElement("pre"); pre.className = "logs"; body.innerHTML = ""; body.appendChild(pre); continues = false; }
          var span = document.createElement("span");
          span.className = line.stream === "stderr" ? "log-stderr" : "log-stdout";
          span.textContent = (pre.childNodes.length && !continues ? "\\n" : "") + String(line.text || "").replace(ansi, "");
          continues = !!line.continues;
          pre.appendChild(span);
          while (pre.childNodes.length > 1000) pre.removeChild(pre.firstChild);
          pre.setAttribute("data-log-lines", String(pre.childNodes.length));
          scrollDown();
        };
        var startFollowing = function () {
          stopFollowing();
          if (!window.EventSource || !streamURL) { poll(); return; }
          pre = null;
          source = new EventSource(streamURL);
          source.addEventListener("open", function () { logs.setAttribute("data-following", "stream"); });
          source.addEventListener("line", function (event) { try { append(JSON.parse(event.data)); } catch (e) {} });
          // The container stopped: its output is complete.
          source.addEventListener("end", function () { if (source) { source.close(); source = null; } logs.setAttribute("data-following", "ended"); });
          source.addEventListener("engine_error", poll);
          source.addEventListener("error", function () { if (source) poll(); });
        };
        if (follow) follow.addEventListener("change", function () { if (follow.checked) startFollowing(); else stopFollowing(); });
      }
      var stats = document.querySelector("[data-container-stats]");
      if (stats) {
        var target = stats.querySelector("[data-stats-body]"), line = stats.querySelector("[data-sparkline]"), samples = [];
        var sample = function () {
          fragment(stats.getAttribute("data-container-stats"), target, function () {
            var facts = target.querySelector("[data-cpu-percent]");
            var value = facts ? parseFloat(facts.getAttribute("data-cpu-percent")) : NaN;
            if (isNaN(value) || !line) return;
            samples.push(value); if (samples.length > 30) samples.shift();
            var top = Math.max.apply(null, samples.concat([1]));
            line.setAttribute("points", samples.map(function (v, i) { return (i * 4) + "," + (30 - v / top * 28).toFixed(1); }).join(" "));
            stats.setAttribute("data-samples", String(samples.length));
          });
        };
        sample(); setInterval(sample, 5000);
      }
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
