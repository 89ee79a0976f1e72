"""The generic extractor: an element described entirely by frames over concepts.

Each lexicon (``lexicons/<element>.yaml``) lists frames (``frames.py``):

- ``statement``: sentences that state the element;
- ``negation``: sentences that state its absence ("we do not transfer ... outside the UK");
- ``exclude``: sentences that look alike but do not count;
- ``topic``: sentences that name the element; one that also sends the reader elsewhere
  (the ``pointer`` role), or is followed by a sentence that does, is a pointer;
- ``headings``: headings that introduce the element: the first real block under one states
  it whatever its words ("How long we keep your information" / "Six years after ..."); with
  ``heading_content``, the first of the section's first three blocks that matches one of those
  frames does (a "Where we get your information" section must name a source).

``skip_roles`` (default: ``law`` and ``self``) are the sentence roles that never count: the law
explained in general and the notice describing itself disclose nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from itertools import pairwise

from notice_audit.extract import concepts
from notice_audit.extract.base import block_finding, load_lexicon, locator_for, quote
from notice_audit.extract.frames import Frame, FrameSet, Span, compile_frames, first_match
from notice_audit.extract.index import ROLES, DocumentIndex, Unit, index_of
from notice_audit.model import Document, Evidence, Finding, FindingKind

DEFAULT_SKIP = frozenset({"law", "self"})

#: A one-word answer under a question heading ("Do we transfer data abroad?" / "No").
_BARE_NO = re.compile(r"^\W*(?:no|none|not applicable|n/?a)\W*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ElementRules:
    element: str
    #: FrameSets, asked directly (``FrameSet.first``): classify runs for every sentence that holds
    #: a trigger, for each of a dozen elements.
    statement: FrameSet
    negation: FrameSet
    exclude: FrameSet
    topic: FrameSet
    headings: tuple[Frame, ...]
    heading_exclude: tuple[Frame, ...]
    heading_content: tuple[Frame, ...]
    heading_min_words: int
    skip_roles: frozenset[str]
    #: Concepts at least one of which any statement, negation or topic frame needs.
    triggers: frozenset[str]

    def classify(self, unit: Unit) -> tuple[FindingKind, Span] | None:
        """'statement', 'negation' or 'pointer' with the words that decided it, or None."""
        if not self.skip_roles.isdisjoint(unit.roles) or self.triggers.isdisjoint(unit.concepts):
            return None
        found: tuple[FindingKind, Span] | None = None
        span = self.negation.first(unit)
        if span is not None:
            found = ("negation", span)
        elif "pointer" in unit.roles and (span := self.topic.first(unit)) is not None:
            found = ("pointer", span)
        elif (span := self.statement.first(unit)) is not None:
            found = ("statement", span)
        if found is None or self.exclude.first(unit) is not None:
            return None
        return found

    def names_topic(self, unit: Unit) -> bool:
        return not (unit.roles & self.skip_roles) and self.topic.first(unit) is not None


def _triggers(frames: tuple[Frame, ...]) -> frozenset[str]:
    out: set[str] = set()
    for f in frames:
        if f.needs:
            out |= f.needs[0]
        else:  # a frame with no slot can match any sentence: every concept triggers it
            return frozenset(concepts.lexicon().names)
    return frozenset(out)


@cache
def rules(name: str) -> ElementRules:
    """The compiled lexicon ``lexicons/<name>.yaml``."""
    data = load_lexicon(name)
    names = concepts.lexicon().names
    where = f"{name}.yaml"

    def frames(key: str) -> FrameSet:
        return compile_frames(data.get(key), f"{where}/{key}", names, ROLES)

    statement, negation, topic = frames("statement"), frames("negation"), frames("topic")
    skip = frozenset(data.get("skip_roles", DEFAULT_SKIP))
    if skip - ROLES:
        raise ValueError(f"{where}: unknown role(s) {sorted(skip - ROLES)}")
    return ElementRules(
        element=data["element"],
        statement=statement,
        negation=negation,
        exclude=frames("exclude"),
        topic=topic,
        headings=frames("headings"),
        heading_exclude=frames("heading_exclude"),
        heading_content=frames("heading_content"),
        heading_min_words=int(data.get("heading_min_words", 3)),
        skip_roles=skip,
        triggers=_triggers((*statement, *negation, *topic)),
    )


def unit_finding(element: str, unit: Unit, kind: FindingKind = "statement", span: Span | None = None, *,
                 value: str | None = None, attributes: dict[str, object] | None = None) -> Finding:
    """A finding quoting the unit's sentence, cut around ``span`` (words) when too long."""
    text = unit.text
    if span is None:
        q = quote(text)
    else:
        start, end = unit.tokens.span(*span)
        q = quote(text, start, end)
    return Finding(element, Evidence(q, locator_for(unit.section, unit.block)), value, kind, dict(attributes or {}))


