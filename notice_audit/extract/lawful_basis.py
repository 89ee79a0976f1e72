"""Lawful bases (Art 6), special category conditions (Art 9), criminal offence
data (Art 10) and the statutes a notice relies on.

The words live in ``lexicons/lawful_basis.yaml``; statute citations come from
``values.statutes``. A statute cited as what the processing relies on ("under
section 17 of the Children Act 1989") states a basis even when no Art 6 word
is used, which is how many council notices put it. Data protection law itself
(the UK GDPR, the DPA 2018) protects the data and is never such a basis.

Findings: ``lawful_basis`` (value = an Art 6 basis, or None with a ``statute``
attribute when only legislation is relied on), ``special_category_condition``
(value = an Art 9(2) condition), ``criminal_offence_data`` and ``statute``
(attributes ``title``, ``year``, ``section``, ``kind``, ``text``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from notice_audit.extract import concepts, prefilter
from notice_audit.extract.base import (
    Sentence,
    compile_all,
    finding,
    load_lexicon,
    per_document,
)
from notice_audit.extract.frames import FrameSet, compile_frames, first_match
from notice_audit.extract.index import ROLES, Unit, index_of
from notice_audit.extract.prefilter import Alternation, Gate, Matcher
from notice_audit.extract.values import ValueMatch
from notice_audit.extract.values.statutes import find_statutes
from notice_audit.model import Document, Finding

Span = tuple[int, int]

#: Sentences that name a basis without this body relying on it: the law explained in general, the
#: notice describing itself, a right's condition ("unless our legitimate interests override yours"),
#: another body's practice, and cookies (the consent a website asks for its cookies).
SKIP_ROLES = frozenset({"law", "self", "condition", "other_party", "cookies"})


@dataclass(frozen=True, slots=True)
class BasisLexicon:
    bases: dict[str, Matcher]
    names: dict[str, Matcher]
    conditional: dict[str, Matcher]
    not_relied_on: dict[str, Matcher]
    not_a_basis: Matcher | None
    special: dict[str, Matcher]
    special_context: Matcher | None
    special_by_article: Matcher
    criminal: Matcher | None
    statute_strong: Matcher | None
    statute_weak: Matcher | None
    processing: Matcher | None
    basis_headings: Matcher | None
    protective_laws: Matcher | None
    #: Bases in plain words, as frames over the sentence's concepts (read after the patterns).
    frames: dict[str, FrameSet]
    #: Article 6(1)'s points by letter, for "6(1)(c) and (e)".
    points: dict[str, str]
    #: Every basis pattern in one alternation: a sentence it misses states no basis.
    any_basis: Matcher
    #: A sentence this rules out (and that cites no statute) gives no finding at all.
    gate: Gate
    #: Every concept a basis's frame opens with (None: some frame needs none): a sentence holding
    #: none states no basis in plain words, and most hold none.
    frame_openers: frozenset[str] | None


def _values(data: dict[str, list[str]]) -> dict[str, Matcher]:
    out: dict[str, Matcher] = {}
    for value, patterns in data.items():
        pattern = compile_all(patterns)
        if pattern is not None:
            out[value] = pattern
    return out


def _names(data: dict[str, str]) -> dict[str, Matcher]:
    """A sentence that is only a basis's name, or starts with it as a label ("Consent:")."""
    return {
        value: prefilter.compile(rf"^\W{{0,3}}(?:{name})\s*(?:$|[:–—(\-]|\s(?:or|and|/)\s)")
        for value, name in data.items()
    }


@cache
def lexicon() -> BasisLexicon:
    data = load_lexicon("lawful_basis")
    statute = data.get("statute_basis") or {}
    bases = _values(data["lawful_bases"])
    names = _names(data.get("basis_names") or {})
    conditional: dict[str, Matcher] = {value: prefilter.compile(pattern)
                                       for value, pattern in (data.get("conditional") or {}).items()}
    special = _values(data["special_category_conditions"])
    criminal = compile_all(data.get("criminal_offence_data"))
    any_basis = Alternation([p for patterns in data["lawful_bases"].values() for p in patterns or ()])
    names_of = concepts.lexicon().names
    frames = {value: compile_frames(specs, f"lawful_basis.yaml/frames/{value}", names_of, ROLES)
              for value, specs in (data.get("frames") or {}).items()}
    unknown = set(frames) - set(data["lawful_bases"])
    if unknown:
        raise ValueError(f"lawful_basis.yaml/frames: unknown basis(es) {sorted(unknown)}")
    return BasisLexicon(
        bases=bases,
        names=names,
        conditional=conditional,
        not_relied_on=_values(data.get("not_relied_on") or {}),
        not_a_basis=compile_all(data.get("not_a_basis")),
        special=special,
        special_context=compile_all(data.get("special_context")),
        special_by_article=prefilter.compile(r"\b9\s?(?:\(2\)|\.2|2)"),
        criminal=criminal,
        statute_strong=compile_all(statute.get("strong")),
        statute_weak=compile_all(statute.get("weak")),
        processing=compile_all(statute.get("processing")),
        basis_headings=compile_all(data.get("basis_headings")),
        protective_laws=compile_all(data.get("protective_laws")),
        frames=frames,
        points={str(k): str(v) for k, v in (data.get("article_points") or {}).items()},
        any_basis=any_basis,
        gate=Gate(any_basis, criminal, *special.values(), *names.values(), *conditional.values()),
        frame_openers=_openers(frames.values()),
    )


