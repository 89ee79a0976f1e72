"""CSV export: one row per notice and item, RFC 4180 quoting, and no live formulas from page text."""

from __future__ import annotations

import csv
import io

import pytest

from notice_audit.formats import csv as csv_format
from notice_audit.formats.registry import FORMATS
from notice_audit.model import AuditReport, Evidence, ItemResult, Locator, NoticeReport

try:
    from tests.report_fixtures import HOSTILE_QUOTE, HOSTILE_TITLE, sample_report
except ImportError:  # tests/ is not a package: pytest puts it on sys.path
    from report_fixtures import HOSTILE_QUOTE, HOSTILE_TITLE, sample_report


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def one_item_report(notice_title: str = "Notice", **fields: object) -> AuditReport:
    item = {"id": "rights", "title": "Rights", "status": "met", "severity": "required", "weight": 3,
            "message": "found", **fields}
    notice = NoticeReport("https://c.example/p", notice_title, 50, True,
                          (ItemResult(**item),), {})  # type: ignore[arg-type]
    return AuditReport("0.1.0", "uk-gdpr", "1", "2024-01-01T00:00:00Z", (notice,))


def test_registered() -> None:
    assert FORMATS["csv"].render is csv_format.render


def test_header_and_one_row_per_notice_and_item() -> None:
    report = sample_report()
    text = csv_format.render(report)
    assert text.splitlines()[0] == ",".join(csv_format.COLUMNS)
    got = rows(text)
    assert len(got) == sum(len(n.items) for n in report.notices) == 7
    first = got[0]
    assert first == {
        "source": "https://council.example/privacy",
        "notice_title": HOSTILE_TITLE,
        "score": "87.5",
        "passed": "true",
        "item_id": "controller_identity",
        "item_title": "Controller identity",
        "status": "met",
        "severity": "high",
        "weight": "3",
        "message": "Controller named",
        "first_quote": "Example Council is the data controller for the personal information we hold.",
        "first_locator": "https://council.example/privacy#who-we-are § Who we are",
        "evidence_count": "1",
        "gate": "",
        "notice_status": "notice",
        "warnings": "",
    }
    recipients = got[1]
    assert recipients["first_quote"] == HOSTILE_QUOTE and recipients["evidence_count"] == "2"
    missing = next(r for r in got if r["item_id"] == "dpo_contact")
    assert missing["first_quote"] == missing["first_locator"] == "" and missing["evidence_count"] == "0"
    assert missing["passed"] == "false" and missing["score"] == "12"
    failed = next(r for r in got if r["item_id"] == "outdated_legal_reference")
    assert failed["first_locator"] == "notices/bad | notice.html:12 § Your rights"


def test_rfc4180_quoting_and_crlf() -> None:
    quote = 'He said "share it",\nthen left'
    text = csv_format.render(one_item_report(evidence=(Evidence(quote, Locator("a.txt", line=1)),)))
    assert text.endswith("\r\n") and text.count("\r\n") == 2
    assert '"He said ""share it"", then left"' in text  # whitespace collapsed, quotes doubled
    assert rows(text)[0]["first_quote"] == 'He said "share it", then left'
    message = "line one\nline two, with comma"
    assert rows(csv_format.render(one_item_report(message=message)))[0]["message"] == message


@pytest.mark.parametrize("danger", ["=HYPERLINK(\"http://evil\")", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_formula_injection_is_defused(danger: str) -> None:
    report = one_item_report(message=danger, title=danger, notice_title=danger,
                             evidence=(Evidence(danger + " quoted", Locator(danger)),))
    row = rows(csv_format.render(report))[0]
    assert row["message"] == "'" + danger
    assert row["item_title"] == "'" + danger
    assert row["first_locator"].startswith("'")
    for key in ("message", "item_title", "first_locator", "notice_title"):
        assert not row[key].startswith(("=", "+", "-", "@", "\t", "\r")), key


def test_cell_leaves_ordinary_text_alone() -> None:
    assert csv_format.cell("Rights named") == "Rights named"
    assert csv_format.cell("a=b") == "a=b"
    assert csv_format.cell(None) == ""


def test_notice_without_items_still_has_a_row() -> None:
    notice = NoticeReport("empty.txt", "Empty", 0, False, (), {})
    got = rows(csv_format.render(AuditReport("0.1.0", "uk-gdpr", "1", "now", (notice,))))
    assert len(got) == 1 and got[0]["source"] == "empty.txt" and got[0]["item_id"] == ""
    assert got[0]["evidence_count"] == "0"


def test_empty_report_is_just_the_header() -> None:
    assert csv_format.render(AuditReport("0.1.0", "uk-gdpr", "1", "now", ())) == ",".join(csv_format.COLUMNS) + "\r\n"


def test_gate_column_says_failed_waived_or_known() -> None:
    from tests.test_report_sarif import gated_report

    report = gated_report()
    got = rows(csv_format.render(report))
    for notice in report.notices:
        for item in notice.items:
            row = next(r for r in got if r["source"] == notice.source and r["item_id"] == item.id)
            if item.id in notice.gate_items():
                assert row["gate"] == "failed"
            elif item.waiver:
                assert row["gate"].startswith(("waived until", "waiver expired"))
            elif item.baseline == "known":
                assert row["gate"] == "known (in baseline)"
    assert {r["gate"] for r in got} >= {"failed", "known (in baseline)"}
    assert any(r["gate"].startswith("waived until") for r in got)
