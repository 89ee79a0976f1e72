"""The parse stage: a fetched ``Page`` becomes a ``Document``.

Every format a notice is kept in ends as the same model: sections (with
their heading path) holding paragraph, list-item and table-cell blocks, each
with a ``Locator`` a person can follow back to the source, and with site
furniture (navigation, banners, cookie notices) left out but recorded in
``Document.removed``. The principle is the text a reader would see:

- pages: ``html``, ``text``, ``markdown``, ``mdx``, ``pdf``, ``docx``;
- templates, read as HTML once their code is replaced by what it shows:
  ``template`` (Jinja/Nunjucks, Twig, Liquid, Handlebars, ERB, Template Toolkit),
  ``razor``, ``php``, ``components`` (Vue, Svelte) and ``jsx``; what a tag shows
  (translation calls, literals, macro text) is ``translations``' business;
- string modules (``.ts``/``.js``/``.json``/``.yaml``): ``code_strings``, over the
  JavaScript scanner ``jsscan``.

A file of no known format is ``UNKNOWN_MEDIA_TYPE``: read as plain text with a
warning in ``Document.warnings``, or refused as "not a text file" when binary.

Every format module declares its ``InputFormat`` (media types, file name endings,
HTTP content types, parse function) next to its parser; ``FORMATS`` below lists
them: the one table of media types and extensions, read by the folder walk, by
``parse_page`` and (through ``sources``) by the web fetcher. A new input format
is one module and one line here, or ``register`` at run time.

Public API: :func:`parse_page`, :func:`media_type_for`, :func:`in_folder_walk`,
:func:`register`, :func:`served_types`, :func:`accept_header`, :class:`InputFormat`
and :class:`ParseError`.
Shared by the format modules: ``base`` (``InputFormat``, ``ParseError``),
``decode`` (bytes to text), ``furniture`` (the furniture lexicon), ``builder``
(``DocumentBuilder``), ``templatetags`` and ``textutil``.
"""

from __future__ import annotations

import dataclasses
import re

from notice_audit.model import Document, Page
from notice_audit.parse import (
    code_strings,
    components,
    docx,
    fallback,
    html,
    jsx,
    markdown,
    mdx,
    pdf,
    php,
    razor,
    template,
    text,
)
from notice_audit.parse.base import UNKNOWN_MEDIA_TYPE, InputFormat, ParseError
from notice_audit.parse.decode import collecting_warnings

__all__ = [
    "FORMATS", "UNKNOWN_MEDIA_TYPE", "InputFormat", "ParseError", "accept_header", "in_folder_walk", "media_type_for",
    "parse_page", "register", "served_types",
]

#: Every input format, in the order the Accept header lists those asked for from the web (by quality).
FORMATS: list[InputFormat] = [
    html.FORMAT,
    text.FORMAT,
    markdown.FORMAT,
    template.FORMAT,
    razor.FORMAT,
    php.FORMAT,
    jsx.JSX,
    components.VUE,
    components.SVELTE,
    mdx.FORMAT,
    jsx.JAVASCRIPT,
    code_strings.TYPESCRIPT,
    code_strings.JSON,
    code_strings.YAML,
    pdf.FORMAT,
    docx.FORMAT,
    fallback.FORMAT,
]

#: What the Accept header asks for beyond the formats: anything else, least of all (the reply is refused
#: unless its type is one of ``served_types``, but a server that cannot serve any is not told "406").
_ACCEPT_ANY = "*/*;q=0.1"


def register(fmt: InputFormat) -> InputFormat:
    """Add an input format (a plug-in's, or a test's); a media type or extension already taken is an error."""
    taken_types = {t for f in FORMATS for t in f.media_types}
    taken_endings = {e for f in FORMATS for e in f.extensions}
    clash = sorted((set(fmt.media_types) & taken_types) | (set(fmt.extensions) & taken_endings))
    if clash:
        raise ValueError(f"input format {fmt.name!r}: already registered: {', '.join(clash)}")
    FORMATS.append(fmt)
    return fmt


def _format_for_type(media_type: str) -> InputFormat | None:
    return next((f for f in FORMATS if media_type in f.media_types), None)


def _format_for_name(path: str) -> InputFormat | None:
    """The format a file name's ending names; the longest ending wins (".html.erb" over ".erb")."""
    name = path.replace("\\", "/").rsplit("/", 1)[-1].lower()
    best: tuple[int, InputFormat] | None = None
    for fmt in FORMATS:
        for ending in fmt.extensions:
            if name.endswith(ending) and len(name) > len(ending) and (best is None or len(ending) > best[0]):
                best = (len(ending), fmt)
    return best[1] if best is not None else None


def media_type_for(path: str) -> str | None:
    """The media type for a file name, or ``None`` when the format is unknown."""
    fmt = _format_for_name(path)
    return fmt.media_types[0] if fmt is not None else None


# A file name that suggests a notice: string modules are walked into only when theirs does.
_NOTICE_NAME = re.compile(r"privacy|notice|gdpr|data[-_ ]?protection|fair[-_ ]?processing|cookie", re.I)


def in_folder_walk(path: str) -> bool:
    """Whether a folder walk audits this file: a known format, and for string modules a notice-like name.

    Folders hold scripts, styles, images and configuration too; a ``.ts`` or ``.json`` file is a
    notice only when its name says so (``PrivacyNoticeStrings.ts``), unlike a template or a page.
    """
    fmt = _format_for_name(path)
    if fmt is None:
        return False
    if fmt.notice_names_only:
        name = path.replace("\\", "/").rsplit("/", 1)[-1]
        return bool(_NOTICE_NAME.search(name))
    return True


def served_types() -> dict[str, str]:
    """HTTP content types a fetched page may have, each with the media type its ``Page`` gets."""
    return {content_type: fmt.media_types[0] for fmt in FORMATS for content_type, _q in fmt.served_as}


def accept_header() -> str:
    """The fetcher's Accept header: the content types asked for, best first, then anything at all."""
    asked = [(content_type, q) for fmt in FORMATS for content_type, q in fmt.served_as if q is not None]
    asked.sort(key=lambda pair: -(pair[1] or 0.0))  # stable: formats keep their order within a quality
    return ",".join([*(t if q == 1.0 else f"{t};q={q:g}" for t, q in asked), _ACCEPT_ANY])


def parse_page(page: Page) -> Document:
    """Parse one page into a ``Document``; raises ``ParseError`` if it has no readable text."""
    media_type = page.media_type.split(";", 1)[0].strip().lower()
    fmt = _format_for_type(media_type)
    if fmt is None:
        known = ", ".join(sorted({t for f in FORMATS for t in f.media_types}))
        raise ParseError(f"{page.source}: cannot parse media type {page.media_type!r} (known: {known})")
    with collecting_warnings() as warnings:
        doc: Document = fmt.parse(page)
    if warnings:
        doc = dataclasses.replace(doc, warnings=(*doc.warnings, *warnings))
    return doc
