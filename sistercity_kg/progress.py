"""A progress bar on stderr for long runs (rich), quiet when stderr is not a terminal or the run is short."""
from __future__ import annotations

import sys
from typing import Iterable, Iterator, TypeVar

T = TypeVar("T")
MIN_ITEMS = 200  # shorter runs finish before a bar is worth drawing


def track(items: Iterable[T], label: str, total: int | None = None) -> Iterator[T]:
    items = list(items) if total is None else items
    total = len(items) if total is None else total
    if total < MIN_ITEMS or not sys.stderr.isatty():
        yield from items
        return
    from rich.console import Console
    from rich.progress import track as rich_track

    yield from rich_track(items, description=label, total=total, console=Console(stderr=True), transient=True)
