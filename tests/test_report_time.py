"""``SOURCE_DATE_EPOCH`` fixes a report's time, so that a run can be repeated byte for byte (the
reproducible-builds convention; ``benchmarks/golden.py`` relies on it to compare outputs across commits)."""

from __future__ import annotations

from pathlib import Path

import pytest

from notice_audit.app.cli import main

NOTICE = "Privacy notice\n\nLowmoor Borough Council is the data controller. We keep records for six years.\n"


def test_the_same_run_twice_gives_the_same_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "lowmoor.txt").write_text(NOTICE)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    outputs = []
    for k in range(2):
        out = tmp_path / f"run-{k}.json"
        assert main(["audit", str(tmp_path / "lowmoor.txt"), "--no-history", "--output", str(out)]) in (0, 1)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert b'"generated_at": "2026-01-01T00:00:00+00:00"' in outputs[0]
    capsys.readouterr()


def test_a_bad_source_date_epoch_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "lowmoor.txt").write_text(NOTICE)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    out = tmp_path / "r.json"
    assert main(["audit", str(tmp_path / "lowmoor.txt"), "--no-history", "--output", str(out)]) == 2
    assert "SOURCE_DATE_EPOCH='yesterday' is not a whole number" in capsys.readouterr().err
    assert not out.exists()
