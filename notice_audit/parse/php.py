"""PHP pages (``.php``, ``.phtml``) read as HTML: the PHP replaced by what it outputs.

Council and charity sites keep notices as PHP pages: HTML with ``<?php ... ?>``
and ``<?= ... ?>`` blocks (an unclosed ``<?php`` runs to the end of the file, as
PHP reads it). A block is code, so it goes, except what it prints: the strings
an ``echo`` or ``print`` outputs (HTML strings read as HTML, heredocs too),
WordPress and gettext translations (``_e('...')``, ``esc_html_e``,
``echo __('...')``, ``printf(__('...'))``; a key is dropped), and variables set
to strings and echoed later (``$title = "..."`` ... ``<?= $title ?>``). Each
output is placed on the line of the statement that prints it, so locators give
the file's lines. One pass, linear in the file's length.
"""

from __future__ import annotations

import re

from notice_audit.model import Document, Page
from notice_audit.parse import html
from notice_audit.parse.base import InputFormat
from notice_audit.parse.decode import decode
from notice_audit.parse.textutil import place_on_lines
from notice_audit.parse.translations import Shown, Token, heredoc, lex, render_pieces, string_end

_OPEN = re.compile(r"<\?(?:php\b|=|(?=\s))", re.I)
_CODE_STOP = re.compile(r"\?>|['\"]|/\*|//|#|<<<")
# Calls that print their (translated or formatted) first argument themselves.
_SELF_ECHO = frozenset({"_e", "_ex", "esc_html_e", "esc_attr_e", "printf", "vprintf"})


def _code_end(text: str, i: int) -> tuple[int, int]:
    """Where the PHP code from ``i`` ends and where the text after its ``?>`` starts (the file's end if unclosed).

    ``?>`` inside a string or a block comment does not close the code; it does end a line comment.
    """
    n = len(text)
    while True:
        m = _CODE_STOP.search(text, i)
        if m is None:
            return n, n
        token = m.group()
        if token == "?>":
            return m.start(), m.end()
        if token in ("//", "#"):
            line_end = text.find("\n", m.end())
            close = text.find("?>", m.end(), n if line_end == -1 else line_end)
            if close != -1:
                return close, close + 2
            i = n if line_end == -1 else line_end
            continue
        i = _skip_php_string_or_comment(text, m.start())


def _skip_php_string_or_comment(text: str, i: int) -> int:
    """Index after the string, heredoc or block comment starting at ``i`` (the file's end if unclosed)."""
    if text.startswith("/*", i):
        close = text.find("*/", i + 2)
        return len(text) if close == -1 else close + 2
    if text.startswith("<<<", i):
        found = heredoc(text, i)
        return found[0] if found is not None else i + 3
    return string_end(text, i, "php")[0]


def _outputs(code: str, variables: dict[str, str], *, expression: bool) -> list[tuple[int, str]]:
    """What a block prints, as (offset in ``code``, HTML); records string variables it sets."""
    tokens = lex(code, "php")
    if expression:  # <?= expr ?>
        printed = _printed(tokens, variables) if tokens else ""
        return [(0, printed if "<" in printed else f"<span>{printed}</span>")] if printed else []
    whole = Shown(tokens, variables)
    out: list[tuple[int, str]] = []
    k = 0
    n = len(tokens)
    while k < n:
        tok = tokens[k]
        nxt = tokens[k + 1] if k + 1 < n else None
        if tok.kind == "name" and tok.text.lower() in ("echo", "print"):
            end = _statement_end(tokens, k + 1, whole.depth[k])
            out.append((tok.start, _printed(tokens[k + 1:end], variables)))
            k = end
            continue
        if tok.kind == "name" and tok.text in _SELF_ECHO and nxt is not None and nxt.text == "(":
            pieces, after = whole.term(k, n)
            out.append((tok.start, render_pieces(pieces, markup=True)))
            k = after
            continue
        if (tok.kind == "name" and tok.text.startswith("$") and nxt is not None and nxt.text == "="
                and k + 2 < n and tokens[k + 2].text not in ("=", ">")):
            end = _statement_end(tokens, k + 2, whole.depth[k])
            pieces = Shown(tokens[k + 2:end], variables).concat(0, end - k - 2)
            text = "".join(p.text for p in pieces)
            if pieces and text.strip():
                variables[tok.text] = text
            else:
                variables.pop(tok.text, None)
            k = end
            continue
        k += 1
    # Plain text goes in a <span>: an element carries its source line, loose text would take its parent's.
    return [(at, html if "<" in html else f"<span>{html}</span>") for at, html in out if html]


def _statement_end(tokens: list[Token], k: int, depth: int) -> int:
    """Index of the ``;`` ending the statement that continues at ``k`` (or the end of the block)."""
    level = 0
    while k < len(tokens):
        text = tokens[k].text if tokens[k].kind == "op" else ""
        if text in ("(", "[", "{"):
            level += 1
        elif text in (")", "]", "}"):
            level -= 1
            if level < 0:
                return k
        elif text == ";" and level == 0:
            return k
        k += 1
    return k


def _printed(tokens: list[Token], variables: dict[str, str]) -> str:
    """The HTML an ``echo``'s arguments print: each argument a concatenation of strings and translations."""
    evaluator = Shown(tokens, variables)
    out: list[str] = []
    start = 0
    for k in [*(i for i, t in enumerate(tokens) if t.text == "," and evaluator.depth[i] == 0), len(tokens)]:
        pieces = evaluator.concat(start, k)
        html = render_pieces(pieces, markup=True)
        if not html:  # esc_html( __('...') ): look inside the calls for translations
            inner: list[str] = []
            evaluator.scan(start, k, inner)
            html = " ".join(p for p in inner if p)
        out.append(html)
        start = k + 1
    return " ".join(p for p in out if p)


def strip_php(text: str) -> str:
    """The page with each PHP block replaced by what it prints, keeping line numbers."""
    out: list[str] = []
    pos = 0
    variables: dict[str, str] = {}
    n = len(text)
    while pos < n:
        m = _OPEN.search(text, pos)
        if m is None:
            break
        out.append(text[pos:m.start()])
        code_start = m.end()
        code_end, after = _code_end(text, code_start)
        code = text[code_start:code_end]
        prints = _outputs(code, variables, expression=m.group() == "<?=")
        # Lines are counted from the opening tag, which sits on the block's first line.
        pieces = [(code.count("\n", 0, at), html.replace("\n", " ")) for at, html in prints]
        out.append(place_on_lines(pieces, text.count("\n", m.start(), after)))
        pos = after
    out.append(text[pos:])
    return "".join(out)


def parse(page: Page) -> Document:
    """Parse a PHP page: the output of its PHP blocks and its HTML, read as HTML."""
    return html.parse_text(strip_php(decode(page, html=True)), page)


FORMAT = InputFormat("php", ("application/x-httpd-php",), parse, (".php", ".phtml"))
