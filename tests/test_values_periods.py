"""Retention period and retention-schedule recognisers (fictional examples)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from notice_audit.extract.values import ValueMatch
from notice_audit.extract.values.periods import find_periods, find_schedule_references, parse_number


@pytest.mark.parametrize(
    ("text", "iso", "amount", "unit"),
    [
        ("We keep it for 6 years.", "P6Y", 6, "year"),
        ("kept for six years", "P6Y", 6, "year"),
        ("retained for six (6) years", "P6Y", 6, "year"),
        ("12 months", "P12M", 12, "month"),
        ("a 12-month period", "P12M", 12, "month"),
        ("30 days", "P30D", 30, "day"),
        ("two weeks", "P2W", 2, "week"),
        ("twenty-five years", "P25Y", 25, "year"),
        ("Twenty five years", "P25Y", 25, "year"),
        ("ninety-nine years", "P99Y", 99, "year"),
        ("one hundred years", "P100Y", 100, "year"),
        ("3 yrs", "P3Y", 3, "year"),
        ("72 hours", "PT72H", 72, "hour"),
    ],
)
def test_durations(text: str, iso: str, amount: int, unit: str) -> None:
    (m,) = find_periods(text)
    assert (m.value, m.attributes["amount"], m.attributes["unit"]) == (iso, amount, unit)


def test_compound_durations() -> None:
    assert [m.value for m in find_periods("one year and a day")] == ["P1Y1D"]
    assert [m.value for m in find_periods("2 years and 6 months")] == ["P2Y6M"]
    assert [m.value for m in find_periods("1 week and 2 days")] == ["P9D"]


def test_trigger_after_the_period() -> None:
    text = "We keep the file for 7 years after the end of the financial year and then destroy it."
    (m,) = find_periods(text)
    assert m.value == "P7Y"
    assert m.attributes["trigger"] == "after the end of the financial year"
    assert m.attributes["qualifier"] == "for"
    assert m.text == "7 years after the end of the financial year"


def test_trigger_from_date_of_birth() -> None:
    (m,) = find_periods("Health records: 75 years from date of birth.")
    assert (m.value, m.attributes["trigger"]) == ("P75Y", "from date of birth")


def test_period_added_to_an_event() -> None:
    (m,) = find_periods("We keep it for the duration of your tenancy plus 6 years.")
    assert m.value == "P6Y"
    assert m.attributes["trigger"] == "the duration of your tenancy"
    (c,) = find_periods("Case files: closure + 6 years")
    assert c.attributes["trigger"] == "closure"


@pytest.mark.parametrize(
    ("text", "event", "age"),
    [
        ("Records are kept until the child's 25th birthday.", "the child's 25th birthday", 25),
        ("kept until their twenty-fifth birthday", "their twenty-fifth birthday", 25),
        ("until the child reaches 25", "the child reaches 25", 25),
        ("until the pupil reaches the age of 25, then", "the pupil reaches the age of 25", 25),
        ("until they are 21 years old", "they are 21 years old", 21),
        ("until the end of your tenancy, after which", "the end of your tenancy", None),
    ],
)
def test_event_rules(text: str, event: str, age: int | None) -> None:
    (m,) = find_periods(text)
    assert m.value is None
    assert m.attributes["event"] == event
    assert m.attributes["age"] == age
    assert m.text.startswith("until ")


def test_ranges_and_qualifiers() -> None:
    (m,) = find_periods("between 6-12 months")
    assert (m.value, m.attributes["min_amount"]) == ("P12M", 6)
    (w,) = find_periods("we will reply within one month")
    assert w.attributes["qualifier"] == "within"
    (u,) = find_periods("for up to 3 years")
    assert u.attributes["qualifier"] == "for up to"


@pytest.mark.parametrize(
    "text",
    [
        "children aged 13 years and over",
        "pupils who are 16 years old",
        "children under 13 years of age",
        "since 2018",
        "1.5 years",
        "Year 6 pupils",
        "someone yearly",
        "until we receive your reply",
        "0 days",
        "the day of the week",
    ],
)
def test_period_negatives(text: str) -> None:
    assert find_periods(text) == []


def test_parse_number() -> None:
    assert parse_number("twenty-five") == 25
    assert parse_number("Forty Two") == 42
    assert parse_number("a hundred") == 100
    assert parse_number("17") == 17
    assert parse_number("zillion") is None


@pytest.mark.parametrize(
    ("text", "value", "kind"),
    [
        ("in line with our retention schedule.", "retention schedule", "schedule"),
        ("see our Records Retention and Disposal Schedule", "records retention and disposal schedule", "schedule"),
        ("our retention and disposal schedule", "retention and disposal schedule", "schedule"),
        ("the Council's records management policy", "records management policy", "policy"),
        ("the disposal schedule", "disposal schedule", "schedule"),
        ("our data retention policy", "data retention policy", "policy"),
        ("the Records Management Code of Practice", "records management code of practice", "code"),
    ],
)
def test_schedule_references(text: str, value: str, kind: str) -> None:
    (m,) = find_schedule_references(text)
    assert (m.value, m.attributes["kind"]) == (value, kind)
    assert text[m.start : m.end] == m.text


@pytest.mark.parametrize("text", ["the school schedule", "our privacy policy", "retention of staff"])
def test_schedule_negatives(text: str) -> None:
    assert find_schedule_references(text) == []


_RUNS = ["6 ", "six ", "twenty-", "1-", "(0", "(", " ", "until ", "until the ", "a", "1 year ", "plus ", "retention "]


def adversarial(size: int = 1_000_000) -> str:
    """1 MB of long runs that make a backtracking pattern blow up (each run ~75 KB)."""
    chunk = size // len(_RUNS)
    return "".join((run * (chunk // len(run) + 1))[:chunk] for run in _RUNS)


@pytest.mark.parametrize("finder", [find_periods, find_schedule_references])
def test_periods_finish_on_adversarial_input(finder: Callable[[str], list[ValueMatch]]) -> None:
    assert isinstance(finder(adversarial()), list)


def test_unit_precheck_agrees_with_the_period_pattern() -> None:
    """The cheap unit-word test never rules out a text the regex would match (case folding included)."""
    from notice_audit.extract.values.periods import _PERIOD, may_hold_period

    tricky = ["6 YEARS", "six wee\u212a", "two wee\u212as", "3 year\u017f", "1 Yr", "10 BUSINESS DAYS",
              "4 Hours", "twelve mOnThS", "6 weaks", "six ye ars", "6 yeas", "no unit here", "",
              "seven (7) calendar days", "5-10 years", "1 year and a day"]
    for text in tricky:
        if _PERIOD.search(text):
            assert may_hold_period(text), text
    assert may_hold_period("six wee\u212a")
    assert not may_hold_period("kept for the period set out in our schedule")
    assert find_periods("two wee\u212as")[0].value == "P2W"
    assert find_periods("until the child's 25th birthday")[0].attributes["event"]
