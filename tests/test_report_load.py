"""Saved JSON and JSON Lines reports load back into the same report (so any format can be rendered later)."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from notice_audit.auditor import audit_targets
from notice_audit.formats import json as json_format
from notice_audit.formats import jsonl
from notice_audit.formats.load import ReportError, load_report
from notice_audit.model import AuditReport, SkippedTarget
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


# -- JSON Lines (the format for large runs) loads into the same report ------------------------------------


@pytest.fixture
def audited(tmp_path: Path) -> AuditReport:
    src = tmp_path / "parking.txt"
    src.write_text(NOTICE)
    return audit_targets([str(src), str(tmp_path / "gone.txt")], load_checklist("uk-gdpr"))


def test_a_json_lines_report_loads_into_the_report_the_json_gives(audited: AuditReport, tmp_path: Path) -> None:
    as_json, as_lines = tmp_path / "r.json", tmp_path / "r.jsonl"
    as_json.write_text(json_format.render(audited))
    as_lines.write_text(jsonl.render(audited))
    loaded = load_report(as_lines)
    assert loaded == load_report(as_json)
    assert loaded.errors and loaded.notices[0].items  # both kinds of line were read
    sniffed = tmp_path / "r.txt"  # named otherwise, known by its first line
    sniffed.write_text(jsonl.render(audited))
    assert load_report(sniffed) == loaded


@pytest.mark.parametrize("render", [json_format.render, jsonl.render], ids=["json", "jsonl"])
def test_pages_robots_txt_skipped_survive_a_reload(audited: AuditReport, tmp_path: Path,
                                                  render: Callable[[AuditReport], str]) -> None:
    """A crawl's skipped pages are part of the report: re-rendering it (``notice-audit report``) keeps them."""
    skipped = (SkippedTarget("https://lowmoor.example/staff/privacy", "disallowed by robots.txt"),)
    report = dataclasses.replace(audited, skipped=skipped)
    saved = tmp_path / "crawl.out"
    saved.write_text(render(report))
    loaded = load_report(saved)
    assert loaded.skipped == skipped
    assert loaded.summary["skipped"] == 1


def _lines(report: AuditReport) -> list[str]:
    return jsonl.render(report).splitlines(keepends=True)


@pytest.mark.parametrize(("damage", "message"), [
    (lambda ls: ls[:-1], r"line 4: the file ends without its 'summary' line \(truncated\?\)"),
    (lambda ls: [*ls[:-2], ls[-2][:40]], r"line 3: not JSON \(truncated\?\)"),
    (lambda ls: [ls[0], "{oops\n", *ls[1:]], r"line 2: not JSON"),
    (lambda ls: ls[1:], r"line 1: a 'notice' record before the 'run' line"),
    (lambda ls: [*ls, ls[1]], r"line 5: a 'notice' record after the summary line"),
    (lambda ls: [ls[0], ls[0], *ls[1:]], r"line 2: a second 'run' record"),
    (lambda ls: [ls[0], '{"type": "footnote"}\n', *ls[1:]], r"line 2: unknown record type 'footnote'"),
    (lambda ls: [ls[0], "[1, 2]\n", *ls[1:]], r"line 2: not a notice-audit record"),
    (lambda ls: [ls[0], ls[1].replace('"score":', '"score":"high","was":'), *ls[2:]],
     r"line 2: not a notice-audit report: /notices/0/score: 'high' is not of type 'number'"),
    (lambda ls: [ls[0], ls[1], ls[2].replace('"target":', '"where":'), ls[3]], r"line 3: not a notice-audit report"),
    (lambda ls: [ls[0].replace('"tool":', '"tools":'), *ls[1:]], r"line 1: not a notice-audit report: .*'tool'"),
])
def test_a_damaged_json_lines_report_is_refused_naming_file_and_line(
        audited: AuditReport, tmp_path: Path, damage: Callable[[list[str]], list[str]], message: str) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text("".join(damage(_lines(audited))))
    with pytest.raises(ReportError, match=rf"^{re.escape(str(bad))}: {message}"):
        load_report(bad)
