"""Plain-language metrics: reading ease, sentence length and jargon, each with a passage to show.

The ICO asks for privacy information that is concise, intelligible and in
clear and plain language. These are measures of that a content editor can act
on; the thresholds live in the checklist (``metric`` rules), not here.

What is measured ("prose"): the sentences of paragraphs, and of list items and
table cells of at least ``MIN_ITEM_WORDS`` words (a one-word item such as
"Name" in a list of data is a label, not a sentence). Words are runs of
letters (apostrophes and hyphens inside a word allowed); web and email
addresses and numbers are not words. Headings are not measured.

- ``reading_ease``: Flesch reading ease, 206.835 - 1.015 x words per sentence
  - 84.6 x syllables per word (``syllables.py`` counts syllables). 60-70 is
  plain English; 30-50 reads like a broadsheet or a legal text.
- ``grade_level``: Flesch-Kincaid grade, 0.39 x words per sentence + 11.8 x
  syllables per word - 15.59 (US school grade).
- ``words_per_sentence``: the mean.
- ``sentences_over_20_words`` and ``sentences_over_25_words``: the share of
  sentences longer than that, in per cent (GOV.UK advises at most 25 words).
- ``jargon_per_100_words``: occurrences of the terms in ``lexicons/jargon.yaml``
  per 100 words, with plain alternatives to suggest.

One ``plain_language`` finding per metric (value = the metric's name), each
carrying every metric in its attributes and quoting the passage that shows the
metric best: the hardest sentence for reading ease, the longest for sentence
length, the one with most jargon for jargon. A text with fewer than
``MIN_WORDS`` words of prose is not measured (no findings).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from notice_audit.extract.base import Sentence, finding, load_lexicon
from notice_audit.extract.practice.common import all_sentences
from notice_audit.extract.practice.syllables import syllables
from notice_audit.extract.prefilter import Alternation, Matcher, gate
from notice_audit.formats.words import plural
from notice_audit.model import Document, Finding

#: Below this many words of prose, nothing is measured: the figures would be noise.
MIN_WORDS = 20
#: List items and table cells shorter than this are labels, not sentences.
MIN_ITEM_WORDS = 4
#: Sentences shorter than this are not chosen as the "hardest" passage (short ones swing wildly).
MIN_HARD_WORDS = 10
LONG_SENTENCES = (20, 25)

_ADDRESS = re.compile(r"\b(?:https?://|www\.)\S{1,2000}|\S{1,200}@\S{1,200}", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’]{0,60}(?:-[A-Za-z][A-Za-z'’]{0,60}){0,5}")


@cache
def jargon_lexicon() -> tuple[Alternation, tuple[Matcher, ...], tuple[str, ...]]:
    """One alternation of every jargon term, each term on its own, and the plain words for each."""
    terms = load_lexicon("jargon")["terms"]
    patterns = [t["pattern"] for t in terms]
    return (Alternation(patterns), tuple(re.compile(p, re.IGNORECASE) for p in patterns),
            tuple(t["plain"] for t in terms))


@dataclass(frozen=True, slots=True)
class Measured:
    """One sentence of prose: its words and syllables."""

    sentence: Sentence
    words: int
    syllables: int

    @property
    def reading_ease(self) -> float:
        return flesch(self.words, 1, self.syllables)


def words_of(text: str) -> list[str]:
    """The words of a text, as the formulas count them (addresses left out)."""
    if "@" in text or "://" in text or "www." in text.lower():  # what every address holds
        text = _ADDRESS.sub(" ", text)
    return _WORD.findall(text)


@lru_cache(maxsize=16384)
def word_syllables(word: str) -> int:
    """Syllables of a word, hyphenated parts counted apart (remembered: words recur)."""
    return sum(syllables(part) for part in word.split("-"))


class _Syllables(dict[str, int]):
    """Syllables by word, counted on first meeting: a hit is one C-level lookup, where an
    ``lru_cache`` call per word of every sentence was a tenth of this extractor. Emptied when large."""

    LIMIT = 65536

    def __missing__(self, word: str) -> int:
        if len(self) >= self.LIMIT:
            self.clear()
        count = self[word] = word_syllables(word)
        return count


_SYLLABLES = _Syllables()


def flesch(words: int, sentences: int, syllable_count: int) -> float:
    return 206.835 - 1.015 * (words / sentences) - 84.6 * (syllable_count / words)


def grade(words: int, sentences: int, syllable_count: int) -> float:
    return 0.39 * (words / sentences) + 11.8 * (syllable_count / words) - 15.59


def prose(doc: Document) -> list[Measured]:
    out: list[Measured] = []
    for s in all_sentences(doc):
        words = words_of(s.text)
        if not words or (s.block.kind != "paragraph" and len(words) < MIN_ITEM_WORDS):
            continue
        out.append(Measured(s, len(words), sum(map(_SYLLABLES.__getitem__, words))))
    return out


def jargon(doc: Document) -> tuple[Counter[str], dict[str, str], Sentence | None]:
    """Jargon found (by the words used), the plain alternative for each, and the sentence with most."""
    counts: Counter[str] = Counter()
    plain: dict[str, str] = {}
    worst: tuple[int, Sentence | None] = (0, None)
    pattern, terms, alternatives = jargon_lexicon()
    rules_out = gate(pattern).rules_out  # a set test: most sentences hold no jargon term's word
    for s in all_sentences(doc):
        here = 0
        text = s.text
        if rules_out(text):
            continue
        for m in pattern.finditer(text):
            key = " ".join(m.group(0).lower().split())
            counts[key] += 1
            # the alternation took the first term that matches here
            term = next(i for i, t in enumerate(terms) if t.match(text, m.start()))
            plain.setdefault(key, alternatives[term])
            here += 1
        if here > worst[0]:
            worst = (here, s)
    return counts, plain, worst[1]


def metrics(measured: list[Measured], jargon_count: int) -> dict[str, Any]:
    words = sum(m.words for m in measured)
    count = len(measured)
    syl = sum(m.syllables for m in measured)
    out: dict[str, Any] = {
        "reading_ease": round(flesch(words, count, syl), 1),
        "grade_level": round(grade(words, count, syl), 1),
        "words_per_sentence": round(words / count, 1),
        "words": words,
        "sentences": count,
        "syllables_per_word": round(syl / words, 2),
        "jargon_per_100_words": round(100 * jargon_count / words, 2),
        "jargon_count": jargon_count,
    }
    for limit in LONG_SENTENCES:
        out[f"sentences_over_{limit}_words"] = round(100 * sum(1 for m in measured if m.words > limit) / count, 1)
    return out


def extract(doc: Document) -> list[Finding]:
    measured = prose(doc)
    if sum(m.words for m in measured) < MIN_WORDS:
        return []
    counts, plain, worst = jargon(doc)
    values = metrics(measured, sum(counts.values()))
    values["jargon"] = [{"term": t, "plain": plain[t], "count": n} for t, n in counts.most_common()]
    longest = max(measured, key=lambda m: m.words)
    candidates = [m for m in measured if m.words >= MIN_HARD_WORDS] or measured
    hardest = min(candidates, key=lambda m: (m.reading_ease, -m.words))
    advice = "; ".join(f"'{t}' → '{plain[t]}' ({n}×)" for t, n in counts.most_common(5))
    shown = {
        "reading_ease": hardest,
        "grade_level": hardest,
        "words_per_sentence": longest,
        "sentences_over_20_words": longest,
        "sentences_over_25_words": longest,
    }
    out = [
        finding("plain_language", m.sentence, value=name,
                attributes={**values, "metric": name, "passage": _why(name, m)})
        for name, m in shown.items()
    ]
    jargon_sentence = worst or longest.sentence
    out.append(finding("plain_language", jargon_sentence, value="jargon_per_100_words",
                       attributes={**values, "metric": "jargon_per_100_words", "advice": advice,
                                   "passage": "the sentence with most jargon" if worst else "the longest sentence"}))
    return out


def _why(name: str, m: Measured) -> str:
    if name in ("reading_ease", "grade_level"):
        return f"the hardest sentence (reading ease {m.reading_ease:.0f}, {plural(m.words, 'word')})"
    return f"the longest sentence ({plural(m.words, 'word')})"


def readability(found: list[Finding]) -> dict[str, Any] | None:
    """The metrics for the report's ``extracted.practice`` (None when the text was too short)."""
    for f in found:
        if f.element == "plain_language":
            return {k: v for k, v in f.attributes.items() if k not in ("metric", "advice", "passage")}
    return None
