"""The `followup` command: a thin layer over the library (see `followup --help`).

One module per group of commands; importing them registers their commands on `app`, in the order
`followup --help` lists them.
"""

# ruff: noqa: I001  (the import order below is the order of the commands in `followup --help`)
from followup.cli.common import app
from followup.cli import running, people, definitions, research  # noqa: F401  (registers the commands)

__all__ = ["app"]
