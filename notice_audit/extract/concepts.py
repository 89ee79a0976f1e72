"""Concepts: named families of words and phrases, found in a whole document in one scan.

``lexicons/concepts.yaml`` maps each concept to its words and phrases. Each word of a phrase
stands for its inflections (``tokens.inflections``), so "transfer" finds "transferred" and
"transfers": a text word is read as the lexicon word it inflects (its lemma); a word
written ``=word`` must appear exactly so (lower-cased); an entry ``+other`` takes in every
phrase of another concept. Every phrase of every concept goes into one Aho-Corasick automaton,
and the lemmas of a whole document are scanned once: each sentence then knows, for every
concept, the word positions where it occurs.

Some concepts come from the tokenizer and the index, not the lexicon: ``num`` (a number
written in digits), ``to_inf`` (a "to" that opens an infinitive), ``ing_word`` (a present
participle or gerund: "assessing", "providing"), ``proper`` (a capitalised word that does not
open the sentence: part of a name, "the DVLA", "Companies House"), ``statute_ref`` (a capitalised
"Act" or "Regulations" after another capitalised word: "the Children Act"), and ``email_value``,
``phone_value`` and ``url_value`` (a sentence that gives an email address, a phone number or
a web address: contact details, not a description of data).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import repeat
from operator import itemgetter
from typing import Any

import ahocorasick

from notice_audit import yamldata
from notice_audit.cache import cache_dir, read_entry, write_entry
from notice_audit.extract import derived
from notice_audit.extract.tokens import Tokens, infinitive_markers, inflections, participles, tokenize

#: Word positions (first, last), inclusive, of each occurrence of each concept in one text.
Hits = dict[str, list[tuple[int, int]]]

#: Concepts the tokenizer marks; a lexicon may not define them.
VIRTUAL = frozenset({"num", "to_inf", "ing_word", "proper", "statute_ref", "email_value", "phone_value",
                     "url_value"})

#: The last word of a statute's title ("the Children Act", "the Education (England) Regulations").
_STATUTE_WORDS = frozenset({"act", "acts", "regulations", "order", "measure", "ordinance"})

_SEPARATOR = "\x02"  # between texts in the scanned string: no phrase crosses it
_DIGIT = re.compile(r"\d")
_OTHER = "\x01"  # a word no phrase holds
_FIRST_LETTER = 0x100  # the scanned string is made of these letters only, never of the text itself


@dataclass(frozen=True, slots=True)
class _Entry:
    concept: str
    size: int
    exact: tuple[str | None, ...]  # the exact form each word must have, or None


#: One phrase key's entry: [concept, number of words, the exact form of each word or None (or no forms)].
Row = list[Any]
#: What a compiled lexicon is made of, as plain data, as JSON gives it back (``ConceptLexicon.tables``):
#: the concept names, each inflected form's lexicon word, each word's letter, each phrase key's entries.
Tables = list[Any]


class ConceptLexicon:
    """Compiled concepts: one automaton over lemma strings."""

    def __init__(self, concepts: Mapping[str, Sequence[str]]) -> None:
        self._build(*compile_tables(concepts))

    @classmethod
    def from_tables(cls, tables: Tables) -> ConceptLexicon:
        """The lexicon compiled to ``tables`` before (``compile_tables``), without compiling it again."""
        self = cls.__new__(cls)
        self._build(*tables)
        return self

    def _build(self, names: list[str], lemmas: dict[str, str], letters: dict[str, str],
               table: dict[str, list[Row]]) -> None:
        self.names = frozenset(names)
        self._lemmas = lemmas
        self._letters = letters
        self._tables: Tables = [names, lemmas, letters, table]
        self._automaton = ahocorasick.Automaton()
        for key, rows in table.items():
            entries = [_Entry(concept, size, tuple(exact)) for concept, size, exact in rows]
            plain = tuple(e.concept for e in entries if not e.exact)
            exact_entries = tuple(_exact_check(e) for e in entries if e.exact)
            self._automaton.add_word(key, (len(key) - 1, plain, exact_entries))
        if table:
            self._automaton.make_automaton()
        self._empty = not table
        #: The letter of every word, and the separator its own letter: a document's scanned string is
        #: then one C-level ``map`` over all its words.
        self._scan_letters = {**self._letters, _SEPARATOR: _SEPARATOR}

    def tables(self) -> Tables:
        """What this lexicon was built from, as plain data (kept between runs by ``lexicon``)."""
        return self._tables

    def lemma(self, word: str) -> str:
        """The lexicon word that ``word`` inflects, or the word itself."""
        return self._lemmas.get(word, word)

    def scan(self, texts: Sequence[Tokens]) -> list[Hits]:
        """The concepts of each text, in one pass of the automaton over all of them."""
        found: list[defaultdict[str, list[tuple[int, int]]]] = [defaultdict(list) for _ in texts]
        words: list[str] = []  # every word of every text, each text followed by the separator
        text_at: list[int] = []  # position in the scanned string of each text's first word
        for tokens, hits in zip(texts, found, strict=True):
            text_at.append(len(words))
            words += tokens.words
            words.append(_SEPARATOR)
            _mark_words(tokens, hits)
        if not self._empty and texts:
            scanned = "".join(map(self._scan_letters.get, words, repeat(_OTHER)))
            self._find(texts, scanned, text_at, found)
        return [dict(h) for h in found]

    def _find(self, texts: Sequence[Tokens], scanned: str, text_at: list[int],
              found: list[defaultdict[str, list[tuple[int, int]]]]) -> None:
        text_at.append(len(scanned) + 1)
        t, first, next_at = 0, 0, text_at[1]
        hits = found[0]
        for end, (back, plain, exact) in self._automaton.iter(scanned):
            # matches come in order of their ends and no key crosses a separator: the text a match
            # is in only moves on
            if end >= next_at:
                while end >= next_at:
                    t += 1
                    first, next_at = next_at, text_at[t + 1]
                hits = found[t]
            last = end - first
            span = (last - back, last)
            for concept in plain:
                hits[concept].append(span)
            if exact:
                matched = texts[t].words[last - back : last + 1]
                for concept, pick, wanted in exact:
                    if pick(matched) == wanted:
                        hits[concept].append(span)


def _exact_check(entry: _Entry) -> tuple[str, Callable[[tuple[str, ...]], Any], Any]:
    """A phrase with words that must appear exactly so, as (concept, pick, wanted): ``pick`` (an
    ``itemgetter``, C-level) takes those words from the matched words, which hold when it gives ``wanted``."""
    at = [k for k, x in enumerate(entry.exact) if x is not None]
    wanted = tuple(entry.exact[k] for k in at)
    return entry.concept, itemgetter(*at), wanted if len(at) > 1 else wanted[0]


def _mark_words(tokens: Tokens, hits: Hits) -> None:
    """The concepts the words themselves give: infinitive markers, numbers, participles, names."""
    marks = infinitive_markers(tokens)
    if marks:
        hits["to_inf"] = [(w, w) for w in marks]
    words = tokens.words
    if _DIGIT.search(tokens.text) is not None or not tokens.text:
        numbers = [(w, w) for w, word in enumerate(words) if word[0].isdigit()]
        if numbers:
            hits["num"] = numbers
    ing = participles(tokens)
    if ing:
        hits["ing_word"] = [(w, w) for w in ing]
    capitalised = tokens.capitalised
    names = [(w, w) for w in range(1, len(words)) if capitalised[w] and words[w] != "i"]
    if names:
        hits["proper"] = names
        # a statute by name: a capitalised "Act" or "Regulations" after another capitalised word
        statutes = [(w, w) for w, _ in names if words[w] in _STATUTE_WORDS and capitalised[w - 1]]
        if statutes:
            hits["statute_ref"] = statutes


def compile_tables(concepts: Mapping[str, Sequence[str]]) -> Tables:
    """Compile a concept lexicon to plain data: every phrase's words tokenized and read as the lexicon
    words they inflect, each lexicon word made one letter, each phrase a key of those letters."""
    phrases: list[tuple[str, list[tuple[str, bool]]]] = []  # (concept, [(word, exact)])
    for concept in concepts:
        for phrase in _expand(concept, concepts, ()):
            words: list[tuple[str, bool]] = []
            for word in phrase.lower().replace("’", "'").split():
                exact = word.startswith("=")
                words.extend((part, exact) for part in tokenize(word[1:] if exact else word).words)
            if not words:
                raise ValueError(f"concepts.yaml: empty phrase in {concept!r}")
            phrases.append((concept, words))
    lemmas = _lemma_table({w for _, words in phrases for w, exact in words if not exact})
    # Each lexicon word (a lemma) is one character of the scanned string, every other word is
    # _OTHER: a phrase is a string of as many characters as it has words, and a match's end is
    # the position of its last word.
    vocabulary = sorted({lemmas.get(w, w) for _, words in phrases for w, _ in words})
    letter = {word: chr(_FIRST_LETTER + i) for i, word in enumerate(vocabulary)}
    letters = {form: letter[lemma] for form, lemma in lemmas.items() if lemma in letter}
    letters.update((word, ch) for word, ch in letter.items() if word not in lemmas)
    table: dict[str, list[Row]] = {}
    for concept, words in phrases:
        key = "".join(letter[lemmas.get(w, w)] for w, _ in words)
        exact_words = [w if is_exact else None for w, is_exact in words]
        row: Row = [concept, len(words), exact_words if any(exact_words) else []]
        bucket = table.setdefault(key, [])
        if row not in bucket:
            bucket.append(row)
    return [sorted(frozenset(concepts) | VIRTUAL), lemmas, letters, table]


def _lemma_table(words: set[str]) -> dict[str, str]:
    """Each inflected form of a lexicon word, mapped to the lexicon word it inflects.

    A form two words could inflect goes to the longer one ("noted" is "note" + "d", not
    "not" + "ed"); a lexicon word that inflects another is read as that other ("rights" is
    "right"), so that a phrase finds every inflection of its words.
    """
    table: dict[str, str] = {}
    for word in sorted(words, key=lambda w: (-len(w), w)):
        for form in inflections(word) - {word}:
            table.setdefault(form, word)
    return table


def _expand(concept: str, concepts: Mapping[str, Sequence[str]], seen: tuple[str, ...]) -> list[str]:
    if concept in seen:
        raise ValueError(f"concepts.yaml: {concept!r} includes itself ({' -> '.join((*seen, concept))})")
    if concept not in concepts:
        raise ValueError(f"concepts.yaml: unknown concept {concept!r}" + (f" in {seen[-1]!r}" if seen else ""))
    out: list[str] = []
    for phrase in concepts[concept]:
        phrase = str(phrase)
        if phrase.startswith("+"):
            out.extend(_expand(phrase[1:], concepts, (*seen, concept)))
        else:
            out.append(phrase)
    return out


def load_concepts() -> dict[str, list[str]]:
    """The bundled concept lexicon as data (``lexicons/concepts.yaml``)."""
    text = resources.files("notice_audit.extract").joinpath("lexicons", "concepts.yaml").read_text("utf-8")
    data: Any = yamldata.load(text)
    if not isinstance(data, dict) or not all(isinstance(v, list) for v in data.values()):
        raise ValueError("concepts.yaml must map each concept to a list of words and phrases")
    for concept, phrases in data.items():
        odd = [p for p in phrases if not isinstance(p, str)]
        if odd:  # YAML reads a bare no, on, yes or off as a boolean: quote it
            raise ValueError(f"concepts.yaml: {concept!r} holds {odd!r}, not words (quote them)")
    clash = VIRTUAL & set(data)
    if clash:
        raise ValueError(f"concepts.yaml: {sorted(clash)} are marked by the tokenizer and cannot be defined")
    return data


#: Bumped when the shape of ``Tables`` changes.
_TABLES_VERSION = "concepts-1"
#: The modules whose code decides the tables: compiling them, and the tokenizer that reads phrases.
_COMPILERS = ("concepts.py", "tokens.py")


@cache
def lexicon() -> ConceptLexicon:
    """The bundled concepts, compiled once per process and kept between runs.

    Compiling them (every phrase tokenized and read as the lexicon words it inflects) took a tenth of
    a one-page audit's start-up, for a result that depends only on the lexicon files and this code:
    the compiled tables are kept in the user's cache (``concepts.json``, beside the derived literals),
    under a hash of both and the Python version (``derived.cache_key``), and read back by a warm start.
    A cache that cannot be read or written, or holds anything else, is passed over."""
    try:
        key = derived.cache_key(_TABLES_VERSION, _COMPILERS)
    except OSError:  # no lexicon folder to hash: nothing is kept
        return ConceptLexicon(load_concepts())
    path = cache_dir() / "concepts.json"
    tables = read_entry(path, key, "tables")
    if _well_formed(tables):
        return ConceptLexicon.from_tables(tables)
    compiled = ConceptLexicon(load_concepts())
    write_entry(path, key, "tables", compiled.tables())
    return compiled


def _well_formed(tables: Any) -> bool:
    if not (isinstance(tables, list) and len(tables) == 4):
        return False
    names, lemmas, letters, table = tables
    strings = all(isinstance(x, str) for x in names)
    maps = all(isinstance(m, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in m.items())
               for m in (lemmas, letters))
    return strings and maps and isinstance(table, dict) and all(
        isinstance(k, str) and isinstance(rows, list) and all(
            isinstance(r, list) and len(r) == 3 and isinstance(r[0], str) and type(r[1]) is int
            and isinstance(r[2], list) and all(x is None or isinstance(x, str) for x in r[2]) for r in rows)
        for k, rows in table.items())
