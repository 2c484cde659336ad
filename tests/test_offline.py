"""A run needs no network: with every non-loopback connection and name lookup refused, it completes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import AS_OF, ROOT, run_cli

pytestmark = pytest.mark.slow
GUARD = str(ROOT / "tests" / "offline")


def test_the_guard_blocks_the_network(tmp_path: Path) -> None:
    log = tmp_path / "net.log"
    probe = subprocess.run(
        [sys.executable, "-c", "import socket; socket.create_connection(('93.184.216.34', 443), timeout=5)"],
        env={"PYTHONPATH": GUARD, "NET_GUARD_LOG": str(log)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert probe.returncode != 0 and "unreachable" in probe.stderr
    assert "connect 93.184.216.34" in log.read_text()


def test_a_run_completes_with_the_network_unreachable(tmp_path: Path, demo_corpus) -> None:
    log = tmp_path / "net.log"
    env = {"PYTHONPATH": GUARD, "NET_GUARD_LOG": str(log)}
    home = tmp_path / "home"
    assert run_cli("init", str(home), env=env).returncode == 0
    for path in demo_corpus.inbox_files:
        (home / "inbox" / path.name).write_bytes(path.read_bytes())
    done = run_cli("run", "--home", str(home), "--as-of", AS_OF.isoformat(), env=env)
    assert done.returncode == 0, done.stderr
    assert f"loaded {len(demo_corpus.inbox_files)}, rejected 0" in done.stdout
    assert not log.exists() or log.read_text() == "", f"something tried the network:\n{log.read_text()}"