def extract(doc: Document, name: str) -> list[Finding]:
    """Findings for the element described by lexicon ``name`` (a new list each call).

    Found once per document and kept in its index: ``rights`` reads the statements of
    ``withdraw_consent`` and ``complaint_to_ico``, which those elements' own extractors ask for too."""
    index = index_of(doc)
    kept = index.elements.get(name)
    if kept is None:
        kept = index.elements[name] = tuple(_extract(index, rules(name)))
    return list(kept)


def _extract(index: DocumentIndex, lex: ElementRules) -> list[Finding]:
    found: list[Finding] = []
    claimed: set[int] = set()
    skip, triggers = lex.skip_roles, lex.triggers
    for unit in index.sentences():
        if triggers.isdisjoint(unit.concepts) or not skip.isdisjoint(unit.roles):
            continue  # most sentences: ruled out before any frame is tried
        result = lex.classify(unit)
        if result is not None:
            kind, span = result
            found.append(unit_finding(lex.element, unit, kind, span))
            claimed.add(unit.position)
    found.extend(pointer_findings(index, lex, claimed))
    found.extend(heading_findings(index, lex))
    return found


def pointer_findings(index: DocumentIndex, lex: ElementRules, claimed: set[int]) -> list[Finding]:
    """Pointers across two sentences ("You have rights. They are set out in our main notice.") or
    around a list ("Our general notice tells you about:" / "- your rights")."""
    if not lex.topic:
        return []
    out: list[Finding] = []
    for unit, partner in pointer_partners(index):
        if unit.position in claimed:
            continue
        # the partner first: few sentences have one, and only then is the topic worth reading
        if not partner.roles & lex.skip_roles and lex.names_topic(unit):
            joined = (unit.text + " " + partner.text if partner.position == unit.position + 1
                      else unit.text + " … " + partner.text if partner is unit.tail
                      else partner.text + " … " + unit.text)
            out.append(Finding(lex.element, Evidence(quote(joined), locator_for(unit.section, unit.block)),
                               None, "pointer", {"by": "layered"}))
    return out


def pointer_partners(index: DocumentIndex) -> tuple[tuple[Unit, Unit], ...]:
    """Each sentence that is no pointer itself with the pointer that completes it: the next sentence
    straight after it, else its list's lead-in, else the paragraph after its list, in reading order.

    The same for every element (only the topic differs), so found once per document and kept in its index."""
    kept = index.partners
    if kept is None:
        found: list[tuple[Unit, Unit]] = []
        for unit in index.sentences():
            if "pointer" in unit.roles:
                continue
            nxt = index.next_unit(unit)
            if nxt is not None and nxt.kind != "heading" and "pointer" in nxt.roles and _follows(unit, nxt):
                found.append((unit, nxt))
            elif unit.kind != "paragraph" and unit.lead is not None and "pointer" in unit.lead.roles:
                found.append((unit, unit.lead))
            elif unit.kind != "paragraph" and unit.tail is not None and "pointer" in unit.tail.roles:
                found.append((unit, unit.tail))
        kept = index.partners = tuple(found)
    return kept


def _follows(first: Unit, second: Unit) -> bool:
    """The second sentence comes straight after the first: same block, or the next paragraph."""
    if first.block is second.block:
        return True
    blocks = first.section.blocks
    for a, b in pairwise(blocks):
        if a is first.block:
            return b is second.block and first.block.kind == "paragraph"
    return False


def heading_findings(index: DocumentIndex, lex: ElementRules) -> list[Finding]:
    """A section headed for the element states it when a real block follows the heading."""
    if not lex.headings:
        return []
    out: list[Finding] = []
    for section in index.document.sections:
        head = index.heading_of.get(id(section))
        if head is None or head.roles & lex.skip_roles or first_match(lex.headings, head) is None:
            continue
        if first_match(lex.heading_exclude, head) is not None:
            continue
        for n, block in enumerate(section.blocks):
            units = index.by_block.get(id(block), [])
            if len(block.text.split()) < lex.heading_min_words and not _BARE_NO.match(block.text):
                continue
            if not units or all(u.roles & lex.skip_roles for u in units):
                continue
            if lex.heading_content:
                if n >= 3:
                    break
                if not any(first_match(lex.heading_content, u) is not None for u in units):
                    continue
            if any(first_match(lex.exclude, u) is not None for u in units):
                continue
            kind: FindingKind = "statement"
            if any("pointer" in u.roles for u in units) and len(block.text.split()) < 40:
                kind = "pointer"
            elif _BARE_NO.match(block.text) or any(first_match(lex.negation, u) is not None for u in units):
                kind = "negation"
            out.append(block_finding(lex.element, section, block, kind=kind, attributes={"by": "heading"}))
            break
    return out
