"""The repetition benchmark's counting (its run over the corpora is a benchmark, not a test)."""

from __future__ import annotations

from benchmarks.repetition import Repetition, count


def test_repeats_are_counted_within_a_page_and_across_the_corpus() -> None:
    pages = [["Who we are", "We keep data.", "We keep data."], ["Who we are", "We share data."], ["We share data."]]
    assert count(pages) == Repetition(units=6, within=1, across=3)


def test_the_line_gives_both_shares() -> None:
    line = Repetition(units=200, within=50, across=120).line("generated")
    assert line == ("generated: 200 sentences and headings, 25.0% repeat one earlier in their page, "
                    "60.0% one earlier in the corpus")
