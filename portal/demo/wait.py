"""``python -m portal.demo.wait <url>``: wait (up to 30 s) until the demo server answers;
``make demo`` then sends what the seed recorded for the national portal."""

import sys
import time
import urllib.error
import urllib.request


def up(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as answer:  # noqa: S310  # nosec B310 # the demo server's own address from make demo
            return answer.status == 200
    except (urllib.error.URLError, OSError):
        return False


def main(url: str, seconds: float = 30.0) -> int:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if up(url):
            return 0
        time.sleep(0.3)
    print(f"{url} chưa trả lời sau {seconds:.0f} giây", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
