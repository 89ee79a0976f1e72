"""Markdown report: content, evidence, escaping and table shape."""

from __future__ import annotations

import dataclasses
import re

import pytest
from markdown_it import MarkdownIt

from notice_audit.formats import markdown
from notice_audit.model import AuditReport, Failure, ItemResult, NoticeReport, ParentCoverage

try:
    from tests.report_fixtures import HOSTILE_TITLE, sample_report
except ImportError:  # tests/ is not a package: pytest puts it on sys.path
    from report_fixtures import HOSTILE_TITLE, sample_report

UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


@pytest.fixture(scope="module")
def md() -> str:
    return markdown.render(sample_report())


@pytest.fixture(scope="module")
def html(md: str) -> str:
    return MarkdownIt("commonmark").enable("table").render(md)


def test_header_names_checklist_tool_and_date(md: str) -> None:
    first = md.splitlines()[0]
    assert first.startswith("# ")
    assert "Checklist uk-gdpr version 2024.1" in md
    assert "notice-audit 0.1.0" in md
    assert "2024-05-01T12:00:00Z" in md


def test_every_item_by_title_with_its_status_in_words(md: str) -> None:
    words = {"partial": "partly met", "not_applicable": "does not apply"}
    for notice in sample_report().notices:
        for item in notice.items:
            assert f"| {markdown.text(item.title)} |" in md
            assert f"`{item.id}`" not in md and f"| {item.id} |" not in md
            assert f"{markdown.STATUS_SYMBOLS[item.status]} {words.get(item.status, item.status)}" in md


def test_summary_rows_have_scores_verdicts_and_counts(md: str) -> None:
    rows = [ln for ln in md.splitlines() if ln.endswith("| 87.5 | ✅ | 2 | 1 | 0 | 0 |")]
    assert rows == [
        "| \\# Privacy \\*notice\\* \\| &lt;b&gt;Council&lt;/b&gt; \\[bold\\]x\\[/bold\\] | "
        "https://council.example/privacy | 87.5 | ✅ | 2 | 1 | 0 | 0 |"
    ]
    bad = [ln for ln in md.splitlines() if ln.startswith("| notices/bad")]
    assert bad == ["| notices/bad \\| notice.html | notices/bad \\| notice.html | 12 | ❌ | 0 | 0 | 2 | 1 |"]
    assert ("**2 notices** · **1** passed · **1** failed · mean score **49.8** · **1 target** could not be "
            "audited") in md


def test_evidence_quotes_and_locators_for_met_items(md: str) -> None:
    assert "> Example Council is the data controller for the personal information we hold.\\" in md
    assert "> — [under ‘Who we are’](https://council.example/privacy#who-we-are)" in md
    assert "> We also share with schools.\\" in md
    assert "> — [under ‘With &lt;others&gt;’](https://council.example/privacy#sharing)" in md
    assert "> — under ‘Your rights’, line 12" in md  # a file: no link, the line
    assert " § " not in md


def test_quotes_kept_on_one_line(md: str) -> None:
    assert "> We keep records for as long as necessary and no longer.\\" in md


def test_missing_items_say_what_was_looked_for_and_how_to_fix(md: str) -> None:
    assert "- Looked for: an email or postal address for the data protection officer" in md
    assert "- Looked for: the right to complain to the ICO \\| &lt;a&gt; supervisory authority" in md
    assert "- Guidance: Publish how to contact your DPO." in md
    assert "- Reference: UK GDPR Art 13(1)(b) ([guidance](https://ico.org.uk/dpo))" in md


def test_not_applicable_items_are_not_listed_as_gaps(md: str) -> None:
    fix = md.split("### What to fix", 1)[1].split("### Extracted values", 1)[0]
    assert "Automated decision-making" not in fix
    assert "**Retention** — 🟡 partly met" in fix


def test_extracted_values(md: str) -> None:
    for expected in (
        "- **Lawful bases:** public\\_task, consent",
        "- **Special category conditions:** substantial\\_public\\_interest",
        "  - Children Act 1989, s. 83 — “Children Act 1989 s83”",
        "- **Rights:** access, erasure",
        "  - police \\| courts (law\\_enforcement)",
        "- **Contacts:** emails: dpo@council.example; phones: 01234 567890",
        "  - six years (P6Y)",
    ):
        assert expected in md


def test_target_errors_listed(md: str) -> None:
    assert "## Targets that could not be audited" in md
    assert "| https://gone.example/privacy | HTTP 404 \\| not found &lt;html&gt; |" in md


def test_every_table_row_has_the_header_column_count(md: str) -> None:
    lines = md.splitlines()
    tables = 0
    for i, line in enumerate(lines):
        if line.startswith("|") and (i == 0 or not lines[i - 1].startswith("|")):
            tables += 1
            width = len(UNESCAPED_PIPE.findall(line))
            j = i
            while j < len(lines) and lines[j].startswith("|"):
                assert len(UNESCAPED_PIPE.findall(lines[j])) == width, lines[j]
                assert lines[j].endswith("|")
                j += 1
    assert tables == 4  # summary, two notices, errors


def test_rendered_tables_have_regular_cells(html: str) -> None:
    for table in re.findall(r"<table>.*?</table>", html, flags=re.S):
        head = len(re.findall(r"<th[ >]", table))
        rows = re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)[1:]
        assert rows
        for row in rows:
            assert len(re.findall(r"<td[ >]", row)) == head


