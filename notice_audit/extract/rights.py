"""Data-subject rights named by the notice (contract vocabulary).

A right counts when a sentence names it in a rights context ("you have the
right to ...", "you can ask us to ...") or a list item names it under a
rights heading; general explanations of the law never count. Withdrawing
consent and complaining to the ICO are read from their own elements' lexicons,
so the ``rights`` values and those checklist items always agree.

Layered notices often only point elsewhere for rights ("your rights are set out
in our general privacy notice"), sometimes across two sentences or around a
list; ``layered_pointers`` finds those (the retention extractor uses it too).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from notice_audit.extract import elements, prefilter
from notice_audit.extract.base import (
    compile_all,
    explains_law,
    finding,
    load_lexicon,
    sentences,
)
from notice_audit.extract.pointers import layered_pointers
from notice_audit.extract.prefilter import Matcher
from notice_audit.model import Document, Finding


@dataclass(frozen=True, slots=True)
class RightsLexicon:
    """The compiled ``rights.yaml``: one pattern per right, plus context, topic and pointer words."""

    rights: dict[str, Matcher]
    derived: dict[str, str]
    context: Matcher
    headings: Matcher
    topic: Matcher
    pointer: Matcher


def _required(patterns: list[str] | None) -> Matcher:
    pattern = compile_all(patterns)
    if pattern is None:
        raise ValueError("rights.yaml: a required pattern list is empty")
    return pattern


@cache
def lexicon() -> RightsLexicon:
    data = load_lexicon("rights")
    rights = {value: _required(patterns) for value, patterns in data["rights"].items()}
    return RightsLexicon(
        rights=rights,
        derived=dict(data.get("derived") or {}),
        context=_required(data["context"]),
        headings=_required(data["headings"]),
        topic=_required(data["topic"]),
        pointer=_required(data["pointer"]),
    )


def extract(doc: Document) -> list[Finding]:
    lex = lexicon()
    named, claimed = named_rights(doc, lex)
    pointers = layered_pointers(doc, "rights", lex.topic, lex.pointer, claimed)
    return named + derived_rights(doc, lex) + pointers


def named_rights(doc: Document, lex: RightsLexicon) -> tuple[list[Finding], set[tuple[int, int]]]:
    """One finding per right named in a sentence that is about rights, and those sentences."""
    found: list[Finding] = []
    claimed: set[tuple[int, int]] = set()
    gate = prefilter.gate(*lex.rights.values())
    rights_sections: dict[int, bool] = {}
    for s in sentences(doc.sections):
        text = s.text
        if gate.rules_out(text) or explains_law(text):
            continue
        in_rights_section = rights_sections.get(id(s.section))
        if in_rights_section is None:
            in_rights_section = any(lex.headings.search(h) for h in s.section.path)
            rights_sections[id(s.section)] = in_rights_section
        if not (in_rights_section or lex.context.search(text)):
            continue
        for value, pattern in lex.rights.items():
            m = pattern.search(text)
            if m:
                found.append(finding("rights", s, value=value, span=(s.start + m.start(), s.start + m.end())))
                claimed.add((id(s.block), s.start))
    return found, claimed


def derived_rights(doc: Document, lex: RightsLexicon) -> list[Finding]:
    """Rights whose statements are another element's (withdraw consent, complain to the ICO)."""
    out: list[Finding] = []
    for value, element in lex.derived.items():
        for f in elements.extract(doc, element):
            if f.kind == "statement":
                out.append(Finding("rights", f.evidence, value, "statement", {"from": element}))
    return out
