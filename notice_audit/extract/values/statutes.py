"""Recogniser for citations of legislation ("section 83 of the Children Act 1989").

A notice's lawful basis is often only a statute, and outdated references (the
Data Protection Act 1998) are an audit finding of their own, so citations are
pulled out with their title, year and cited provision.

Conventions (chosen so labels like ``{title: Children Act, year: 1989, section: "83"}``
compare exactly):

- ``title`` is the short title as written, curly apostrophes made straight, with a
  leading "the" removed. A capitalised leading "The" is kept only for statutory
  instruments (Regulations, Orders, Rules), whose official titles begin with
  "The"; for Acts it is dropped ("The Children Act 1989" -> "Children Act").
- A one-word title in the possessive ("1989 Children's Act") is the common
  misnaming of a short title that has none, so the "'s" is dropped ("Children
  Act"); longer titles keep a possessive as written ("Young People's Act").
- ``section`` is the bare number for sections, regulations, articles and rules
  ("83", "6(1)(e)"); other or nested provisions keep their words
  ("Schedule 1 Part 2", "paragraph 5 of Schedule 2"). ``attributes["unit"]`` names
  the kind of provision.
- "sections 47 and 17 of the Children Act 1989" gives ONE MATCH PER SECTION; each
  match spans the whole citation, so every match quotes the full evidence.
- ``kind`` is "article" when an article is cited (EU-style instruments such as
  the UK GDPR), else the instrument kind from the title's last word: "act",
  "regulations", "regulation", "order", "rules", "measure" or "code".
- Titles are runs of capitalised words, the joiners of/of the/and/&/for/to/in/on/
  with/from and bracketed parts, at most 15 tokens, ending in the kind word.
  Clause words before a title are trimmed ("Under", "This", "Section", ...); a
  comma belongs to a title only in the form "A, B and C Act"; two titles run
  together ("UK GDPR and Data Protection Act") keep the last one. Without a cited
  provision a title needs a year, or (for Acts only) at least two words before
  "Act", so that "the Act" or "a Court Order" is not a statute. Bare acronyms
  ("UK GDPR", "DPA 2018") count only after a cited provision ("Article 6 of the
  UK GDPR"), where they are the title as written.
"""

from __future__ import annotations

import re

from notice_audit.extract import prefilter
from notice_audit.extract.values import ValueMatch

__all__ = ["find_statutes"]

_SP = r"[ \t\u00a0]"
_YEAR = r"(?:1[6-9]|20)\d{2}(?!\d)"
_WORD = r"(?!Act\b)[A-Z][A-Za-z'’\-]*+,?"
_JOIN = rf"(?:(?:of(?:{_SP}++the)?|and|for|to|in|on|with|from)\b|&)"
_PAREN = r"\([^()\n]{1,80}+\)"
_KEYWORD = r"(?:Act|Regulations|Regulation|Order|Rules|Measure|Code)\b"
_TITLE = rf"{_WORD}(?:{_SP}++(?:{_WORD}|{_JOIN}|{_PAREN})){{0,14}}{_SP}++{_KEYWORD}"
_ACRONYM = r"(?:(?:UK|EU)[ \t\u00a0]+)?GDPR\b|DPA\b"
_UNIT = (
    r"(?i:sections?|regulations?|regs?\.?|articles?|arts?\.?|schedules?|sch\.?|"
    r"paragraphs?|paras?\.?|parts?|rules?|chapters?)|[sS]{1,2}\.?"
)
_REF = r"\d{1,4}[A-Z]{0,2}(?:\([0-9A-Za-z]{1,5}\)){0,5}"
_LIST_SEP = rf"(?:{_SP}*,{_SP}*(?:(?:and|or){_SP}+)?|{_SP}+(?:and|or|&){_SP}+)"
_UNITREF = rf"(?:{_UNIT}){_SP}?{_REF}(?:{_LIST_SEP}(?:(?:{_UNIT}){_SP}?)?{_REF}){{0,9}}+"
_CHAIN = rf"{_UNITREF}(?:{_SP}+(?:of|to|in){_SP}+(?:the{_SP}+)?{_UNITREF}){{0,3}}+"
_POST_UNIT = r"(?:Schedule|Part|Paragraph|Section|Chapter|schedule|part|paragraph|section|chapter|s\.|para\.?)"
_POST = rf"{_POST_UNIT}{_SP}?{_REF}(?:{_SP}*,?{_SP}*{_POST_UNIT}{_SP}?{_REF}){{0,4}}"

