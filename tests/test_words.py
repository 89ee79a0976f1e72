"""Counted nouns: one helper words every count, so no message says "1 notices"."""

from __future__ import annotations

import pytest

from notice_audit.formats.words import agree, plural


@pytest.mark.parametrize(("count", "expected"), [(0, "0 notices"), (1, "1 notice"), (2, "2 notices"),
                                                 (11, "11 notices"), (21, "21 notices")])
def test_plural_agrees_with_the_count(count: int, expected: str) -> None:
    assert plural(count, "notice") == expected


def test_irregular_plural_and_noun_phrases() -> None:
    assert plural(1, "entry", "entries") == "1 entry"
    assert plural(3, "entry", "entries") == "3 entries"
    assert plural(2, "new gap") == "2 new gaps"  # a phrase agrees by its last word
    assert plural(2, "pair of slots", "pairs of slots") == "2 pairs of slots"


def test_agree_gives_the_word_alone() -> None:
    assert agree(1, "notice") == "notice" and agree(5, "notice") == "notices"
    assert agree(1, "is", "are") == "is" and agree(0, "is", "are") == "are"
