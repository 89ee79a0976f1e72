"""Words of a sentence and their inflections: what concepts are matched on.

A concept names a family of words, and every word in a lexicon stands for its inflections:
"transfer" also finds "transfers", "transferred" and "transferring"; "copy" finds "copies",
"copied" and "copying". ``inflections`` generates a word's regular inflections (over-generating
is harmless: "informationed" never occurs in a text), and a text word is read as the shortest
lexicon word it inflects. Derived words are not inflections ("regulation" is not "regulator",
"information" is not "informed"): a lexicon lists them where they belong to the family
("correct", "correction"), and so keeps precision a stemmer would lose. Irregular forms are
listed too ("keep", "kept"). Contractions are split as a treebank tokenizer splits them
("don't" -> "do" "n't", "council's" -> "council" "'s"), so that negation and possession are
words of their own.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from notice_audit import yamldata

#: A word: letters and digits; a contraction's tail ("'s", "'ll", "'t") is a word of its own, and
#: "n't" is taken back from the word before it ("don't" -> "do" "n't").
_WORD = re.compile(r"[^\W_]+|['’](?:t|s|ll|re|ve|d|m)\b", re.IGNORECASE)

_VOWELS = frozenset("aeiou")

def inflections(word: str) -> set[str]:
    """The word and its regular inflections: plural or third person, past, present participle."""
    out = {word}
    if len(word) < 3 or not word.isalpha():
        return out
    last, before = word[-1], word[-2]
    consonant_y = last == "y" and before not in _VOWELS
    out.add(word[:-1] + "ies" if consonant_y else word + "s")
    if word.endswith(("s", "x", "z", "ch", "sh", "o")):
        out.add(word + "es")
    if consonant_y:
        out.add(word[:-1] + "ied")
    out.add(word + "d" if last == "e" else word + "ed")
    if word.endswith("ie"):
        out.add(word[:-2] + "ying")
    elif last == "e" and before not in "eoy":
        out.add(word[:-1] + "ing")
    else:
        out.add(word + "ing")
    # a final consonant after one vowel may double: "transferred", "stopped", "getting"
    if last not in _VOWELS and last not in "wxy" and before in _VOWELS and word[-3] not in _VOWELS:
        out.update({word + last + "ed", word + last + "ing"})
    return out


class Tokens:
    """The words of one text: lower-cased forms, which were capitalised, and (worked out when first
    asked for: most texts never need them) their character spans."""

    __slots__ = ("_spans", "_text", "capitalised", "words")

    def __init__(self, words: tuple[str, ...], spans: tuple[tuple[int, int], ...] | None = None,
                 capitalised: tuple[bool, ...] = (), text: str = "") -> None:
        self.words = words
        self.capitalised = capitalised
        self._spans = spans
        self._text = text

    def __len__(self) -> int:
        return len(self.words)

    @property
    def text(self) -> str:
        """The text the words were read from."""
        return self._text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Tokens) and (self.words, self.spans, self.capitalised) == (
            other.words, other.spans, other.capitalised)

    def __hash__(self) -> int:
        return hash(self.words)

    def __repr__(self) -> str:
        return f"Tokens({self.words!r})"

    @property
    def spans(self) -> tuple[tuple[int, int], ...]:
        """Each word's (start, end) in the text."""
        if self._spans is None:
            self._spans = tuple(m.span() for m in _WORD.finditer(self._text))
        return self._spans

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Character span from the start of word ``first`` to the end of word ``last``."""
        spans = self.spans
        return spans[first][0], spans[last][1]


#: "n't" in a text: the only case where words are not simply the pattern's matches.
_NT = re.compile(r"n['’]t\b", re.IGNORECASE)
#: ``_WORD`` for a text with no apostrophe (most texts), where it finds the same words a little faster.
_PLAIN_WORD = re.compile(r"[^\W_]+")


def tokenize(text: str) -> Tokens:
    """Split a text into words; apostrophes are normalised to "'" in the lower-cased forms."""
    if "'" not in text and "’" not in text:
        found = _PLAIN_WORD.findall(text)
        return Tokens(tuple([w.lower() for w in found]), None, tuple([w[0].isupper() for w in found]), text)
    if _NT.search(text) is not None:
        return _tokenize_contractions(text)
    found = _WORD.findall(text)
    words = [w.lower() for w in found]
    if "’" in text:
        words = [w.replace("’", "'") for w in words]
    return Tokens(tuple(words), None, tuple([w[0].isupper() for w in found]), text)


def _tokenize_contractions(text: str) -> Tokens:
    words: list[str] = []
    spans: list[tuple[int, int]] = []
    caps: list[bool] = []
    for m in _WORD.finditer(text):
        word = m.group()
        start, end = m.span()
        if word[1:] in ("t", "T") and words and words[-1].endswith("n") and spans[-1][1] == start:
            # "don't": the word before gives back its "n" ("ca" "n't" for "can't", as treebanks split it)
            prev_start = spans[-1][0]
            words[-1] = words[-1][:-1]
            spans[-1] = (prev_start, start - 1)
            if not words[-1]:
                words.pop(), spans.pop(), caps.pop()
            words.append("n't")
            spans.append((start - 1, end))
            caps.append(False)
            continue
        words.append(word.lower().replace("’", "'"))
        spans.append((start, end))
        caps.append(word[0].isupper())
    return Tokens(tuple(words), tuple(spans), tuple(caps), text)


@cache
def _word_lists() -> dict[str, frozenset[str]]:
    """``lexicons/tokens.yaml``: the words that tell an infinitive and a participle apart."""
    text = resources.files("notice_audit.extract").joinpath("lexicons", "tokens.yaml").read_text("utf-8")
    data = yamldata.load(text)
    return {key: frozenset(str(w) for w in data[key]) for key in ("not_verbs_after_to", "not_participles")}


def is_participle(word: str) -> bool:
    """A present participle or gerund ("assessing", "providing"), by its ending."""
    return word.endswith("ing") and len(word) > 5 and word not in _word_lists()["not_participles"]


def participles(tokens: Tokens) -> list[int]:
    """Positions of the present participles and gerunds of a text (``is_participle``)."""
    text = tokens.text
    if text and "ing" not in text and "ING" not in text:
        return []
    others = _word_lists()["not_participles"]
    return [w for w, word in enumerate(tokens.words) if word.endswith("ing") and len(word) > 5 and word not in others]


def infinitive_markers(tokens: Tokens) -> list[int]:
    """Positions of "to" that open an infinitive ("we use it to assess ..."), not a preposition.

    The word after it decides: a determiner, pronoun or common object noun makes it a
    preposition ("share it to the council"); a digit ("up to 6 years") too.
    """
    out: list[int] = []
    words = tokens.words
    if "to" not in words:
        return out
    not_verbs = _word_lists()["not_verbs_after_to"]
    last = len(words) - 1
    i = words.index("to")  # a C-level search from one "to" to the next, not a Python loop over every word
    while i < last:
        nxt = words[i + 1]
        if nxt not in not_verbs and not nxt[0].isdigit() and nxt[0] != "'":
            out.append(i)
        try:
            i = words.index("to", i + 1)
        except ValueError:
            break
    return out