#: Prefiltered: most sentences hold none of the words a citation needs ("Act", "Regulations" ...).
_CITATION = prefilter.compile(
    r"(?<![\w'’\-])"
    rf"(?:(?P<pre>{_CHAIN})[ \t\u00a0,]+(?:(?:of|to|in|under|from|within){_SP}+)?(?:the{_SP}+)?)?"
    rf"(?:(?P<ypre>{_YEAR}){_SP}+)?"
    rf"(?P<title>{_TITLE}|{_ACRONYM})"
    rf"(?:{_SP}*,?{_SP}+(?P<year>{_YEAR})|{_SP}*\((?P<year2>{_YEAR})\))?"
    rf"(?:{_SP}*,?{_SP}+(?P<post>{_POST})(?!{_SP}+(?:of|to)\b))?",
    0,
)

#: Every citation's title ends in one of these words, as written (``_KEYWORD``, ``_ACRONYM``: case counts).
#: A text without any is not searched: "act" of "contact" or "impact" let the prefilter pass most sentences
#: to the full pattern, which has no literal to skip ahead to and is tried at every character.
_NEEDED = re.compile(r"Act|Regulation|Order|Rules|Measure|Code|GDPR|DPA")

_UNIT_NAMES = {
    "s": "section", "ss": "section", "section": "section", "sections": "section",
    "regulation": "regulation", "regulations": "regulation", "reg": "regulation", "regs": "regulation",
    "article": "article", "articles": "article", "art": "article", "arts": "article",
    "schedule": "schedule", "schedules": "schedule", "sch": "schedule",
    "paragraph": "paragraph", "paragraphs": "paragraph", "para": "paragraph", "paras": "paragraph",
    "part": "part", "parts": "part", "rule": "rule", "rules": "rule",
    "chapter": "chapter", "chapters": "chapter",
}  # fmt: skip
_BARE_UNITS = {"section", "regulation", "article", "rule"}
_KINDS = {
    "Act": "act", "Regulations": "regulations", "Regulation": "regulation", "Order": "order",
    "Rules": "rules", "Measure": "measure", "Code": "code", "GDPR": "regulation", "DPA": "act",
}  # fmt: skip
_SI_KINDS = {"regulations", "order", "rules"}
# Capitalised words that start sentences or clauses, never a short title.
# fmt: off
_STOP = frozenset({
    "Under", "In", "As", "By", "For", "With", "And", "Or", "Of", "To", "On", "At", "From", "Also", "See",
    "Including", "Include", "This", "These", "That", "Those", "Our", "Your", "Its", "Their", "Both", "Either",
    "Each", "Any", "All", "Some", "Such", "Section", "Sections", "Article", "Articles", "Regulation",
    "Schedule", "Part", "Paragraph", "If", "When", "Where", "We", "You", "It", "They", "A", "An", "Within",
    "Through", "Via", "Per", "Following", "After", "Before", "Since", "Until", "Whilst", "While", "Note",
    "Please", "Current", "Relevant", "Applicable", "Other", "Is", "Are", "Was", "Were", "Be", "Being", "Been",
    "Has", "Have", "Had", "Do", "Does", "Did", "Then", "So", "But", "Not", "No",
})
# fmt: on
# Unit words that some short titles begin with ("Regulation of Railways Act").
_UNIT_TITLE_WORDS = frozenset({"Regulation", "Regulations"})
_JOINERS = frozenset({"of", "the", "and", "for", "to", "in", "on", "with", "from", "&"})
# Instrument words that can end one title inside a run such as "UK GDPR and Data Protection Act".
_INNER_END = frozenset({"Regulation", "Regulations", "GDPR", "Order", "Rules", "Code", "Measure"})
_UNIT_WORD = re.compile(rf"^(?:{_UNIT})", re.IGNORECASE)
_REF_RE = re.compile(_REF)
_ITEM_RE = re.compile(rf"(?<![\w'’\-])(?:(?P<unit>{_UNIT}){_SP}?)?(?P<ref>{_REF})")


def _unit_name(word: str) -> str:
    """Canonical provision name for a unit word as written ("s." -> "section")."""
    return _UNIT_NAMES.get(word.lower().rstrip(".").strip(), "section")


def _split_prefix(pre: str) -> tuple[str, list[str]]:
    """Return (unit, sections) for a cited-provision prefix.

    A simple list of one kind ("sections 47 and 17") gives each number; a nested
    reference ("paragraph 5 of Schedule 2", "Part 3, section 35(8)") is kept as one
    collapsed phrase because its parts are not separate provisions.
    """
    pre = " ".join(pre.split())
    items = [(m.group("unit"), m.group("ref")) for m in _ITEM_RE.finditer(pre)]
    unit = _unit_name(items[0][0] or "section") if items else "section"
    units = {_unit_name(u) for u, _ in items if u}
    if len(units) > 1 or re.search(r"\s(?:of|to|in)\s", pre):
        return unit, [pre]
    refs = [ref for _, ref in items]
    if unit in _BARE_UNITS:
        return unit, refs
    label = unit.capitalize() if unit in {"schedule", "part", "chapter"} else unit
    return unit, [f"{label} {ref}" for ref in refs]


