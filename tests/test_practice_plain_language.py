"""Plain-language metrics, the syllable counter's measured accuracy, and jargon with alternatives."""

from __future__ import annotations

from pathlib import Path

import pytest

from notice_audit.extract.practice import plain_language
from notice_audit.extract.practice.syllables import syllables
from notice_audit.model import Finding
from tests.conftest import make_doc

DATA = Path(__file__).parent / "data"

PLAIN = ("We use your name and address to send you your bill. We keep it safe. We do not sell it. "
         "You can ask us for a copy at any time. Call us if you think it is wrong and we will fix it.")
HARD = ("Personal information processed by the authority pursuant to its statutory functions shall be "
        "retained in accordance with the corporate retention schedule, notwithstanding any contractual "
        "obligations, and disclosed to appropriate organisations where legislation necessitates such "
        "disclosure for administrative purposes.")


def measure(*blocks: str | tuple[str, str]) -> dict[str, Finding]:
    return {str(f.value): f for f in plain_language.extract(make_doc(("Privacy notice", list(blocks))))}


def word_list(name: str) -> list[tuple[str, int]]:
    rows = [line.split() for line in (DATA / name).read_text().splitlines() if line and not line.startswith("#")]
    return [(w, int(n)) for w, n in rows]


def test_syllable_counter_accuracy_as_documented() -> None:
    for name, exact_share in (("syllables.txt", 1.0), ("syllables_heldout.txt", 0.97)):
        words = word_list(name)
        errors = [(w, n, syllables(w)) for w, n in words if syllables(w) != n]
        assert 1 - len(errors) / len(words) >= exact_share, (name, errors)
        assert all(abs(n - got) <= 1 for _, n, got in errors), errors


@pytest.mark.parametrize(("word", "count"), [("GDPR", 4), ("NHS", 3), ("WWW", 9), ("", 0), ("2018", 0),
                                             ("council's", 2), ("e-mail", 2)])
def test_syllables_of_acronyms_and_odd_tokens(word: str, count: int) -> None:
    assert sum(syllables(p) for p in word.split("-")) == count


def test_flesch_reading_ease_matches_the_formula() -> None:
    # 100 words, 5 sentences, 150 syllables: 206.835 - 1.015 * 20 - 84.6 * 1.5
    assert plain_language.flesch(100, 5, 150) == pytest.approx(59.635)
    assert plain_language.grade(100, 5, 150) == pytest.approx(0.39 * 20 + 11.8 * 1.5 - 15.59)


def test_plain_text_reads_easily_and_legalese_does_not() -> None:
    plain = measure(PLAIN)["reading_ease"].attributes
    hard = measure(HARD)["reading_ease"].attributes
    assert plain["reading_ease"] > 80 > 0 > hard["reading_ease"]
    assert plain["sentences"] == 5 and plain["words"] == 43
    assert hard["sentences_over_25_words"] == 100.0 and plain["sentences_over_25_words"] == 0.0


def test_each_metric_quotes_its_passage() -> None:
    found = measure(PLAIN, HARD)
    assert found["reading_ease"].evidence.quote.startswith("Personal information processed")
    assert found["words_per_sentence"].evidence.quote.startswith("Personal information processed")
    assert found["jargon_per_100_words"].attributes["passage"] == "the sentence with most jargon"
    assert set(found) == {"reading_ease", "grade_level", "words_per_sentence", "sentences_over_20_words",
                          "sentences_over_25_words", "jargon_per_100_words"}


def test_jargon_is_counted_with_plain_alternatives() -> None:
    attrs = measure(HARD)["jargon_per_100_words"].attributes
    terms = {j["term"]: j["plain"] for j in attrs["jargon"]}
    assert terms["pursuant to"] == "under" and "notwithstanding" in terms and "shall" in terms
    assert "'pursuant to' → 'under'" in attrs["advice"]
    assert measure(PLAIN)["jargon_per_100_words"].attributes["jargon_count"] == 0


def test_short_list_items_and_addresses_are_not_prose() -> None:
    found = measure(PLAIN, ("list_item", "Name"), ("list_item", "Address"), "See https://example.org/a/b/c.")
    assert found["reading_ease"].attributes["sentences"] == 6  # the two one-word items are labels


def test_too_little_text_is_not_measured() -> None:
    assert measure("We use your name.") == {}


def test_readability_summary_for_the_report() -> None:
    summary = plain_language.readability(list(measure(PLAIN).values()))
    assert summary is not None and "reading_ease" in summary and "metric" not in summary
    assert plain_language.readability([]) is None


def test_long_hostile_text_is_measured_and_quoted_within_bounds() -> None:
    # how long it takes is the scaling benchmark's hostile case, never asserted in a test
    from notice_audit.extract.base import MAX_QUOTE

    text = ("a" * 5000 + " ") * 200 + "word-" * 5000
    found = {f.value: f for f in plain_language.extract(make_doc(("", [text, PLAIN * 200])))}
    assert found["reading_ease"].evidence.quote.startswith("aaaa")  # the hardest passage is the hostile one
    assert all(len(f.evidence.quote) <= MAX_QUOTE for f in found.values())


def test_remembered_syllables_are_the_counted_ones_and_stay_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    from notice_audit.extract.practice import plain_language

    table = plain_language._Syllables()
    monkeypatch.setattr(plain_language._Syllables, "LIMIT", 3)
    words = ["data", "processing", "well-being", "you're", "information", "data"]
    assert [table[w] for w in words] == [plain_language.word_syllables(w) for w in words]
    assert len(table) <= 3
