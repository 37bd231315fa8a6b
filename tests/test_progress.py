"""Progress shows each phase with its count on a terminal, and nothing anywhere else."""

from __future__ import annotations

import io
import re

from graph.io.progress import Progress


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _text(stream: io.StringIO) -> str:
    return re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]", "", stream.getvalue())


def test_a_terminal_sees_each_phase_with_its_count_and_rate():
    stream = FakeTerminal()
    with Progress(stream) as progress:
        progress.echo("  ftm        companies.ftm.json: 12 entities")
        with progress.phase("read", total=2, unit="files") as phase:
            phase.advance(2)
        with progress.phase("validate", unit="quads") as phase:
            phase.total(1500)
            phase.advance(1500)
    text = _text(stream)
    assert "companies.ftm.json: 12 entities" in text
    assert re.search(r"read .* 100% .* 2 files", text), text
    assert re.search(r"validate .* 100% .* 1,500 quads [0-9,.]+/s", text), text


def test_a_pipe_and_quiet_see_nothing_but_phases_are_still_timed():
    for progress in (Progress(io.StringIO()), Progress(FakeTerminal(), enabled=False)):
        with progress:
            progress.echo("a line")
            with progress.phase("resolve", total=10, unit="statements") as phase:
                phase.advance(10)
        assert progress.stream.getvalue() == ""
        assert progress.counts == {"resolve": 10}
        assert progress.elapsed["resolve"] >= 0
