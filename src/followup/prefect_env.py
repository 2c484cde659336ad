"""Prefect, offline and private: its home and database inside the followup home, nothing sent out.

Prefect reads its settings when it is first imported, so `configure` must run before any
`import prefect` in the process (the CLI calls it first thing; tests call it in conftest).
"""

from __future__ import annotations

import os
from pathlib import Path


def configure(prefect_home: Path, api_url: str = "", console_level: str = "WARNING") -> dict[str, str]:
    """Set the PREFECT_* variables for this process and its children; returns what was set."""
    values = {
        "PREFECT_HOME": str(prefect_home),
        "PREFECT_PROFILES_PATH": str(prefect_home / "profiles.toml"),
        # No usage analytics or telemetry leave the machine.
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        # Task results would hold rows of answers: never write them to disk.
        "PREFECT_RESULTS_PERSIST_BY_DEFAULT": "false",
        # The temporary local server needs no UI; its first start creates its database (slow on CI).
        "PREFECT_UI_ENABLED": "false",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
        "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL": console_level,
        # Prefect's task queue (pydocket) imports py-key-value-aio, which type-checks itself with beartype and
        # prints a long, harmless "BeartypeClawDecorWarning" traceback to stderr: it alarms whoever reads the
        # nightly log. Its own switch turns that checking off.
        "PY_KEY_VALUE_DISABLE_BEARTYPE": "true",
    }
    if api_url:
        values["PREFECT_API_URL"] = api_url
        values["PREFECT_SERVER_EPHEMERAL_ENABLED"] = "false"
    else:
        os.environ.pop("PREFECT_API_URL", None)
        values["PREFECT_SERVER_EPHEMERAL_ENABLED"] = "true"
    prefect_home.mkdir(parents=True, exist_ok=True)
    os.environ.update(values)
    return values
