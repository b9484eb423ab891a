"""A small Chrome DevTools Protocol client over a pipe (``--remote-debugging-pipe``): no network, no websocket,
no browser download — it drives the Debian ``chromium`` already on the machine.

    with Browser() as b:
        page = b.open("file:///tmp/x.html")          # waits for the load event
        page.evaluate("document.title")
        page.screenshot(clip=…)                      # PNG bytes
        page.requests, page.console_errors

Messages are JSON objects separated by NUL bytes, on file descriptors 3 (to the browser) and 4 (from it).
"""
from __future__ import annotations

import base64
import fcntl
import json
import os
import shutil
import subprocess
import tempfile
import time

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--disable-extensions", "--mute-audio", "--hide-scrollbars",
         "--no-default-browser-check", "--remote-debugging-pipe"]


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


class CDPError(RuntimeError):
    pass


class Browser:
    def __init__(self, executable: str | None = None, timeout: float = 30.0):
        self.executable = executable or chromium_path()
        if not self.executable:
            raise CDPError("no chromium on this machine")
        self.timeout = timeout
        self._id = 0
        self._buf = b""
        self.events: list[dict] = []

    # ------------------------------------------------------------------------------------------ process
    def __enter__(self) -> "Browser":
        self.profile = tempfile.mkdtemp(prefix="sckg-chromium-")
        to_r, self._to_w = os.pipe()       # we write commands → the browser reads them on fd 3
        self._from_r, from_w = os.pipe()   # the browser writes answers on fd 4 → we read them

        def child_fds():  # move the two ends out of the way first, then onto 3 and 4
            a = fcntl.fcntl(to_r, fcntl.F_DUPFD, 100)
            b = fcntl.fcntl(from_w, fcntl.F_DUPFD, 100)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.proc = subprocess.Popen(
            [self.executable, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=child_fds, close_fds=False)
        os.close(to_r)
        os.close(from_w)
        os.set_blocking(self._from_r, False)
        return self

    def __exit__(self, *exc) -> None:
        try:
            if self.proc.poll() is None:
                try:
                    self._send("Browser.close")
                except Exception:
                    pass
                try:
                    self.proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait(timeout=10)
        finally:
            for fd in (self._to_w, self._from_r):
                try:
                    os.close(fd)
                except OSError:
                    pass
            shutil.rmtree(self.profile, ignore_errors=True)

    # ------------------------------------------------------------------------------------------ protocol
    def _send(self, method: str, params: dict | None = None, session: str | None = None) -> int:
        self._id += 1
        msg = {"id": self._id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        data = json.dumps(msg).encode() + b"\0"
        while data:
            n = os.write(self._to_w, data)
            data = data[n:]
        return self._id

    def _read(self, deadline: float) -> dict | None:
        import select

        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([self._from_r], [], [], min(left, 0.5))
            if not ready:
                if self.proc.poll() is not None:
                    raise CDPError(f"chromium exited with status {self.proc.returncode}")
                continue
            chunk = os.read(self._from_r, 1 << 20)
            if not chunk:
                raise CDPError("chromium closed the pipe")
            self._buf += chunk
        msg, self._buf = self._buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        mid = self._send(method, params, session)
        deadline = time.monotonic() + self.timeout
        while True:
            msg = self._read(deadline)
            if msg is None:
                raise CDPError(f"{method}: no answer within {self.timeout} s")
            if msg.get("id") == mid:
                if "error" in msg:
                    raise CDPError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            if "method" in msg:
                self.events.append(msg)

    def wait_for(self, method: str, session: str | None = None, timeout: float | None = None) -> dict:
        deadline = time.monotonic() + (timeout or self.timeout)
        for i, ev in enumerate(self.events):
            if ev.get("method") == method and (session is None or ev.get("sessionId") == session):
                return self.events.pop(i)
        while True:
            msg = self._read(deadline)
            if msg is None:
                raise CDPError(f"no {method} within {timeout or self.timeout} s")
            if msg.get("method") == method and (session is None or msg.get("sessionId") == session):
                return msg
            if "method" in msg:
                self.events.append(msg)

    def drain(self, seconds: float = 0.3) -> None:
        deadline = time.monotonic() + seconds
        while True:
            msg = self._read(deadline)
            if msg is None:
                return
            if "method" in msg:
                self.events.append(msg)

    # ------------------------------------------------------------------------------------------ pages
    def open(self, url: str, width: int = 1280, height: int = 900) -> "Page":
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        page = Page(self, session)
        for domain in ("Runtime", "Log", "Network", "Page"):
            self.call(f"{domain}.enable", {}, session)
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}, session)
        self.events.clear()
        self.call("Page.navigate", {"url": url}, session)
        self.wait_for("Page.loadEventFired", session)
        self.drain()
        return page


class Page:
    def __init__(self, browser: Browser, session: str):
        self.browser = browser
        self.session = session

    def _events(self, method: str) -> list[dict]:
        return [e["params"] for e in self.browser.events
                if e.get("method") == method and e.get("sessionId") == self.session]

    @property
    def requests(self) -> list[str]:
        return [p["request"]["url"] for p in self._events("Network.requestWillBeSent")]

    @property
    def console_errors(self) -> list[str]:
        out = []
        for p in self._events("Runtime.consoleAPICalled"):
            if p.get("type") in ("error", "assert"):
                out.append(" ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", [])))
        for p in self._events("Runtime.exceptionThrown"):
            out.append(p["exceptionDetails"].get("text", "exception"))
        for p in self._events("Log.entryAdded"):
            if p["entry"].get("level") == "error":
                out.append(p["entry"].get("text", "") + " " + p["entry"].get("url", ""))
        for p in self._events("Network.loadingFailed"):
            out.append("loading failed: " + p.get("errorText", ""))
        return out

    def evaluate(self, expression: str):
        result = self.browser.call("Runtime.evaluate", {"expression": expression, "returnByValue": True},
                                   self.session)
        if "exceptionDetails" in result:
            raise CDPError(f"evaluate: {result['exceptionDetails'].get('text')}")
        return result["result"].get("value")

    def screenshot(self, clip: dict | None = None, full_page: bool = False) -> bytes:
        params: dict = {"format": "png"}
        if full_page:
            size = self.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
            clip = {"x": 0, "y": 0, "width": size[0], "height": size[1]}
        if clip:
            params["clip"] = {**clip, "scale": clip.get("scale", 1)}
            params["captureBeyondViewport"] = True
        return base64.b64decode(self.browser.call("Page.captureScreenshot", params, self.session)["data"])
