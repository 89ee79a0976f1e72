"""Literal prefilters: run only the alternatives of a lexicon that could match a text.

Every lexicon compiles to one case-insensitive alternation of dozens of patterns, and
Python's ``re`` tries each alternative at each position of each sentence: that search was
half of an audit's time. Almost every alternative needs some words ("controller", "retain",
"ico"), so each gets the sets of literals any match of it must hold one of, derived from the
pattern as read by ``literals.read`` (our own reader: what it cannot read is searched in every
text) and therefore sound by construction (``required_sets``; kept between runs by ``derived``). Each text is scanned
once, per document, for every literal of every lexicon (``_Literals``, an Aho-Corasick
automaton); a search then runs an alternation of only the alternatives still possible, or
nothing at all when none is.

The result is the same match the full alternation would give: an alternative that cannot
match anywhere in the text never decides a match. Alternatives with capturing groups keep
their place (as ``(?!)`` guards) so that group numbers do not move. ``Gate`` rules out, in one
set test, a sentence that none of an extractor's patterns can match.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import cache, reduce
from itertools import repeat
from operator import itemgetter, or_
from typing import Any

import ahocorasick

from notice_audit.extract.derived import DERIVED, Derivation, Derivations
from notice_audit.extract.literals import AT, BRANCH, GROUP, IN, LITERAL, REPEAT, SPACE, TEXT, Item, read

#: Shortest literal worth testing for; shorter ones ("of", "a") are in nearly every sentence,
#: except those with a digit ("9" of "Article 9(2)(a)"), which few sentences hold.
MIN_LITERAL = 3
_DIGIT = re.compile(r"\d")

#: Characters that ``re.IGNORECASE`` equates with an ASCII letter although ``str.lower`` does
#: not turn them into it ("ſ" matches "s", "ı" matches "i", "İ" lowers to two characters).
#: A text holding one is searched without the prefilter.
#: (The test that holds it checks every code point against ``re``.)
CASE_SPECIAL = frozenset({"\u017f", "\u0131", "\u0130"})  # ſ, ı, İ

Literals = frozenset[str]

#: ``\s`` is read as " ": the scan reads each text with every other white space made " "
#: (``scan_text``), so "data\s+protection" needs "data protection", not only "data".
_SPACE = frozenset({" "})
_OTHER_SPACE = re.compile(r"[^\S ]")  # what \s matches, but " "


#: Most literal sets kept for one pattern (each one must be met).
MAX_SETS = 3


def required_sets(pattern: str, flags: int = 0) -> list[Literals]:
    """Sets of lower-cased literals such that every match of ``pattern`` holds one of each set.

    The most selective set comes first; an empty list means nothing is known to be required.
    Only ASCII literals are used (of ``MIN_LITERAL`` characters, or holding a digit), so a
    match found case-insensitively always holds one of them in ``text.lower()``.
    """
    got = read(pattern, flags)
    return [] if got is None else _sets_of(got[0])


def _sets_of(items: list[Item]) -> list[Literals]:
    try:
        return _needs(items)[:MAX_SETS]
    except RecursionError:
        return []


def derive(pattern: str, flags: int, table: Derivations | None = None) -> Derivation:
    """The required sets of ``pattern`` and its number of capturing groups, from ``table`` (the process's,
    read from the user's cache) when it holds them: deriving them all was a quarter of a second of start-up."""
    table = DERIVED if table is None else table
    known = table.get(pattern, flags)
    if known is not None:
        return known
    got = read(pattern, flags)
    # not read: searched in every text; a broken pattern fails here, as re.compile would
    items, groups = got if got is not None else ([], re.compile(pattern, flags).groups)
    derivation = (_sets_of(items), groups)
    table.put(pattern, flags, derivation)
    return derivation


def required_literals(pattern: str, flags: int = 0) -> Literals | None:
    """The most selective of ``required_sets``: every match holds one of them; None if unknown."""
    sets = required_sets(pattern, flags)
    return sets[0] if sets else None


def _usable(found: Literals | None) -> Literals | None:
    """A set worth testing for, minimal: a string holding another of the set adds nothing."""
    if not found or any(len(x) < MIN_LITERAL and not _DIGIT.search(x) for x in found):
        return None
    # shortest first: a string holding another holds a kept one too (a substring's substring)
    kept: list[str] = []
    for x in sorted(found, key=len):
        if not any(y in x for y in kept):
            kept.append(x)
    return frozenset(kept)


def _selectivity(literals: Literals) -> tuple[int, int]:
    """Longer shortest literal first, then fewer literals."""
    return min(map(len, literals)), -len(literals)


#: Most strings a run of small choices ("e-?mail", "(?:tele)?phone") is expanded into.
MAX_EXACT = 64


def _product(left: frozenset[str], right: frozenset[str]) -> frozenset[str] | None:
    if len(right) == 1:  # one more character, the common case
        (tail,) = right
        return frozenset([a + tail for a in left])
    if len(left) * len(right) > MAX_EXACT:
        return None
    return frozenset(a + b for a in left for b in right)


def _exact(items: Sequence[Item]) -> frozenset[str] | None:
    """Every string a sequence can match (lower-cased), when that is a small finite set."""
    out: frozenset[str] | None = frozenset({""})
    for op, av in items:
        item = _exact_item(op, av)
        if item is None or out is None:
            return None
        out = _product(out, item)
    return out


def _exact_item(op: str, av: Any) -> frozenset[str] | None:
    if op == TEXT:  # ASCII only
        return frozenset({av.lower()})
    if op == LITERAL:
        return frozenset({chr(av).lower()}) if av < 128 else None
    if op == AT:  # \b, ^, $: match no characters
        return frozenset({""})
    if op == IN:
        chars: set[str] = set()
        for o, a in av:
            if o == LITERAL and a < 128:
                chars.add(chr(a).lower())
            elif o == SPACE:
                chars |= _SPACE  # the scan reads every white space as " "
            else:
                return None  # ranges, other classes, negation: not small
        return frozenset(chars)
    if op == GROUP:
        return _exact(av)
    if op == BRANCH:
        branches = [_exact(b) for b in av]
        exact = [b for b in branches if b is not None]
        if len(exact) < len(branches):
            return None
        union = frozenset[str]().union(*exact)
        return union if len(union) <= MAX_EXACT else None
    if op == REPEAT:
        low, high, body = av
        if high > 3:
            return None
        once = _exact(body)
        if once is None:
            return None
        out: set[str] = set()
        times: frozenset[str] | None = frozenset({""})
        for count in range(high + 1):
            if count >= low:
                out |= times  # type: ignore[arg-type]  # never None here: a None returns below first
            if count < high:
                times = _product(times, once) if times is not None else None
                if times is None:
                    return None
        return frozenset(out) if len(out) <= MAX_EXACT else None
    return None


def _needs(items: Sequence[Item], start: frozenset[str] = frozenset({""})) -> list[Literals]:
    """What a sequence of parsed regex items requires: literal sets, each one met by every match.

    A run is a stretch of items with few possible strings ("e-?mail", "(?:tele)?phone"): every
    match holds one of the run's strings. ``start`` is a run the items continue. The sets are
    returned most selective first.
    """
    found: list[Literals] = []

    def keep(literals: Literals | None) -> None:
        usable = _usable(literals)
        if usable is not None and usable not in found:
            found.append(usable)

    run = start
    for op, av in items:
        item = _exact_item(op, av)
        if item is not None:
            longer = _product(run, item)
            if longer is not None:
                run = longer
                continue
            keep(run)
            run = item
            continue
        keep(run)
        if op == GROUP:
            for part in _needs(av, run):
                keep(part)
        elif op == REPEAT:
            low, _high, body = av
            if low >= 1:
                for part in _needs(body, run):
                    keep(part)
                # a match ends with one of the body's strings ("\s+" ends with " "): the run goes on
                last = _exact(body)
                if last is not None:
                    run = last
                    continue
        elif op == BRANCH:
            # each branch read with the run before it: "I(?:CO|nformation Commissioner)"; the
            # branches' best sets together make one set, when every branch has one
            branches = [_needs(b, run) for b in av]
            if all(branches):
                keep(frozenset().union(*(b[0] for b in branches)))
        run = frozenset({""})
    keep(run)
    return _unimplied(sorted(found, key=_selectivity, reverse=True))


def _unimplied(sets: list[Literals]) -> list[Literals]:
    """The sets without those another implies: "keep" or "retain" is in every text that holds
    "keep " or "retain ", so testing for it as well adds nothing."""
    return [s for s in sets
            if not any(t is not s and all(any(x in y for x in s) for y in t) for t in sets)]


#: Text -> the known literals it holds (None: search it in full), for the current document.
_SEEN: dict[str, frozenset[str] | None] = {}
#: Text -> the alternations one of whose first literals it holds, as a bit mask of their serial
#: numbers (None: search it in full), for the current document: one ``&`` then rules one out.
#: Integers, not sets: a sentence's mask is the OR of its literals' masks, with no set built.
_OPEN: dict[str, int | None] = {}
_MISSING: Any = object()


class _Literals:
    """Every literal any alternation needs, and the scan that finds which of them a text holds.

    The scan is an Aho-Corasick automaton of the literals (pyahocorasick, in C): one pass over
    a text finds every literal in it, however many alternations then ask about it. A regex
    shaped as a trie of the literals did the same four times slower, and took a third of a
    second to compile where the automaton takes milliseconds to build.
    """

    #: Texts remembered within a document: every extractor reads every sentence, one extractor
    #: after another, so a small cache would scan each sentence again for each of them.
    _CACHE_SIZE = 20_000

    def __init__(self) -> None:
        self.known: set[str] = set()
        #: literal -> bit mask of the serial numbers of the alternations whose alternatives need it
        self._owners: dict[str, int] = {}
        self._serials = 0
        #: built when first needed after literals were added (lexicons load during a document)
        self._automaton: ahocorasick.Automaton | None = None

    def add(self, literals: set[str]) -> None:
        """Know these literals too (the automaton is rebuilt before the next scan)."""
        new = literals - self.known
        if new:
            self.known |= new
            self._automaton = None
            _SEEN.clear()
            _OPEN.clear()

    def enrol(self, primary: frozenset[str], secondary: frozenset[str]) -> int:
        """A serial number for a new alternation, whose texts are those holding one of ``primary``
        (each alternative needs one of them); every literal it tests for is known. Its bit in a
        text's mask (``open_for``) is ``1 << serial``."""
        self._serials += 1
        self.add(set(primary | secondary))
        bit = 1 << self._serials
        for literal in primary:
            self._owners[literal] = self._owners.get(literal, 0) | bit
        _OPEN.clear()
        return self._serials

    def open_for(self, text: str) -> int | None:
        """The bit mask of the alternations ``text`` holds a first literal of (None: search it in
        full): an alternation whose bit is not set cannot match it."""
        found = _SEEN.get(text, _MISSING)
        if found is _MISSING:
            found = self.present(text)
        # the OR of the literals' masks, in C: a sentence holds dozens of literals
        held = None if found is None else reduce(or_, map(self._owners.get, found, repeat(0)), 0)
        if len(_OPEN) >= self._CACHE_SIZE:
            _OPEN.clear()
        _OPEN[text] = held
        return held

    def forget(self) -> None:
        """Drop the texts seen so far: a new document begins."""
        _SEEN.clear()
        _OPEN.clear()

    def automaton(self) -> ahocorasick.Automaton:
        """The automaton of every known literal, built now if literals were added since."""
        if self._automaton is None:
            automaton = ahocorasick.Automaton()
            for literal in self.known:
                automaton.add_word(literal, literal)
            automaton.make_automaton()
            self._automaton = automaton
        return self._automaton

    def present(self, text: str) -> frozenset[str] | None:
        """The known literals in ``text`` (lower-cased), or None when the test may not be sound."""
        hit = _SEEN.get(text, _MISSING)
        if hit is not _MISSING:
            return hit  # type: ignore[no-any-return]  # the cache holds what this method returned
        found: frozenset[str] | None = None
        if not self.known:
            found = _NONE  # no alternation yet: nothing to look for
        elif text.isascii() or CASE_SPECIAL.isdisjoint(text):
            automaton = self._automaton or self.automaton()
            found = frozenset(map(itemgetter(1), automaton.iter(scan_text(text))))
        if len(_SEEN) >= self._CACHE_SIZE:
            _SEEN.clear()
        _SEEN[text] = found
        return found


_NONE: frozenset[str] = frozenset()


def scan_text(text: str) -> str:
    """The text as the scan reads it: lower-cased, every white space a plain space (``\\s`` is
    read as " " when literals are derived)."""
    low = text.lower()
    return low if _OTHER_SPACE.search(low) is None else _OTHER_SPACE.sub(" ", low)


LITERALS = _Literals()


def present(text: str) -> frozenset[str] | None:
    """The literals of the known alternations found in ``text``; None when it must be searched in full."""
    return LITERALS.present(text)


class Alternation:
    """A case-insensitive alternation of patterns that searches only the alternatives possible.

    Behaves as the compiled ``re.Pattern`` of ``(?:p1)|(?:p2)|...`` for the methods the
    extractors use; any other attribute is the full pattern's.
    """

    __slots__ = ("_also", "_always", "_bit", "_by_hits", "_each", "_full", "_index", "_literals", "_parts",
                 "_primary", "_serial", "_subs", "_tally", "flags", "groups", "pattern")

    _MAX_SUBS = 512
    #: Searches of one combination of alternatives (of an alternation with groups, whose
    #: alternatives cannot be searched one by one) before it is compiled on its own.
    _COMPILE_AFTER = 16

    def __init__(self, patterns: Sequence[str], flags: int = re.IGNORECASE) -> None:
        self._parts = tuple(patterns) if len(patterns) == 1 else tuple(f"(?:{p})" for p in patterns)
        self.pattern = "|".join(self._parts)
        self.flags = flags
        self._full: re.Pattern[str] | None = None  # compiled when first needed: often never
        always: list[int] = []
        index: dict[str, set[int]] = {}
        #: Alternatives with more than one required set: the others, checked once the first is met.
        self._also: dict[int, tuple[Literals, ...]] = {}
        self.groups = 0
        for i, p in enumerate(patterns):
            sets, groups = derive(p, flags)
            self.groups += groups
            if not sets:
                always.append(i)
                continue
            for literal in sets[0]:
                index.setdefault(literal, set()).add(i)
            if len(sets) > 1:
                self._also[i] = tuple(sets[1:])
        self._always = frozenset(always)
        self._index = {lit: frozenset(alts) for lit, alts in index.items()}
        self._primary = frozenset(index)
        self._literals = self._primary.union(*(x for sets in self._also.values() for x in sets))
        self._serial = LITERALS.enrol(self._primary, self._literals)
        self._bit = 1 << self._serial
        self._subs: dict[frozenset[int], re.Pattern[str] | None] = {}
        self._each: list[re.Pattern[str] | None] = [None] * len(self._parts)
        self._by_hits: dict[frozenset[str], Searcher | None] = {}
        self._tally: dict[frozenset[int], int] = {}

    @property
    def full(self) -> re.Pattern[str]:
        """The whole alternation, compiled."""
        if self._full is None:
            self._full = re.compile(self.pattern, self.flags)
        return self._full

    @property
    def groupindex(self) -> Mapping[str, int]:
        return self.full.groupindex

    @property
    def literals(self) -> frozenset[str]:
        """Every alternative (but those ``unfiltered``) needs one of these."""
        return self._primary

    @property
    def unfiltered(self) -> bool:
        """Whether some alternative needs no literal (so is tried on every text)."""
        return bool(self._always)

    def __repr__(self) -> str:
        return f"Alternation({len(self._parts)} patterns, {len(self._always)} unfiltered)"

    def __getattr__(self, name: str) -> Any:
        return getattr(self.full, name)

    def _chosen(self, hits: frozenset[str]) -> frozenset[int] | None:
        chosen = self._always
        index = self._index
        for literal in hits:
            alts = index.get(literal)
            if alts is not None:
                chosen = chosen | alts
        also = self._also
        if also:
            chosen = frozenset(i for i in chosen if i not in also or all(not s.isdisjoint(hits) for s in also[i]))
        return None if len(chosen) == len(self._parts) else chosen

    def for_text(self, text: str) -> Searcher | None:
        """The pattern to run on ``text``: the full one, a narrower one, or None (no match possible)."""
        if not self._literals:
            return self.full
        if not self._always:  # the quick test ``search`` makes: no first literal of any alternative
            held = _OPEN.get(text, _MISSING)
            if held is _MISSING:
                held = LITERALS.open_for(text)
            if held is not None and not held & self._bit:
                return None
        found = _SEEN.get(text, _MISSING)
        if found is _MISSING:
            found = LITERALS.present(text)
        if found is None:
            return self.full
        hits = self._literals.intersection(found)
        narrowed = self._by_hits.get(hits, _MISSING)  # the same words found: the same pattern
        if narrowed is _MISSING:
            narrowed, settled = self._narrowed(self._chosen(hits))
            if settled:
                if len(self._by_hits) >= self._MAX_SUBS:
                    self._by_hits.clear()
                self._by_hits[hits] = narrowed
        return narrowed  # type: ignore[no-any-return]  # the cache holds what _narrowed returned

    def _narrowed(self, chosen: frozenset[int] | None) -> tuple[Searcher | None, bool]:
        """The pattern for these alternatives, and whether it is the one to keep using."""
        if chosen is None:
            return self.full, True
        if not chosen:
            return None, True
        if not self.groups:
            # one alternative, or several searched one by one (``_Leftmost``): each compiled once,
            # where the full alternation, or a new combination, took as long to compile as
            # dozens of searches take (the one-alternative patterns have no groups to renumber)
            if len(chosen) == 1:
                (i,) = chosen
                return self._one(i), True
            return _Leftmost(tuple(self._one(i) for i in sorted(chosen)), self), True
        sub = self._subs.get(chosen)
        if sub is None:
            # Compiling a combination costs as much as dozens of full searches: only one that
            # keeps coming back is compiled; until then the full alternation is searched.
            seen = self._tally.get(chosen, 0) + 1
            if seen < self._COMPILE_AFTER:
                if len(self._tally) >= self._MAX_SUBS:
                    self._tally.clear()
                self._tally[chosen] = seen
                return self.full, False
            sub = self._compile(chosen)
        return sub, True

    def _one(self, i: int) -> re.Pattern[str]:
        """Alternative ``i`` alone, compiled once."""
        one = self._each[i]
        if one is None:
            one = self._each[i] = re.compile(self._parts[i], self.flags)
        return one

    def _compile(self, chosen: frozenset[int]) -> re.Pattern[str]:
        if self.groups:  # keep every group where it was: impossible alternatives fail at once
            parts = [p if i in chosen else f"(?!){p}" for i, p in enumerate(self._parts)]
        else:
            parts = [p for i, p in enumerate(self._parts) if i in chosen]
        compiled = re.compile("|".join(parts), self.flags)
        if len(self._subs) >= self._MAX_SUBS:
            self._subs.clear()
        self._subs[chosen] = compiled
        return compiled

    # --- the re.Pattern methods, each narrowed to the text --------------------------------------

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        # for_text, inlined: this is the call extractors make most, millions of times a run
        p: Searcher | None
        if not self._literals:
            p = self.full
        else:
            held = _OPEN.get(text, _MISSING)
            if held is _MISSING:
                held = LITERALS.open_for(text)
            if held is None:
                p = self.full
            elif not self._always and not held & self._bit:
                return None  # the common case: no alternative's first literal is in the text
            else:
                found = _SEEN.get(text, _MISSING)
                if found is _MISSING:
                    found = LITERALS.present(text)
                p = self._by_hits.get(self._literals.intersection(found), _MISSING)
                if p is _MISSING:
                    p = self.for_text(text)
        return None if p is None else p.search(text, pos, endpos)

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        p = self.for_text(text)
        return None if p is None else p.match(text, pos, endpos)

    def fullmatch(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        p = self.for_text(text)
        return None if p is None else p.fullmatch(text, pos, endpos)

    def finditer(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        p = self.for_text(text)
        return iter(()) if p is None else p.finditer(text, pos, endpos)

    def findall(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> list[Any]:
        p = self.for_text(text)
        return [] if p is None else p.findall(text, pos, endpos)

    def sub(self, repl: str | Callable[[re.Match[str]], str], text: str, count: int = 0) -> str:
        p = self.for_text(text)
        return text if p is None else p.sub(repl, text, count)

    def subn(self, repl: str | Callable[[re.Match[str]], str], text: str, count: int = 0) -> tuple[str, int]:
        p = self.for_text(text)
        return (text, 0) if p is None else p.subn(repl, text, count)

    def split(self, text: str, maxsplit: int = 0) -> list[str | Any]:
        p = self.for_text(text)
        return [text] if p is None else p.split(text, maxsplit)


class _Leftmost:
    """Several alternatives of a groupless alternation, each searched on its own: the match their
    alternation gives, without compiling it.

    An alternation's match starts where the first of its alternatives does; where several start
    there, it is the first of them in order that matches. So the earliest start among the
    alternatives' own matches, the lowest alternative on a tie, is that match, the same span.
    """

    __slots__ = ("_owner", "_parts")

    def __init__(self, parts: tuple[re.Pattern[str], ...], owner: Alternation) -> None:
        self._parts = parts
        self._owner = owner

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        best: re.Match[str] | None = None
        for p in self._parts:
            m = p.search(text, pos, endpos)
            if m is not None and (best is None or m.start() < best.start()):
                best = m
        return best

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        for p in self._parts:  # at one place: the first alternative that matches there
            m = p.match(text, pos, endpos)
            if m is not None:
                return m
        return None

    def fullmatch(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        for p in self._parts:
            m = p.fullmatch(text, pos, endpos)
            if m is not None:
                return m
        return None

    def finditer(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        found: list[re.Match[str]] = []
        at = pos
        while (m := self.search(text, at, endpos)) is not None:
            if m.end() == m.start():  # after an empty match re has rules of its own: let it apply them
                return self._owner.full.finditer(text, pos, endpos)
            found.append(m)
            at = m.end()
        return iter(found)

    def findall(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> list[Any]:
        return [m.group(0) for m in self.finditer(text, pos, endpos)]

    def __getattr__(self, name: str) -> Any:
        """Anything else (``sub``, ``split`` ...): the full alternation's."""
        return getattr(self._owner.full, name)


#: What a narrowed search runs: a compiled pattern, or groupless alternatives one by one.
Searcher = re.Pattern[str] | _Leftmost

#: What the extractors search with: a plain compiled pattern or a prefiltered one.
Matcher = re.Pattern[str] | Alternation


class Gate:
    """Whether any of several alternations could match a text, in one set test for them all.

    An extractor that reads every sentence with a lexicon of several parts skips, with this,
    the many sentences that hold none of the lexicon's words.
    """

    __slots__ = ("mask", "open")

    def __init__(self, *patterns: Matcher | None) -> None:
        parts = [p for p in patterns if p is not None]
        #: Some pattern is not prefiltered, or has an alternative that needs no literal:
        #: no text can be ruled out.
        self.open = any(not isinstance(p, Alternation) or p.unfiltered for p in parts)
        #: The bits of the alternations (``_Literals.open_for``).
        self.mask = 0
        for p in parts:
            if isinstance(p, Alternation) and p.literals:
                self.mask |= p._bit

    def rules_out(self, text: str) -> bool:
        """True when none of the alternations can match ``text``."""
        if self.open:
            return False
        held = _OPEN.get(text, _MISSING)
        if held is _MISSING:
            held = LITERALS.open_for(text)
        return held is not None and not held & self.mask


@cache
def gate(*patterns: Matcher | None) -> Gate:
    """The ``Gate`` of these patterns, built once: extractors ask for the same one every document."""
    return Gate(*patterns)


def compile(pattern: str, flags: int = re.IGNORECASE) -> Alternation:
    """One pattern, searched only in texts that hold one of its literals."""
    return Alternation([pattern], flags)
