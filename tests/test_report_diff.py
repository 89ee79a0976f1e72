"""Diff of two reports: regressions, improvements, evidence lost, added/removed notices, errors, views."""

from __future__ import annotations

import dataclasses
import json
import re

from markdown_it import MarkdownIt

from notice_audit.formats import diff
from notice_audit.model import AuditReport, Evidence, ItemResult, Locator, NoticeReport, TargetError

try:
    from tests.report_fixtures import GOOD_SOURCE, HOSTILE_QUOTE, sample_report
except ImportError:  # tests/ is not a package: pytest puts it on sys.path
    from report_fixtures import GOOD_SOURCE, HOSTILE_QUOTE, sample_report

SRC = "https://council.example/privacy/tax"


def item(ident: str, status: str, *quotes: str) -> ItemResult:
    ev = tuple(Evidence(q, Locator(SRC, ("Heading", ident), fragment=ident)) for q in quotes)
    return ItemResult(ident, ident.capitalize(), status, "required", 1, "msg", ev)  # type: ignore[arg-type]


def notice(*items: ItemResult, source: str = SRC, score: float = 50, passed: bool = True,
           title: str = "Council tax privacy notice") -> NoticeReport:
    return NoticeReport(source, title, score, passed, items, {})


def report(*notices: NoticeReport, errors: tuple[TargetError, ...] = (),
           generated_at: str = "2024-05-01T12:00:00Z") -> AuditReport:
    return AuditReport("0.1.0", "uk-gdpr", "2024.1", generated_at, notices, errors)


def changes(d: diff.ReportDiff) -> dict[str, str]:
    return {c.item: c.change for n in d.notices for c in n.changes}


def test_identical_reports_have_no_changes() -> None:
    r = sample_report()
    d = diff.diff_reports(r, r)
    assert not d.regressed and d.regressions == 0
    assert d.notices == () and d.unchanged == (GOOD_SOURCE, "notices/bad | notice.html")
    assert diff.summary_line(d).startswith("✅ **No regressions**")


def test_status_order_regressions_improvements_and_applicability() -> None:
    old = report(notice(item("a", "met", "q"), item("b", "partial", "q"), item("c", "missing"),
                        item("d", "met", "q"), item("e", "not_applicable"), item("f", "missing"),
                        item("g", "partial", "q"), item("h", "met", "q")))
    new = report(notice(item("a", "partial", "q"), item("b", "missing"), item("c", "met", "q"),
                        item("d", "not_applicable"), item("e", "missing"), item("f", "failed"),
                        item("g", "failed"), item("i", "met", "q")))
    d = diff.diff_reports(old, new)
    assert changes(d) == {"a": "regressed", "b": "regressed", "c": "improved", "d": "applicability",
                          "e": "applicability", "f": "changed", "g": "regressed", "i": "added", "h": "removed"}
    assert d.regressed and d.regressions == 3
    assert d.summary()["improvements"] == 1


def test_regressed_item_lists_the_quotes_that_disappeared() -> None:
    old = report(notice(item("recipients", "met", "We share with the police.", "We share  with\nschools.",
                             "And with courts.")))
    new = report(notice(item("recipients", "partial", "We share with schools.")))
    (n,) = diff.diff_reports(old, new).notices
    (c,) = n.changes
    assert c.change == "regressed"
    assert [e.quote for e in c.evidence_lost] == ["We share with the police.", "And with courts."]


def test_evidence_lost_from_items_still_met_is_reported_but_not_a_regression() -> None:
    old = report(notice(item("retention", "met", "Six years.", "Until the account closes."),
                        item("rights", "met", "x")))
    new = report(notice(item("retention", "met", "Until the account closes."), item("rights", "met", "x")))
    d = diff.diff_reports(old, new)
    assert not d.regressed
    (n,) = d.notices
    (c,) = n.changes
    assert (c.change, c.old, c.new) == ("evidence_lost", "met", "met")
    assert [e.quote for e in c.evidence_lost] == ["Six years."]
    assert d.summary()["evidence_lost"] == 1
    md = diff.render_markdown(d)
    assert md.startswith("✅ **No regressions** · 1 quote of evidence lost")
    assert "**evidence lost** `retention` Retention: still ✅ met" in md
    assert "“Six years.”" in md


def test_gate_flip_is_a_regression_even_without_item_changes() -> None:
    old = report(notice(item("a", "met", "q"), score=60, passed=True))
    new = report(notice(item("a", "met", "q"), score=60, passed=False))
    d = diff.diff_reports(old, new)
    assert d.regressed and d.regressions == 1
    assert "✅ passed → ❌ failed" in diff.render_markdown(d)


def test_score_change_alone_is_reported_not_a_regression() -> None:
    d = diff.diff_reports(report(notice(score=60)), report(notice(score=55.5)))
    assert not d.regressed
    (n,) = d.notices
    assert n.score_change == -4.5
    assert "60 → 55.5 (−4.5)" in diff.render_markdown(d)


def test_removed_notice_is_a_regression_unless_allowed() -> None:
    other = "https://council.example/privacy/bins"
    old = report(notice(), notice(source=other, title="Bins"))
    new = report(notice())
    d = diff.diff_reports(old, new)
    assert [n.source for n in d.removed] == [other] and d.regressed
    allowed = diff.diff_reports(old, new, removed_is_regression=False)
    assert [n.source for n in allowed.removed] == [other] and not allowed.regressed
    assert "### Removed notices (allowed: not counted as regressions)" in diff.render_markdown(allowed)


