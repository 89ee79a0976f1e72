"""Last-updated and review dates: the forms notices use, and what is not such a date."""

from __future__ import annotations

import pytest

from notice_audit.extract.practice import review_date
from notice_audit.model import Finding
from tests.conftest import make_doc


def dates(*blocks: str | tuple[str, str], heading: str = "Privacy notice") -> list[Finding]:
    return review_date.extract(make_doc((heading, list(blocks))))


@pytest.mark.parametrize(
    ("text", "iso", "precision"),
    [
        ("Last updated: 3 March 2025", "2025-03-03", "day"),
        ("Last updated 4 October 2022", "2022-10-04", "day"),
        ("Page last reviewed: 07 January 2025", "2025-01-07", "day"),
        ("This notice was last updated on 12 March 2023.", "2023-03-12", "day"),
        ("Updated: 18 June 2020", "2020-06-18", "day"),
        ("Last updated: 23 Jan 2025 09:41", "2025-01-23", "day"),
        ("Last updated: November 14, 2023", "2023-11-14", "day"),
        ("Last updated on: 17/09/2019 - 08:05", "2019-09-17", "day"),
        ("Last updated: Tue 3 March, 2020 @ 11:20", "2020-03-03", "day"),
        ("Date of last review: 2023-06-30", "2023-06-30", "day"),
        ("We last reviewed this notice in May 2023.", "2023-05-31", "month"),
        ("Our notice was first published on 8 April 2022.", "2022-04-08", "day"),
        ("Published 2 May 2024", "2024-05-02", "day"),
        ("Last modified on 27 October 2021", "2021-10-27", "day"),
        ("Last updated: 21st June 2024", "2024-06-21", "day"),
        ("February 2024 version 2.1", "2024-02-29", "month"),
    ],
)
def test_dated_statements(text: str, iso: str, precision: str) -> None:
    found = dates(text)
    assert [f.value for f in found] == [iso]
    assert found[0].attributes["precision"] == precision and found[0].evidence.quote


@pytest.mark.parametrize(
    "text",
    [
        "We review this privacy notice regularly.",
        "Next review due: April 30, 2026",
        "Date of next review: March 2026",
        "Applications are published on our website within 5 working days.",
        "The Act came into force on 25 May 2018.",  # a date, but not when the notice was updated
        "Last updated: 31 February 2024",  # no such day
        "Last updated. We hold your records from 1 March 2020 onwards.",
    ],
)
def test_not_a_last_updated_date(text: str) -> None:
    assert dates(text) == []


def test_label_and_date_on_separate_lines_or_under_a_heading() -> None:
    two_lines = dates(("list_item", "Last updated"), ("list_item", "Friday, 6 March 2020"))
    assert [f.value for f in two_lines] == ["2020-03-06"]
    assert two_lines[0].evidence.quote == "Last updated Friday, 6 March 2020"
    heading = review_date.extract(make_doc(("Last updated", ["19 August 2024"])))
    assert [f.value for f in heading] == ["2024-08-19"]
    assert review_date.extract(make_doc(("Last updated", ["We may update this notice at any time."]))) == []


def test_latest_picks_the_most_recent_date() -> None:
    found = dates("Updated: 2 November 2021", "Reviewed: 9 January 2023")
    latest = review_date.latest(found)
    assert latest is not None and latest.value == "2023-01-09"
    assert review_date.latest([]) is None


def test_hostile_text_gives_no_date() -> None:
    # a label with no date after it and numbers that make none; how long this takes is measured by
    # the hostile-text case of the scaling benchmark (benchmarks/synthetic.py), not asserted here
    assert dates("Last updated " * 20000 + "1 " * 20000) == []


def test_label_gate_never_rules_out_a_label() -> None:
    """The one-set-test pre-check agrees with the label patterns, case folding included."""
    from notice_audit.extract.practice.review_date import lexicon

    lex = lexicon()
    tricky = ["Last updated: 3 March 2024", "LAST UPDATED", "last upDated 1 May 2020", "Date of last review",
              "Effective from 1 June 2021", "- Published", "This notice is dated 2 May 2022", "updated on: 4/5/2021",
              "Last update\u017f", "No label here at all", "", "Reviewed", "Policy first published in May 2019"]
    for text in tricky:
        if lex.labels.search(text) or lex.label_only.match(text):
            assert not lex.label_gate.rules_out(text), text
    assert lex.label_gate.rules_out("We share your data with the police.")
