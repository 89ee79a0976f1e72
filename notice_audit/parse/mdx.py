"""MDX (Markdown with JSX) read as Markdown: ``import``/``export`` statements and ``{expressions}`` removed.

Documentation sites (Docusaurus, Next.js) keep notices as MDX. The JavaScript
in it is not the notice: a line starting ``import`` or ``export`` begins a
statement that runs until its brackets close, and ``{...}`` is an expression
(``{/* comments */}`` too) that shows what it holds (a string, a translation
call) or nothing. JSX elements stay, as HTML does in Markdown. Fenced and
inline code are left as written. Lines are kept; linear in the text's length.
"""

from __future__ import annotations

import re

from notice_audit.model import Document, Page
from notice_audit.parse import markdown
from notice_audit.parse.base import InputFormat
from notice_audit.parse.components import brace_end
from notice_audit.parse.decode import decode
from notice_audit.parse.textutil import place_on_lines
from notice_audit.parse.translations import shown

_STATEMENT = re.compile(r"(?:import|export)\b")
_FENCE = re.compile(r"[ ]{0,3}(`{3,}|~{3,})")
_STOP = re.compile(r"[{`]")
_BRACKETS = {"{": 1, "(": 1, "[": 1, "}": -1, ")": -1, "]": -1}


def _depth_change(line: str) -> int:
    """How many brackets a line of a statement leaves open (brackets in its strings not counted)."""
    change = 0
    quote = ""
    for ch in line:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "\"'`":
            quote = ch
        else:
            change += _BRACKETS.get(ch, 0)
    return change


def _statements_blanked(text: str) -> tuple[str, list[tuple[int, int]]]:
    """The text with import/export statements turned to spaces (offsets kept), and the fenced code's spans."""
    out: list[str] = []
    fences: list[tuple[int, int]] = []
    offset = 0
    fence = ""
    fence_start = 0
    depth = 0
    for line in text.split("\n"):
        end = offset + len(line) + 1
        if fence:
            if line.strip().startswith(fence):
                fence = ""
                fences.append((fence_start, end))
            out.append(line)
        elif depth > 0 or _STATEMENT.match(line):
            depth = max(0, depth + _depth_change(line))
            out.append(" " * len(line))
        elif m := _FENCE.match(line):
            fence = m.group(1)[:3]
            fence_start = offset
            out.append(line)
        else:
            out.append(line)
        offset = end
    if fence:
        fences.append((fence_start, offset))
    return "\n".join(out), fences


def strip_mdx(text: str) -> str:
    """The Markdown of an MDX file, line for line."""
    text, fences = _statements_blanked(text)
    out: list[str] = []
    pos = i = 0
    fence = 0
    while True:
        m = _STOP.search(text, i)
        if m is None:
            break
        j = m.start()
        while fence < len(fences) and fences[fence][1] <= j:
            fence += 1
        if fence < len(fences) and fences[fence][0] <= j:
            i = fences[fence][1]
            continue
        if m.group() == "`":  # inline code, on its line
            close = text.find("`", j + 1)
            line_end = text.find("\n", j)
            i = close + 1 if close != -1 and (line_end == -1 or close < line_end) else j + 1
            continue
        end = brace_end(text, j)
        if text[end - 1:end] != "}":
            break  # an unclosed brace: the rest is text as written
        out.append(text[pos:j])
        shows = shown(text[j + 1:end - 1], "js")
        shows = f"<span>{shows}</span>" if shows and "<" not in shows else shows
        newlines = text.count("\n", j, end)
        out.append(place_on_lines([(0, shows)], newlines) if shows or newlines else "")
        pos = i = end
    out.append(text[pos:])
    return "".join(out)


def parse(page: Page) -> Document:
    """Parse an MDX page as Markdown once its JavaScript is gone."""
    return markdown.parse_text(strip_mdx(decode(page)), page)


FORMAT = InputFormat("mdx", ("text/mdx",), parse, (".mdx",))
