"""What the benchmarks that start gunicorn share: a free loopback port and waiting for it."""

import socket
import time
from pathlib import Path


def free_port() -> int:
    """A port on 127.0.0.1 nothing listens on (the benchmarks never leave loopback)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(port: int, log: Path, seconds: float = 60) -> None:
    """Until ``/healthz`` answers on ``port``; stops the benchmark, naming the log, if it does not."""
    from portal.demo.wait import up

    deadline = time.monotonic() + seconds
    while not up(f"http://127.0.0.1:{port}/healthz"):
        if time.monotonic() > deadline:
            raise SystemExit(f"gunicorn did not start: {log}")
        time.sleep(0.3)


def stop(*processes) -> None:
    """Stop what a benchmark started (gunicorn, a Celery worker): TERM, a minute to finish, then KILL."""
    import subprocess

    for process in processes:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
