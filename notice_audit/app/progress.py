"""Crawl progress: a live bar on a terminal, a few quiet lines in CI logs."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

#: In a log, at most one line per this many seconds (and one at the end).
QUIET_INTERVAL = 5.0


@contextmanager
def crawl_progress(stream: TextIO) -> Iterator[Callable[[int, int, int], None]]:
    """Yield ``update(found, fetched, failed)``; draws a bar when ``stream`` is a terminal."""
    if stream.isatty():
        console = Console(file=stream)
        columns = (TextColumn("[bold]crawl[/]"), BarColumn(), TextColumn("{task.description}"),
                   TimeElapsedColumn())
        with Progress(*columns, console=console, transient=False) as bar:
            task = bar.add_task("starting", total=None)

            def update(found: int, fetched: int, failed: int) -> None:
                bar.update(task, total=found, completed=fetched + failed,
                           description=f"{found} found · {fetched} fetched · {failed} failed")

            yield update
        return
    written_at = [0.0]
    counts = [(0, 0, 0)]

    def quiet(found: int, fetched: int, failed: int) -> None:
        counts[0] = (found, fetched, failed)
        now = time.monotonic()
        if now - written_at[0] >= QUIET_INTERVAL:
            written_at[0] = now
            stream.write(f"crawl: {found} found, {fetched} fetched, {failed} failed\n")

    yield quiet
    found, fetched, failed = counts[0]
    stream.write(f"crawl: done: {found} found, {fetched} fetched, {failed} failed\n")