def test_no_raw_html_or_markup_gets_through(md: str, html: str) -> None:
    assert "<script" not in md and "<b>" not in md and "<a>" not in md and "<html>" not in md
    assert "<script" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "`rm -rf`" not in md and "\\`rm -rf\\`" in md
    assert "<code>rm" not in html
    assert "[bold]x[/bold]" in html  # brackets render literally, not as a link
    assert "<em>notice</em>" not in html


def test_hostile_title_heading_is_one_level_two_heading(html: str) -> None:
    assert "<h2>1. # Privacy *notice* | &lt;b&gt;Council&lt;/b&gt; [bold]x[/bold]</h2>" in html
    assert HOSTILE_TITLE.startswith("#")


def test_leading_markdown_characters_are_escaped() -> None:
    assert markdown.text("# heading") == "\\# heading"
    assert markdown.text("- item") == "\\- item"
    assert markdown.text("1. first") == "1\\. first"
    assert markdown.text("a\n\n  b") == "a b"
    assert markdown.text("a|b") == "a\\|b"


def test_link_only_for_http_urls() -> None:
    assert markdown.link("x", "javascript:alert(1)") == "javascript:alert(1)"
    assert markdown.link("x", "https://a.example/p (1)") == "https://a.example/p (1)"
    assert markdown.link("x", "https://a.example/p(1)") == "[x](https://a.example/p%281%29)"


def _report_with_extracted(extracted: object) -> AuditReport:
    item = ItemResult(id="purposes", title="", status="met", severity="high", weight=1, message="ok")
    notice = NoticeReport(
        source="n.txt",
        title="N",
        score=100,
        passed=True,
        items=(item,),
        extracted=extracted,  # type: ignore[arg-type]
    )
    return AuditReport("0.1.0", "uk-gdpr", "1", "2024-01-01", (notice,))


@pytest.mark.parametrize(
    "extracted",
    [
        {},
        None,
        {"lawful_bases": None, "statutes": ["Data Protection Act 2018"], "recipients": ["police"]},
        {
            "contacts": {},
            "retention": [{"period": None}],
            "statutes": [{"title": "X"}],
            "custom_key": {"a": [1]},
        },
    ],
)
def test_missing_or_odd_extracted_values_are_handled(extracted: object) -> None:
    md = markdown.render(_report_with_extracted(extracted))
    assert "| ✅ met | purposes |" in md  # a saved report without titles: the id stands in
    assert "Targets that could not be audited" not in md
    if extracted and "statutes" in extracted:  # type: ignore[operator]
        assert "### Extracted values" in md
    if extracted and "custom_key" in extracted:  # type: ignore[operator]
        assert "- **Custom key:** a: 1" in md


def test_empty_report_renders() -> None:
    md = markdown.render(AuditReport("0.1.0", "uk-gdpr", "1", "2024-01-01", ()))
    assert "**0 notices**" in md
    assert "| Source |" not in md


def test_evidence_count_said_in_words() -> None:
    report = sample_report()
    good = report.notices[0]
    first = good.items[0]
    quotes = tuple(dataclasses.replace(first.evidence[0], quote=f"Quote number {n}.") for n in range(5))
    items = (dataclasses.replace(first, evidence=quotes), *good.items[1:])
    md = markdown.render(dataclasses.replace(report, notices=(dataclasses.replace(good, items=items),)))
    assert f"…and {5 - markdown.MAX_EVIDENCE} more quotes in the JSON report." in md
    items = (dataclasses.replace(first, evidence=quotes[: markdown.MAX_EVIDENCE + 1]), *good.items[1:])
    md = markdown.render(dataclasses.replace(report, notices=(dataclasses.replace(good, items=items),)))
    assert "…and 1 more quote in the JSON report." in md


def test_failures_parent_and_since_last_in_words() -> None:
    report = sample_report()
    bad = dataclasses.replace(report.notices[1], failures=(Failure("dpo_contact", "missing (high)"),),
                              parent=ParentCoverage("https://council.example/privacy", 90.0, ("dpo_contact",)))
    since = {"notices": [{"source": bad.source, "score": {"previous": 30.0, "current": 12.0},
                          "passed": {"previous": False, "current": False}, "content_changed": False,
                          "regressions": [{"item": "complaint_to_ico", "previous": "met", "current": "missing"}],
                          "improvements": [], "changed": [], "previous_run": {"id": 2, "at": "2024-04-01"}}]}
    md = markdown.render(dataclasses.replace(report, notices=(bad,), since_last=since))
    assert "**Fails: ‘DPO contact’ is missing (high)**" in md
    assert ("> Its parent notice privacy (score 90) covers 1 item this notice misses or only points to: "
            "DPO contact.") in md
    assert "> Since the last run (run 2, 2024-04-01): score 30 → 12; worse: Complaint to the ICO." in md


def test_a_target_that_is_not_a_notice_says_why_instead_of_listing_items() -> None:
    report = sample_report()
    index = dataclasses.replace(report.notices[1], status="not_a_notice", passed=True,
                                warnings=("not a notice: it explains data-protection law in general",))
    md = markdown.render(dataclasses.replace(report, notices=(report.notices[0], index)))
    part = md.split("## 2. ", 1)[1]
    assert "**Not a notice.** It fails nothing unless the run is given --fail-on-non-notice." in part
    assert "> It explains data-protection law in general" in part
    assert "DPO contact" not in part and "score **12**" not in part
    assert "| — | ✅ | not a notice | | | |" in md
    assert "**2 targets** (1 not a notice)" in md
    failing = dataclasses.replace(index, passed=False)
    md = markdown.render(dataclasses.replace(report, notices=(failing,)))
    assert "It fails the gate: this run counts a target that is not a notice as failing." in md
