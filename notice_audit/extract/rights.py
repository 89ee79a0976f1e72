"""Data-subject rights named by the notice (contract vocabulary).

A right counts when a sentence names it in a rights context (the sentence speaks of a right or
of what the individual can do, or it sits under a rights heading or a rights lead-in); general
explanations of the law never count. The frames live
in ``lexicons/rights.yaml``, one list per right. Withdrawing consent and complaining to the ICO
are read from their own elements, so the ``rights`` values and those checklist items always agree.

A right the sentence sends the reader to ANOTHER named organisation for ("You can ask the
Department for Work and Pensions for a copy of the information it holds") keeps its value (it
is still the reader's right, and the ``rights`` values list what the text names) but carries the
attribute ``other_body`` with that organisation's name, so that a rule can tell it from a right
this notice gives. It is told from the sentence's structure: no "we/us/our", and the organisation
is the one asked or contacted (the words after an asking verb, in the sentence or in its list's
lead-in) or the sentence's subject (its opening words), named properly (the controller
extractor's test) and not one of the names the notice gives its own controller; a notice that
never names itself cannot tell its own body from another that way. A sentence the document index
already reads as another body's practice (role ``other_party``: a body the notice shares data
with, asked or holding the data) is marked too, with ``other_body`` True when its name is not at
hand.

Layered notices often only point elsewhere for rights ("your rights are set out in our general
privacy notice"), sometimes across two sentences or around a list: the generic pointer finder of
``elements`` finds those, with the rights topic.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from notice_audit.extract import concepts, controller, elements
from notice_audit.extract.base import load_lexicon
from notice_audit.extract.elements import unit_finding
from notice_audit.extract.frames import Frame, FrameSet, compile_frames, first_match
from notice_audit.extract.index import ROLES, Unit, index_of
from notice_audit.model import Document, Finding


@dataclass(frozen=True, slots=True)
class RightsLexicon:
    """The compiled ``rights.yaml``: frames per right, and what makes a sentence about rights."""

    values: dict[str, FrameSet]
    context: tuple[Frame, ...]
    headings: tuple[Frame, ...]
    derived: dict[str, str]
    skip_roles: frozenset[str]
    #: Concepts after which the organisation asked is named ("ask", "contact"), and concepts that
    #: make the sentence about this notice's own body ("we", "us").
    asking: frozenset[str]
    own_words: frozenset[str]
    #: The generic rules (topic and pointers) of the element.
    rules: elements.ElementRules
    #: Each right with its frames and the concepts they open with (None: any sentence), so that a
    #: sentence holding none is passed over without a call: most sentences name no right.
    openers: tuple[tuple[str, FrameSet, frozenset[str] | None], ...]
    #: Every right's opening concepts together (None when a right may open any sentence): a sentence holding
    #: none of them is passed over in one test rather than one per right.
    any_opener: frozenset[str] | None


@cache
def lexicon() -> RightsLexicon:
    data = load_lexicon("rights")
    names = concepts.lexicon().names

    def frames(specs: object, where: str) -> FrameSet:
        return compile_frames(specs, f"rights.yaml/{where}", names, ROLES)

    values = {value: frames(specs, f"values/{value}") for value, specs in data["values"].items()}
    if not all(values.values()):
        raise ValueError("rights.yaml: every right needs at least one frame")
    return RightsLexicon(
        values=values,
        context=frames(data["context"], "context"),
        headings=frames(data["headings"], "headings"),
        derived=dict(data.get("derived") or {}),
        skip_roles=frozenset(data.get("skip_roles", elements.DEFAULT_SKIP)),
        asking=_known(data["other_body"]["asking"], names, "other_body/asking"),
        own_words=_known(data["other_body"]["own"], names, "other_body/own"),
        rules=elements.rules("rights"),
        openers=tuple((value, frames, frames.openers) for value, frames in values.items()),
        any_opener=_any_opener([frames.openers for frames in values.values()]),
    )


def _any_opener(openers: list[frozenset[str] | None]) -> frozenset[str] | None:
    """The union of the rights' opening concepts; None when one right has none (it is tried on every sentence)."""
    every: set[str] = set()
    for opening in openers:
        if opening is None:
            return None
        every |= opening
    return frozenset(every)


