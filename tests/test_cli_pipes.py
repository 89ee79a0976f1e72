"""Standard output read by a pipe that closes early (``notice-audit ... | head -1``): the run stops
quietly, as Unix tools do, with the status a shell gives a process SIGPIPE ended."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from notice_audit.app.cli import EXIT_BROKEN_PIPE

NOTICE = """Privacy notice

Lowmoor Borough Council is the data controller. We use your information to collect council tax.
"""


def run_with_reader_gone(*args: str, cwd: Path) -> tuple[int, str]:
    """Run the CLI with its standard output a pipe whose reading end is closed before it writes."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    proc = subprocess.Popen([sys.executable, "-m", "notice_audit", *args], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before the first line is written
    err = proc.stderr.read().decode()
    return proc.wait(timeout=120), err


@pytest.mark.parametrize("args", [
    ("checklists", "show", "uk-gdpr"),
    ("audit", "notices", "--format", "jsonl", "--output", "-", "--no-history", "--no-config"),
    ("audit", "notices", "--format", "json", "--no-history", "--no-config"),
    # written through /dev/stdout, the device the pipe is reached by (report.output writes into it)
    ("audit", "notices", "--format", "jsonl", "--output", "/dev/stdout", "--no-history", "--no-config"),
    ("audit", "notices", "--format", "json", "--output", "/dev/stdout", "--no-history", "--no-config"),
])
def test_a_closed_pipe_stops_the_run_quietly(tmp_path: Path, args: tuple[str, ...]) -> None:
    (tmp_path / "notices").mkdir()
    (tmp_path / "notices" / "lowmoor.txt").write_text(NOTICE)
    code, err = run_with_reader_gone(*args, cwd=tmp_path)
    assert code == EXIT_BROKEN_PIPE == 141
    assert err == ""
