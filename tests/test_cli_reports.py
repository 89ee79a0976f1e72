"""The report verbs end to end: compare, diff and report read saved JSON reports and never re-audit."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import socket
from pathlib import Path

import pytest

from notice_audit.app.cli import main
from notice_audit.formats import json as json_format
from notice_audit.formats import markdown
from notice_audit.formats.load import load_report
from notice_audit.formats.registry import FORMATS
from notice_audit.model import AuditReport

try:
    from tests.report_fixtures import GOOD_SOURCE, sample_report
except ImportError:  # tests/ is not a package: pytest puts it on sys.path
    from report_fixtures import GOOD_SOURCE, sample_report


EMPTY_EXTRACTED = {"lawful_bases": [], "special_category_conditions": [], "statutes": [], "rights": [],
                   "recipients": [], "contacts": {"emails": [], "phones": [], "postcodes": [], "urls": []},
                   "retention": []}


def schema_valid(report: AuditReport) -> AuditReport:
    """The shared sample report made schema-valid (every extracted key; phones as digits) so it can be saved."""
    notices = []
    for n in report.notices:
        extracted = {**EMPTY_EXTRACTED, **n.extracted}
        contacts = dict(extracted["contacts"])
        contacts["phones"] = ["".join(ch for ch in p if ch.isdigit()) for p in contacts.get("phones", [])]
        notices.append(dataclasses.replace(n, extracted={**extracted, "contacts": contacts}))
    return dataclasses.replace(report, notices=tuple(notices))


def save(path: Path, report: AuditReport) -> Path:
    path.write_text(json_format.render(schema_valid(report)), encoding="utf-8")
    return path


def regressed_copy(report: AuditReport) -> AuditReport:
    """The sample report with the passing notice's recipients item now missing."""
    good, *rest = report.notices
    items = tuple(dataclasses.replace(i, status="missing", evidence=()) if i.id == "recipients" else i
                  for i in good.items)
    return dataclasses.replace(report, generated_at="2024-06-01T12:00:00Z",
                               notices=(dataclasses.replace(good, items=items, score=60.0), *rest))


@pytest.fixture
def old(tmp_path: Path) -> Path:
    return save(tmp_path / "old.json", sample_report())


@pytest.fixture
def new(tmp_path: Path) -> Path:
    return save(tmp_path / "new.json", regressed_copy(sample_report()))


def one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert err.startswith("notice-audit: error: ") and err.count("\n") == 1, err
    return err


# ---------------------------------------------------------------- diff


def test_diff_exit_1_on_regression_with_markdown_on_stdout(old: Path, new: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(old), str(new)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("❌ **1 regression** in 1 notice")
    assert "**regressed** `recipients` Recipients: ✅ met → ❌ missing" in out
    assert "We also share with schools." in out  # the evidence that disappeared


def test_diff_exit_0_without_regression(old: Path, new: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(old), str(old)]) == 0
    assert capsys.readouterr().out.startswith("✅ **No regressions**")
    assert main(["diff", str(new), str(old)]) == 0  # the reverse is an improvement
    assert "1 improvement" in capsys.readouterr().out


