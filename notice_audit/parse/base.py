"""What every input format shares: the error a reader raises and the declaration a format registers.

Kept apart from ``notice_audit.parse`` (the registry and ``parse_page``) so that the format modules can
import it while the registry imports them: no module of this package imports the package itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from notice_audit.errors import ParseError as ParseError  # re-exported: the parse stage's error
from notice_audit.model import Document, Page

__all__ = ["UNKNOWN_MEDIA_TYPE", "InputFormat", "ParseError"]

#: The media type of a file whose name says nothing we know: read as text with a warning, unless binary.
UNKNOWN_MEDIA_TYPE = "application/octet-stream"


@dataclass(frozen=True, slots=True)
class InputFormat:
    """One input format: everything the fetch and parse stages need to know of it, in one place.

    ``media_types`` are the ``Page.media_type`` values ``parse`` reads; a file whose name ends in one of
    ``extensions`` gets the first. ``served_as`` lists the HTTP content types a web server may send for
    it (a page fetched as one gets the first media type), each with its quality in the Accept header,
    or ``None`` for a type taken when served but not asked for; a format without them is read from
    files only. ``notice_names_only``: a folder walk reads such a file only when its name suggests a
    notice (string modules and locale files hold a notice only sometimes).
    """

    name: str
    media_types: tuple[str, ...]
    parse: Callable[[Page], Document]
    extensions: tuple[str, ...] = ()
    served_as: tuple[tuple[str, float | None], ...] = ()
    notice_names_only: bool = False

    def __post_init__(self) -> None:
        if not self.media_types:
            raise ValueError(f"input format {self.name!r} names no media type")
        bad = [e for e in self.extensions if not e.startswith(".") or e != e.lower()]
        if bad:
            raise ValueError(f"input format {self.name!r}: extensions must be lower case and start with '.': {bad}")
