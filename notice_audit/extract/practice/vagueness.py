"""Vague recipients ("third parties", "partners") and vague retention ("as long as necessary").

Both read what the recipients and retention extractors found, so they run
after them (``DERIVED``):

- ``vague_recipients``: the notice names recipients only in words that say
  nothing about who they are; one finding per such statement. A notice that
  also names a concrete recipient or category is not vague, even if it says
  "third parties" somewhere.
- ``vague_retention``: the notice speaks of retention only by necessity, with
  no period, event ("until your child is 25"), retention schedule or pointer to
  one; one finding per vague statement.

Patterns live in ``lexicons/vagueness.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from notice_audit.extract.base import compile_all, finding, load_lexicon
from notice_audit.extract.index import sentences
from notice_audit.extract.prefilter import Matcher
from notice_audit.model import Document, Evidence, Finding, Findings


@dataclass(frozen=True, slots=True)
class VagueLexicon:
    recipient: Matcher
    sharing: Matcher
    not_sharing: Matcher
    retention: Matcher


@cache
def lexicon() -> VagueLexicon:
    data = load_lexicon("vagueness")
    retention = compile_all(data["vague_retention"])
    assert retention is not None
    return VagueLexicon(re.compile(data["vague_recipient"], re.IGNORECASE),
                        re.compile(data["vague_sharing"], re.IGNORECASE),
                        re.compile(data["not_sharing"], re.IGNORECASE), retention)


def is_vague_recipient(text: str) -> bool:
    """Whether a recipient's words name no one in particular ("third parties", "our partners")."""
    return lexicon().recipient.match(" ".join(text.lower().split()).strip(" .,;:")) is not None


def extract(doc: Document, findings: Findings) -> list[Finding]:
    return vague_recipients(doc, findings) + vague_retention(findings)


def vague_recipients(doc: Document, findings: Findings) -> list[Finding]:
    lex = lexicon()
    named = findings.of("recipients", kinds=("statement",))
    if named:
        if any(not is_vague_recipient(str(f.attributes.get("text", ""))) for f in named):
            return []
        return _unique(_as_vague("vague_recipients", f, text=str(f.attributes.get("text", "")))
                       for f in named if not lex.not_sharing.search(f.evidence.quote))
    if findings.of("recipients", kinds=("pointer", "negation")):
        return []
    out = []
    for s in sentences(doc):
        m = lex.sharing.search(s.text)
        if m is not None and not lex.not_sharing.search(s.text):
            out.append(finding("vague_recipients", s, attributes={"text": m.group(0)},
                               span=(s.start + m.start(), s.start + m.end())))
    return out


def vague_retention(findings: Findings) -> list[Finding]:
    stated = findings.of("retention", kinds=("statement",))
    if not stated or findings.of("retention", kinds=("pointer",)):
        return []
    if any(f.attributes.get("period") or f.attributes.get("event") or f.attributes.get("schedules") for f in stated):
        return []
    lex = lexicon()
    out = []
    for f in stated:
        m = lex.retention.search(f.evidence.quote)
        if m is not None:
            out.append(_as_vague("vague_retention", f, text=m.group(0)))
    return _unique(out)


def _as_vague(element: str, f: Finding, *, text: str) -> Finding:
    return Finding(element, Evidence(f.evidence.quote, f.evidence.locator), None, "statement", {"text": text})


def _unique(found: Iterable[Finding]) -> list[Finding]:
    seen: dict[tuple[str, str], Finding] = {}
    for f in found:
        seen.setdefault((f.evidence.quote, str(f.evidence.locator)), f)
    return list(seen.values())
