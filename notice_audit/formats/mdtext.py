"""Markdown escaping shared by every Markdown view (report, summary, comparison, diff, history).

Every piece of text that came from a page or a user goes through :func:`text`, which keeps it on one
line and escapes what Markdown would otherwise interpret, so a notice cannot break a table or inject raw
HTML. A module of its own so that the views can use it without importing one another.
"""

from __future__ import annotations

import re
from urllib.parse import quote

_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_LINE_START = re.compile(r"^([#+\-=])")
_ORDERED = re.compile(r"^(\d+)([.)])(?=\s|$)")
_URL = re.compile(r"https?://\S+\Z")
_URL_SAFE = ":/?#@!$&'*+,;=%~-._"


def text(value: object) -> str:
    """Text from a page made safe for one line of Markdown (table cells included)."""
    s = " ".join(str(value).split())
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = _SPECIAL.sub(r"\\\1", s)
    s = _LINE_START.sub(r"\\\1", s)
    return _ORDERED.sub(r"\1\\\2", s)


def code(value: object) -> str:
    """A short identifier as an inline code span (backticks dropped, pipes escaped)."""
    s = " ".join(str(value).replace("`", "'").split()).replace("|", "\\|")
    return f"`{s}`" if s else ""


def is_url(value: str) -> bool:
    """Whether ``value`` is an http(s) URL that :func:`link` makes a link of."""
    return bool(_URL.match(value.strip()))


def link(label: object, url: str) -> str:
    """A Markdown link for http(s) URLs; anything else is shown as escaped text."""
    url = url.strip()
    if not _URL.match(url):
        return text(url)
    return f"[{text(label)}]({quote(url, safe=_URL_SAFE)})"


def score(value: float) -> str:
    """A score rounded to one decimal, without a trailing ``.0``."""
    return f"{round(float(value), 1):g}"
