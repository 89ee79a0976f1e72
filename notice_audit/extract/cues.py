"""The generic extractor: an element described entirely by a YAML lexicon.

Many elements (purposes, transfers, automated decisions ...) are recognised by
the sentences that state them. Their lexicon lists, as case-insensitive
regular expressions with bounded gaps only:

- ``statement``: sentences that state the element;
- ``negation``: sentences that state its absence ("we do not transfer ...");
- ``exclude``: sentences that look alike but do not count;
- ``topic``: words naming the element, used with the shared pointer phrases
  ("see our corporate privacy notice") to recognise pointers;
- ``headings``: section headings that introduce the element; the first
  substantial block under such a heading is a statement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from notice_audit.extract.base import (
    block_finding,
    compile_all,
    finding,
    is_generic,
    load_lexicon,
    sentences,
)
from notice_audit.extract.prefilter import Gate, Matcher
from notice_audit.model import Document, Finding


@dataclass(frozen=True, slots=True)
class CueLexicon:
    element: str
    statement: Matcher | None
    negation: Matcher | None
    exclude: Matcher | None
    topic: Matcher | None
    headings: Matcher | None
    heading_min_words: int
    #: Rules out, in one test, the sentences no part of the lexicon can match.
    gate: Gate


#: A one-word answer under a question heading ("Do we transfer data abroad?" / "No").
_BARE_NO = re.compile(r"^\W*(?:no|none|not applicable|n/?a)\W*$", re.IGNORECASE)


@cache
def pointer_pattern() -> Matcher:
    pattern = compile_all(load_lexicon("generic")["pointer"])
    assert pattern is not None
    return pattern


@cache
def cue_lexicon(name: str) -> CueLexicon:
    data = load_lexicon(name)
    statement, negation, topic = (compile_all(data.get(k)) for k in ("statement", "negation", "topic"))
    return CueLexicon(
        element=data["element"],
        statement=statement,
        negation=negation,
        exclude=compile_all(data.get("exclude")),
        topic=topic,
        headings=compile_all(data.get("headings")),
        heading_min_words=int(data.get("heading_min_words", 4)),
        gate=Gate(statement, negation, topic),  # "exclude" only ever rules a sentence out
    )


def classify(lex: CueLexicon, text: str) -> str | None:
    """'statement', 'negation', 'pointer' or None for one sentence.

    ``exclude`` overrules the rest, so it is searched last, only when the sentence would count:
    its patterns (lookaheads over the whole sentence) cost more than the others."""
    if lex.negation is not None and lex.negation.search(text):
        kind = "negation"
    # A sentence that names the element and sends the reader elsewhere is a pointer,
    # even when it also reads like a statement ("how long we keep it is set out in ...").
    elif lex.topic is not None and lex.topic.search(text) and pointer_pattern().search(text):
        kind = "pointer"
    elif lex.statement is not None and lex.statement.search(text):
        kind = "statement"
    else:
        return None
    return None if lex.exclude is not None and lex.exclude.search(text) else kind


def extract_cues(doc: Document, name: str) -> list[Finding]:
    """Findings for the element described by lexicon ``name``."""
    lex = cue_lexicon(name)
    found: list[Finding] = []
    gate = lex.gate
    for s in sentences(doc.sections):
        text = s.text
        if gate.rules_out(text):
            continue
        kind = classify(lex, text)
        if kind is not None:
            found.append(finding(lex.element, s, kind=kind))  # type: ignore[arg-type]
    found.extend(heading_findings(doc, lex))
    return found


def heading_findings(doc: Document, lex: CueLexicon) -> list[Finding]:
    """A section headed for the element states it when a real block follows the heading."""
    if lex.headings is None:
        return []
    out: list[Finding] = []
    for section in doc.sections:
        if not section.heading or not lex.headings.search(section.heading):
            continue
        for block in section.blocks:
            if len(block.text.split()) < lex.heading_min_words or is_generic(doc.sections, block):
                continue
            if lex.exclude is not None and lex.exclude.search(block.text):
                continue
            kind = "statement"
            if pointer_pattern().search(block.text) and len(block.text.split()) < 40:
                kind = "pointer"
            elif (lex.negation is not None and lex.negation.search(block.text)) or _BARE_NO.match(block.text):
                kind = "negation"
            out.append(block_finding(lex.element, section, block, kind=kind,  # type: ignore[arg-type]
                                     attributes={"by": "heading"}))
            break
    return out
