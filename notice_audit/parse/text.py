"""Plain text (saved web-page text, exported notices) to a ``Document``.

Plain text has no markup, so structure is inferred: bullet and numbered lines
become list items, short title-like lines that stand before content become
headings, and hard-wrapped paragraphs are joined again. Site furniture left in
the text (skip links, breadcrumbs, cookie and maintenance banners) is dropped
line by line first, so it can neither become the title nor split a section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Literal

from notice_audit.model import BlockKind, Document, Page
from notice_audit.parse.base import InputFormat
from notice_audit.parse.builder import DocumentBuilder
from notice_audit.parse.decode import decode
from notice_audit.parse.furniture import furniture
from notice_audit.parse.textutil import clean, is_title_like

# A list marker at the start of a line, followed by space or the end of the line.
_MARKER = re.compile(
    r"(?:(?P<num>\d{1,3}(?:\.\d{1,3}){0,3})[.)]"  # 1.  2)  1.2.
    r"|(?P<dotted>\d{1,3}(?:\.\d{1,3}){1,3})"  # 1.1
    r"|\((?:[a-zA-Z]|\d{1,3}|(?i:[ivx]{1,5}))\)"  # (a)  (1)  (iv)
    r"|(?i:[ivx]{2,5})[.)]"  # ii.  iv)
    r"|[a-zA-Z][.)]"  # a)  b.
    r"|[•·▪◦‣●○■□▸►➢✓*+–—-]"  # bullets
    r")(?=\s|$)"
)
_TERMINAL = re.compile(r"[.!?:;]$")
_YOU_ARE_HERE = re.compile(r"you are here:?", re.I)
_CRUMB_START = re.compile(r"home\b", re.I)
_CONTACT = re.compile(
    r"(?:tel|telephone|phone|mobile|fax|e-?mail|email address|address|post ?code|website|web|name)\s?:", re.I
)
_STARTS_WITH_LETTER = re.compile(r"""[\s"'“‘(]*[^\W\d_]""")
_CALL_TO_ACTION = re.compile(r"(?:download|view|read|click|visit|see|go to|follow|watch|listen|open)\b", re.I)
_POSTCODE = re.compile(r"\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR) ?\d[A-Z]{2}\b")
_ADDRESS_START = re.compile(r"(?:floor \d{1,2}|\d{1,2}(?:st|nd|rd|th) floor|p\.?o\.? box \d{1,6})\b", re.I)
_ADDRESS_END = re.compile(
    r"\b(?:Street|Road|Lane|Avenue|Drive|Way|Rise|Close|Place|Square|Crescent|Terrace|Gardens|Hill|Row|"
    r"Walk|Parade|House|Office|Offices|Centre|Center|Building|Hall|Quay|Court)$"
)
_ANSWERS = frozenset({"yes", "no", "none", "n/a", "not applicable", "not known", "nil"})
_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]{0,6}\.?"
_DATELINE = re.compile(
    r"(?:page\s)?(?:last\s)?(?:updated|published|reviewed|modified|revised|amended|effective|version|dated?)\b"
    rf"|(?:[a-z]{{3,9}},?\s)?\d{{1,2}}(?:st|nd|rd|th)?\s{_MONTHS}\s\d{{4}}$"
    rf"|{_MONTHS}\s\d{{1,2}}(?:st|nd|rd|th)?,?\s\d{{4}}$",
    re.I,
)
_MAX_WRAP_WIDTH = 120
_BANNER_ZONE_LINES = 15


@dataclass(slots=True)
class _Line:
    no: int
    text: str
    indent: int
    marker: str | None
    depth: int  # how many numbers a numbered marker has (1. -> 1, 2.1 -> 2); 0 otherwise
    body: str


@dataclass(slots=True)
class _Unit:
    kind: Literal["item", "line"]
    first: _Line
    parts: list[str]
    last_no: int
    last_len: int
    blank_before: bool
    no_heading: bool = False
    heading_level: int = 0

    @property
    def text(self) -> str:
        return clean(" ".join(self.parts))

    @property
    def single(self) -> bool:
        return self.last_no == self.first.no


@dataclass(slots=True)
class _State:
    width: int = 0
    wrapped: bool = False
    units: list[_Unit] = field(default_factory=list)


def parse(page: Page) -> Document:
    """Parse a plain-text page."""
    return parse_text(decode(page), page)


