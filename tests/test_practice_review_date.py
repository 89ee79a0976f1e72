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
        ("Last updated 1 October 2021", "2021-10-01", "day"),
        ("Page last reviewed: 02 September 2024", "2024-09-02", "day"),
        ("This notice was last updated on 15 February 2022.", "2022-02-15", "day"),
        ("Updated: 21 July 2021", "2021-07-21", "day"),
        ("Last updated: 19 Apr 2024 12:08", "2024-04-19", "day"),
        ("Last updated: February 28, 2024", "2024-02-28", "day"),
        ("Last updated on: 21/05/2018 - 19:11", "2018-05-21", "day"),
        ("Last updated: Mon 11 November, 2019 @ 15:35", "2019-11-11", "day"),
        ("Date of last review: 2023-06-30", "2023-06-30", "day"),
        ("We last reviewed this notice in May 2023.", "2023-05-31", "month"),
        ("This privacy notice was published on 30 November 2021.", "2021-11-30", "day"),
        ("Published 25 September 2025", "2025-09-25", "day"),
        ("Last modified on 16 August 2023", "2023-08-16", "day"),
        ("Last updated: 10th July 2023", "2023-07-10", "day"),
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
        "Next review due: August 28, 2024",
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
    two_lines = dates(("list_item", "Last updated"), ("list_item", "Thursday, 9 August 2018"))
    assert [f.value for f in two_lines] == ["2018-08-09"]
    assert two_lines[0].evidence.quote == "Last updated Thursday, 9 August 2018"
    heading = review_date.extract(make_doc(("Last updated", ["10 July 2023"])))
    assert [f.value for f in heading] == ["2023-07-10"]
    assert review_date.extract(make_doc(("Last updated", ["We may update this notice at any time."]))) == []


def test_latest_picks_the_most_recent_date() -> None:
    found = dates("Updated: 13 September 2022", "Reviewed: 13 February 2023")
    latest = review_date.latest(found)
    assert latest is not None and latest.value == "2023-02-13"
    assert review_date.latest([]) is None


def test_hostile_text_stays_fast() -> None:
    import time

    text = "Last updated " * 20000 + "1 " * 20000
    start = time.perf_counter()
    dates(text)
    assert time.perf_counter() - start < 2.0
