"""Razor views (``.cshtml``, ``.razor``) read as HTML: the C# removed, the text a reader sees kept.

ASP.NET services keep notices as Razor views: HTML with C# introduced by
``@``. What goes: ``@{ ... }``, ``@code { ... }`` and ``@functions { ... }``
blocks, ``@* comments *@``, directive lines (``@page``, ``@model``, ``@using``,
``@inject`` ...), the headers and braces of control blocks (``@if (...) {``,
``} else {``, ``@foreach``, ``@using (...) {``, ``@section Name {``) and the C#
statements inside them, and expressions (``@Model.Name``, ``@Html.Partial(...)``).
What stays: the markup, and the text expressions show: ``@Localizer["..."]``,
``@T("...")``, ``@Html.Raw("...")``, ``@Html.ActionLink("text", ...)``, and
``@:`` lines. An ``@`` inside a word (an e-mail address) and ``@@`` are text.

Each removed piece is replaced by the newlines it held, so lines in locators
are the lines of the file. One pass, linear in the file's length: an unclosed
block or comment runs to the end of the file.
"""

from __future__ import annotations

import re

from notice_audit.model import Document, Page
from notice_audit.parse import html
from notice_audit.parse.base import InputFormat
from notice_audit.parse.decode import decode
from notice_audit.parse.translations import shown

_DIRECTIVES = frozenset({
    "page", "model", "using", "inject", "inherits", "namespace", "layout", "addTagHelper", "removeTagHelper",
    "tagHelperPrefix", "implements", "attribute", "typeparam", "preservewhitespace", "rendermode", "helper",
})  # fmt: skip
_CODE_BLOCKS = frozenset({"code", "functions"})
_CONTROL = frozenset({"if", "foreach", "for", "while", "switch", "lock", "try", "do", "using"})
_IDENT = re.compile(r"[A-Za-z_]\w*")
_CONTINUATION = re.compile(r"\s*(else\s+if\b|else\b|catch\b|finally\b|while\b)")
# A line of C# inside a control block: a statement, a label or a nested control header (no markup on it).
_CODE_LINE = re.compile(
    r"[ \t]*(?:(?:var|return|break|continue|case|default|await|throw)\b[^<\n]*|[^<@}\n]*[;{])[ \t]*$"
)
_NESTED_CONTROL = re.compile(r"[ \t]*(if|else|foreach|for|while|switch|try|catch|finally|do|using|lock)\b[ \t]*[({\n]")
_TOP = re.compile(r"@|<(?:script|style)\b", re.I)
_IN_BLOCK = re.compile(r"@|\}|<(?:script|style)\b|\n", re.I)


def _filler(text: str, start: int, end: int, shows: str = "") -> str:
    """What replaces ``text[start:end]``: the text it shows and the newlines it held (one space if neither)."""
    newlines = text.count("\n", start, end)
    return shows.replace("\n", " ") + "\n" * newlines if newlines or shows else " "


def _skip_string(text: str, i: int) -> int:
    """Index after the C# string or char literal at ``i`` (``"..."``, ``@"..."``, ``$"..."``, ``'x'``)."""
    n = len(text)
    verbatim = False
    while i < n and text[i] in "@$":
        verbatim = verbatim or text[i] == "@"
        i += 1
    if i >= n:
        return n
    quote = text[i]
    if quote == "'":  # a char literal is short; an apostrophe in markup is not one
        close = text.find("'", i + 1, i + 9)
        return close + 1 if close != -1 else i + 1
    j = i + 1
    while j < n:
        ch = text[j]
        if ch == "\\" and not verbatim:
            j += 2
            continue
        if ch == quote:
            if verbatim and text[j + 1:j + 2] == quote:
                j += 2
                continue
            return j + 1
        if ch == "\n" and not verbatim:
            return j
        j += 1
    return n


def skip_balanced(text: str, i: int) -> int:
    """Index after the bracket closing the one at ``i`` (C# strings and comments skipped); ``len`` if none."""
    n = len(text)
    pairs = {"(": ")", "[": "]", "{": "}"}
    stack = [pairs[text[i]]]
    j = i + 1
    while j < n:
        ch = text[j]
        if ch == '"' or ch == "'" or (ch in "@$" and text[j + 1:j + 3].lstrip("@$")[:1] == '"'):
            j = _skip_string(text, j)
            continue
        if ch == "/" and text[j + 1:j + 2] == "/":
            end = text.find("\n", j)
            j = n if end == -1 else end
            continue
        if ch == "/" and text[j + 1:j + 2] == "*":
            end = text.find("*/", j + 2)
            j = n if end == -1 else end + 2
            continue
        if ch in pairs:
            stack.append(pairs[ch])
        elif ch == stack[-1]:
            stack.pop()
            if not stack:
                return j + 1
        j += 1
    return n


def _implicit_end(text: str, i: int) -> int:
    """End of an implicit expression starting at the name at ``i``: ``Model.Items[0].Title``, ``T("...")``."""
    n = len(text)
    m = _IDENT.match(text, i)
    j = m.end() if m else i
    while j < n:
        ch = text[j]
        if ch in "([":
            j = skip_balanced(text, j)
        elif ch in ".?" and (nxt := _IDENT.match(text, j + (2 if text[j:j + 2] == "?." else 1))):
            if ch == "?" and text[j + 1:j + 2] != ".":
                break
            j = nxt.end()
        elif ch == "!" and text[j + 1:j + 2] in (".", "["):  # null-forgiving: Model!.Name
            j += 1
        else:
            break
    return j