def _openers(framesets: Iterable[FrameSet]) -> frozenset[str] | None:
    """The concepts any of the frame sets opens with; None when one of them can open with any."""
    out: set[str] = set()
    for frames in framesets:
        if frames.openers is None:
            return None
        out |= frames.openers
    return frozenset(out)


def extract(doc: Document) -> list[Finding]:
    """Every basis, Art 9 condition, Art 10 mention and statute, sentence by sentence."""
    found: list[Finding] = []
    lead_ins = _lead_ins(doc)
    gate = lexicon().gate
    for unit in index_of(doc).sentences():
        if unit.roles & SKIP_ROLES:
            continue
        s = unit.sentence
        statutes = find_statutes(s.text)
        framed = _framed(unit)
        if not statutes and not framed and gate.rules_out(s.text):
            continue
        # a list item is read with the headings and the sentence that introduces it
        heading = " ".join((*s.section.path, lead_ins.get(id(s.block), "")))
        skip = _skip_bases(s.text)
        found.extend(_statute_findings(s, statutes, heading, bases=not skip))
        found.extend(_criminal_findings(s))
        if skip:
            continue
        special, special_spans = _special_findings(s, heading)
        found.extend(special)
        bases = _basis_findings(s, heading, special_spans)
        found.extend(bases)
        stated = {f.value for f in bases}
        found.extend(_frame_finding(unit, value, span) for value, span in framed
                     if value not in stated and not _overlaps(span, special_spans))
    found.extend(_heading_bases(doc))
    return found


def _framed(unit: Unit) -> list[tuple[str, Span]]:
    """The bases the sentence states in plain words (``frames``) or as further points of one
    article ("6(1)(c) and (e)"), with the characters that state each."""
    lex = lexicon()
    out: list[tuple[str, Span]] = []
    if lex.frame_openers is None or not lex.frame_openers.isdisjoint(unit.concepts):
        for value, frames in lex.frames.items():
            span = first_match(frames, unit)
            if span is not None:
                out.append((value, unit.tokens.span(*span)))
    if "(" in unit.text:
        for m in _POINT_LIST.finditer(unit.text):
            for point in _POINT.finditer(m.group(0), m.start(1) - m.start()):
                basis = lex.points.get(point.group(1).lower())
                if basis is not None:
                    out.append((basis, (m.start() + point.start(), m.start() + point.end())))
    return out


#: "6(1)(c) and (e)", "6(1)(a), (b) & (e)": the points after the first.
_POINT_LIST = re.compile(r"\b6\s?\(1\)\s?\([a-f]\)((?:\s?(?:,|and|or|&|/)\s?\([a-f]\))+)", re.IGNORECASE)
_POINT = re.compile(r"\(([a-f])\)", re.IGNORECASE)


def _frame_finding(unit: Unit, value: str, span: Span) -> Finding:
    s = unit.sentence
    return finding("lawful_basis", s, value=value, span=(s.start + span[0], s.start + span[1]))


def _heading_bases(doc: Document) -> list[Finding]:
    """A heading that names a basis ("Consent - Article 6(1)(a) of the UK GDPR") over a section that
    says something: headings are evidence too. The heading is quoted."""
    out: list[Finding] = []
    gate = lexicon().gate
    index = index_of(doc)
    for unit in index.headings():
        text = unit.text
        if unit.roles & SKIP_ROLES or gate.rules_out(text) or _skip_bases(text) or not unit.section.blocks:
            continue
        heading = " ".join(unit.section.path)
        special, spans = _special_findings(unit.sentence, heading)
        out.extend(special)
        out.extend(_basis_findings(unit.sentence, heading, spans))
    return out


def _lead_ins(doc: Document) -> dict[int, str]:
    """For each list item or table cell, the paragraph ending in ":" that introduces it."""
    out: dict[int, str] = {}
    for section in doc.sections:
        lead = ""
        for block in section.blocks:
            if block.kind == "paragraph":
                lead = block.text if block.text.rstrip().endswith(":") else ""
            elif lead:
                out[id(block)] = lead
    return out


def _skip_bases(text: str) -> bool:
    lex = lexicon()
    return lex.not_a_basis is not None and lex.not_a_basis.search(text) is not None


def _overlaps(span: Span, spans: list[Span]) -> bool:
    return any(a < span[1] and span[0] < b for a, b in spans)


def _spans(pattern: Matcher | None, text: str) -> list[Span]:
    return [] if pattern is None else [(m.start(), m.end()) for m in pattern.finditer(text)]


