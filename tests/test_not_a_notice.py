"""A target that is not a notice, end to end: its status and reasons in every report format, the gate with and
without --fail-on-non-notice (flag, config file, environment), and saved reports that round-trip it."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest

from notice_audit.app.cli import build_parser, main
from notice_audit.audit import assess
from notice_audit.auditor import make_report
from notice_audit.formats import csv as csv_format
from notice_audit.formats import github, html, jsonl, junit, sarif
from notice_audit.formats import json as json_format
from notice_audit.formats.json import validation_errors
from notice_audit.formats.load import load_report
from notice_audit.gate import GatePolicy, apply_gate
from notice_audit.model import NOT_A_NOTICE, AuditReport, NoticeReport, Page
from notice_audit.parse import parse_page
from notice_audit.rules.checklist import load_checklist
from tests.test_cli import GOOD
from tests.test_screen import EXPLAINER, INDEX

INDEX_SOURCE = "site/privacy/index.html"
REASON = ("it is a page of links: 4 of its 5 paragraph or list items are links, with 7 words of its own outside "
          "them, and it says nothing of what the organisation itself does with personal data")


def _report(*, fail: bool = False) -> AuditReport:
    """A notice and a page of links, audited, then judged under a gate that fails targets that are not notices
    or not."""
    checklist = load_checklist("uk-gdpr")
    pages = [Page("site/privacy/tenancy.html", "site/privacy/tenancy.html", GOOD.encode(), "text/html"),
             Page(INDEX_SOURCE, INDEX_SOURCE, INDEX.encode(), "text/html")]
    notices = [assess(parse_page(page), checklist, as_of=date(2026, 1, 1)) for page in pages]
    return apply_gate(make_report(checklist, notices), GatePolicy(fail_on_non_notice=fail, today=date(2026, 1, 1)))


def _other(report: AuditReport) -> NoticeReport:
    return next(n for n in report.notices if not n.is_notice)


def test_json_says_status_and_counts_not_notices_apart() -> None:
    data = json.loads(json_format.render(_report()))
    assert validation_errors(data) == []
    statuses = {n["source"]: n["status"] for n in data["notices"]}
    assert statuses[INDEX_SOURCE] == "not_a_notice" and set(statuses.values()) == {"notice", "not_a_notice"}
    other = next(n for n in data["notices"] if n["source"] == INDEX_SOURCE)
    assert other["warnings"] == [NOT_A_NOTICE + REASON] and other["passed"] is True
    summary = data["summary"]
    assert summary["notices"] == len(data["notices"]) and summary["not_notices"] == 1
    notices = [n["score"] for n in data["notices"] if n["status"] == "notice"]
    assert summary["mean_score"] == round(sum(notices) / len(notices), 1)


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_saved_reports_round_trip_the_status(fmt: str, tmp_path: Path) -> None:
    report = _report(fail=True)
    path = tmp_path / f"report.{fmt}"
    path.write_text(json_format.render(report) if fmt == "json" else jsonl.render(report))
    loaded = load_report(path)
    assert [n.status for n in loaded.notices] == [n.status for n in report.notices]
    assert _other(loaded).status_reasons == (REASON,) and not _other(loaded).passed
    assert loaded.gate is not None and loaded.gate.fail_on_non_notice
    assert loaded.summary == report.summary


def test_a_report_written_before_screening_loads_every_target_as_a_notice(tmp_path: Path) -> None:
    data = json.loads(json_format.render(_report()))
    for notice in data["notices"]:
        del notice["status"]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(data))
    assert {n.status for n in load_report(path).notices} == {"notice"}


def test_html_shows_the_status_on_the_notice_and_in_the_summary() -> None:
    page = html.render(_report())
    assert "Not notices</dt><dd>1</dd>" in page
    assert '<span class="not-a-notice">not a notice</span>' in page  # the summary table's row
    assert "<strong>Not a notice</strong> (see the warning above)" in page
    assert "Warning: " + NOT_A_NOTICE + REASON in page
    only_notices = dataclasses.replace(_report(), notices=_report().notices[:1])
    assert "Not notices</dt>" not in html.render(only_notices) and "not-a-notice" not in html.render(only_notices)


def test_csv_has_a_status_and_warnings_column() -> None:
    rows = list(csv.DictReader(io.StringIO(csv_format.render(_report()))))
    other = [r for r in rows if r["source"] == INDEX_SOURCE]
    assert other and {r["notice_status"] for r in other} == {"not_a_notice"}
    assert {r["warnings"] for r in other} == {NOT_A_NOTICE + REASON}
    assert {r["notice_status"] for r in rows if r["source"] != INDEX_SOURCE} == {"notice"}


@pytest.mark.parametrize(("fail", "level"), [(False, "warning"), (True, "error")])
def test_sarif_gives_one_result_for_the_target_instead_of_its_items(fail: bool, level: str) -> None:
    run = sarif.sarif_log(_report(fail=fail))["runs"][0]
    mine = [r for r in run["results"] if r["properties"]["notice"] == INDEX_SOURCE]
    assert [r["ruleId"] for r in mine] == [sarif.NOT_A_NOTICE_RULE]
    assert mine[0]["level"] == level and REASON[:1].upper() + REASON[1:] in mine[0]["message"]["text"]
    rules = run["tool"]["driver"]["rules"]
    assert rules[mine[0]["ruleIndex"]]["id"] == sarif.NOT_A_NOTICE_RULE
    assert all(r["ruleId"] != sarif.NOT_A_NOTICE_RULE for r in run["results"] if r not in mine)


@pytest.mark.parametrize(("fail", "outcome"), [(False, "skipped"), (True, "failure")])
def test_junit_skips_the_items_and_gives_the_verdict_a_case(fail: bool, outcome: str) -> None:
    root = ET.fromstring(junit.render(_report(fail=fail)))
    suite = next(s for s in root.iter("testsuite") if s.get("name") == INDEX_SOURCE)
    props = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert props["status"] == "not_a_notice"
    cases = suite.findall("testcase")
    verdict = next(c for c in cases if c.get("name") == "not_a_notice")
    assert verdict.find(outcome) is not None and REASON in (verdict.find(outcome).get("message") or "")
    assert all(c.find("skipped") is not None for c in cases if c is not verdict)
    assert suite.get("failures") == ("1" if fail else "0")


@pytest.mark.parametrize(("fail", "level"), [(False, "::warning"), (True, "::error")])
def test_github_annotates_the_target_once(fail: bool, level: str) -> None:
    lines = [line for line in github.annotation_lines(_report(fail=fail)) if "not a privacy notice" in line]
    assert len(lines) == 1 and lines[0].startswith(level + " file=site/privacy/index.html,line=1,")
    assert REASON in lines[0]
    assert not any(INDEX_SOURCE in line for line in github.annotation_lines(_report(fail=fail)) if line not in lines)
    summary = github.summary(_report(fail=fail))
    assert "**1** not a notice ·" in summary and "(not a notice)" in summary


# --- the command line ------------------------------------------------------------------------------------------


@pytest.fixture
def site(tmp_path: Path) -> Path:
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "tenancy.html").write_text(GOOD)
    (folder / "what-is-a-privacy-notice.html").write_text(EXPLAINER)
    (folder / "index.html").write_text(INDEX)
    return folder


def _audit(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, NoticeReport], str]:
    code = main(["audit", *args, "--format", "json", "--no-history"])
    out, err = capsys.readouterr()
    data = json.loads(out)
    assert validation_errors(data) == []
    return code, {Path(n["source"]).name: n for n in data["notices"]}, err


def test_targets_that_are_not_notices_fail_nothing_by_default(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, notices, err = _audit(str(site), "--no-config", capsys=capsys)
    assert notices["tenancy.html"]["status"] == "notice" and notices["tenancy.html"]["passed"]
    for name in ("what-is-a-privacy-notice.html", "index.html"):
        assert notices[name]["status"] == "not_a_notice" and notices[name]["passed"]
        assert notices[name]["warnings"][0].startswith(NOT_A_NOTICE)
        assert f"{name}: not a notice: " in err  # warned on stderr too
    assert code == 0


def test_fail_on_non_notice_fails_the_run(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, notices, _ = _audit(str(site), "--no-config", "--fail-on-non-notice", capsys=capsys)
    assert code == 1
    assert not notices["index.html"]["passed"]
    assert notices["index.html"]["failures"][0]["reason"].startswith(NOT_A_NOTICE + "it is a page of links")
    assert notices["tenancy.html"]["passed"]


def test_fail_on_non_notice_from_the_config_file_and_the_environment(site: Path, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "notice-audit.toml"
    config.write_text("fail-on-non-notice = true\n")
    code, _, _ = _audit(str(site), "--config", str(config), capsys=capsys)
    assert code == 1
    monkeypatch.setenv("NOTICE_AUDIT_FAIL_ON_NON_NOTICE", "false")
    code, _, _ = _audit(str(site), "--config", str(config), capsys=capsys)
    assert code == 0  # the environment over the file
    monkeypatch.setenv("NOTICE_AUDIT_FAIL_ON_NON_NOTICE", "true")
    code, _, _ = _audit(str(site), "--no-config", capsys=capsys)
    assert code == 1


def test_crawl_takes_the_option_too() -> None:
    parser = build_parser()
    assert parser.parse_args(["crawl", "https://council.example/", "--fail-on-non-notice"]).fail_on_non_notice
    assert parser.parse_args(["crawl", "https://council.example/"]).fail_on_non_notice is None
