"""Template files (ERB, Jinja/Nunjucks, Liquid, Handlebars) read as HTML.

Service repositories keep their notices as templates. The tags are logic or
placeholders, not notice text, so they are removed; each tag is replaced by
the newlines it contained so that line numbers in locators still point at the
right line of the file.
"""

from __future__ import annotations

import re

from notice_audit.model import Document, Page

_OPENERS = re.compile(r"<%|\{[%{#]")
_CLOSERS = {"<%": "%>", "{%": "%}", "{#": "#}"}
_QUOTES = "\"'`"


def _balanced_end(text: str, start: int) -> int:
    """End of a ``{{ ... }}`` expression starting at ``start``, or -1.

    Braces inside the expression (``{{ macro({ key: 1 }) }}``) and quoted
    strings are skipped, so the tag ends at the brace that closes it.
    """
    depth = 0
    quote = ""
    i = start
    n = len(text)
    while i < n:
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in _QUOTES and depth >= 2:
            quote = ch
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return -1


def strip_template_tags(text: str) -> str:
    """Remove template tags, keeping line numbers; linear in the text length.

    A tag within a line becomes one space; a tag spanning lines becomes the
    same number of newlines. An opener without a closer is left as it is.
    """
    out: list[str] = []
    pos = 0
    exhausted: set[str] = set()  # openers whose closer no longer occurs: stop looking
    balanced_ok = True
    for match in _OPENERS.finditer(text):
        start = match.start()
        if start < pos:
            continue
        opener = match.group()
        if opener in exhausted:
            continue
        end = -1
        if opener == "{{":
            if balanced_ok:
                end = _balanced_end(text, start)
                balanced_ok = end != -1
            if end == -1:
                found = text.find("}}", start + 2)
                end = found + 2 if found != -1 else -1
        else:
            found = text.find(_CLOSERS[opener], start + 2)
            end = found + 2 if found != -1 else -1
        if end == -1:
            exhausted.add(opener)
            continue
        if opener == "{{" and end < len(text) and text[end] == "}" and text[start + 2 : start + 3] == "{":
            end += 1  # Handlebars triple braces {{{ raw }}}
        out.append(text[pos:start])
        newlines = text.count("\n", start, end)
        out.append("\n" * newlines if newlines else " ")
        pos = end
    out.append(text[pos:])
    return "".join(out)


def looks_templated(text: str) -> bool:
    """Whether HTML text carries template tags that should be stripped first."""
    return bool(re.search(r"<%.{0,2000}?%>|\{%.{0,2000}?%\}|\{\{.{0,2000}?\}\}", text, re.S))


def parse(page: Page) -> Document:
    """Parse a template file: tags removed, the rest read as an HTML fragment."""
    from notice_audit.parse import html
    from notice_audit.parse.decode import decode

    return html.parse_text(strip_template_tags(decode(page, html=True)), page)
