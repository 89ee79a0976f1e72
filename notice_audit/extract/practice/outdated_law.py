"""Outdated legal references, each with the current reference to use instead.

A notice that says it follows the Data Protection Act 1998, relies on Safe
Harbour or the Privacy Shield, or names the EU GDPR as its law tells readers
the wrong law applies. Every sentence counts, those explaining the law too
(an outdated explanation misleads as much as an outdated disclosure), except
sentences about the law's history ("the 2018 Act replaced the 1998 Act").

Findings: ``outdated_law`` with value ``dpa_1998``, ``data_protection_directive``,
``safe_harbour``, ``privacy_shield``, ``eu_gdpr``, ``eu_law_applies`` or
``gdpr_without_uk_gdpr`` (once per notice: "the GDPR" where the UK GDPR is never
named), and attributes ``label``, ``current`` (what to say instead) and ``text``
(the words found). Patterns live in ``lexicons/outdated_law.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from notice_audit.extract import prefilter
from notice_audit.extract.base import Sentence, compile_all, finding, load_lexicon, quote
from notice_audit.extract.practice.common import all_sentences
from notice_audit.extract.prefilter import Gate, Matcher
from notice_audit.model import Document, Evidence, Finding, Section


@dataclass(frozen=True, slots=True)
class Reference:
    value: str
    label: str
    current: str
    patterns: Matcher
    contextual: Matcher | None
    context: Matcher | None
    unless: Matcher | None


@dataclass(frozen=True, slots=True)
class OutdatedLexicon:
    references: tuple[Reference, ...]
    historical: Matcher | None
    gdpr_label: str
    gdpr_current: str
    gdpr_mention: Matcher
    gdpr_uk: Matcher
    #: No reference can be found in a sentence this rules out.
    gate: Gate
    #: Nor a reference, nor "GDPR", nor the UK GDPR named: one set test for most sentences.
    any_gate: Gate


def _one(pattern: str | None) -> Matcher | None:
    return prefilter.compile(pattern) if pattern else None


@cache
def lexicon() -> OutdatedLexicon:
    data = load_lexicon("outdated_law")
    refs = []
    for value, spec in data["references"].items():
        patterns = compile_all(spec["patterns"])
        assert patterns is not None
        refs.append(Reference(
            value=value, label=spec["label"], current=" ".join(spec["current"].split()), patterns=patterns,
            contextual=compile_all(spec.get("contextual")), context=_one(spec.get("context")),
            unless=_one(spec.get("unless")),
        ))
    gdpr = data["gdpr"]
    mention, uk = _one(gdpr["mention"]), _one(gdpr["uk"])
    assert mention is not None and uk is not None
    every_reference = [p for r in refs for p in (r.patterns, r.contextual)]
    return OutdatedLexicon(tuple(refs), compile_all(data.get("historical")), gdpr["label"],
                           " ".join(gdpr["current"].split()), mention, uk, Gate(*every_reference),
                           Gate(*every_reference, mention, uk))


def extract(doc: Document) -> list[Finding]:
    """Every outdated reference, sentence by sentence, and "GDPR" without the UK GDPR once."""
    lex = lexicon()
    out: list[Finding] = []
    first_gdpr: Finding | None = None
    uk_named = False
    for heading_section in doc.sections:  # headings count for "GDPR" ("GDPR privacy notice")
        if heading_section.heading:
            uk_named = uk_named or lex.gdpr_uk.search(heading_section.heading) is not None
            if first_gdpr is None and (m := lex.gdpr_mention.search(heading_section.heading)):
                first_gdpr = _heading_finding(heading_section, m)
    for s in all_sentences(doc):
        text = s.text
        if lex.any_gate.rules_out(text):
            continue
        if not uk_named and lex.gdpr_uk.search(text):
            uk_named = True
        if first_gdpr is None and (m := lex.gdpr_mention.search(text)):
            first_gdpr = _finding(s, "gdpr_without_uk_gdpr", lex.gdpr_label, lex.gdpr_current, m)
        if lex.gate.rules_out(text):
            continue  # before the history test: both skip the sentence, and this one is cheaper
        if lex.historical is not None and lex.historical.search(text):
            continue
        for ref in lex.references:
            m = _match(ref, text)
            if m is not None:
                out.append(_finding(s, ref.value, ref.label, ref.current, m))
    if first_gdpr is not None and not uk_named:
        out.append(first_gdpr)
    return out


def _match(ref: Reference, text: str) -> re.Match[str] | None:
    if ref.unless is not None and ref.unless.search(text):
        return None
    m = ref.patterns.search(text)
    if m is None and ref.contextual is not None and ref.context is not None and ref.context.search(text):
        m = ref.contextual.search(text)
    return m


def _attributes(value: str, label: str, current: str, words: str) -> dict[str, str]:
    return {"reference": value, "label": label, "current": current, "text": words}


def _finding(s: Sentence, value: str, label: str, current: str, m: re.Match[str]) -> Finding:
    return finding("outdated_law", s, value=value, attributes=_attributes(value, label, current, m.group(0)),
                   span=(s.start + m.start(), s.start + m.end()))


def _heading_finding(section: Section, m: re.Match[str]) -> Finding:
    lex = lexicon()
    return Finding(
        element="outdated_law",
        evidence=Evidence(quote(section.heading, m.start(), m.end()), section.locator),
        value="gdpr_without_uk_gdpr",
        attributes=_attributes("gdpr_without_uk_gdpr", lex.gdpr_label, lex.gdpr_current, m.group(0)),
    )

