"""A local SMS gateway for the tests (127.0.0.1, a free port): it answers as told —
200 with a message id, HTTP 500, or nothing for longer than the client waits — and
records what it received, keyed by the Idempotency-Key header, as a real gateway
that honours the key would. ``stop()`` cuts a slow answer short and returns once every
request has been answered: nothing it does outlives the test."""

import http.server
import json
import threading
from dataclasses import dataclass, field


@dataclass
class Gateway:
    mode: str = "ok"  # "ok", "error" (HTTP 500), "reject" (HTTP 400), "slow" (answers after ``delay``)
    delay: float = 2.0
    received: list = field(default_factory=list)  # every request body, in order
    accepted: dict = field(default_factory=dict)  # idempotency key → body (kept once)
    url: str = ""
    _server: object = None
    _thread: object = None
    _stopping: threading.Event = field(default_factory=threading.Event)

    def start(self) -> "Gateway":
        gateway = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length).decode("utf-8"))
                body["_key"] = self.headers.get("Idempotency-Key", "")
                body["_auth"] = self.headers.get("Authorization", "")
                gateway.received.append(body)
                if gateway.mode == "slow":
                    # Took the message, slow to answer: the sender cannot tell whether it went.
                    gateway.accepted.setdefault(body["_key"], body)
                    gateway._stopping.wait(gateway.delay)
                if gateway.mode in ("error", "reject"):
                    self.send_response(500 if gateway.mode == "error" else 400)
                    self.end_headers()
                    self.wfile.write(b"gateway error")
                    return
                gateway.accepted.setdefault(body["_key"], body)
                answer = json.dumps({"id": f"msg-{len(gateway.accepted)}"}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = False  # server_close() waits for the requests being answered
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/send"
        self._thread = threading.Thread(target=self._server.serve_forever, name="sms-gateway", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)
        assert not self._thread.is_alive(), "the SMS gateway did not stop"
