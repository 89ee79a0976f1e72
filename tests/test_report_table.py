"""Terminal (rich) report: the checklist's words, places as a reader finds them, two lines an item at
80 columns, why a notice failed, parent coverage and changes since the last run, literal page text."""

from __future__ import annotations

import dataclasses
import io
import re

import pytest

from notice_audit.formats import table
from notice_audit.model import AuditReport, Failure, ParentCoverage

try:
    from tests.report_fixtures import HOSTILE_QUOTE, HOSTILE_TITLE, sample_report
except ImportError:  # tests/ is not a package: pytest puts it on sys.path
    from report_fixtures import HOSTILE_QUOTE, HOSTILE_TITLE, sample_report

ANSI = re.compile(r"\x1b\[")
LABELS = tuple(label for label, _ in table.STATUS_STYLES.values())


@pytest.fixture(scope="module")
def wide() -> str:
    """Wide enough that no quote is cut, so whole strings can be searched for."""
    return table.render(sample_report(), width=240)


def test_items_by_title_not_id(wide: str) -> None:
    for notice in sample_report().notices:
        for item in notice.items:
            assert item.title in wide
            assert item.id not in wide
    for label in LABELS:
        assert label in wide
    assert "Score 87.5/100 · PASS" in wide
    assert "Score 12/100 · FAIL" in wide


def test_status_counts_under_each_notice(wide: str) -> None:
    assert "Score 87.5/100 · PASS · 2 met, 1 partly met, 1 do not apply" in wide
    assert "Score 12/100 · FAIL · 2 missing, 1 failed" in wide


def test_quote_and_place_in_words(wide: str) -> None:
    assert "“Example Council is the data controller for the personal information we hold.”" in wide
    assert "— under ‘Who we are’" in wide
    assert "We also share with schools." not in wide  # one quote an item: the rest are in the other formats
    assert " § " not in wide and "#who-we-are" not in wide  # the machine locator is the JSON's


def test_place_names_the_paragraph_under_its_heading() -> None:
    report = sample_report()
    good = report.notices[0]
    first = good.items[0]
    ev = dataclasses.replace(first.evidence[0], locator=dataclasses.replace(first.evidence[0].locator, block=3))
    items = (dataclasses.replace(first, evidence=(ev,)), *good.items[1:])
    out = table.render(dataclasses.replace(report, notices=(dataclasses.replace(good, items=items),)), width=200)
    assert "— under ‘Who we are’, paragraph 3" in out


def test_long_quotes_are_cut_to_the_line(wide: str) -> None:
    out = table.render(sample_report(), width=80)
    line = next(ln for ln in out.splitlines() if "We share data with the police" in ln)
    assert len(line) <= 80 and "…”" in line
    assert HOSTILE_QUOTE.split("[bold]")[0].strip() in wide  # whole when there is room


def test_missing_items_say_what_was_looked_for(wide: str) -> None:
    assert "looked for an email or postal address for the data protection officer" in wide
    assert "looked for the right to complain to the ICO | <a> supervisory authority" in wide


def test_partial_and_failed_items_say_what_is_wrong(wide: str) -> None:
    assert "Retention stated vaguely" in wide
    assert "Refers to the Data Protection Act 1998 — under ‘Your rights’, line 12" in wide


def _items_block(out: str) -> list[list[str]]:
    """Each item's lines: its status line and the lines up to the next item or blank line."""
    items: list[list[str]] = []
    for line in out.splitlines():
        if line.startswith(LABELS):
            items.append([line])
        elif items and line.strip() and line.startswith(" " * table.INDENT):
            items[-1].append(line)
        elif not line.strip() and items:
            items.append([])  # a break: what follows is not this item's
    return [i for i in items if i]


@pytest.mark.parametrize("width", [80, 100, 160])
def test_at_most_two_lines_an_item_within_the_width(width: int) -> None:
    out = table.render(sample_report(), width=width)
    items = _items_block(out)
    assert len(items) == sum(len(n.items) for n in sample_report().notices)
    assert all(len(lines) <= 2 for lines in items)
    assert all(len(line) <= width for lines in items for line in lines)


def test_a_wider_terminal_shows_more_of_the_quote_not_more_lines() -> None:
    narrow, broad = (table.render(sample_report(), width=w) for w in (80, 160))
    assert [len(lines) for lines in _items_block(narrow)] == [len(lines) for lines in _items_block(broad)]

    def quoted(out: str) -> str:
        return next(ln for ln in out.splitlines() if "We share data with the police" in ln)

    assert len(quoted(broad)) > len(quoted(narrow))


def test_why_a_notice_failed_in_words() -> None:
    report = sample_report()
    bad = dataclasses.replace(report.notices[1], failures=(
        Failure("dpo_contact", "missing (high)"), Failure(None, "score 12 is under 50")))
    out = table.render(dataclasses.replace(report, notices=(report.notices[0], bad)), width=200)
    assert "Fails: ‘DPO contact’ is missing (high); score 12 is under 50" in out
    assert "gate:" not in out


