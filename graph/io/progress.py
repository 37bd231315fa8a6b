"""Progress of a long job on a terminal: each phase with its count, rate and time left.

A :class:`Progress` shows phases (``read``, ``resolve``, ``RDF``, ``validate``, ``write``,
``store load`` for a build) with rich's live display on standard error, and says nothing at all
when standard error is not a terminal (a pipe, a log file, a test) or when it is turned off
(``kg build --quiet``). The build and the CLI call the same object either way, so that code
never asks whether anybody is watching.

Examples
--------
>>> import io
>>> progress = Progress(stream=io.StringIO())     # not a terminal: silent
>>> progress.enabled
False
>>> with progress.phase("resolve", total=3, unit="statements") as phase:
...     phase.advance(3)
>>> progress.elapsed["resolve"] >= 0
True
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

__all__ = ["Progress", "Phase"]


class Phase:
    """One running phase: call :meth:`advance` as work gets done (a no-op when silent)."""

    def __init__(self, progress: Progress, task) -> None:
        self._progress = progress
        self._task = task
        #: how much of the phase is done, in its unit
        self.done = 0

    def advance(self, amount: int = 1) -> None:
        """Count ``amount`` more units of work done."""
        self.done += amount
        if self._task is not None:
            self._progress._bar.update(self._task, advance=amount)

    def total(self, total: int | None) -> None:
        """Set (or correct) how many units the phase will take: the time left follows from it."""
        if self._task is not None:
            self._progress._bar.update(self._task, total=total)


class Progress:
    """Phases of a job shown on ``stream`` (standard error) when it is a terminal.

    Parameters
    ----------
    stream : file, optional
        Where to draw; ``sys.stderr`` by default.
    enabled : bool, optional
        Force the display on or off; by default it is on when ``stream.isatty()``.

    Attributes
    ----------
    elapsed : dict
        Seconds spent in each finished phase, by name, whether shown or not (benchmarks read it).
    counts : dict
        How many units each finished phase advanced, by name.
    """

    def __init__(self, stream: TextIO | None = None, *, enabled: bool | None = None) -> None:
        self.stream = sys.stderr if stream is None else stream
        isatty = getattr(self.stream, "isatty", None)
        self.enabled = bool(isatty and isatty()) if enabled is None else enabled
        self.elapsed: dict[str, float] = {}
        self.counts: dict[str, int] = {}
        self._bar = None
        self._console = None

    def __enter__(self) -> Progress:
        if self.enabled:
            self._start()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Stop drawing (the last state of every phase stays on screen)."""
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def echo(self, text: str) -> None:
        """Print a line above the live display (nothing when silent)."""
        if not self.enabled:
            return
        self._start()
        self._console.print(text, markup=False, highlight=False, soft_wrap=True)

    @contextmanager
    def phase(self, name: str, *, total: int | None = None, unit: str = "items") -> Iterator[Phase]:
        """Run one phase: shown while it runs, with ``total`` (if known) for the time left."""
        task = None
        if self.enabled:
            self._start()
            task = self._bar.add_task(name, total=total, unit=unit)
        phase = Phase(self, task)
        start = time.perf_counter()
        try:
            yield phase
        finally:
            self.elapsed[name] = self.elapsed.get(name, 0.0) + time.perf_counter() - start
            self.counts[name] = self.counts.get(name, 0) + phase.done
            if task is not None:
                # a finished phase shows full, even if its total was a guess
                self._bar.update(task, total=max(phase.done, 1), completed=max(phase.done, 1))

    def _start(self) -> None:
        if self._bar is not None:
            return
        from rich.console import Console
        from rich.progress import Progress as Bar

        self._console = Console(file=self.stream, force_terminal=self.enabled, soft_wrap=True)
        self._bar = Bar(*_columns(), console=self._console, transient=False)
        self._bar.start()


def _columns() -> tuple:
    """rich columns: phase, bar, percent, count and unit, rate, time left, time spent."""
    from rich.progress import (BarColumn, ProgressColumn, TaskProgressColumn, TextColumn,
                               TimeElapsedColumn, TimeRemainingColumn)
    from rich.text import Text

    class RateColumn(ProgressColumn):
        def render(self, task) -> Text:
            # a phase advanced once at its end has no running speed: use its mean once done
            speed = task.speed
            if task.finished and task.elapsed:
                speed = task.completed / task.elapsed
            if not speed:
                return Text("")
            rate = f"{speed:,.0f}" if speed >= 10 else f"{speed:.1f}"
            return Text(f"{rate}/s", no_wrap=True)

    return (TextColumn("{task.description:<10}"), BarColumn(bar_width=16), TaskProgressColumn(),
            TextColumn("{task.completed:>11,.0f} {task.fields[unit]}"), RateColumn(),
            TimeRemainingColumn(), TimeElapsedColumn())
