"""Lawful bases (Art 6), special category conditions (Art 9), criminal offence
data (Art 10) and the statutes a notice relies on.

The words live in ``lexicons/lawful_basis.yaml``; statute citations come from
``values.statutes``. A statute cited as what the processing relies on ("under
section 17 of the Children Act 1989") states a basis even when no Art 6 word
is used, which is how many council notices put it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from notice_audit.extract.base import compile_all, explains_law, finding, load_lexicon, sentences
from notice_audit.extract.values.statutes import find_statutes
from notice_audit.model import Document, Finding


@dataclass(frozen=True, slots=True)
class BasisLexicon:
    bases: dict[str, re.Pattern[str]]
    not_a_basis: re.Pattern[str] | None
    special: dict[str, re.Pattern[str]]
    special_context: re.Pattern[str] | None
    special_by_article: re.Pattern[str]
    criminal: re.Pattern[str] | None
    statute_basis: re.Pattern[str] | None


def _values(data: dict[str, list[str]]) -> dict[str, re.Pattern[str]]:
    out: dict[str, re.Pattern[str]] = {}
    for value, patterns in data.items():
        pattern = compile_all(patterns)
        if pattern is not None:
            out[value] = pattern
    return out


@cache
def lexicon() -> BasisLexicon:
    data = load_lexicon("lawful_basis")
    return BasisLexicon(
        bases=_values(data["lawful_bases"]),
        not_a_basis=compile_all(data.get("not_a_basis")),
        special=_values(data["special_category_conditions"]),
        special_context=compile_all(data.get("special_context")),
        special_by_article=re.compile(r"\b9\s?(?:\(2\)|\.2|2)", re.IGNORECASE),
        criminal=compile_all(data.get("criminal_offence_data")),
        statute_basis=compile_all(data.get("statute_basis")),
    )


def extract(doc: Document) -> list[Finding]:
    lex = lexicon()
    found: list[Finding] = []
    for s in sentences(doc.sections):
        text = s.text
        if explains_law(text):
            continue
        if lex.not_a_basis is not None and lex.not_a_basis.search(text):
            continue
        heading = " ".join(s.section.path)
        special_here = bool(
            (lex.special_context and (lex.special_context.search(text) or lex.special_context.search(heading)))
            or lex.special_by_article.search(text)
        )
        special_spans: list[tuple[int, int]] = []
        if special_here:
            for value, pattern in lex.special.items():
                for m in pattern.finditer(text):
                    special_spans.append((m.start(), m.end()))
                    found.append(finding("special_category_condition", s, value=value,
                                         span=(s.start + m.start(), s.start + m.end())))
                    break
        for value, pattern in lex.bases.items():
            for m in pattern.finditer(text):
                if any(a <= m.start() < b for a, b in special_spans):
                    continue  # "9(2)(a) explicit consent" is not the Art 6 consent basis
                found.append(finding("lawful_basis", s, value=value,
                                     span=(s.start + m.start(), s.start + m.end())))
                break
        if lex.criminal is not None and (m := lex.criminal.search(text)):
            found.append(finding("criminal_offence_data", s, span=(s.start + m.start(), s.start + m.end())))
        for st in find_statutes(text):
            attrs = {k: v for k, v in st.attributes.items() if k in ("title", "year", "section", "kind")}
            attrs["text"] = st.text
            span = (s.start + st.start, s.start + st.end)
            found.append(finding("statute", s, value=None, attributes=attrs, span=span))
            if attrs.get("kind") != "article" and _relied_on(text, heading):
                found.append(finding("lawful_basis", s, value=None, attributes={"statute": st.text}, span=span))
    return found


def _relied_on(text: str, heading: str) -> bool:
    """A statute is a basis when the sentence or its heading says the processing rests on it."""
    lex = lexicon()
    if lex.statute_basis is None:
        return False
    if lex.statute_basis.search(text):
        return True
    return re.search(r"\b(?:lawful|legal) basis|\blegislation\b|\bthe law\b", heading, re.IGNORECASE) is not None
