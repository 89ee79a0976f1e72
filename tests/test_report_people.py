"""Words for people (``formats.people``, ``formats.words``): places, failures, parent coverage and
changes said the way a reader would say them."""

from __future__ import annotations

from notice_audit.formats.people import (
    failure_words,
    page_heading,
    parent_line,
    short_source,
    since_last_line,
    status_counts,
    verdict_line,
    where,
)
from notice_audit.formats.words import plural
from notice_audit.model import Evidence, Failure, ItemResult, Locator, NoticeReport, ParentCoverage

URL = "https://council.example/privacy"


def _notice(*items: ItemResult, parts: tuple[str, ...] = (), **kw: object) -> NoticeReport:
    return NoticeReport(source=URL, title="T", score=50, passed=False, items=items, extracted={}, parts=parts,
                        **kw)  # type: ignore[arg-type]


def _item(item_id: str, status: str = "met", *locs: Locator, title: str = "") -> ItemResult:
    return ItemResult(id=item_id, title=title or item_id.title(), status=status,  # type: ignore[arg-type]
                      severity="required", weight=1, message="",
                      evidence=tuple(Evidence(f"quote {n}", loc) for n, loc in enumerate(locs)))


def test_plural() -> None:
    assert plural(1, "notice") == "1 notice"
    assert plural(0, "notice") == "0 notices"
    assert plural(2, "entry", "entries") == "2 entries"
    assert plural(1, "entry", "entries") == "1 entry"


def test_where_heading_and_paragraph() -> None:
    loc = Locator(URL, ("Privacy notice", "Your rights"), block=2, selector="main > p:nth-of-type(9)")
    assert where(loc) == "under ‘Your rights’, paragraph 2"


def test_where_file_line_and_pdf_page() -> None:
    assert where(Locator("notice.txt", ("Your rights",), line=12, block=3)) == "under ‘Your rights’, line 12"
    assert where(Locator("notice.txt", (), line=4, end_line=6)) == "lines 4–6"
    assert where(Locator("n.pdf", ("Sharing",), fragment="page=3", block=1)) == "under ‘Sharing’, page 3, paragraph 1"


def test_where_names_another_part_of_the_notice_but_not_its_first() -> None:
    parts = (URL, URL + "/2")
    notice = _notice(parts=parts)
    assert where(Locator(URL + "/2", ("Rights",), block=1), notice) == "part 2 (2), under ‘Rights’, paragraph 1"
    assert where(Locator(URL, ("Rights",), block=1), notice) == "under ‘Rights’, paragraph 1"
    other = where(Locator("https://council.example/cookies", ("Cookies",)), _notice())
    assert other == "cookies, under ‘Cookies’"


def test_where_without_heading_is_the_page() -> None:
    assert where(Locator(URL, (), block=4)) == "privacy"


def test_the_page_title_over_every_quote_is_the_introduction() -> None:
    title = ("Privacy notice",)
    notice = _notice(_item("a", "met", Locator(URL, title, block=2)),
                     _item("b", "met", Locator(URL, (*title, "Who we are"), block=1)))
    top = page_heading(notice)
    assert top == "Privacy notice"
    assert where(Locator(URL, title, block=2), notice, top=top) == "in the introduction, paragraph 2"
    assert where(Locator(URL, (*title, "Who we are"), block=1), notice, top=top) == "under ‘Who we are’, paragraph 1"
    one_section = _notice(_item("a", "met", Locator(URL, ("Your rights",), block=2)))
    assert page_heading(one_section) is None  # a single heading over every quote may be a section's own


def test_where_shortens_the_heading_not_the_paragraph() -> None:
    loc = Locator(URL, ("How we use the information we hold about you and your family",), block=12)
    text = where(loc, limit=40)
    assert len(text) <= 40
    assert text.endswith("…’, paragraph 12")
    assert where(loc) == "under ‘How we use the information we hold about you and your family’, paragraph 12"


def test_short_source() -> None:
    assert short_source("https://a.example/privacy/council-tax.html") == "council-tax.html"
    assert short_source("https://a.example/privacy/") == "privacy"
    assert short_source("https://a.example") == "a.example"
    assert short_source("notices/tenancy.html") == "tenancy.html"


def test_failures_in_words() -> None:
    names = {"retention": "Retention periods"}
    said = {reason: failure_words(Failure("retention", reason), names) for reason in (
        "missing (required)", "partial (required)", "missing (required); its waiver expired on 2024-01-01")}
    assert said == {
        "missing (required)": "‘Retention periods’ is missing (required)",
        "partial (required)": "‘Retention periods’ is partly met (required)",
        "missing (required); its waiver expired on 2024-01-01":
            "‘Retention periods’ is missing (required); its waiver expired on 2024-01-01",
    }
    assert failure_words(Failure(None, "score 40 is under 60"), names) == "score 40 is under 60"
    notice = _notice(_item("retention", "missing", title="Retention periods"),
                     failures=(Failure("retention", "missing (required)"), Failure(None, "score 40 is under 60")))
    assert verdict_line(notice) == "fails: ‘Retention periods’ is missing (required); score 40 is under 60"


def test_status_counts_in_checklist_order_and_words() -> None:
    notice = _notice(_item("a", "missing"), _item("b", "met"), _item("c", "not_applicable"), _item("d", "partial"),
                     _item("e", "met"))
    assert status_counts(notice) == "2 met, 1 partly met, 1 missing, 1 do not apply"


def test_parent_line_names_only_the_gaps_it_covers() -> None:
    notice = _notice(_item("rights", "missing", title="Rights"), _item("retention", "partial", title="Retention"),
                     _item("purposes", "met", title="Purposes"),
                     parent=ParentCoverage("https://council.example/main.html", 92.5,
                                           ("rights", "retention", "purposes", "dpo_contact")))
    assert parent_line(notice) == ("Its parent notice main.html (score 92.5) covers 2 items this notice misses "
                                   "or only points to: Rights, Retention.")
    assert parent_line(_notice()) is None
    lone = _notice(_item("rights", "missing"), parent=ParentCoverage(URL + "/main", 80, ("purposes",)))
    assert parent_line(lone) == ("Its parent notice main (score 80) covers none of what this notice misses or "
                                 "only points to.")


def test_since_last_line() -> None:
    data = {"notices": [{"source": URL, "score": {"previous": 50.0, "current": 50.0}, "content_changed": False,
                         "regressions": [], "improvements": [{"item": "rights"}], "previous_run": {"id": 3,
                                                                                                   "at": "then"}}],
            "new_targets": ["new.html"]}
    names = {"rights": "Rights"}
    assert since_last_line(data, URL, names) == "Since the last run (run 3, then): better: Rights."
    assert since_last_line(data, "new.html", names) == "Since the last run: not audited before."
    assert since_last_line(data, "other.html", names) is None
    assert since_last_line(None, URL, names) is None
    quiet = {"notices": [{**data["notices"][0], "improvements": []}]}  # type: ignore[index]
    assert since_last_line(quiet, URL, names) == "Since the last run (run 3, then): no change."
