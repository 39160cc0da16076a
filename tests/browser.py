"""Headless Chromium driven over the DevTools protocol on a pipe
(``--remote-debugging-pipe``: JSON messages ending in NUL on file descriptors 3 and 4),
so the tests can set a viewport, click, go back, read console errors and take
screenshots with the system's Chromium alone: no driver, no websocket library, no
browser download."""

from __future__ import annotations

import base64
import fcntl
import json
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars"]


class BrowserError(RuntimeError):
    pass


class Chromium:
    """One headless Chromium with one page (tab)."""

    def __init__(self, timeout: float = 30.0) -> None:
        assert CHROMIUM, "chromium is not installed"
        self.timeout = timeout
        self.profile = tempfile.TemporaryDirectory()
        cmd_r, cmd_w = os.pipe()  # Python makes both ends close-on-exec
        ev_r, ev_w = os.pipe()
        # Moved to 10 and above first, so that putting them on 3 and 4 in the child
        # cannot overwrite one with the other.
        hi_r = fcntl.fcntl(cmd_r, fcntl.F_DUPFD_CLOEXEC, 10)
        hi_w = fcntl.fcntl(ev_w, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(cmd_r)
        os.close(ev_w)

        def on_3_and_4() -> None:  # in the child: dup2 leaves the copies open across exec
            os.dup2(hi_r, 3)
            os.dup2(hi_w, 4)

        argv = [CHROMIUM, *FLAGS, f"--user-data-dir={self.profile.name}", "--remote-debugging-pipe",
                "about:blank"]
        # close_fds=False keeps 3 and 4; every other descriptor of this process is
        # close-on-exec (PEP 446), so nothing else reaches Chromium
        self.proc = subprocess.Popen(argv, preexec_fn=on_3_and_4, close_fds=False,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(hi_r)
        os.close(hi_w)
        self._out = os.fdopen(cmd_w, "wb", buffering=0)
        self._in = os.fdopen(ev_r, "rb", buffering=0)
        self._next_id = 0
        self._results: dict[int, queue.Queue[dict[str, Any]]] = {}
        self._events: queue.Queue[dict[str, Any]] = queue.Queue()
        self.errors: list[str] = []
        self._lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.call(f"{domain}.enable", session=True)

    # --- protocol -------------------------------------------------------------------
    def _read(self) -> None:
        buf = b""
        while True:
            chunk = self._in.read(65536)
            if not chunk:
                return
            buf += chunk
            while b"\0" in buf:
                raw, buf = buf.split(b"\0", 1)
                msg = json.loads(raw)
                if "id" in msg and msg["id"] in self._results:
                    self._results[msg["id"]].put(msg)
                else:
                    self._note(msg)
                    self._events.put(msg)

    def _note(self, msg: dict[str, Any]) -> None:
        method, p = msg.get("method"), msg.get("params", {})
        if method == "Runtime.exceptionThrown":
            d = p.get("exceptionDetails", {})
            self.errors.append("exception: " + (d.get("exception", {}).get("description") or d.get("text", "")))
        elif method == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
            self.errors.append("console: " + " ".join(str(a.get("value", a.get("description")))
                                                        for a in p.get("args", [])))
        elif method == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
            e = p["entry"]
            self.errors.append(f"log: {e.get('text')} {e.get('url', '')}")

    def call(self, method: str, session: bool = False, **params: Any) -> dict[str, Any]:
        with self._lock:
            self._next_id += 1
            mid = self._next_id
            self._results[mid] = queue.Queue()
        msg: dict[str, Any] = {"id": mid, "method": method, "params": params}
        if session:
            msg["sessionId"] = self.session
        self._out.write(json.dumps(msg).encode() + b"\0")
        try:
            reply = self._results[mid].get(timeout=self.timeout)
        except queue.Empty:
            raise BrowserError(f"{method}: no answer in {self.timeout} s") from None
        finally:
            self._results.pop(mid, None)
        if "error" in reply:
            raise BrowserError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    # --- page -----------------------------------------------------------------------
    def viewport(self, width: int, height: int) -> None:
        self.call("Emulation.setDeviceMetricsOverride", session=True, width=width, height=height,
                  deviceScaleFactor=1, mobile=width < 600)

    def _wait_loaded(self, path: str | None = None) -> None:
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            state = self.evaluate("document.readyState + ' ' + location.pathname + location.search")
            ready, _, where = str(state).partition(" ")
            if ready == "complete" and (path is None or where == path):
                return
            time.sleep(0.05)
        raise BrowserError(f"page did not load ({path})")

    def goto(self, url: str) -> None:
        self.call("Page.navigate", session=True, url=url)
        time.sleep(0.05)
        self._wait_loaded()

    def evaluate(self, expression: str) -> Any:
        r = self.call("Runtime.evaluate", session=True, expression=expression, returnByValue=True,
                      awaitPromise=True)
        if "exceptionDetails" in r:
            raise BrowserError(f"{expression}: {r['exceptionDetails'].get('text')}")
        return r.get("result", {}).get("value")

    def click(self, selector: str, then_path: str | None = None) -> None:
        """Click the first element matching ``selector``, wait for the next page."""
        before = self.evaluate("location.pathname + location.search")
        self.evaluate(f"document.querySelector({json.dumps(selector)}).click()")
        self._await_change(before, then_path)

    def back(self, then_path: str | None = None) -> None:
        before = self.evaluate("location.pathname + location.search")
        self.evaluate("history.back()")
        self._await_change(before, then_path)

    def _await_change(self, before: str, path: str | None) -> None:
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            try:
                now = self.evaluate("location.pathname + location.search")
            except BrowserError:  # the old page's context went away mid-call
                now = before
            if now != before:
                self._wait_loaded(path)
                return
            time.sleep(0.05)
        raise BrowserError("no navigation")

    def screenshot(self, path: Path, max_height: int = 3000) -> None:
        """The page from the top, as tall as its content (up to ``max_height``)."""
        size = self.call("Page.getLayoutMetrics", session=True)["cssContentSize"]
        width = self.evaluate("document.documentElement.clientWidth")
        clip = {"x": 0, "y": 0, "width": width, "height": min(size["height"], max_height), "scale": 1}
        data = self.call("Page.captureScreenshot", session=True, format="png", clip=clip,
                         captureBeyondViewport=True)["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        try:
            self.call("Browser.close")
        except (BrowserError, OSError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for f in (self._out, self._in):
            try:
                f.close()
            except OSError:
                pass
        self.profile.cleanup()
