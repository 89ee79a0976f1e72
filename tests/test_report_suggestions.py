"""A checklist suggestion (e.g. DPA 2018 Part 3 for law-enforcement processing) is shown to people."""

from __future__ import annotations

from dataclasses import replace

from notice_audit.formats import markdown, table
from notice_audit.model import Suggestion
from tests.report_fixtures import sample_report


def test_suggestions_appear_in_markdown_and_table() -> None:
    report = sample_report()
    hint = Suggestion("dpa2018-part3", "the notice describes law-enforcement processing")
    notice = replace(report.notices[0], suggestions=(hint,))
    report = replace(report, notices=(notice, *report.notices[1:]))
    assert "also audit with checklist `dpa2018-part3`" in markdown.render(report)
    assert "also audit with --checklist dpa2018-part3" in table.render(report, width=200)