def _special_findings(s: Sentence, heading: str) -> tuple[list[Finding], list[Span]]:
    """Art 9 conditions where the sentence or its section is about special category data.

    Also returns every span an Art 9 pattern matched, so that Art 6 words inside
    them ("9(2)(a) explicit consent") are not read as Art 6 bases.
    """
    lex = lexicon()
    text = s.text
    context = lex.special_context
    special_here = bool(
        (context is not None and (context.search(text) or context.search(heading)))
        or lex.special_by_article.search(text)
    )
    out: list[Finding] = []
    spans: list[Span] = []
    if not special_here:
        return out, spans
    for value, pattern in lex.special.items():
        matches = list(pattern.finditer(text))
        if matches:
            m = matches[0]
            out.append(finding("special_category_condition", s, value=value,
                               span=(s.start + m.start(), s.start + m.end())))
            spans.extend((m.start(), m.end()) for m in matches)
    return out, spans


def _basis_findings(s: Sentence, heading: str, special_spans: list[Span]) -> list[Finding]:
    """One finding per Art 6 basis the sentence states as this body's own."""
    lex = lexicon()
    text = s.text
    out: list[Finding] = []
    stated = lex.any_basis.search(text) is not None  # one search first: most sentences state no basis
    shared = _spans(lex.not_relied_on.get("all"), text) + special_spans if stated else []
    waiting: list[str] = []  # values only named, or only a condition: they need a basis context
    for value, pattern in lex.bases.items():
        excluded = shared + _spans(lex.not_relied_on.get(value), text) if stated else []
        for m in pattern.finditer(text) if stated else ():
            if _overlaps((m.start(), m.end()), excluded):
                continue  # "withdraw your consent", "9(2)(a) explicit consent", a school's duty
            out.append(finding("lawful_basis", s, value=value, span=(s.start + m.start(), s.start + m.end())))
            break
        else:
            waiting.append(value)
    # The context: a heading or lead-in about the basis; for a condition ("where you have consented")
    # also a sentence that states another basis beside it or says the consent can be withdrawn.
    about = _about_basis(heading)
    beside = bool(out) or _withdrawable(text)
    for value in waiting:
        for named, needs_heading in ((lex.names.get(value), True), (lex.conditional.get(value), False)):
            if named is None or not (about or (beside and not needs_heading)):
                continue
            if hit := named.search(text):
                out.append(finding("lawful_basis", s, value=value, span=(s.start + hit.start(), s.start + hit.end())))
                break
    return out


def _withdrawable(text: str) -> bool:
    """The sentence says consent can be withdrawn: the consent it speaks of is relied on."""
    return _WITHDRAW.search(text) is not None


_WITHDRAW = re.compile(r"\b(?:withdraw|withdrawn|revoke|take back)\b[^.]{0,30}\bconsent\b", re.IGNORECASE)


@per_document
def _about_basis(heading: str) -> bool:
    lex = lexicon()
    return lex.basis_headings is not None and lex.basis_headings.search(heading) is not None


def _criminal_findings(s: Sentence) -> list[Finding]:
    lex = lexicon()
    if lex.criminal is None or not (m := lex.criminal.search(s.text)):
        return []
    return [finding("criminal_offence_data", s, span=(s.start + m.start(), s.start + m.end()))]


def _statute_findings(s: Sentence, statutes: list[ValueMatch], heading: str, *, bases: bool) -> list[Finding]:
    """A ``statute`` finding per citation, and (when ``bases``) a basis where the processing relies on it."""
    out: list[Finding] = []
    for st in statutes:
        attrs = {k: v for k, v in st.attributes.items() if k in ("title", "year", "section", "kind")}
        attrs["text"] = st.text
        span = (s.start + st.start, s.start + st.end)
        out.append(finding("statute", s, value=None, attributes=attrs, span=span))
        if bases and relied_on(st, s.text, heading):
            out.append(finding("lawful_basis", s, value=None, attributes={"statute": st.text}, span=span))
    return out


def relied_on(st: ValueMatch, text: str, heading: str) -> bool:
    """Whether the sentence (or its section) says the processing rests on this statute.

    Articles (of the UK GDPR) and data protection law are never the basis here:
    the Art 6 words give the basis, and the DPA 2018 only protects the data.
    """
    lex = lexicon()
    if st.attributes.get("kind") == "article" or _protective(str(st.attributes.get("title", ""))):
        return False
    if _about_basis(heading):
        return True
    if lex.statute_strong is not None and lex.statute_strong.search(text):
        return True
    if lex.statute_weak is None or not lex.statute_weak.search(text):
        return False
    has_provision = st.attributes.get("section") is not None
    return has_provision or (lex.processing is not None and lex.processing.search(text) is not None)


def _protective(title: str) -> bool:
    lex = lexicon()
    return lex.protective_laws is not None and lex.protective_laws.search(title) is not None