def parse_text(text: str, page: Page) -> Document:
    builder = DocumentBuilder(page.source, banners=False)
    lines = _drop_furniture(_lines(text), builder)
    state = _layout(lines)
    _mark_lists(state.units)
    _mark_addresses(state.units)
    _mark_headings(state.units)
    _demote_heading_runs(state.units)
    for unit in state.units:
        if unit.heading_level:
            builder.heading(unit.text, unit.heading_level, line=unit.first.no)
        else:
            kind: BlockKind = "list_item" if unit.kind == "item" else "paragraph"
            builder.block(kind, unit.text, line=unit.first.no, end_line=unit.last_no)
    return builder.document(page)


def _make_line(no: int, raw: str) -> _Line:
    expanded = raw.expandtabs(4)
    stripped = expanded.strip()
    indent = len(expanded) - len(expanded.lstrip())
    match = _MARKER.match(stripped)
    if match is None:
        text = clean(stripped)
        return _Line(no, text, indent, None, 0, text)
    number = match.group("num") or match.group("dotted")
    depth = number.count(".") + 1 if number else 0
    return _Line(no, clean(stripped), indent, match.group(), depth, clean(stripped[match.end() :]))


def _lines(text: str) -> list[_Line | None]:
    """Lines with their 1-based numbers; ``None`` for blank lines."""
    out: list[_Line | None] = []
    for no, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        out.append(_make_line(no, raw) if raw.strip() else None)
    return out


def _drop_furniture(lines: list[_Line | None], builder: DocumentBuilder) -> list[_Line | None]:
    """Blank out furniture lines; banners only count before the notice text starts."""
    lex = furniture()
    out: list[_Line | None] = []
    following = _next_texts(lines)
    zone_open = True
    kept = 0
    crumbs = False  # just after "You are here": a trail of short list lines follows
    for index, line in enumerate(lines):
        if line is None:
            out.append(None)
            continue
        if crumbs and line.marker and len(line.body.split()) <= 6:
            builder.drop(line.text)
            out.append(None)
            continue
        crumbs = False
        texts = (line.text, line.body) if line.marker else (line.text,)
        furniture_line = any(lex.is_furniture_text(t, banners=zone_open) or (zone_open and lex.is_banner_heading(t))
                             for t in texts)
        if furniture_line or _is_crumb_trail(line.text, following[index]):
            builder.drop(line.text)
            crumbs = bool(_YOU_ARE_HERE.fullmatch(line.text))
            out.append(None)
            continue
        out.append(line)
        kept += 1
        if line.marker or not is_title_like(line.text) or kept >= _BANNER_ZONE_LINES:
            zone_open = False
    return out


def _next_texts(lines: list[_Line | None]) -> list[str]:
    """For each line, the text of the next non-blank line ('' at the end)."""
    out = [""] * len(lines)
    upcoming = ""
    for index in range(len(lines) - 1, -1, -1):
        out[index] = upcoming
        line = lines[index]
        if line is not None:
            upcoming = line.text
    return out


def _is_crumb_trail(text: str, next_text: str) -> bool:
    """'Home Council Privacy notices Library privacy notice' before the page title itself."""
    return bool(
        _CRUMB_START.match(text)
        and next_text
        and len(text) > len(next_text)
        and text.lower().endswith(next_text.lower())
    )


def _layout(lines: list[_Line | None]) -> _State:
    """Group lines into units (paragraph lines or list items), re-joining wrapped lines."""
    state = _State()
    present = [line for line in lines if line is not None]
    if not present:
        return state
    state.width = max(len(line.text) + line.indent for line in present)
    if state.width <= _MAX_WRAP_WIDTH:
        full = 0
        for line, nxt in pairwise(lines):
            if line is not None and nxt is not None and nxt.marker is None:
                full += len(line.text) + line.indent >= 0.85 * state.width
        state.wrapped = full >= 3
    blank = True
    for line in lines:
        if line is None or not any(c.isalnum() for c in line.text):
            blank = True
            continue
        current = state.units[-1] if state.units and not blank else None
        if line.marker is None and current is not None and _continues(state, current, line):
            current.parts.append(line.text)
            current.last_no = line.no
            current.last_len = len(line.text) + line.indent
        else:
            kind: Literal["item", "line"] = "item" if line.marker else "line"
            text = line.body if line.marker else line.text
            state.units.append(_Unit(kind, line, [text], line.no, len(line.text) + line.indent, blank))
        blank = False
    return state


def _continues(state: _State, unit: _Unit, line: _Line) -> bool:
    """Whether ``line`` carries on ``unit`` (a hanging indent, or a hard-wrapped paragraph)."""
    first_word = line.text.split(" ", 1)[0]
    overflow = state.wrapped and unit.last_len + 1 + len(first_word) > state.width
    if unit.kind == "item":
        return line.indent > unit.first.indent or (overflow and line.text[:1].islower())
    last = unit.parts[-1]
    if not overflow or _TERMINAL.search(last):
        return False
    return line.text[:1].islower() or not is_title_like(last)