def _known(names: list[str], known: frozenset[str], where: str) -> frozenset[str]:
    """Concept names checked against the concept lexicon, so that a typo is an error."""
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ValueError(f"rights.yaml/{where}: unknown concept(s) {unknown}")
    return frozenset(names)


def extract(doc: Document) -> list[Finding]:
    lex = lexicon()
    named, claimed = named_rights(doc, lex)
    pointers = elements.pointer_findings(index_of(doc), lex.rules, claimed)
    quoted = {p.evidence.quote for p in pointers}
    pointers += [f for f in _pointer_sentences(doc, lex) if f.evidence.quote not in quoted]
    return named + derived_rights(doc, lex) + pointers


def in_context(unit: Unit, lex: RightsLexicon) -> bool:
    """The sentence, a heading above it or its list's lead-in is about the individual's rights."""
    if first_match(lex.context, unit) is not None:
        return True
    if unit.lead is not None and unit.kind != "paragraph" and first_match(lex.context, unit.lead) is not None:
        return True
    return any(first_match(lex.headings, h) is not None for h in unit.headings)


def named_rights(doc: Document, lex: RightsLexicon) -> tuple[list[Finding], set[int]]:
    """One finding per right named in a sentence that is about rights, and those sentences."""
    found: list[Finding] = []
    claimed: set[int] = set()
    for unit in index_of(doc).sentences():
        present = unit.concepts
        if (lex.any_opener is not None and lex.any_opener.isdisjoint(present)) or (
                unit.roles & lex.skip_roles or "pointer" in unit.roles):
            continue
        context: bool | None = None
        attributes: dict[str, object] | None = None
        for value, frames, openers in lex.openers:
            if openers is not None and openers.isdisjoint(present):
                continue
            span = frames.first(unit)
            if span is None:
                continue
            if context is None:
                context = in_context(unit, lex)
            if not context:
                break
            if attributes is None:
                body = other_body(doc, unit, lex)
                attributes = {"other_body": body} if body else {}
            found.append(unit_finding("rights", unit, "statement", span, value=value, attributes=attributes))
            claimed.add(unit.position)
    return found, claimed


def other_body(doc: Document, unit: Unit, lex: RightsLexicon) -> str | bool | None:
    """The organisation other than the notice's own that the sentence sends the reader to, if any:
    its name, or True when the document index already read the sentence as about another body's
    practice (role ``other_party``) without its name being at hand here.

    Read from the sentence's structure (the module docstring says how), never from the notice's
    wording of a particular body: a sentence that speaks of "we" or "us" is about this body, and
    an organisation is only told apart from the notice's own when the notice names itself. A list
    item is read with the sentence that introduces its list ("You can ask HM Revenue and Customs:").
    """
    units = [unit, unit.lead] if unit.kind != "paragraph" and unit.lead is not None else [unit]
    if any(not lex.own_words.isdisjoint(u.hits) for u in units):
        return None
    candidates = []
    for u in units:
        candidates.append(controller.leading_name(u.text))
        for concept in lex.asking & u.hits.keys():
            for _, last in u.hits[concept]:
                candidates.append(controller.leading_name(u.text[u.tokens.spans[last][1]:]))
    own = controller.own_names(doc)
    if own:
        for name in candidates:
            if name and not any(name.lower() in o or o in name.lower() for o in own):
                return name
    return True if "other_party" in unit.roles else None


def _pointer_sentences(doc: Document, lex: RightsLexicon) -> list[Finding]:
    """A sentence about rights that sends the reader elsewhere ("Your rights are set out in ...")."""
    out: list[Finding] = []
    for unit in index_of(doc).sentences():
        if "pointer" in unit.roles and not unit.roles & lex.skip_roles and lex.rules.names_topic(unit):
            out.append(unit_finding("rights", unit, "pointer"))
    return out


def derived_rights(doc: Document, lex: RightsLexicon) -> list[Finding]:
    """Rights whose statements are another element's (withdraw consent, complain to the ICO)."""
    out: list[Finding] = []
    for value, element in lex.derived.items():
        for f in elements.extract(doc, element):
            if f.kind == "statement":
                out.append(Finding("rights", f.evidence, value, "statement", {"from": element}))
    return out