def test_added_notice_is_not_a_regression() -> None:
    d = diff.diff_reports(report(notice()), report(notice(), notice(source="https://x.example/new", passed=False)))
    assert not d.regressed and [n.source for n in d.added] == ["https://x.example/new"]


def test_target_that_newly_errors_is_a_regression_listed_once() -> None:
    old = report(notice(), errors=(TargetError("https://x.example/old-error", "timed out"),))
    new = report(errors=(TargetError(SRC, "HTTP 500"), TargetError("https://x.example/old-error", "timed out")))
    d = diff.diff_reports(old, new)
    assert d.regressed and d.regressions == 1
    assert d.removed == ()  # the notice that now errors is listed as a new error, not also as removed
    (e,) = d.new_errors
    assert e.error.target == SRC and e.old is not None and e.old.score == 50
    fixed = diff.diff_reports(new, old)
    assert [e.target for e in fixed.fixed_errors] == [SRC] and not fixed.regressed


def test_notices_are_ordered_regressed_first() -> None:
    a = notice(item("x", "met", "q"), source="https://a.example/", score=50)
    b = notice(item("x", "missing"), source="https://b.example/", score=50)
    old = report(a, b)
    new = report(dataclasses.replace(a, items=(item("x", "partial", "q"),)),
                 dataclasses.replace(b, items=(item("x", "met", "q"),)))
    d = diff.diff_reports(old, new)
    assert [n.new.source for n in d.notices] == ["https://a.example/", "https://b.example/"]
    assert [n.regressed for n in d.notices] == [True, False]


def test_json_shape() -> None:
    old = report(notice(item("recipients", "met", "Police."), item("retention", "met", "Six years.", "Keep.")))
    new = report(notice(item("recipients", "missing"), item("retention", "met", "Keep."), score=40, passed=False),
                 generated_at="2024-06-01T00:00:00Z")
    data = json.loads(diff.render_json(diff.diff_reports(old, new)))
    assert list(data) == ["regressed", "old", "new", "summary", "notices", "unchanged", "added", "removed",
                          "new_errors", "fixed_errors"]
    assert data["regressed"] is True
    assert data["old"] == {"generated_at": "2024-05-01T12:00:00Z", "checklist": "uk-gdpr 2024.1", "notices": 1,
                           "mean_score": 50}
    assert data["summary"] == {"matched": 1, "changed": 1, "unchanged": 0, "added": 0, "removed": 0,
                               "regressions": 2, "improvements": 0, "evidence_lost": 2, "new_errors": 0,
                               "fixed_errors": 0, "mean_score_change": -10}
    (n,) = data["notices"]
    assert {k: n[k] for k in ("source", "old_score", "new_score", "score_change", "old_passed", "new_passed",
                              "regressed")} == {"source": SRC, "old_score": 50, "new_score": 40,
                                                "score_change": -10, "old_passed": True, "new_passed": False,
                                                "regressed": True}
    assert n["changes"] == [
        {"item": "recipients", "title": "Recipients", "old": "met", "new": "missing", "change": "regressed",
         "evidence_lost": [{"quote": "Police.", "locator": f"{SRC}#recipients § Heading > recipients"}]},
        {"item": "retention", "title": "Retention", "old": "met", "new": "met", "change": "evidence_lost",
         "evidence_lost": [{"quote": "Six years.", "locator": f"{SRC}#retention § Heading > retention"}]},
    ]


def test_markdown_for_a_pull_request_summary_first_and_page_text_escaped() -> None:
    hostile_title = "<img src=x onerror=alert(1)> | # *t*"
    old = report(notice(item("recipients", "met", HOSTILE_QUOTE), title=hostile_title,
                        source="javascript:alert(1)"),
                 notice(item("rights", "missing"), source="https://b.example/", title="B"))
    new = report(notice(item("recipients", "missing"), title=hostile_title, source="javascript:alert(1)", score=30),
                 notice(item("rights", "met", "You can ask."), source="https://b.example/", title="B", score=60))
    md = diff.render_markdown(diff.diff_reports(old, new))
    first = md.splitlines()[0]
    assert first == ("❌ **1 regression** in 1 notice · 1 improvement · 1 quote of evidence lost"
                     " · mean score 50 → 45 (−5)")
    assert md.index("### Regressions") < md.index("<summary>Improvements in 1 notice</summary>")
    assert "<img" not in md and "<script>" not in md
    assert "](javascript:" not in md
    assert "&lt;img src=x onerror=alert(1)&gt; \\| # \\*t\\*" in md
    html = MarkdownIt("commonmark").render(md)
    assert "<script>" not in html and "<img" not in html and 'href="javascript' not in html
    lost = [ln for ln in md.splitlines() if "We share data with the police" in ln]
    assert len(lost) == 1 and re.search(r"\\\| courts &lt;script&gt;", lost[0])


def test_summary_line_counts_agree_with_their_nouns() -> None:
    old = report(notice())
    one = diff.summary_line(diff.diff_reports(old, report(errors=(TargetError(SRC, "HTTP 500"),))))
    assert "1 new error" in one and "1 regression in" not in one  # the error is the regression, no notice regressed
    two = diff.summary_line(diff.diff_reports(report(), report(errors=(TargetError("https://a.example/", "x"),
                                                                       TargetError("https://b.example/", "y")))))
    assert "2 new errors" in two and "2 regressions" in two
    fixed = diff.summary_line(diff.diff_reports(report(errors=(TargetError("https://a.example/", "x"),)), report()))
    assert "1 error fixed" in fixed
    added = diff.summary_line(diff.diff_reports(report(), report(notice(), notice(source="https://x.example/n"))))
    assert "2 notices added" in added
