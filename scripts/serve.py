"""Serve Medtour with the background task worker beside it; Ctrl-C stops both cleanly.

Used by `make run`. The two children run in their own sessions so that Ctrl-C reaches only this
launcher, which then asks each child to stop (SIGTERM) and waits for it.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time

PYTHON = sys.executable


def main() -> int:
    address = sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:8000"
    children = [
        subprocess.Popen(
            [PYTHON, "manage.py", "db_worker", "--interval", "2"], start_new_session=True
        ),
        subprocess.Popen(
            [PYTHON, "manage.py", "runserver", "--noreload", address], start_new_session=True
        ),
    ]
    stopping = False

    def stop(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    while not stopping and all(child.poll() is None for child in children):
        time.sleep(0.5)
    for child in children:
        if child.poll() is None:
            child.terminate()
    for child in children:
        try:
            child.wait(timeout=15)
        except subprocess.TimeoutExpired:
            child.kill()
    print("Medtour stopped.")
    failed = [child.returncode for child in children if child.returncode not in (0, -15, None)]
    return 0 if stopping or not failed else 1


if __name__ == "__main__":
    sys.exit(main())
