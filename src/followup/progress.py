"""Progress events from the run's stages to whoever shows them (the CLI's progress bar).

A plain in-process hook, not a flow parameter: nothing here reaches Prefect's database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class Event:
    stage: str
    file: str | None = None
    total: int | None = None  # set once, when the number of files is known


_listeners: list[Callable[[Event], None]] = []


def emit(stage: str, file: str | None = None, total: int | None = None) -> None:
    for listener in list(_listeners):
        listener(Event(stage, file, total))


@contextmanager
def listening(listener: Callable[[Event], None]) -> Iterator[None]:
    _listeners.append(listener)
    try:
        yield
    finally:
        _listeners.remove(listener)
