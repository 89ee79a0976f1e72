"""The prefilter's own pattern reader (``extract/literals.py``): what it reads, and what it leaves alone."""

from __future__ import annotations

import gc
import re

import pytest

from notice_audit.extract import load_lexicons
from notice_audit.extract.literals import AT, BRANCH, GROUP, IN, LITERAL, OTHER, REPEAT, SPACE, TEXT, read
from notice_audit.extract.prefilter import Alternation, required_sets


def test_items_of_a_plain_pattern() -> None:
    got = read(r"\bdata\s+(?P<kind>a|b)?[xy\s]é\.s?")
    assert got is not None
    items, groups = got
    assert groups == 1
    assert items == [
        (AT, None),
        (TEXT, "data"),  # a run of ASCII literals is one item
        (REPEAT, (1, 1 << 30, [(IN, [(SPACE, None)])])),
        (REPEAT, (0, 1, [(GROUP, [(BRANCH, [[(TEXT, "a")], [(TEXT, "b")]])])])),
        (IN, [(LITERAL, ord("x")), (LITERAL, ord("y")), (SPACE, None)]),
        (LITERAL, ord("é")),  # not ASCII: not a literal the scan tests for
        (TEXT, "."),
        (REPEAT, (0, 1, [(TEXT, "s")])),  # a quantifier takes the last character only
    ]


@pytest.mark.parametrize("pattern", [r"(?=data)x", r"(?<!no )x", r"\w+", r"[a-z]", r"[^.]", r"\d", r".", r"\1"])
def test_what_is_not_a_literal_is_other(pattern: str) -> None:
    got = read(pattern)
    assert got is not None
    assert any(kind in (OTHER, REPEAT, IN) for kind, _ in got[0])
    assert not required_sets(pattern)  # nothing of three characters is required


@pytest.mark.parametrize("pattern", [r"(?(1)a|b)", r"(a", r"a)", r"[abc", "a\\", r"\b*", r"a**"])
def test_what_it_cannot_read_is_none(pattern: str) -> None:
    assert read(pattern) is None


def test_a_verbose_pattern_is_not_read() -> None:
    assert read("data  # a comment", re.VERBOSE) is None


def test_braces_that_are_not_a_quantity_are_literals() -> None:
    assert required_sets(r"abc{}def") == [frozenset({"abc{}def"})]
    assert required_sets(r"ab{2}c") == [frozenset({"abbc"})]


def test_every_lexicon_pattern_is_read_with_its_groups() -> None:
    """Each bundled lexicon pattern is read (none left to a full search for want of a reader), and
    the groups it counts are those ``re`` counts."""
    load_lexicons()
    gc.unfreeze()  # an audit's warm-up earlier in this process hid what it loaded from get_objects
    alternations = [o for o in gc.get_objects() if isinstance(o, Alternation)]
    assert alternations
    for alt in alternations:
        assert alt.groups == re.compile(alt.pattern, alt.flags).groups, alt.pattern[:80]
        for part in alt._parts:
            got = read(part, alt.flags)
            assert got is not None, part[:80]
            assert got[1] == re.compile(part, alt.flags).groups, part[:80]
