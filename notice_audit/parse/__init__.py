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

Public API: :func:`parse_page`, :func:`media_type_for`, :func:`in_folder_walk`
and :class:`ParseError`.
Shared by the format modules: ``decode`` (bytes to text), ``furniture`` (the
furniture lexicon), ``builder`` (``DocumentBuilder``) and ``textutil``.
"""

from __future__ import annotations

import dataclasses
import re
from importlib import import_module

from notice_audit.errors import ParseError as ParseError  # re-exported: where it was always imported from
from notice_audit.model import Document, Page

__all__ = ["MEDIA_TYPES", "UNKNOWN_MEDIA_TYPE", "ParseError", "in_folder_walk", "media_type_for", "parse_page"]

#: The media type of a file whose name says nothing we know: read as text with a warning, unless binary.
UNKNOWN_MEDIA_TYPE = "application/octet-stream"


# The format module that handles each media type (imported on first use).
_PARSERS: dict[str, str] = {
    "text/html": "notice_audit.parse.html",
    "application/xhtml+xml": "notice_audit.parse.html",
    "text/plain": "notice_audit.parse.text",
    "text/markdown": "notice_audit.parse.markdown",
    "text/x-markdown": "notice_audit.parse.markdown",
    "text/x-template": "notice_audit.parse.template",
    "text/x-razor": "notice_audit.parse.razor",
    "application/x-httpd-php": "notice_audit.parse.php",
    "text/jsx": "notice_audit.parse.jsx",
    "text/x-vue": "notice_audit.parse.components",
    "text/x-svelte": "notice_audit.parse.components",
    "text/mdx": "notice_audit.parse.mdx",
    "text/javascript": "notice_audit.parse.code_strings",
    "application/x-typescript": "notice_audit.parse.code_strings",
    "application/json": "notice_audit.parse.code_strings",
    "application/yaml": "notice_audit.parse.code_strings",
    "application/pdf": "notice_audit.parse.pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "notice_audit.parse.docx",
    UNKNOWN_MEDIA_TYPE: "notice_audit.parse.fallback",
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
    ".handlebars": "text/x-template",
    ".mustache": "text/x-template",
    ".twig": "text/x-template",
    ".html.twig": "text/x-template",
    ".ejs": "text/x-template",
    ".tt": "text/x-template",
    ".tt2": "text/x-template",
    ".cshtml": "text/x-razor",
    ".razor": "text/x-razor",
    ".php": "application/x-httpd-php",
    ".phtml": "application/x-httpd-php",
    ".jsx": "text/jsx",
    ".vue": "text/x-vue",
    ".svelte": "text/x-svelte",
    ".mdx": "text/mdx",
    ".tsx": "text/jsx",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".cjs": "text/javascript",
    ".ts": "application/x-typescript",
    ".mts": "application/x-typescript",
    ".cts": "application/x-typescript",
    ".json": "application/json",
    ".yaml": "application/yaml",
    ".yml": "application/yaml",
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


#: Media types of code and data files that hold a notice only sometimes (string modules, locale files).
STRING_MODULE_TYPES: frozenset[str] = frozenset(
    {"text/javascript", "application/x-typescript", "application/json", "application/yaml"}
)

# A file name that suggests a notice: string modules are walked into only when theirs does.
_NOTICE_NAME = re.compile(r"privacy|notice|gdpr|data[-_ ]?protection|fair[-_ ]?processing|cookie", re.I)


def in_folder_walk(path: str) -> bool:
    """Whether a folder walk audits this file: a known format, and for string modules a notice-like name.

    Folders hold scripts, styles, images and configuration too; a ``.ts`` or ``.json`` file is a
    notice only when its name says so (``PrivacyNoticeStrings.ts``), unlike a template or a page.
    """
    media_type = media_type_for(path)
    if media_type is None:
        return False
    if media_type in STRING_MODULE_TYPES:
        name = path.replace("\\", "/").rsplit("/", 1)[-1]
        return bool(_NOTICE_NAME.search(name))
    return True


def parse_page(page: Page) -> Document:
    """Parse one page into a ``Document``; raises ``ParseError`` if it has no readable text."""
    media_type = page.media_type.split(";", 1)[0].strip().lower()
    module_name = _PARSERS.get(media_type)
    if module_name is None:
        known = ", ".join(sorted(set(_PARSERS)))
        raise ParseError(f"{page.source}: cannot parse media type {page.media_type!r} (known: {known})")
    module = import_module(module_name)
    from notice_audit.parse.decode import collecting_warnings  # decode imports ParseError from here

    with collecting_warnings() as warnings:
        doc: Document = module.parse(page)
    if warnings:
        doc = dataclasses.replace(doc, warnings=(*doc.warnings, *warnings))
    return doc