def _control_header_end(text: str, i: int) -> int:
    """After a control keyword at ``i``: past its ``(...)`` and the opening ``{`` (or to the line's end)."""
    n = len(text)
    j = i
    while j < n:
        ch = text[j]
        if ch == "(":
            j = skip_balanced(text, j)
            continue
        if ch == "{":
            return j + 1
        if ch == ";" or ch == "<":
            return j + 1 if ch == ";" else j
        j += 1
    return n


class _Razor:
    """One left-to-right pass over a Razor view."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.out: list[str] = []
        self.stack: list[str] = []  # "control" or "section": blocks whose closing brace is Razor's, not text

    def run(self) -> str:
        text = self.text
        n = len(text)
        pos = 0
        while pos < n:
            finder = _IN_BLOCK if self.stack else _TOP
            m = finder.search(text, pos)
            if m is None:
                break
            start = m.start()
            self.out.append(text[pos:start])
            token = m.group()
            if token == "@":
                pos = self._transition(start)
            elif token == "}":
                pos = self._close(start)
            elif token == "\n":
                self.out.append("\n")
                pos = self._line_in_block(start + 1)
            else:  # <script> or <style>: copied whole, so that braces inside are not Razor's
                close = text.lower().find("</" + token[1:].lower(), start)
                pos = n if close == -1 else close
                self.out.append(text[start:pos])
        self.out.append(text[pos:])
        return "".join(self.out)

    def _transition(self, at: int) -> int:
        text = self.text
        nxt = text[at + 1:at + 2]
        if at > 0 and (text[at - 1].isalnum() or text[at - 1] in "._-+"):  # an e-mail address
            self.out.append("@")
            return at + 1
        if nxt == "@":
            self.out.append("@")
            return at + 2
        if nxt == "*":
            close = text.find("*@", at + 2)
            end = len(text) if close == -1 else close + 2
            self.out.append(_filler(text, at, end))
            return end
        if nxt == "{":
            end = skip_balanced(text, at + 1)
            self.out.append(_filler(text, at, end))
            return end
        if nxt == "(":
            end = skip_balanced(text, at + 1)
            self.out.append(_filler(text, at, end, shown(text[at + 2:end - 1], "csharp")))
            return end
        if nxt == ":":  # @: the rest of the line is text
            return at + 2
        m = _IDENT.match(text, at + 1)
        if m is None:
            self.out.append("@")
            return at + 1
        word = m.group()
        rest = text[m.end():m.end() + 40].lstrip(" \t")
        if word in _CONTROL and not (word == "using" and rest[:1] not in ("(", "{")):
            return self._open_control(at, m.end())
        if word in _CODE_BLOCKS and rest[:1] in ("{", "\n", "\r", ""):
            brace = text.find("{", m.end())
            end = len(text) if brace == -1 else skip_balanced(text, brace)
            self.out.append(_filler(text, at, end))
            return end
        if word == "section":
            end = _control_header_end(text, m.end())
            if text[end - 1:end] == "{":
                self.stack.append("section")
            self.out.append(_filler(text, at, end))
            return end
        if word in _DIRECTIVES:
            close = text.find("\n", at)
            end = len(text) if close == -1 else close
            self.out.append(_filler(text, at, end))
            return end
        start = m.start()
        if word == "await":
            start = m.end() + len(text[m.end():]) - len(text[m.end():].lstrip(" "))
        end = _implicit_end(text, start)
        self.out.append(_filler(text, at, end, shown(text[start:end], "csharp")))
        return end

    def _open_control(self, at: int, after_keyword: int) -> int:
        end = _control_header_end(self.text, after_keyword)
        if self.text[end - 1:end] == "{":
            self.stack.append("control")
        self.out.append(_filler(self.text, at, end))
        return end

    def _close(self, at: int) -> int:
        """A ``}`` inside a Razor block: it closes the block; ``else``/``catch``/``finally`` may open the next."""
        kind = self.stack.pop()
        end = at + 1
        if kind == "control":
            m = _CONTINUATION.match(self.text, end)
            if m:
                end = _control_header_end(self.text, m.end())
                if self.text[end - 1:end] == "{":
                    self.stack.append("control")
        self.out.append(_filler(self.text, at, end))
        return end

    def _line_in_block(self, at: int) -> int:
        """At the start of a line inside a control block: a C# statement or header is removed, markup kept."""
        if not self.stack or self.stack[-1] != "control":
            return at
        text = self.text
        m = _NESTED_CONTROL.match(text, at)
        if m:
            return self._open_control(at, m.end(1))
        line_end = text.find("\n", at)
        line_end = len(text) if line_end == -1 else line_end
        line = text[at:line_end]
        if line.strip() and "@" not in line and _CODE_LINE.match(line):
            self.out.append(" ")
            return line_end
        return at


def strip_razor(text: str) -> str:
    """The view with Razor's C# replaced by what it shows, keeping line numbers."""
    return _Razor(text).run()


def parse(page: Page) -> Document:
    """Parse a Razor view: C# removed, the rest read as HTML."""
    return html.parse_text(strip_razor(decode(page, html=True)), page)


FORMAT = InputFormat("razor", ("text/x-razor",), parse, (".cshtml", ".razor"))
