"""Statute citation recogniser (fictional sentences citing real short titles)."""

from __future__ import annotations

from typing import Any

import pytest

from notice_audit.extract.values.statutes import find_statutes


def cites(text: str) -> list[dict[str, Any]]:
    return [{k: m.attributes[k] for k in ("title", "year", "section")} for m in find_statutes(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "We do this under section 83 of the Children Act 1989.",
            [{"title": "Children Act", "year": 1989, "section": "83"}],
        ),
        ("duties in s.17 Children Act 1989", [{"title": "Children Act", "year": 1989, "section": "17"}]),
        ("see s17 of the Children Act 1989", [{"title": "Children Act", "year": 1989, "section": "17"}]),
        (
            "as required by Section 83 of 1989 Children's Act, and more",
            [{"title": "Children Act", "year": 1989, "section": "83"}],
        ),
        (
            "and Section 7 of the Young People’s Act 2008",
            [{"title": "Young People's Act", "year": 2008, "section": "7"}],
        ),
        (
            "under section 3 of The Education (Information About Individual Pupils) (England) Regulations 2013.",
            [
                {
                    "title": "The Education (Information About Individual Pupils) (England) Regulations",
                    "year": 2013,
                    "section": "3",
                }
            ],
        ),
        (
            "Council tax is collected under the Local Government Finance Act 1992.",
            [{"title": "Local Government Finance Act", "year": 1992, "section": None}],
        ),
        (
            "Data Protection Act 2018 Schedule 1 Part 2 conditions apply",
            [{"title": "Data Protection Act", "year": 2018, "section": "Schedule 1 Part 2"}],
        ),
        (
            "Article 6(1)(e) of the UK GDPR",
            [{"title": "UK GDPR", "year": None, "section": "6(1)(e)"}],
        ),
        (
            "the Representation of the People Act 1983 and the Freedom of Information Act 2000",
            [
                {"title": "Representation of the People Act", "year": 1983, "section": None},
                {"title": "Freedom of Information Act", "year": 2000, "section": None},
            ],
        ),
        (
            "the Anti-social Behaviour, Crime and Policing Act 2014",
            [{"title": "Anti-social Behaviour, Crime and Policing Act", "year": 2014, "section": None}],
        ),
        (
            "the UK GDPR and Data Protection Act 2018",
            [{"title": "Data Protection Act", "year": 2018, "section": None}],
        ),
        (
            "The Children Act 1989 says so",
            [{"title": "Children Act", "year": 1989, "section": None}],
        ),
        (
            "paragraph 5 of Schedule 2 to the Data Protection Act 2018",
            [{"title": "Data Protection Act", "year": 2018, "section": "paragraph 5 of Schedule 2"}],
        ),
        (
            "Part 3, section 35(8) of the DPA 2018",
            [{"title": "DPA", "year": 2018, "section": "Part 3, section 35(8)"}],
        ),
        ("the Data Protection Act (1998)", [{"title": "Data Protection Act", "year": 1998, "section": None}]),
        (
            "the Freedom of Information Act applies",
            [{"title": "Freedom of Information Act", "year": None, "section": None}],
        ),
    ],
)
def test_citations(text: str, expected: list[dict[str, Any]]) -> None:
    assert cites(text) == expected


def test_multiple_sections_give_one_match_each_over_the_whole_citation() -> None:
    text = "under sections 47 and 17 of the Children Act 1989."
    found = find_statutes(text)
    assert [m.attributes["section"] for m in found] == ["47", "17"]
    assert {m.text for m in found} == {"sections 47 and 17 of the Children Act 1989"}


def test_regulation_prefix_and_kinds() -> None:
    (m,) = find_statutes("Regulation 5 of the Education (Pupil Information) (England) Regulations 2005")
    assert m.attributes["title"] == "Education (Pupil Information) (England) Regulations"
    assert m.attributes["section"] == "5"
    assert m.attributes["unit"] == "regulation"
    assert m.attributes["kind"] == "regulations"
    (a,) = find_statutes("Article 9(2)(h) of the General Data Protection Regulation")
    assert a.attributes["kind"] == "article"
    assert a.attributes["title"] == "General Data Protection Regulation"
    (o,) = find_statutes("the Town and Country Planning (Development Management Procedure) (England) Order 2015")
    assert o.attributes["kind"] == "order"


def test_value_and_span() -> None:
    text = "We rely on section 17 of the Children Act 1989 here."
    (m,) = find_statutes(text)
    assert m.value == "Children Act 1989 section 17"
    assert text[m.start : m.end] == m.text == "section 17 of the Children Act 1989"


@pytest.mark.parametrize(
    "text",
    [
        "This Act says nothing.",
        "the Act requires us to",
        "a Court Order was made",
        "GDPR gives you rights",  # a mention of the law, not a citation
        "the children act 1989",  # titles are capitalised
        "section 3 above",
        "Chapter 4 of this notice",
        "Acting Head of Service",
    ],
)
def test_statute_negatives(text: str) -> None:
    assert find_statutes(text) == []


def test_title_does_not_swallow_the_sentence() -> None:
    found = cites("Under the Department for Education and the Children Act 2004 we share data.")
    assert found == [{"title": "Children Act", "year": 2004, "section": None}]


_RUNS = ["A ", "Aa ", "A, ", "s 1, ", "Section 1 of ", "(", "(A ", "1", " ", "of the ", "a", "A", "1989 ", "Act "]


def adversarial(size: int = 1_000_000) -> str:
    """1 MB of long runs that make a backtracking pattern blow up (each run ~70 KB)."""
    chunk = size // len(_RUNS)
    return "".join((run * (chunk // len(run) + 1))[:chunk] for run in _RUNS)


def test_statutes_finish_on_adversarial_input() -> None:
    assert isinstance(find_statutes(adversarial()), list)


@pytest.mark.parametrize(
    "text",
    [
        "Under Article 6(1)(e) of the UK GDPR and section 17 of the Children Act 1989 we contact you.",
        "The Education (Pupil Information) (England) Regulations 2005, regulation 5.",
        "See the Civil Procedure Rules 1998 and the Police and Criminal Evidence Act 1984 Code C.",
        "Article 9(2)(g) GDPR; Schedule 1 Part 2 DPA 2018; the Mental Health (Wales) Measure 2010.",
        "the Town and Country Planning (General Permitted Development) (England) Order 2015",
        "We contact you about the impact of the data protection act 2018, in fact.",
    ],
)
def test_keyword_gate_changes_nothing(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The case-sensitive title-word test that skips most sentences never drops a citation."""
    import re

    from notice_audit.extract.values import statutes

    gated = find_statutes(text)
    assert bool(gated) != text.endswith("in fact.")  # a citation in every text but the lower-case one
    monkeypatch.setattr(statutes, "_NEEDED", re.compile(""))
    assert find_statutes(text) == gated
