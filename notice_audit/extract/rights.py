"""Data-subject rights named by the notice (contract vocabulary).

A right counts when a sentence names it in a rights context ("you have the
right to ...", "you can ask us to ...") or a list item names it under a
rights heading; general explanations of the law never count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from notice_audit.extract.base import compile_all, explains_law, finding, load_lexicon, sentences
from notice_audit.extract.cues import pointer_pattern
from notice_audit.model import Document, Finding


@dataclass(frozen=True, slots=True)
class RightsLexicon:
    rights: dict[str, re.Pattern[str]]
    context: re.Pattern[str]
    headings: re.Pattern[str]


@cache
def lexicon() -> RightsLexicon:
    data = load_lexicon("rights")
    rights = {}
    for value, patterns in data["rights"].items():
        pattern = compile_all(patterns)
        if pattern is not None:
            rights[value] = pattern
    context = compile_all(data["context"])
    headings = compile_all(data["headings"])
    assert context is not None and headings is not None
    return RightsLexicon(rights, context, headings)


def extract(doc: Document) -> list[Finding]:
    lex = lexicon()
    found: list[Finding] = []
    for s in sentences(doc.sections):
        text = s.text
        if explains_law(text):
            continue
        in_rights_section = any(lex.headings.search(h) for h in s.section.path)
        if not (in_rights_section or lex.context.search(text)):
            continue
        named = False
        for value, pattern in lex.rights.items():
            m = pattern.search(text)
            if m:
                named = True
                found.append(finding("rights", s, value=value, span=(s.start + m.start(), s.start + m.end())))
        if not named and _RIGHTS_WORD.search(text) and pointer_pattern().search(text):
            found.append(finding("rights", s, kind="pointer"))
    return found


_RIGHTS_WORD = re.compile(r"\byour (?:\w+ )?rights\b|\brights (?:you have|of individuals|under)", re.IGNORECASE)