def test_diff_json_to_a_file(old: Path, new: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "diff.json"
    assert main(["diff", str(old), str(new), "--output", str(out)]) == 1  # format guessed from .json
    data = json.loads(out.read_text())
    assert data["regressed"] is True and data["summary"]["regressions"] == 1
    assert data["notices"][0]["source"] == GOOD_SOURCE
    assert capsys.readouterr().out == ""


def test_diff_removed_notice_and_allow_removed(old: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = sample_report()
    fewer = save(tmp_path / "fewer.json", dataclasses.replace(report, notices=report.notices[:1]))
    assert main(["diff", str(old), str(fewer), "--format", "json"]) == 1
    assert [n["source"] for n in json.loads(capsys.readouterr().out)["removed"]] == ["notices/bad | notice.html"]
    assert main(["diff", str(old), str(fewer), "--allow-removed"]) == 0
    assert "### Removed notices (allowed" in capsys.readouterr().out


def test_diff_exit_2_for_bad_input(old: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(old), str(tmp_path / "absent.json")]) == 2
    assert "absent.json: cannot read" in one_line_error(capsys)
    bogus = tmp_path / "bogus.json"
    bogus.write_text('{"not": "a report"}')
    assert main(["diff", str(bogus), str(old)]) == 2
    assert "bogus.json: not a notice-audit report" in one_line_error(capsys)
    with pytest.raises(SystemExit) as exc:
        main(["diff", str(old)])
    assert exc.value.code == 2


# ---------------------------------------------------------------- compare


def test_compare_html_to_a_file(old: Path, new: Path, tmp_path: Path) -> None:
    out = tmp_path / "cmp.html"
    assert main(["compare", str(old), str(new), "--output", str(out)]) == 0
    html = out.read_text()
    assert html.startswith("<!doctype html>") and "<svg" in html
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "2 reports · 2 notices" in text  # the same sources: the newer report wins
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left


def test_compare_format_from_extension_and_stdout(old: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "cmp.csv"
    assert main(["compare", str(old), "--output", str(out)]) == 0
    rows = list(csv.reader(io.StringIO(out.read_text())))
    assert rows[0][0] == "rank" and len(rows) == 3
    assert main(["compare", str(old), "--format", "markdown", "--output", "-"]) == 0
    assert capsys.readouterr().out.startswith("# Privacy notice comparison")
    assert main(["compare", str(old)]) == 0
    assert capsys.readouterr().out.startswith("<!doctype html>")


def test_compare_exit_2_and_nothing_written_for_bad_input(old: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "cmp.html"
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    assert main(["compare", str(old), str(bad), "--output", str(out)]) == 2
    assert "bad.json: not a JSON report" in one_line_error(capsys)
    assert not out.exists()
    assert main(["compare", str(old), "--output", str(tmp_path)]) == 2
    assert "is a folder" in one_line_error(capsys)
    sock = tmp_path / "sock"
    with socket.socket(socket.AF_UNIX) as listening:
        listening.bind(str(sock))  # neither a file to replace nor a stream to write into
        assert main(["compare", str(old), "--output", str(sock)]) == 2
    assert f"{sock}: is a socket" in one_line_error(capsys)
    assert sock.is_socket()
    with pytest.raises(SystemExit) as exc:
        main(["compare", str(old), "--format", "pdf"])
    assert exc.value.code == 2


# ---------------------------------------------------------------- report


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_report_renders_every_format_without_reauditing(old: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"out.{fmt}"
    assert main(["report", str(old), "--format", fmt, "--output", str(out)]) == 0
    assert out.read_bytes().decode("utf-8") == FORMATS[fmt].render(load_report(old))


def test_report_guesses_format_from_extension_and_round_trips_json(old: Path, tmp_path: Path) -> None:
    md = tmp_path / "r.md"
    assert main(["report", str(old), "--output", str(md)]) == 0
    assert md.read_text() == markdown.render(schema_valid(sample_report()))
    js = tmp_path / "r.json"
    assert main(["report", str(old), "--output", str(js)]) == 0
    assert json.loads(js.read_text()) == json.loads(old.read_text())


def test_report_exit_0_even_for_a_failing_report_and_2_for_bad_input(old: Path, tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(old), "--format", "markdown"]) == 0  # a re-render, not a gate
    capsys.readouterr()
    assert main(["report", str(tmp_path / "none.json")]) == 2
    assert "none.json: cannot read" in one_line_error(capsys)
    with pytest.raises(SystemExit) as exc:
        main(["report", str(old), "--format", "nope"])
    assert exc.value.code == 2


# ---------------------------------------------------------------- JSON Lines read back


@pytest.fixture
def audited_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Path:
    """One audit of a folder (two notices, a target that fails) written as JSON and JSON Lines at once."""
    from tests.test_cli import GOOD, POOR

    (tmp_path / "notices").mkdir()
    (tmp_path / "notices" / "tenancy.html").write_text(GOOD)
    (tmp_path / "notices" / "garden.txt").write_text(POOR)
    (tmp_path / "notice-audit.toml").write_text(
        'outputs = [{format = "json", path = "run.json"}, {format = "jsonl", path = "run.jsonl"}]\n')
    monkeypatch.chdir(tmp_path)
    assert main(["audit", "notices", "notices/gone.html"]) == 1
    capsys.readouterr()
    return tmp_path


def _view(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    return code, capsys.readouterr().out


@pytest.mark.parametrize("view", [
    ["report", "{r}", "--format", "markdown"], ["report", "{r}", "--format", "json"],
    ["report", "{r}", "--format", "csv"], ["compare", "{r}", "--format", "csv"],
    ["compare", "{r}", "--format", "markdown"], ["diff", "{r}", "{r}", "--format", "json"],
    ["diff", "run.json", "{r}", "--format", "markdown"],
])
def test_report_compare_and_diff_read_json_lines_as_they_read_json(audited_folder: Path, view: list[str],
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    code, from_json = _view(capsys, *[a.format(r="run.json") for a in view])
    assert code == 0 and from_json
    assert _view(capsys, *[a.format(r="run.jsonl") for a in view]) == (code, from_json)
    assert capsys.readouterr().err == ""


def test_a_streamed_json_lines_run_loads_as_the_json_of_the_same_audit(audited_folder: Path) -> None:
    """A JSON Lines run on its own is streamed (a different writer); it loads into the same report."""
    assert main(["audit", "notices", "notices/gone.html", "--no-config", "--output", "streamed.jsonl"]) == 1
    streamed, whole = load_report("streamed.jsonl"), load_report("run.json")
    assert len(streamed.notices) == 2 and len(streamed.errors) == 1
    assert dataclasses.replace(streamed, generated_at=whole.generated_at) == whole


def test_a_truncated_json_lines_report_is_exit_2_naming_file_and_line(audited_folder: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    lines = (audited_folder / "run.jsonl").read_text().splitlines(keepends=True)
    (audited_folder / "cut.jsonl").write_text("".join(lines[:2]) + lines[2][: len(lines[2]) // 2])
    for args in (["report", "cut.jsonl"], ["compare", "run.json", "cut.jsonl"], ["diff", "run.jsonl", "cut.jsonl"]):
        assert main([*args, "--output", "out.md"]) == 2
        assert "cut.jsonl: line 3: not JSON (truncated?)" in one_line_error(capsys)
        assert not (audited_folder / "out.md").exists()