def test_parent_coverage_is_shown() -> None:
    report = sample_report()
    bad = dataclasses.replace(report.notices[1], parent=ParentCoverage(
        "https://council.example/privacy/main", 90.0, ("dpo_contact", "purposes")))
    out = table.render(dataclasses.replace(report, notices=(bad,)), width=200)
    assert "Its parent notice main (score 90) covers 1 item this notice misses or only points to: DPO contact." in out
    line = next(ln for ln in out.splitlines() if "for the data protection officer" in ln)
    assert "covered by the parent notice" in line
    other = next(ln for ln in out.splitlines() if "supervisory authority" in ln)
    assert "covered by the parent notice" not in other


def test_changes_since_the_last_run_are_shown() -> None:
    report = sample_report()
    since: dict[str, object] = {"notices": [{
        "source": report.notices[1].source, "score": {"previous": 40.0, "current": 12.0},
        "passed": {"previous": True, "current": False}, "content_changed": True,
        "regressions": [{"item": "dpo_contact", "previous": "met", "current": "missing", "severity": "high"}],
        "improvements": [], "changed": [], "previous_run": {"id": 7, "at": "2024-04-01T12:00:00Z"}}],
        "new_targets": [report.notices[0].source]}
    out = table.render(dataclasses.replace(report, since_last=since), width=200)
    assert ("Since the last run (run 7, 2024-04-01T12:00:00Z): score 40 → 12; worse: DPO contact; "
            "the text changed.") in out
    assert "Since the last run: not audited before." in out


def test_summary_line_and_errors(wide: str) -> None:
    s = sample_report().summary
    assert (f"2 notices · 1 passed · 1 failed · mean score {s['mean_score']:g} · 1 target could not be "
            "audited · pass mark 50") in wide
    assert "could not audit: https://gone.example/privacy — HTTP 404 | not found <html>" in wide


def test_one_notice_is_not_plural() -> None:
    report = sample_report()
    out = table.render(dataclasses.replace(report, notices=report.notices[:1], errors=()), width=120)
    assert "\n1 notice · 1 passed" in out
    assert "could not be audited" not in out


def test_rich_markup_in_page_text_prints_literally(wide: str) -> None:
    assert HOSTILE_TITLE in wide
    assert "[bold]x[/bold]" in table.render(sample_report(), color=True, width=240)


def test_no_ansi_without_color_and_ansi_with_color() -> None:
    plain = table.render(sample_report())
    assert not ANSI.search(plain)
    coloured = table.render(sample_report(), color=True)
    assert ANSI.search(coloured)
    assert "\x1b[32m" in coloured or "\x1b[1;32m" in coloured  # green for met / PASS
    assert ANSI.sub("", coloured).count("\n") == plain.count("\n")


def test_file_output_is_drawn_for_80_columns() -> None:
    out = table.FORMAT.render(sample_report())
    assert out == table.render(sample_report(), width=80)


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_print_report_colours_only_terminals(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("COLUMNS", "120")
    buf = io.StringIO()
    table.print_report(sample_report(), buf)
    assert "DPO contact" in buf.getvalue()
    assert not ANSI.search(buf.getvalue())
    tty = _Tty()
    table.print_report(sample_report(), tty)
    assert ANSI.search(tty.getvalue())
    assert max(len(ANSI.sub("", ln).replace("\x1b", "")) for ln in _items_lines(tty.getvalue())) > 80
    monkeypatch.setenv("NO_COLOR", "1")
    tty = _Tty()
    table.print_report(sample_report(), tty)
    assert not ANSI.search(tty.getvalue())


def _items_lines(out: str) -> list[str]:
    plain = re.sub(r"\x1b\[[0-9;]*m", "", out)
    return [line for lines in _items_block(plain) for line in lines]


def test_empty_report_still_says_what_it_holds() -> None:
    empty = AuditReport("0.1.0", "uk-gdpr", "1", "2024-01-01", ())
    assert "0 notices · 0 passed · 0 failed" in table.render(empty)


def _with_not_a_notice(report: AuditReport, *, passed: bool = True) -> AuditReport:
    index = dataclasses.replace(report.notices[1], status="not_a_notice", passed=passed, failures=(),
                                warnings=("not a notice: it is a page of links: 4 of its 4 items are links",
                                          "unknown format '.rst': read as plain text"))
    return dataclasses.replace(report, notices=(report.notices[0], index))


def test_a_target_that_is_not_a_notice_says_why_instead_of_listing_items() -> None:
    out = table.render(_with_not_a_notice(sample_report()), width=120)
    part = out.split("2. ", 1)[1]
    assert "NOT A NOTICE" in part and "PASS" not in part.split("\n\n")[0]
    assert "It is a page of links: 4 of its 4 items are links" in part
    assert "Warning: unknown format '.rst'" in part  # other warnings still shown
    assert "DPO contact" not in part and "Score 12/100" not in part  # its items were never meant to be met
    assert "2 targets (1 not a notice) · " in out


def test_a_target_that_is_not_a_notice_fails_only_when_asked() -> None:
    out = table.render(_with_not_a_notice(sample_report(), passed=False), width=120)
    assert "NOT A NOTICE · FAIL" in out


def test_a_condition_is_said_in_words_not_names() -> None:
    report = sample_report()
    good = report.notices[0]
    na = dataclasses.replace(good.items[3], message="does not apply: applies when controller_outside_uk is true")
    out = table.render(dataclasses.replace(report, notices=(dataclasses.replace(
        good, items=(*good.items[:3], na)),)), width=120)
    assert "applies when controller outside uk is true" in out
    assert "controller_outside_uk" not in out and "does not apply: applies" not in out
