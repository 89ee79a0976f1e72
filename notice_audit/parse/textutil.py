"""Small text helpers shared by the format parsers (whitespace, titles, link targets)."""

from __future__ import annotations

import re
from urllib.parse import unquote

_INVISIBLE_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_INVISIBLE = dict.fromkeys(map(ord, _INVISIBLE_CHARS), None)
_HAS_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]")


def clean(text: str) -> str:
    """Collapse whitespace runs to one space and strip; drop invisible characters.

    The deletion table is costly and almost no text needs it, so it runs only when an
    invisible character is there (never in ASCII text, which ``isascii`` tells at once);
    ``str.split()`` splits on exactly what ``\\s`` matches.
    """
    if not text.isascii() and _HAS_INVISIBLE.search(text):
        text = text.translate(_INVISIBLE)
    return " ".join(text.split())


def shorten(text: str, limit: int = 80) -> str:
    """Shortened text for ``Document.removed``."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


_CONTACT_LINK = re.compile(
    r"\b(?:data protection officer|DPO|information commissioner|ICO|contact (?:us|form|details)|complain)",
    re.IGNORECASE,
)


def link_suffix(link_text: str, href: str) -> str:
    """What to append to a link's text so a contact target stays visible.

    Web addresses are dropped (the text says where the link goes), except for
    links whose text names a contact route (the DPO, the ICO, a contact form);
    an email or phone target is contact information an auditor needs: when the
    text does not already show it, it is appended in parentheses.
    """
    href = href.strip()
    scheme, _, rest = href.partition(":")
    scheme = scheme.lower()
    if scheme in ("http", "https") and _CONTACT_LINK.search(link_text) and href.lower() not in link_text.lower():
        # A link to the DPO's or the ICO's contact page is a contact route in itself.
        return f" ({href})"
    if scheme not in ("mailto", "tel") or not rest:
        return ""
    target = unquote(rest.split("?", 1)[0]).strip()
    if not target:
        return ""
    shown = clean(link_text).lower()
    if scheme == "tel":
        digits = re.sub(r"\D", "", target)
        if digits and digits in re.sub(r"\D", "", shown):
            return ""
    elif target.lower() in shown:
        return ""
    return f" ({target})" if shown else target


def is_url(source: str) -> bool:
    """Whether a source is a web address (locators then carry fragments, not lines)."""
    return source.lower().startswith(("http://", "https://"))


_TITLE_END_BAD = re.compile(r"[.,;:!…\-–—/&|(\[]$")
_TITLE_START = re.compile(r"""^[\s"'“‘(\[]*[A-Z0-9À-Þ]""")
_LIST_INTRO_END = re.compile(
    r"\b(?:the following|following|below|include|includes|including|such as|as follows|"
    r"and|or|the|a|an|on|at|via|by|to|e\.g|i\.e)$",
    re.I,
)
HAS_LETTER = re.compile(r"[^\W\d_]")
# Link texts to documents: "Retention schedule (Excel spreadsheet, 0.1 Mb)", "Policy (PDF, 250KB)".
_LINKISH = re.compile(r"\b(?:pdf|docx?|xlsx?|odt|csv|spreadsheet|\d+(?:\.\d+)?\s?(?:kb|mb))\b", re.I)


def is_title_like(text: str, *, max_words: int = 12, max_chars: int = 100) -> bool:
    """A short line that reads like a heading: capitalised, no closing punctuation.

    A question mark is fine ("What information do we collect?"); a colon,
    full stop or comma is not (those end list intros and sentences).
    """
    text = text.strip()
    if not text or len(text) > max_chars or len(text.split()) > max_words:
        return False
    if not _TITLE_START.match(text) or not HAS_LETTER.search(text):
        return False
    if _TITLE_END_BAD.search(text) or _LIST_INTRO_END.search(text):
        return False
    if text.startswith("[") or _LINKISH.search(text):
        return False
    lowered = text.lower()
    return not ("@" in text or "http" in lowered or "www." in lowered or "opens in a new" in lowered)


def place_on_lines(pieces: list[tuple[int, str]], newlines: int) -> str:
    """Text that puts each ``(line, text)`` piece on its line (0-based, ascending) and holds ``newlines`` in all.

    The format modules that turn code into HTML replace a stretch of code by the
    text it shows; placing each piece on the line it came from keeps locators
    pointing at the source. A piece holding newlines itself pushes later pieces
    down rather than losing them.
    """
    out: list[str] = []
    line = 0
    for at, text in pieces:
        if at > line:
            out.append("\n" * (at - line))
            line = at
        elif out:
            out.append(" ")
        out.append(text)
        line += text.count("\n")
    if newlines > line:
        out.append("\n" * (newlines - line))
    return "".join(out) or " "
