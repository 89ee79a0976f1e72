"""Terminal (rich) report: content, colour switch and literal page text."""

from __future__ import annotations

import io
import re

import pytest

from notice_audit.formats import table

try:
    from tests.report_fixtures import HOSTILE_QUOTE, HOSTILE_TITLE, sample_report
except ImportError:  # tests/ is not a package: pytest puts it on sys.path
    from report_fixtures import HOSTILE_QUOTE, HOSTILE_TITLE, sample_report

ANSI = re.compile(r"\x1b\[")


@pytest.fixture(scope="module")
def wide() -> str:
    """Wide enough that nothing wraps, so whole strings can be searched for."""
    return table.render(sample_report(), width=240)


def test_every_item_id_status_and_score(wide: str) -> None:
    report = sample_report()
    for notice in report.notices:
        for item in notice.items:
            assert item.id in wide
    for label in ("✓ met", "~ partial", "✗ missing", "✗ failed", "– n/a"):
        assert label in wide
    assert "score 87.5/100  PASS" in wide
    assert "score 12/100  FAIL" in wide


def test_first_evidence_quote_and_locator_for_met(wide: str) -> None:
    assert "“Example Council is the data controller for the personal information we hold.”" in wide
    assert "https://council.example/privacy#who-we-are § Who we are" in wide
    assert "We also share with schools." not in wide  # only the first quote is shown
    assert "notices/bad | notice.html:12 § Your rights" in wide


def test_long_quotes_are_shortened(wide: str) -> None:
    assert len(HOSTILE_QUOTE) > table.QUOTE_CHARS
    assert "“" + table.shorten(HOSTILE_QUOTE) + "”" in wide
    assert table.shorten(HOSTILE_QUOTE).endswith("…")
    assert len(table.shorten(HOSTILE_QUOTE)) == table.QUOTE_CHARS
    assert "“We keep records for as long as necessary and no longer.”" in wide


def test_missing_items_show_what_was_looked_for(wide: str) -> None:
    assert "looked for: an email or postal address for the data protection officer" in wide
    assert "looked for: the right to complain to the ICO | <a> supervisory authority" in wide


def test_summary_line_and_errors(wide: str) -> None:
    s = sample_report().summary
    assert f"2 notices · 1 passed · 1 failed · mean score {s['mean_score']:g} · 1 errors · gate ≥ 50" in wide
    assert "error: https://gone.example/privacy — HTTP 404 | not found <html>" in wide


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


def test_lines_fit_the_width() -> None:
    for width in (60, 100):
        out = table.render(sample_report(), width=width)
        assert max(len(line) for line in out.splitlines()) <= width
        for item in ("controller_identity", "dpo_contact", "outdated_legal_reference"):
            assert item in out.replace("\n", "") or item[:10] in out


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_print_report_colours_only_terminals(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    buf = io.StringIO()
    table.print_report(sample_report(), buf)
    assert "controller_identity" in buf.getvalue()
    assert not ANSI.search(buf.getvalue())
    tty = _Tty()
    table.print_report(sample_report(), tty)
    assert ANSI.search(tty.getvalue())
    monkeypatch.setenv("NO_COLOR", "1")
    tty = _Tty()
    table.print_report(sample_report(), tty)
    assert not ANSI.search(tty.getvalue())
