"""Word (.docx) notices to a ``Document``, read with zipfile and lxml (no Word library needed).

A .docx is a zip of XML parts. The main part (``word/document.xml``, found
through ``_rels/.rels``) holds the body: paragraphs (``w:p``) and tables
(``w:tbl``) in reading order, also inside content controls. Structure comes
from Word itself, not from guessing:

- a paragraph styled Title, or Heading 1-9 (by style id, or by the style's
  name in ``word/styles.xml`` following ``basedOn``, so localised styles
  work), or with an outline level, is a heading; Title is the top level and,
  when the document has one, Heading 1 sits below it (levels stop at 6);
- a numbered or bulleted paragraph (``w:numPr``, in the paragraph or its
  style, or a List style) is a list item;
- each table cell is one ``table_cell`` block (its paragraphs joined);
  nested tables follow their cell;
- text boxes are read after the paragraph they are anchored in (once: Word's
  VML fallback copy is skipped); deleted tracked changes and field codes are
  not text; inserted changes are.

Furniture: running headers, footers, footnotes and comments live in other
parts and are never read; Word's table of contents (TOC styles) repeats the
headings and is dropped into ``Document.removed``, as is anything the shared
furniture lexicon knows (no site banners in a Word file, so a paragraph
about cookies stays).

Locators: ``line`` is the paragraph number, counting the paragraphs that have
text in reading order (table cells' paragraphs included, empty ones and the
table of contents not), so ``notice.docx:12`` is the twelfth paragraph with
text; a table cell spanning paragraphs gets ``end_line``. Word shows no
paragraph numbers, but the heading path in the locator narrows the search to
one section.

Safety: parts are read with a cap on their uncompressed size (a zip bomb
stops at ``MAX_PART_BYTES``, whatever sizes its headers claim), XML is parsed
without entity expansion, DTDs, network access or lxml's huge-tree mode, and
at most ``MAX_PARAGRAPHS`` paragraphs are read. A damaged main part raises
``ParseError`` with the reason; damaged styles or properties are ignored.
Password-protected .docx files (which are not zips) and old binary .doc files
are refused with a message saying so.
"""

from __future__ import annotations

import dataclasses
import io
import posixpath
import re
import zipfile
from dataclasses import dataclass

from lxml import etree

from notice_audit.model import BlockKind, Document, Page
from notice_audit.parse.base import InputFormat, ParseError
from notice_audit.parse.builder import DocumentBuilder
from notice_audit.parse.textutil import clean

__all__ = ["MAX_PARAGRAPHS", "MAX_PART_BYTES", "parse", "parse_docx"]

#: Largest uncompressed size of one part read from the zip (document.xml of a long notice is about 1 MB).
MAX_PART_BYTES = 50 * 1024 * 1024
#: Paragraphs read at most; more is not a notice.
MAX_PARAGRAPHS = 100_000

_REL_OFFICE_DOCUMENT = "/officeDocument"
_REL_STYLES = "/styles"
_HEADING_NAME = re.compile(r"heading\s*([1-9])$", re.I)
_HEADING_ID = re.compile(r"heading([1-9])$", re.I)
_TOC = re.compile(r"toc\s*(?:[1-9]|heading)$", re.I)
_LIST_STYLE = re.compile(r"^list\b|\blist (?:bullet|number|paragraph|continue)\b", re.I)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a compound file: encrypted OOXML or a binary .doc


