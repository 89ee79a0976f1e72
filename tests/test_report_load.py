"""Saved JSON reports load back into the same report (so any format can be rendered later)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from notice_audit.audit import audit_targets
from notice_audit.report import json as json_format
from notice_audit.report.load import ReportError, load_report
from notice_audit.rules.checklist import load_checklist

NOTICE = """Lowmoor parking privacy notice

Lowmoor Borough Council is the data controller for parking permits.

We keep permit records for two years after the permit ends.

You can ask for a copy of your information.
"""


def test_round_trip_is_lossless(tmp_path: Path) -> None:
    src = tmp_path / "parking.txt"
    src.write_text(NOTICE)
    report = audit_targets([str(src), str(tmp_path / "gone.txt")], load_checklist("uk-gdpr"))
    saved = tmp_path / "r.json"
    saved.write_text(json_format.render(report))
    loaded = load_report(saved)
    assert json_format.render(loaded) == json_format.render(report)
    evidence = next(e for i in loaded.notices[0].items for e in i.evidence)
    assert evidence.locator.source == str(src) and evidence.locator.line is not None


def test_bad_files_are_named(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="cannot read"):
        load_report(tmp_path / "none.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(ReportError, match=r"bad\.json: not a JSON report"):
        load_report(bad)
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"hello": 1}))
    with pytest.raises(ReportError, match="not a notice-audit report"):
        load_report(other)