def _titled_unit(tokens: list[str]) -> bool:
    """A unit word that begins a short title ("Regulation of Investigatory Powers Act"), not a clause word."""
    return (
        len(tokens) > 3 and tokens[0] in _UNIT_TITLE_WORDS and tokens[1] == "of"
        and tokens[2][:1].isupper() and tokens[2] != "The"
    )


def _clean_title(title: str, kind: str) -> tuple[str, int] | None:
    """Trim clause words before a title and normalise it; return (title, title start offset)."""
    spans = [(t.start(), t.group(0)) for t in re.finditer(r"\S+", title)]
    tokens = [tok for _, tok in spans]
    dropped = 0
    # Two titles joined by "and" ("General Data Protection Regulation and Data Protection
    # Act"): keep the last one. An enumeration comma only belongs to a title of the form
    # "A, B and C Act"; otherwise the title starts after the comma.
    for i in range(len(tokens) - 2, 0, -1):
        before = tokens[i - 1].rstrip(",")
        if tokens[i] in {"and", "&"} and (before in _INNER_END or before.endswith(")")):
            dropped = i + 1
            break
    for i in range(len(tokens) - 2, dropped - 1, -1):
        if tokens[i].endswith(",") and not any(t in {"and", "&"} for t in tokens[i + 1 :]):
            dropped = i + 1
            break
    tokens = tokens[dropped:]
    while len(tokens) > 1 and (tokens[0] in _STOP or tokens[0] in _JOINERS) and not _titled_unit(tokens):
        dropped += 1
        tokens.pop(0)
    if len(tokens) > 1 and tokens[0] == "The" and kind not in _SI_KINDS:
        dropped += 1
        tokens.pop(0)
    if len(tokens) < 2 and tokens[0] not in {"GDPR", "DPA"}:
        return None
    offset = spans[dropped][0]
    if tokens[-1] not in _KINDS or any(t.endswith(",") for t in tokens[-2:]):
        return None
    tokens = [t.replace("’", "'") for t in tokens]
    if len(tokens) == 2 and tokens[0].endswith("'s"):
        tokens[0] = tokens[0][:-2]
    return " ".join(tokens), offset


def find_statutes(text: str) -> list[ValueMatch]:
    """Citations of legislation with ``title``, ``year``, ``section``, ``kind`` and ``unit`` attributes.

    See the module docstring for the conventions; ``value`` is a canonical
    citation string ("Children Act 1989 section 83") useful for de-duplication.
    """
    out: list[ValueMatch] = []
    if _NEEDED.search(text) is None:
        return out
    for m in _CITATION.finditer(text):
        raw_title = m.group("title")
        last = raw_title.split()[-1]
        kind = _KINDS.get(last, "act")
        acronym = last in {"GDPR", "DPA"}
        pre, post = m.group("pre"), m.group("post")
        if acronym and not pre:
            continue  # a bare "GDPR" is a mention of the law, not a citation
        cleaned = _clean_title(raw_title, kind)
        if cleaned is None:
            continue
        title, offset = cleaned
        year_text = m.group("year") or m.group("year2") or m.group("ypre")
        year = int(year_text) if year_text else None
        if not pre and not post and year is None and (kind != "act" or len(title.split()) < 3):
            continue  # "a Court Order", "the Act": too weak without a year or a provision
        start = m.start() if (pre or m.group("ypre")) else m.start("title") + offset
        unit: str | None = None
        sections: list[str | None] = [None]
        if pre:
            unit, found = _split_prefix(pre)
            sections = list(found) or [None]
        elif post:
            collapsed = " ".join(post.split())
            unit = _unit_name(collapsed.split()[0])
            first_ref = _REF_RE.search(collapsed)
            bare = unit in _BARE_UNITS and first_ref is not None and first_ref.end() == len(collapsed)
            sections = [first_ref.group(0) if bare and first_ref else collapsed]
        if unit == "article":
            kind = "article"
        for section in sections:
            parts = [title, str(year) if year else "", f"{unit} {section}" if section else ""]
            value = " ".join(p for p in parts if p)
            attrs = {"title": title, "year": year, "section": section, "kind": kind, "unit": unit}
            out.append(ValueMatch(start, m.end(), text[start : m.end()], value, attrs))
    return out
