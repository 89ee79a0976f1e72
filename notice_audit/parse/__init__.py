"""The parse stage: a fetched ``Page`` becomes a ``Document``.

HTML, plain text, Markdown, PDF, DOCX and template files all end as the same model:
sections (with their heading path) holding paragraph, list-item and
table-cell blocks, each with a ``Locator`` a person can follow back to the
source, and with site furniture (navigation, banners, cookie notices) left
out but recorded in ``Document.removed``.

Public API: :func:`parse_page`, :func:`media_type_for` and :class:`ParseError`.
Shared by the format modules: ``decode`` (bytes to text), ``furniture`` (the
furniture lexicon), ``builder`` (``DocumentBuilder``) and ``textutil``.
"""

from __future__ import annotations

from importlib import import_module

from notice_audit.model import Document, Page

__all__ = ["MEDIA_TYPES", "ParseError", "media_type_for", "parse_page"]


class ParseError(ValueError):
    """The content cannot be read as a notice: empty, binary or undecodable."""


# The format module that handles each media type (imported on first use).
_PARSERS: dict[str, str] = {
    "text/html": "notice_audit.parse.html",
    "application/xhtml+xml": "notice_audit.parse.html",
    "text/plain": "notice_audit.parse.text",
    "text/markdown": "notice_audit.parse.markdown",
    "text/x-markdown": "notice_audit.parse.markdown",
    "text/x-template": "notice_audit.parse.template",
    "application/pdf": "notice_audit.parse.pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "notice_audit.parse.docx",
}

# File name endings and their media types; longest ending wins (".html.erb").
MEDIA_TYPES: dict[str, str] = {
    ".html": "text/html",
    ".htm": "text/html",
    ".xhtml": "text/html",
    ".txt": "text/plain",
    ".text": "text/plain",
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".erb": "text/x-template",
    ".njk": "text/x-template",
    ".jinja": "text/x-template",
    ".jinja2": "text/x-template",
    ".j2": "text/x-template",
    ".html.erb": "text/x-template",
    ".html.njk": "text/x-template",
    ".liquid": "text/x-template",
    ".hbs": "text/x-template",
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def media_type_for(path: str) -> str | None:
    """The media type for a file name, or ``None`` when the format is unknown."""
    name = path.replace("\\", "/").rsplit("/", 1)[-1].lower()
    for ending in sorted(MEDIA_TYPES, key=len, reverse=True):
        if name.endswith(ending) and len(name) > len(ending):
            return MEDIA_TYPES[ending]
    return None


def parse_page(page: Page) -> Document:
    """Parse one page into a ``Document``; raises ``ParseError`` if it has no readable text."""
    media_type = page.media_type.split(";", 1)[0].strip().lower()
    module_name = _PARSERS.get(media_type)
    if module_name is None:
        known = ", ".join(sorted(set(_PARSERS)))
        raise ParseError(f"{page.source}: cannot parse media type {page.media_type!r} (known: {known})")
    module = import_module(module_name)
    return module.parse(page)
