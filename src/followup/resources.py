"""Where the shipped data files live: instrument schemas, the indicator menu and warehouse SQL.

followup is installed from its source tree (`pip install -e .`), so the shipped `schemas/` and
`warehouse/` folders are found beside `src/`.
"""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _shipped(name: str) -> Path:
    path = PROJECT_ROOT / name
    if not path.is_dir():
        raise FileNotFoundError(
            f"followup cannot find its shipped folder {path}. Install followup from its source tree "
            "with `pip install -e .` (see README.md)."
        )
    return path


def schemas_dir() -> Path:
    return _shipped("schemas")


def warehouse_dir() -> Path:
    return _shipped("warehouse")
