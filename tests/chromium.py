"""Headless Chromium for the browser tests, driven over the DevTools protocol on a pipe
(`--remote-debugging-pipe`: JSON messages ended by NUL on file descriptors 3 and 4), so it
needs no port, no websocket and no Python package. Flags as this machine wants them: no
sandbox (root), no GPU, no background networking (the network is closed)."""
from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
import time

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--hide-scrollbars", "--mute-audio", "--remote-debugging-pipe"]
NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find() -> str | None:
    """The browser binary: $CHROMIUM, else the first of the usual names on PATH."""
    for name in (os.environ.get("CHROMIUM"), *NAMES):
        if name and (path := shutil.which(name)):
            return path
    return None


class Chromium:
    """One browser with one page. A reply that does not come within `timeout` seconds raises
    (a hung browser fails the test rather than hanging the suite)."""

    def __init__(self, binary: str, width: int = 1500, height: int = 950, timeout: float = 60):
        self.timeout = timeout
        self._profile = tempfile.TemporaryDirectory(prefix="policyparse-chromium-")
        self._log = tempfile.TemporaryFile()
        commands_in, self._commands = os.pipe()
        self._replies, replies_out = os.pipe()

        def onto_3_and_4():  # in the child: where --remote-debugging-pipe looks
            high_in = fcntl.fcntl(commands_in, fcntl.F_DUPFD, 10)
            high_out = fcntl.fcntl(replies_out, fcntl.F_DUPFD, 10)
            os.dup2(high_in, 3)
            os.dup2(high_out, 4)

        self._process = subprocess.Popen(
            [binary, *FLAGS, f"--user-data-dir={self._profile.name}", f"--window-size={width},{height}"],
            stdin=subprocess.DEVNULL, stdout=self._log, stderr=self._log, preexec_fn=onto_3_and_4, pass_fds=(3, 4))
        os.close(commands_in)
        os.close(replies_out)
        self._buffer = b""
        self._events: list[dict] = []
        self._id = 0
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        self._session = self.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.send("Page.enable", session=True)
        self.send("Emulation.setDeviceMetricsOverride", session=True, width=width, height=height,
                  deviceScaleFactor=1, mobile=False)

    def send(self, method: str, session: bool = False, **params) -> dict:
        self._id += 1
        message = {"id": self._id, "method": method, "params": params}
        if session:
            message["sessionId"] = self._session
        data = json.dumps(message).encode() + b"\0"
        while data:
            data = data[os.write(self._commands, data):]
        while True:
            reply = self._read()
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]
            self._events.append(reply)

    def _read(self) -> dict:
        deadline = time.monotonic() + self.timeout
        while b"\0" not in self._buffer:
            ready, _, _ = select.select([self._replies], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                raise TimeoutError(f"Chromium did not answer within {self.timeout} s; its log:\n{self.log()}")
            chunk = os.read(self._replies, 1 << 20)
            if not chunk:
                raise RuntimeError(f"Chromium closed the pipe; its log:\n{self.log()}")
            self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        return json.loads(message)

    def _wait_for(self, event: str) -> None:
        while True:
            for i, message in enumerate(self._events):
                if message.get("method") == event:
                    del self._events[i]
                    return
            self._events.append(self._read())

    def open(self, url: str) -> None:
        """Load `url` and wait for its load event."""
        self._events.clear()
        self.send("Page.navigate", session=True, url=url)
        self._wait_for("Page.loadEventFired")

    def evaluate(self, expression: str):
        result = self.send("Runtime.evaluate", session=True, expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"script failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def screenshot(self) -> bytes:
        return base64.b64decode(self.send("Page.captureScreenshot", session=True, format="png")["data"])

    def log(self) -> str:
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace")[-4000:]

    def close(self) -> None:
        try:
            self.send("Browser.close")
        except (RuntimeError, TimeoutError, OSError):
            pass
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        os.close(self._commands)
        os.close(self._replies)
        self._log.close()
        self._profile.cleanup()
