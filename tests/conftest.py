"""Shared fixtures: real homes, real exports, real DuckDB files and real Prefect flow runs.

Prefect reads its settings at import, so its home is pointed at a private temporary folder here, before
any test imports prefect.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from followup.prefect_env import configure

_PREFECT_HOME = Path(tempfile.mkdtemp(prefix="followup-tests-prefect-"))
configure(_PREFECT_HOME)

ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2026, 11, 1)  # the demo corpus and every result test use this "today"


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """A real Prefect server with a temporary database, for in-process flow runs."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture
def home(tmp_path: Path):
    """A fresh, initialised followup home."""
    from followup.home import init_home

    h, _ = init_home(tmp_path / "home")
    return h


@pytest.fixture(scope="session")
def demo_corpus(tmp_path_factory: pytest.TempPathFactory):
    """The demo exports (small, seeded) and their ground truth, made once per session."""
    from followup.demo import generate

    base = tmp_path_factory.mktemp("demo")
    return generate(base / "inbox", base / "truth", seed=7, today=AS_OF, graduates=120)


@pytest.fixture
def demo_home(home, demo_corpus):
    """A home whose inbox holds copies of the demo exports."""
    for path in demo_corpus.inbox_files:
        (home.inbox / path.name).write_bytes(path.read_bytes())
    return home


def run_cli(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The installed `followup` command in a fresh process, as a user runs it."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "FOLLOWUP_"))}
    full_env.update({"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"})
    full_env.update(env or {})
    exe = Path(sys.executable).with_name("followup")
    return subprocess.run(
        [str(exe), *args], capture_output=True, text=True, env=full_env, cwd=cwd, timeout=600, check=False
    )
