"""One writer per home: the home lock, taken before Prefect or DuckDB start by everything that writes the
warehouse, the vault or the inbox (`followup run`, `forget`, `review --accept/--split`, `export`, a flow run).

The lock is a POSIX record lock (fcntl) on `<home>/.lock`: the operating system releases it when the process
ends, however it ends (a crash, `kill -9`, a power cut), so a stale lock never blocks. While held, the file
says who holds it (pid, host, since), for the message a second writer gets. Researchers read the published
snapshot and never take it. fcntl locks also hold on NFS (v4, or v3 with lockd) and on SMB/CIFS mounts with
the default `nobrl` off; on a share without locking, run one machine's followup against a home at a time.

A process may take the lock again while it holds it (a `followup run` that starts the flow in-process): the
lock counts its holders and is released when the last lets go.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_FILE = ".lock"
_held: dict[Path, tuple[int, int]] = {}  # lock file -> (open fd, holders in this process)


class HomeBusy(Exception):
    """Another process holds the home's lock; the message says who and since when, and what to do."""


def holder(home: Path) -> dict[str, object] | None:
    """Who holds (or last held) the home's lock, as its file says: pid, host, since; None if never taken."""
    try:
        return dict(json.loads((home / LOCK_FILE).read_text(encoding="utf-8") or "null") or {}) or None
    except (OSError, ValueError):
        return None


def _try(fd: int) -> bool:
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _busy(home: Path, what: str, waited: float) -> HomeBusy:
    who = holder(home) or {}
    since = str(who.get("since", "an unknown time"))
    where = f" on {who['host']}" if who.get("host") and who.get("host") != socket.gethostname() else ""
    after = f" (waited {waited:g} s)" if waited else ""
    return HomeBusy(
        f"another run of this home is in progress (pid {who.get('pid', '?')}{where}, since {since}){after}, so "
        f"{what} did not start. Try again when it has finished, or pass --wait SECONDS to wait for it."
    )


@contextmanager
def home_lock(home: Path, what: str = "this command", wait: float = 0.0) -> Iterator[None]:
    """Hold the home's lock for the block: at once, or after up to `wait` seconds, else HomeBusy."""
    path = (home / LOCK_FILE).resolve()
    if path in _held:  # this process holds it already
        fd, count = _held[path]
        _held[path] = (fd, count + 1)
    else:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + wait
        while not _try(fd):
            if time.monotonic() >= deadline:
                os.close(fd)
                raise _busy(home, what, wait)
            time.sleep(min(1.0, max(0.05, deadline - time.monotonic())))
        since = dt.datetime.now().astimezone().isoformat(timespec="seconds")
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "since": since}).encode(), 0)
        _held[path] = (fd, 1)
    try:
        yield
    finally:
        fd, count = _held[path]
        if count > 1:
            _held[path] = (fd, count - 1)
        else:
            del _held[path]
            os.close(fd)  # (closing releases the lock; the file keeps saying who held it last)