def _xml(data: bytes) -> etree._Element:
    """Parse untrusted XML: no entities, no DTD, no network, no huge trees (one parser per call: thread-safe)."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True, remove_pis=True
    )
    return etree.fromstring(data, parser)


@dataclass(frozen=True, slots=True)
class _Style:
    name: str
    based_on: str | None
    outline: int | None  # w:outlineLvl, 0-based
    numbered: bool


@dataclass(slots=True)
class _Reader:
    """Walks the body in reading order and feeds the builder."""

    builder: DocumentBuilder
    styles: dict[str, _Style]
    shift: int  # 1 when a Title paragraph exists: Heading 1 then sits at level 2
    count: int = 0  # paragraphs with text so far (the locator's line)


def parse(page: Page) -> Document:
    """Parse a .docx page (the entry point ``parse_page`` calls)."""
    return parse_docx(page)


def parse_docx(page: Page, *, max_part_bytes: int = MAX_PART_BYTES) -> Document:
    """Parse a Word document into a ``Document`` whose locators number the paragraphs."""
    source = page.source
    if page.content.startswith(_OLE_MAGIC):
        raise ParseError(
            f"{source}: this is a password-protected .docx or an old binary .doc, neither of which can be read; "
            "save it as an unprotected .docx"
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(page.content))
    except Exception as exc:  # BadZipFile, NotImplementedError, ValueError ...: a damaged or foreign file
        raise ParseError(f"{source}: not a Word document (.docx files are zip archives; this is not one)") from exc
    with archive:
        main = _main_part(archive, source, max_part_bytes)
        body_xml = _read(archive, main, source, max_part_bytes)
        if body_xml is None:
            raise ParseError(f"{source}: not a Word document: {main} is missing")
        styles_xml = _optional(archive, _styles_part(archive, main, source, max_part_bytes), source, max_part_bytes)
        title = _core_title(archive, source, max_part_bytes)
    root = _parse_xml(body_xml, main, source)
    body = next((child for child in root if _local(child) == "body"), None)
    if body is None:
        raise ParseError(f"{source}: not a Word document: {main} has no body")
    styles = _styles(styles_xml)
    # No site banners in a Word file: a paragraph about cookies is notice text.
    reader = _Reader(DocumentBuilder(source, banners=False), styles, 0)
    paragraphs = (el for el in body.iter() if _local(el) == "p")
    reader.shift = 1 if any(_heading_level(p, reader) == 0 for p in paragraphs) else 0
    _walk(body, reader, source)
    doc = reader.builder.document(page)
    return doc if doc.title or not title else dataclasses.replace(doc, title=title)


def _local(element: etree._Element) -> str:
    """The tag without its namespace, so transitional and strict OOXML read alike ('' for entities)."""
    tag = element.tag
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _attr(element: etree._Element | None, name: str) -> str | None:
    """A w:-namespaced attribute by local name (Word writes w:val, w:id ...)."""
    if element is None:
        return None
    for key, value in element.attrib.items():
        if etree.QName(key).localname == name:
            return str(value)
    return None


def _child(element: etree._Element | None, name: str) -> etree._Element | None:
    if element is None:
        return None
    return next((c for c in element if _local(c) == name), None)


# --- the zip ---------------------------------------------------------------------------------------------


def _read(archive: zipfile.ZipFile, name: str | None, source: str, cap: int) -> bytes | None:
    """One part's bytes, or None when absent; never more than ``cap`` bytes uncompressed."""
    if not name:
        return None
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > cap:
        raise ParseError(f"{source}: {name} is larger than {cap} bytes uncompressed (a zip bomb?)")
    try:
        with archive.open(info) as handle:
            data = handle.read(cap + 1)
    except Exception as exc:  # bad CRC, zlib errors, encrypted entries, unsupported compression ...
        raise ParseError(f"{source}: cannot read {name} from this .docx (damaged or encrypted): {exc}") from exc
    if len(data) > cap:
        raise ParseError(f"{source}: {name} is larger than {cap} bytes uncompressed (a zip bomb?)")
    return data


def _optional(archive: zipfile.ZipFile, name: str | None, source: str, cap: int) -> bytes | None:
    """A part the text does not depend on (relationships, styles, properties): None when it cannot be read."""
    try:
        return _read(archive, name, source, cap)
    except ParseError:
        return None


def _relationships(archive: zipfile.ZipFile, rels_name: str, source: str, cap: int) -> list[tuple[str, str]]:
    """(type, target) pairs of a .rels part; [] when absent or unreadable."""
    data = _optional(archive, rels_name, source, cap)
    if not data:
        return []
    try:
        root = _xml(data)
    except etree.XMLSyntaxError:
        return []
    out = []
    for rel in root:
        rel_type, target = rel.get("Type"), rel.get("Target")
        if rel_type and target and rel.get("TargetMode") != "External":
            out.append((rel_type, target))
    return out


def _resolve(base_dir: str, target: str) -> str:
    target = target.lstrip("/") if target.startswith("/") else posixpath.join(base_dir, target)
    return posixpath.normpath(target)


def _main_part(archive: zipfile.ZipFile, source: str, cap: int) -> str:
    for rel_type, target in _relationships(archive, "_rels/.rels", source, cap):
        if rel_type.endswith(_REL_OFFICE_DOCUMENT):
            return _resolve("", target)
    return "word/document.xml"