def _mark_lists(units: list[_Unit]) -> None:
    """After a line ending in ':', indented lines are list items and nothing is a heading.

    Saved web text often loses the bullets of a list but keeps its indent, and
    the short lines straight after a list intro are its items or an address,
    never a new section.
    """
    intro: _Unit | None = None
    guard_from = -1  # index of the first unit after the latest intro
    for index, unit in enumerate(units):
        if intro is not None:
            if unit.kind == "line" and unit.first.indent >= 2 and unit.first.indent > intro.first.indent:
                unit.kind = "item"
                unit.parts[0] = unit.first.body
            elif unit.kind != "item":
                intro = None
        if guard_from >= 0:
            question = unit.text.endswith("?")
            short = len(unit.text.split()) <= 12
            plain = unit.kind == "line" and not unit.first.marker
            if not question and (index == guard_from or (short and plain and not unit.blank_before)):
                unit.no_heading = True
            else:
                guard_from = -1
        if unit.text.endswith(":"):
            intro = unit
            guard_from = index + 1


def _numbered_neighbour(units: list[_Unit], index: int, depth: int) -> bool:
    for other in (index - 1, index + 1):
        if 0 <= other < len(units) and units[other].first.depth == depth and units[other].kind == "item":
            return True
    return False


def _mark_headings(units: list[_Unit]) -> None:
    """Decide which single lines are headings, and their levels."""
    seen_content = False
    seen_heading = False
    previous: _Unit | None = None
    for index, unit in enumerate(units):
        level = 0
        if unit.single and not unit.no_heading and index + 1 < len(units):
            text = unit.text
            if unit.kind == "item" and unit.first.depth:
                if is_title_like(unit.first.body) and not _numbered_neighbour(units, index, unit.first.depth):
                    level = min(6, unit.first.depth + 1)
            elif unit.kind == "line" and _headline(text):
                level = 2 if seen_content or seen_heading else 1
            answers = previous is not None and previous.heading_level > 0 and previous.text.endswith("?")
            if level and answers and not text.endswith("?"):
                level = 0
        if level:
            unit.heading_level = level
            if unit.kind == "item":
                unit.kind = "line"
                unit.parts[0] = unit.first.text
            seen_heading = True
        else:
            seen_content = True
        previous = unit


def _headline(text: str) -> bool:
    """A title-like line that is not an answer ("No"), a date, a contact detail or a link."""
    if not is_title_like(text, max_words=16 if text.endswith("?") else 12):
        return False
    if not _STARTS_WITH_LETTER.match(text) or text.lower() in _ANSWERS:
        return False
    if _DATELINE.match(text) or _CONTACT.match(text) or _CALL_TO_ACTION.match(text):
        return False
    return sum(c.isdigit() for c in text) < 6


def _address_like(text: str) -> bool:
    """A line of a postal address: a postcode, 'Floor 3', or 'Delamere Street'-like."""
    return bool(_POSTCODE.search(text) or _ADDRESS_START.match(text) or _ADDRESS_END.search(text))


def _title_case(text: str, max_words: int) -> bool:
    words = text.split()
    return len(words) <= max_words and all(w[:1].isupper() or len(w) < 4 for w in words)


def _mark_addresses(units: list[_Unit]) -> None:
    """Address lines are never headings: nor the names above them, nor the town below."""
    for index, unit in enumerate(units):
        if not _address_like(unit.text):
            continue
        unit.no_heading = True
        for follower in units[index + 1 : index + 4]:
            if not _title_case(follower.text, 3):
                break
            follower.no_heading = True
        for leader in reversed(units[max(0, index - 4) : index]):
            if leader.first.marker or leader.text.endswith(("?", ":")) or not _title_case(leader.text, 5):
                break
            leader.no_heading = True


def _demote_heading_runs(units: list[_Unit]) -> None:
    """Three or more headings in a row with nothing under them are a contents list, not sections."""
    index = 0
    while index < len(units):
        end = index
        level = units[index].heading_level
        while level and end < len(units) and units[end].heading_level == level:
            end += 1
        if end - index >= 3:
            keep_last = end < len(units) and not units[end].heading_level
            for unit in units[index : end - 1 if keep_last else end]:
                unit.heading_level = 0
                unit.kind = "item"
        index = max(end, index + 1)


FORMAT = InputFormat("text", ("text/plain",), parse, (".txt", ".text"), served_as=(("text/plain", 0.9),))
