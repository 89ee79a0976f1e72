"""Frames: the shape of a statement, written as data over concepts.

A frame says which concepts a sentence must hold and how they stand to each other, so that
a lexicon describes "a transfer word, then a place outside the UK" rather than listing the
sentences it was written from. Keys of a frame (all optional, all must hold):

- ``all: [slot, ...]``: each slot occurs somewhere; with ``within: N`` one occurrence of each
  falls inside a window of N words;
- ``seq: [slot, ...]``: the slots in this order, at most ``gap`` words (default 6) between one
  and the next (``gap`` may list one bound per pair); with ``first: N`` the first slot starts
  within the first N words; with ``last: N`` the match ends within the last N words;
- ``at_least: {concept: N}``: the concept occurs at least N times, none overlapping another;
- ``min_words`` / ``max_words``: bounds on the sentence's length in words;
- ``none: [concept, ...]``: none of these occurs in the sentence;
- ``kinds: [list_item, ...]``: the block is of one of these kinds;
- ``lead: frame`` / ``not_lead: frame``: the sentence that introduces the list (or table) the
  block belongs to matches (does not match) ``frame``;
- ``under: frame`` / ``not_under: frame``: a heading above the sentence matches (none matches);
- ``prev: frame``: the sentence before, in the same section, matches ``frame``;
- ``roles: [role, ...]`` / ``not_roles: [...]``: the sentence has one of / none of these roles.

A slot is a concept name, or a list of names any of which will do.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from notice_audit.extract.concepts import Hits
from notice_audit.formats.words import plural

if TYPE_CHECKING:
    from notice_audit.extract.tokens import Tokens

Span = tuple[int, int]  # first and last word, inclusive
Slot = frozenset[str]

_KEYS = frozenset({"all", "seq", "within", "gap", "first", "last", "none", "kinds", "lead", "not_lead", "under",
                   "not_under", "prev", "roles", "not_roles", "at_least", "min_words", "max_words"})
_KINDS = frozenset({"paragraph", "list_item", "table_cell", "heading"})


class Context(Protocol):
    """What a frame reads of a sentence (``index.Unit`` provides it)."""

    @property
    def hits(self) -> Hits: ...
    @property
    def concepts(self) -> frozenset[str]: ...
    @property
    def tokens(self) -> Tokens: ...
    @property
    def kind(self) -> str: ...
    @property
    def roles(self) -> frozenset[str]: ...
    @property
    def lead(self) -> Context | None: ...
    @property
    def headings(self) -> Sequence[Context]: ...
    @property
    def prev(self) -> Context | None: ...


@dataclass(frozen=True, slots=True)
class Frame:
    all: tuple[Slot, ...] = ()
    seq: tuple[Slot, ...] = ()
    within: int | None = None
    gaps: tuple[int, ...] = (6,)
    first: int | None = None
    last: int | None = None
    none: frozenset[str] = frozenset()
    kinds: frozenset[str] = frozenset()
    lead: Frame | None = None
    not_lead: Frame | None = None
    under: Frame | None = None
    not_under: Frame | None = None
    prev: Frame | None = None
    roles: frozenset[str] = frozenset()
    not_roles: frozenset[str] = frozenset()
    at_least: tuple[tuple[str, int], ...] = ()
    min_words: int = 0
    max_words: int | None = None
    #: Every concept some slot needs one of: a sentence lacking any of these sets cannot match.
    needs: tuple[Slot, ...] = ()
    #: ``needs`` split for a quick test: the concepts of its one-concept slots (most slots), which a
    #: sentence must all hold (one C-level subset test), and the slots that offer a choice.
    required: frozenset[str] = frozenset()
    choices: tuple[Slot, ...] = ()

    def holds_needs(self, present: frozenset[str]) -> bool:
        """Whether a sentence with these concepts holds one concept of every slot (``needs``)."""
        return self.required <= present and (not self.choices or all(not s.isdisjoint(present) for s in self.choices))

    def match(self, unit: Context) -> Span | None:
        """The words the frame covers in ``unit``, or None when it does not hold."""
        if not self.holds_needs(unit.concepts):
            return None
        return self.match_held(unit)

    def match_held(self, unit: Context) -> Span | None:
        """``match`` for a unit known to hold a concept of every slot (``needs``)."""
        hits = unit.hits
        if self.kinds and unit.kind not in self.kinds:
            return None
        if self.roles and not (self.roles & unit.roles):
            return None
        if self.not_roles and self.not_roles & unit.roles:
            return None
        if self.none and any(c in hits for c in self.none):
            return None
        size = len(unit.tokens)
        if size < self.min_words or (self.max_words is not None and size > self.max_words):
            return None
        for concept, count in self.at_least:
            if _separate(hits.get(concept, ())) < count:
                return None
        spans: list[Span] = []
        if self.seq:
            found = _sequence(self.seq, hits, self.gaps, self.first)
            if found is None:
                return None
            spans.append(found)
        if self.all:
            found = _together(self.all, hits, self.within)
            if found is None:
                return None
            spans.append(found)
        if self.lead is not None:
            lead = unit.lead
            if lead is None or self.lead.match(lead) is None:
                return None
        if self.not_lead is not None and unit.lead is not None and self.not_lead.match(unit.lead) is not None:
            return None
        if self.under is not None and not any(self.under.match(h) is not None for h in unit.headings):
            return None
        if self.not_under is not None and any(self.not_under.match(h) is not None for h in unit.headings):
            return None
        if self.prev is not None:
            prev = unit.prev
            if prev is None or self.prev.match(prev) is None:
                return None
        if not spans:
            return (0, max(0, size - 1))
        found_span = min(s[0] for s in spans), max(s[1] for s in spans)
        if self.last is not None and found_span[1] < size - self.last:
            return None
        return found_span


def _separate(spans: Sequence[Span]) -> int:
    """How many of the occurrences do not overlap one another ("social care" and "care needs" are one)."""
    count, last = 0, -1
    for first, end in sorted(spans):
        if first > last:
            count += 1
            last = end
    return count


def _occurrences(slot: Slot, hits: Hits) -> list[Span]:
    out: list[Span] = []
    for concept in slot:
        out.extend(hits.get(concept, ()))
    out.sort()
    return out


def _sequence(slots: tuple[Slot, ...], hits: Hits, gaps: tuple[int, ...], first: int | None) -> Span | None:
    """The chain of occurrences, one per slot in order with bounded gaps, that ends first.

    Linear in the occurrences (a sentence that never ends, thousands of words long, must not cost
    their square): each slot's occurrences are read in order while a window of the chains that
    can reach them slides along, keeping the earliest start in front.
    """
    chains: list[tuple[int, Span]] = []  # (first word of the chain, its last occurrence so far), by end
    for k, slot in enumerate(slots):
        occ = _occurrences(slot, hits)
        if k == 0:
            chains = [(o[0], o) for o in occ if first is None or o[0] < first]
        else:
            gap = gaps[min(k - 1, len(gaps) - 1)]
            chains.sort(key=lambda c: c[1][1])
            grown: list[tuple[int, Span]] = []
            window: deque[tuple[int, int]] = deque()  # (end, start), ends rising, starts rising
            i = 0
            for o in occ:
                while i < len(chains) and chains[i][1][1] < o[0]:
                    start, end = chains[i][0], chains[i][1][1]
                    while window and window[-1][1] >= start:
                        window.pop()  # a chain that ends later and starts no later is as good
                    window.append((end, start))
                    i += 1
                while window and o[0] - window[0][0] - 1 > gap:
                    window.popleft()
                if window:
                    grown.append((window[0][1], o))
            chains = grown
        if not chains:
            return None
    start, last = min(chains, key=lambda c: c[1][1])
    return start, last[1]


def _together(slots: tuple[Slot, ...], hits: Hits, within: int | None) -> Span | None:
    """One occurrence of each slot; within ``within`` words of each other when given."""
    lists = [_occurrences(slot, hits) for slot in slots]
    if any(not occ for occ in lists):
        return None
    if within is None:
        chosen = [occ[0] for occ in lists]
        return min(o[0] for o in chosen), max(o[1] for o in chosen)
    # the smallest window holding one occurrence of every slot: each occurrence as the left end,
    # and from every slot the occurrence starting there or later that ends first (a suffix minimum)
    starts = [[o[0] for o in occ] for occ in lists]
    first_end = []
    for occ in lists:
        ends = [o[1] for o in occ]
        for i in range(len(ends) - 2, -1, -1):
            ends[i] = min(ends[i], ends[i + 1])
        first_end.append(ends)
    best: Span | None = None
    for occ in lists:
        for lo, left_end in occ:
            hi = left_end
            for at, ends in zip(starts, first_end, strict=True):
                i = bisect_left(at, lo)
                if i == len(at):
                    break
                hi = max(hi, ends[i])
            else:
                if hi - lo < within and (best is None or hi - lo < best[1] - best[0]):
                    best = (lo, hi)
    return best


def _slot(value: Any, where: str, names: frozenset[str]) -> Slot:
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(x, str) for x in items):
        raise ValueError(f"{where}: a slot is a concept name or a list of names, not {value!r}")
    unknown = [x for x in items if x not in names]
    if unknown:
        raise ValueError(f"{where}: unknown concept(s) {unknown}")
    return frozenset(items)


def compile_frame(spec: Mapping[str, Any], where: str, names: frozenset[str], roles: frozenset[str]) -> Frame:
    """A frame from its YAML mapping; ``where`` names it in error messages."""
    if not isinstance(spec, Mapping):
        raise ValueError(f"{where}: a frame is a mapping, not {spec!r}")
    unknown = set(spec) - _KEYS
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {sorted(unknown)} (known: {sorted(_KEYS)})")
    all_slots = tuple(_slot(v, where, names) for v in spec.get("all", []))
    seq_slots = tuple(_slot(v, where, names) for v in spec.get("seq", []))
    none = frozenset(_slot(spec["none"], where, names)) if "none" in spec else frozenset()
    kinds = frozenset(spec.get("kinds", []))
    if kinds - _KINDS:
        raise ValueError(f"{where}: unknown block kind(s) {sorted(kinds - _KINDS)}")
    wanted = frozenset(spec.get("roles", [])) | frozenset(spec.get("not_roles", []))
    if wanted - roles:
        raise ValueError(f"{where}: unknown role(s) {sorted(wanted - roles)} (known: {sorted(roles)})")
    def sub(key: str) -> Frame | None:
        return compile_frame(spec[key], f"{where}/{key}", names, roles) if key in spec else None

    gap = spec.get("gap", 6)
    gaps = tuple(int(g) for g in gap) if isinstance(gap, list) else (int(gap),)
    if seq_slots and isinstance(gap, list) and len(gaps) != len(seq_slots) - 1:
        raise ValueError(f"{where}: 'gap' lists {plural(len(gaps), 'bound')} for "
                         f"{plural(len(seq_slots) - 1, 'pair of slots', 'pairs of slots')}")
    at_least = spec.get("at_least", {})
    if not isinstance(at_least, Mapping) or any(c not in names for c in at_least):
        raise ValueError(f"{where}: 'at_least' maps known concepts to counts, not {at_least!r}")
    return Frame(
        all=all_slots,
        seq=seq_slots,
        within=spec.get("within"),
        gaps=gaps,
        first=spec.get("first"),
        last=spec.get("last"),
        none=none,
        kinds=kinds,
        lead=sub("lead"),
        not_lead=sub("not_lead"),
        under=sub("under"),
        not_under=sub("not_under"),
        prev=sub("prev"),
        at_least=tuple((str(c), int(n)) for c, n in at_least.items()),
        min_words=int(spec.get("min_words", 0)),
        max_words=spec.get("max_words"),
        roles=frozenset(spec.get("roles", [])),
        not_roles=frozenset(spec.get("not_roles", [])),
        needs=(*all_slots, *seq_slots),
        required=frozenset(c for slot in (*all_slots, *seq_slots) if len(slot) == 1 for c in slot),
        choices=tuple(slot for slot in (*all_slots, *seq_slots) if len(slot) > 1),
    )


def compile_frames(specs: Any, where: str, names: frozenset[str], roles: frozenset[str]) -> FrameSet:
    if specs is None:
        return FrameSet()
    if not isinstance(specs, list):
        raise ValueError(f"{where}: expected a list of frames")
    return FrameSet(compile_frame(s, f"{where}[{i}]", names, roles) for i, s in enumerate(specs))


class FrameSet(tuple[Frame, ...]):
    """Frames tried in order, each only on sentences that hold a concept its first slot needs.

    A tuple of frames (so it reads as one) that knows every concept any of its frames can open
    with: a sentence that holds none of them is ruled out in one set test.
    """

    _openers: frozenset[str] | None  # None: some frame needs no concept, nothing is ruled out

    def __new__(cls, frames: Iterable[Frame] = ()) -> FrameSet:
        self = super().__new__(cls, frames)
        openers: set[str] = set()
        for frame in self:
            if not frame.needs:
                self._openers = None
                return self
            openers |= frame.needs[0]
        self._openers = frozenset(openers)
        return self

    @property
    def openers(self) -> frozenset[str] | None:
        """Every concept some frame can open with; None when some frame needs none (nothing is ruled out)."""
        return self._openers

    def first(self, unit: Context) -> Span | None:
        """The span of the first frame (in order) that holds on ``unit``, or None."""
        present = unit.concepts
        if self._openers is not None and self._openers.isdisjoint(present):
            return None
        for frame in self:
            # ``Frame.holds_needs``, inlined (this loop runs a million times in a national review): one
            # subset test for the one-concept slots (most frames have no other), then the rest
            if frame.required <= present:
                for slot in frame.choices:
                    if slot.isdisjoint(present):
                        break
                else:
                    span = frame.match_held(unit)
                    if span is not None:
                        return span
        return None


def first_match(frames: Sequence[Frame], unit: Context) -> Span | None:
    """The span of the first of ``frames`` that holds on ``unit`` (indexed when a FrameSet)."""
    if isinstance(frames, FrameSet):
        return frames.first(unit)
    for frame in frames:
        span = frame.match(unit)
        if span is not None:
            return span
    return None
