"""A small Chrome DevTools Protocol client for the UI end-to-end test.

Talks to one page target over the DevTools websocket (websocket-client from PyPI), records
every network request the page makes, and offers the few actions the test needs: navigate,
evaluate JavaScript, wait for a condition, take screenshots at a given viewport size.
"""
import base64
import json
import time
import urllib.request

import websocket  # websocket-client


class CDPError(RuntimeError):
    pass


class Page:
    def __init__(self, devtools_port, timeout=30):
        self.timeout = timeout
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{devtools_port}/json/list", timeout=10))
        pages = [t for t in targets if t.get("type") == "page"]
        if not pages:
            request = urllib.request.Request(f"http://127.0.0.1:{devtools_port}/json/new?about:blank", method="PUT")
            pages = [json.load(urllib.request.urlopen(request, timeout=10))]
        # No Origin header: Chromium refuses DevTools websockets from unexpected origins.
        self.ws = websocket.create_connection(pages[0]["webSocketDebuggerUrl"], timeout=timeout, suppress_origin=True)
        self.next_id = 0
        self.requests = []  # every URL the page asked for (Network.requestWillBeSent)
        self.console_errors = []
        for domain in ("Page", "Network", "Runtime"):
            self.send(f"{domain}.enable")

    def close(self):
        try:
            self.ws.close()
        except Exception:
            pass

    def _handle_event(self, message):
        method = message.get("method")
        params = message.get("params", {})
        if method == "Network.requestWillBeSent":
            self.requests.append(params["request"]["url"])
        elif method == "Runtime.exceptionThrown":
            self.console_errors.append(params.get("exceptionDetails", {}).get("text", "exception"))

    def send(self, method, **params):
        self.next_id += 1
        call_id = self.next_id
        self.ws.send(json.dumps({"id": call_id, "method": method, "params": params}))
        deadline = time.time() + self.timeout
        while time.time() < deadline:
            message = json.loads(self.ws.recv())
            if message.get("id") == call_id:
                if "error" in message:
                    raise CDPError(f"{method}: {message['error']}")
                return message.get("result", {})
            self._handle_event(message)
        raise CDPError(f"{method}: no answer in {self.timeout} s")

    def pump(self, seconds):
        """Reads events for a while (keeps the request log complete between commands)."""
        self.ws.settimeout(seconds)
        try:
            while True:
                self._handle_event(json.loads(self.ws.recv()))
        except websocket.WebSocketTimeoutException:
            pass
        finally:
            self.ws.settimeout(self.timeout)

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise CDPError(f"JavaScript failed: {expression[:120]}: {result['exceptionDetails'].get('text')}")
        return result.get("result", {}).get("value")

    def wait_for(self, expression, what, timeout=None):
        deadline = time.time() + (timeout or self.timeout)
        while time.time() < deadline:
            try:
                if self.evaluate(expression):
                    return
            except CDPError:
                pass  # the page is between documents
            self.pump(0.2)
        raise AssertionError(f"timed out waiting for {what}")

    def navigate(self, url):
        self.evaluate("window.__e2e_old_page = true")
        self.send("Page.navigate", url=url)
        self.wait_loaded()

    def wait_loaded(self):
        """Waits for a new document (the marker is gone) that has finished loading."""
        self.wait_for("window.__e2e_old_page === undefined && document.readyState === 'complete'", "the next page to load")

    def submit(self, selector):
        """Clicks a submit button and waits for the page the POST redirects to."""
        self.evaluate("window.__e2e_old_page = true")
        clicked = self.evaluate(f"(() => {{ const b = document.querySelector({json.dumps(selector)}); if (!b) return false; b.click(); return true; }})()")
        if not clicked:
            raise AssertionError(f"no element {selector} on {self.evaluate('location.href')}")
        self.wait_loaded()

    def fill(self, selector, value):
        ok = self.evaluate(f"(() => {{ const e = document.querySelector({json.dumps(selector)}); if (!e) return false; e.value = {json.dumps(value)}; return true; }})()")
        if not ok:
            raise AssertionError(f"no field {selector} on {self.evaluate('location.href')}")

    def html(self):
        return self.evaluate("document.documentElement.outerHTML")

    def screenshot(self, path, width, height):
        self.send("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=width < 600)
        self.pump(0.3)
        data = self.send("Page.captureScreenshot", format="png")["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))
        overflow = self.evaluate("document.documentElement.scrollWidth")
        self.send("Emulation.clearDeviceMetricsOverride")
        return overflow