def _styles_part(archive: zipfile.ZipFile, main: str, source: str, cap: int) -> str:
    folder, name = posixpath.split(main)
    for rel_type, target in _relationships(archive, posixpath.join(folder, "_rels", name + ".rels"), source, cap):
        if rel_type.endswith(_REL_STYLES):
            return _resolve(folder, target)
    return posixpath.join(folder, "styles.xml")


def _core_title(archive: zipfile.ZipFile, source: str, cap: int) -> str:
    """The title in the document properties (docProps/core.xml), used when no heading gives one."""
    data = _optional(archive, "docProps/core.xml", source, cap)
    if not data:
        return ""
    try:
        root = _xml(data)
    except etree.XMLSyntaxError:
        return ""
    title = next((el for el in root if _local(el) == "title"), None)
    return clean(title.text or "") if title is not None else ""


def _parse_xml(data: bytes, name: str, source: str) -> etree._Element:
    try:
        return _xml(data)
    except etree.XMLSyntaxError as exc:
        raise ParseError(f"{source}: {name} in this .docx is not well-formed XML: {exc}") from exc


# --- styles ------------------------------------------------------------------------------------------------


def _styles(data: bytes | None) -> dict[str, _Style]:
    """Paragraph styles by id; none when styles.xml is absent or damaged (headings then go by style id)."""
    out: dict[str, _Style] = {}
    try:
        root = _xml(data) if data else None
    except etree.XMLSyntaxError:
        root = None
    for style in root if root is not None else ():
        if _local(style) != "style" or _attr(style, "type") not in (None, "paragraph"):
            continue
        style_id = _attr(style, "styleId")
        if not style_id:
            continue
        ppr = _child(style, "pPr")
        outline = _attr(_child(ppr, "outlineLvl"), "val")
        out[style_id] = _Style(
            name=_attr(_child(style, "name"), "val") or style_id,
            based_on=_attr(_child(style, "basedOn"), "val"),
            outline=int(outline) if outline and outline.isdigit() else None,
            numbered=_child(ppr, "numPr") is not None,
        )
    return out


def _style_chain(style_id: str | None, styles: dict[str, _Style]) -> list[tuple[str, _Style | None]]:
    """The style and the styles it is based on (at most 10, cycles cut)."""
    chain: list[tuple[str, _Style | None]] = []
    seen: set[str] = set()
    while style_id and style_id not in seen and len(chain) < 10:
        seen.add(style_id)
        style = styles.get(style_id)
        chain.append((style_id, style))
        style_id = style.based_on if style else None
    return chain


def _heading_level(paragraph: etree._Element, reader: _Reader) -> int | None:
    """0 for Title, 1-9 for headings and outline levels, None for body text."""
    ppr = _child(paragraph, "pPr")
    outline = _attr(_child(ppr, "outlineLvl"), "val")
    if outline and outline.isdigit() and int(outline) < 9:
        return int(outline) + 1
    for style_id, style in _style_chain(_attr(_child(ppr, "pStyle"), "val"), reader.styles):
        name = style.name if style else style_id
        if name.lower() == "title" or style_id.lower() == "title":
            return 0
        match = _HEADING_NAME.match(name.strip()) or _HEADING_ID.match(style_id)
        if match:
            return int(match.group(1))
        if style and style.outline is not None and style.outline < 9:
            return style.outline + 1
    return None


def _is_contents(paragraph: etree._Element, reader: _Reader) -> bool:
    """A paragraph of Word's table of contents (styles "toc 1" ... "toc 9", ids TOC1 ...)."""
    style_id = _attr(_child(_child(paragraph, "pPr"), "pStyle"), "val")
    style = reader.styles.get(style_id or "")
    return bool(style_id) and bool(_TOC.match(style.name if style else style_id or ""))


def _is_list(paragraph: etree._Element, reader: _Reader) -> bool:
    ppr = _child(paragraph, "pPr")
    num = _child(ppr, "numPr")
    if num is not None:
        return _attr(_child(num, "numId"), "val") != "0"  # numId 0 switches numbering off
    for style_id, style in _style_chain(_attr(_child(ppr, "pStyle"), "val"), reader.styles):
        if (style and style.numbered) or _LIST_STYLE.search(style.name if style else style_id):
            return True
    return False


