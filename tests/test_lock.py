"""One writer per home (issue 15, point 4): the home lock is taken before Prefect or DuckDB start; a second
writer waits or exits 3 saying who holds it, without a traceback; a killed holder never blocks."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import run_cli

from followup.lock import LOCK_FILE, HomeBusy, holder, home_lock

HOLD = """
import sys, time
from pathlib import Path
from followup.lock import home_lock
with home_lock(Path(sys.argv[1]), "a test holder"):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def _holding(home: Path, seconds: float) -> subprocess.Popen[str]:
    """Another process holding the home's lock for `seconds`."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(home), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


@pytest.fixture
def home_dir(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    assert run_cli("init", str(home)).returncode == 0
    return home


def test_a_second_writer_exits_3_saying_who_holds_the_home(home_dir: Path) -> None:
    proc = _holding(home_dir, 60)
    try:
        for command in (["run"], ["forget", "abcdef12", "--yes"], ["export", "--format", "csv"]):
            done = run_cli(*command, "--home", str(home_dir))
            assert done.returncode == 3, (command, done.stdout, done.stderr)
            message = " ".join(done.stderr.split())
            assert f"another run of this home is in progress (pid {proc.pid}, since " in message, message
            assert "Traceback" not in done.stderr and "--wait" in message
        assert not (home_dir / ".prefect").exists()  # Prefect never started
    finally:
        proc.kill()
        proc.wait()


def test_a_second_run_waits_for_the_first(home_dir: Path) -> None:
    proc = _holding(home_dir, 3)
    started = time.monotonic()
    done = run_cli("run", "--home", str(home_dir), "--wait", "60")
    assert done.returncode == 0, done.stdout + done.stderr
    assert time.monotonic() - started >= 2  # it waited
    proc.wait()


def test_a_killed_holder_never_blocks(home_dir: Path) -> None:
    proc = _holding(home_dir, 600)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert (home_dir / LOCK_FILE).exists() and holder(home_dir)["pid"] == proc.pid  # its note is left behind
    with home_lock(home_dir, "the next run"):
        assert holder(home_dir)["pid"] == os.getpid()


def test_the_lock_is_held_again_within_one_process_and_released_by_the_last(tmp_path: Path) -> None:
    with home_lock(tmp_path, "followup run"):
        with home_lock(tmp_path, "the flow run"):  # (a `followup run` starting its flow in-process)
            pass
        check = subprocess.run(
            [sys.executable, "-c", HOLD, str(tmp_path), "0"], capture_output=True, text=True, timeout=60, check=False
        )
        assert check.returncode != 0 and "HomeBusy" in check.stderr  # still held after the inner block
    proc = _holding(tmp_path, 0)  # released after the outer one
    proc.wait()


def test_waiting_gives_up_after_the_time_given(tmp_path: Path) -> None:
    proc = _holding(tmp_path, 60)
    try:
        started = time.monotonic()
        with pytest.raises(HomeBusy, match=r"waited 1\.5 s"), home_lock(tmp_path, "a run", wait=1.5):
            pass
        assert 1.4 <= time.monotonic() - started < 10
    finally:
        proc.kill()
        proc.wait()