# --- the body ----------------------------------------------------------------------------------------------

# Containers whose children are read in order as if they were in the body.
_TRANSPARENT = frozenset({"sdt", "sdtContent", "customXml", "smartTag", "ins", "moveTo", "hyperlink", "fldSimple"})
# Never read: deleted text, field instructions, properties, alternative renderings already read once,
# and symbol-font characters (w:sym: a Wingdings tick is not a letter).
_SKIP = frozenset({"del", "moveFrom", "instrText", "delText", "pPr", "rPr", "sectPr", "tblPr", "trPr", "tcPr",
                   "Fallback", "footnoteReference", "endnoteReference", "commentReference", "sym"})


def _walk(container: etree._Element, reader: _Reader, source: str) -> None:
    for child in container:
        name = _local(child)
        if name == "p":
            _paragraph(child, reader, source)
        elif name == "tbl":
            _table(child, reader, source)
        elif name in _TRANSPARENT:
            _walk(child, reader, source)


def _paragraph(paragraph: etree._Element, reader: _Reader, source: str) -> None:
    text, boxes = _text(paragraph)
    if text and _is_contents(paragraph, reader):
        reader.builder.drop(text)  # a table of contents entry ("Who we are ..... 3") repeats a heading
    elif text:
        line = _number(reader, source)
        level = _heading_level(paragraph, reader)
        if level is not None and len(text) <= 300:  # a whole paragraph styled as a heading is still text
            reader.builder.heading(text, min(6, level + reader.shift) if level else 1, line=line)
        else:
            kind: BlockKind = "list_item" if _is_list(paragraph, reader) else "paragraph"
            reader.builder.block(kind, text, line=line)
    for box in boxes:  # text boxes anchored in this paragraph
        _walk(box, reader, source)


def _table(table: etree._Element, reader: _Reader, source: str) -> None:
    """Each cell is one table_cell block (its paragraphs joined); nested tables follow their cell."""
    for cell in table.iter():
        if _local(cell) == "tc" and _enclosing_table(cell) is table:
            _cell(cell, reader, source)


def _enclosing_table(cell: etree._Element) -> etree._Element | None:
    parent = cell.getparent()
    while parent is not None and _local(parent) != "tbl":
        parent = parent.getparent()
    return parent


def _cell(cell: etree._Element, reader: _Reader, source: str) -> None:
    texts: list[str] = []
    first = last = 0
    nested: list[etree._Element] = []
    for child in cell:
        name = _local(child)
        if name == "tbl":
            nested.append(child)
            continue
        paragraphs = [child] if name == "p" else [p for p in child.iter() if _local(p) == "p"]
        for paragraph in paragraphs:
            text, _ = _text(paragraph)
            if text:
                last = _number(reader, source)
                first = first or last
                texts.append(text)
    if texts:
        reader.builder.block("table_cell", " ".join(texts), line=first, end_line=last)
    for table in nested:
        _table(table, reader, source)


def _number(reader: _Reader, source: str) -> int:
    reader.count += 1
    if reader.count > MAX_PARAGRAPHS:
        raise ParseError(f"{source}: more than {MAX_PARAGRAPHS} paragraphs; this is not a notice")
    return reader.count


def _text(paragraph: etree._Element) -> tuple[str, list[etree._Element]]:
    """The paragraph's visible text, and the text-box contents anchored in it (read separately)."""
    parts: list[str] = []
    boxes: list[etree._Element] = []

    def visit(element: etree._Element) -> None:
        for child in element:
            name = _local(child)
            if name in _SKIP:
                continue
            if name == "txbxContent":
                boxes.append(child)
            elif name == "t":  # its text, and text after any unexpanded entity inside it
                parts.append((child.text or "") + "".join(sub.tail or "" for sub in child))
            elif name in ("tab", "ptab", "br", "cr"):
                parts.append(" ")
            elif name == "noBreakHyphen":
                parts.append("-")
            elif name != "p":  # a nested paragraph belongs to a text box, read with it
                visit(child)

    visit(paragraph)
    return clean("".join(parts)), boxes


#: DOCX: Word's documents; taken from the web when served, never asked for in the Accept header.
FORMAT = InputFormat(
    "docx", ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",), parse, (".docx",),
    served_as=(("application/vnd.openxmlformats-officedocument.wordprocessingml.document", None),),
)
