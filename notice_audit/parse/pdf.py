"""PDF notices to a ``Document``, with text from pypdf.

A PDF has no headings or paragraphs, only positioned text. The text of each
page is extracted line by line with pypdf's layout mode (which keeps lines,
indents and vertical gaps), the PDF-specific work is done here, and the
result goes through the plain-text parser (:mod:`notice_audit.parse.text`),
which infers headings and list items exactly as for a ``.txt`` notice:

- paragraph breaks: a gap clearly wider than the document's usual line
  spacing is a blank line (so 1.5 line spacing is not a break, and Word's
  space after a paragraph is);
- hard-wrapped lines are joined where they are known to wrap: a line that
  runs to the right margin (the next word would not have fitted) carries on
  into the next, a list item takes in its hanging-indent lines, and a
  paragraph that runs over a page break is joined across it;
- ligatures ("ﬁ") are spelt out and symbol-font bullets become "•".

Locators name the page. ``Locator.fragment`` is ``"page=N"`` so that
``source#page=N`` opens the page in browsers' PDF viewers (the RFC 8118
``#page=`` open parameter), and ``line``/``end_line`` count the text lines of
that page from the top (running headers included; blank gaps not counted);
``end_line`` is left out when a paragraph runs on to the next page. So
``notice.pdf#page=3:12-14`` reads "page 3, lines 12 to 14".

Furniture: running headers and footers are the PDF's site furniture. Among the
first and last three lines of each page, a line that recurs (digits aside:
"Page 3 of 12" and "Page 4 of 12" are the same line) on more than half of the
pages, and any page-number line ("3", "Page 3", "3 of 12", "- 3 -"), is left
out and recorded in ``Document.removed``. At most one copy per page edge is
dropped, so a title that repeats the running header survives below it.

Refused with a ``ParseError`` saying why: files that are not PDFs or are
damaged, encrypted PDFs that the empty password does not open, PDFs without
extractable text (scanned images: OCR is not supported), and hostile sizes:
more than ``MAX_PAGES`` pages, more than ``MAX_TEXT_CHARS`` characters of
text, or more than ``MAX_SECONDS`` of extraction. A notice cut short would be
audited as missing what was on the pages not read, so these are errors rather
than truncations. pypdf's own decompression limits are tightened while
reading (``pypdf.apply_configuration``, pypdf 6.18 and later).

Pages whose text cannot be extracted, or which hold no text while others do
(a scanned appendix), are noted in ``Document.removed`` so a reader knows what
was not read.

Limits: multi-column pages are read in content-stream order (plain mode)
rather than layout mode, which would interleave the columns; table rows come
out as single lines; fonts without a Unicode map can give garbled text; in a
PDF set with no space between paragraphs, a sentence that ends exactly at the
margin also ends its block. ``MAX_SECONDS`` is checked between pages: one
page's extraction is bounded by pypdf's own parsing budgets, not interrupted.
"""

from __future__ import annotations

import dataclasses
import io
import re
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from typing import TYPE_CHECKING

from notice_audit.formats.words import plural
from notice_audit.model import Document, Locator, Page
from notice_audit.parse.base import InputFormat, ParseError
from notice_audit.parse.text import _TERMINAL, _Line, _make_line, parse_text
from notice_audit.parse.textutil import clean, is_title_like, shorten

if TYPE_CHECKING:
    from pypdf import PageObject, PdfReader

__all__ = ["MAX_PAGES", "MAX_SECONDS", "MAX_TEXT_CHARS", "PdfText", "extract_pdf_text", "parse", "parse_pdf"]

#: Pages read at most: a privacy notice is far shorter, a hostile file may not be.
MAX_PAGES = 500
#: Characters of extracted text at most (a long notice has about 100 000).
MAX_TEXT_CHARS = 5_000_000
#: Wall-clock seconds of text extraction at most, checked between pages.
MAX_SECONDS = 60.0

# Tighter than pypdf's 75 MB defaults: a notice's content streams are small.
_PYPDF_LIMITS: dict[str, object] = {
    "zlib_maximum_output_length": 25_000_000,
    "lzw_maximum_output_length": 25_000_000,
    "run_length_maximum_output_length": 25_000_000,
    "array_based_stream_maximum_output_length": 25_000_000,
    "jbig2dec_binary": None,  # never run an external program on a downloaded file
}

_GAP_UNIT = 0.25  # layout mode's font_height_weight: one blank line per quarter of the font height
_PARAGRAPH_GAP = 2  # a gap this many units (half a font height) wider than the usual one breaks a paragraph
_MIN_WIDTH = 40  # characters: shorter lines are never taken as running to the margin
_EDGE_LINES = 3  # lines at the top and at the bottom of a page that may be running headers/footers
_PAGE_NUMBER = re.compile(
    r"[\s\-–—|(\[]*(?:page|pg\.?|p\.)?\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?[\s\-–—|)\]]*", re.I
)
_DIGITS = re.compile(r"\d+")
_GAP = re.compile(r"\S {6,}\S")  # a wide run of spaces inside a layout line: a column gutter or table
_JUNK_TITLE = re.compile(r"^(?:microsoft (?:word|powerpoint)\s*-|untitled\b)|\.(?:docx?|odt|rtf|pdf)$", re.I)
_PDF_MAGIC = b"%PDF-"
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]?$")
# Ligatures of typeset PDFs ("ﬁle") and bullets drawn from symbol fonts (Word's Symbol bullet is U+F0B7).
_GLYPHS = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"})
_SYMBOL_BULLET = re.compile(r"^(\s*)[\uf000-\uf0ff\u25aa\u25cf\u2219\u2023\u2043](?=\s)")


@dataclass(frozen=True, slots=True)
class PdfText:
    """Text lines of each page (blank lines kept as ``""``), the metadata title and notes on what was skipped."""

    pages: tuple[tuple[str, ...], ...]
    title: str = ""
    notes: tuple[str, ...] = ()


def parse(page: Page) -> Document:
    """Parse a PDF page (the entry point ``parse_page`` calls)."""
    return parse_pdf(page)


def parse_pdf(
    page: Page,
    *,
    max_pages: int = MAX_PAGES,
    max_chars: int = MAX_TEXT_CHARS,
    max_seconds: float = MAX_SECONDS,
) -> Document:
    """Parse a PDF into a ``Document`` whose locators name the page (``#page=N``)."""
    pdf = extract_pdf_text(page.content, page.source, max_pages=max_pages, max_chars=max_chars,
                           max_seconds=max_seconds)
    pages, dropped = _drop_furniture(pdf.pages)
    text, where = _join(pages)
    doc = parse_text(text, page)
    title = doc.title or (pdf.title if pdf.title and not _JUNK_TITLE.search(pdf.title) else "")
    sections = tuple(
        dataclasses.replace(
            section,
            locator=_page_locator(section.locator, where),
            blocks=tuple(dataclasses.replace(b, locator=_page_locator(b.locator, where)) for b in section.blocks),
        )
        for section in doc.sections
    )
    removed = (*dropped, *pdf.notes, *doc.removed)
    return dataclasses.replace(doc, title=title, sections=sections, removed=removed)


def extract_pdf_text(
    data: bytes,
    source: str = "PDF",
    *,
    max_pages: int = MAX_PAGES,
    max_chars: int = MAX_TEXT_CHARS,
    max_seconds: float = MAX_SECONDS,
) -> PdfText:
    """The text lines of every page; raises ``ParseError`` with a reason a person can act on."""
    if _PDF_MAGIC not in data[:1024]:
        raise ParseError(f"{source}: not a PDF file (no %PDF- header)")
    with _reading():
        reader = _open(data, source)
        count = _page_count(reader, source)
        if count == 0:
            raise ParseError(f"{source}: PDF has no pages")
        if count > max_pages:
            raise ParseError(
                f"{source}: PDF has {plural(count, 'page')}; at most {max_pages} are read "
                "(a limit that keeps hostile files from stalling the run)"
            )
        pages, notes = _extract_pages(reader, source, count, max_chars, max_seconds)
        pages = _normalise_gaps(pages)
        title = _metadata_title(reader)
    if not any(line for lines in pages for line in lines):
        if notes and all("could not be extracted" in note for note in notes):
            raise ParseError(f"{source}: cannot read this PDF (damaged?): no page's text could be extracted")
        raise ParseError(f"{source}: PDF has no extractable text (scanned image?): OCR is not supported")
    empty = [str(no) for no, lines in enumerate(pages, start=1) if not any(lines)]
    if empty and len(empty) < len(pages):
        notes.append(f"[pages without extractable text (scanned images?): {_ranges(empty)}]")
    return PdfText(tuple(pages), title, tuple(notes))


_QUIET = threading.Lock()
_quiet_users = 0  # parses in progress (threads may parse at once)
_saved_level = 0  # logging.NOTSET


@contextmanager
def _reading() -> Iterator[None]:
    """pypdf's resource limits tightened, and its warnings kept off the terminal (the reason is in the error).

    pypdf logs a warning for each flaw it works around, from loggers under
    "pypdf"; their parent's level is raised while any parse runs and restored
    after the last one. The limits need pypdf 6.18 (``apply_configuration``,
    a context variable); older versions keep their own defaults.
    """
    import logging  # deferred: only a PDF's reader logs

    global _quiet_users, _saved_level
    logger = logging.getLogger("pypdf")
    with _QUIET:
        if _quiet_users == 0:
            _saved_level = logger.level
            logger.setLevel(logging.CRITICAL)  # pypdf logs recoverable flaws as errors too
        _quiet_users += 1
    try:
        try:
            from pypdf import apply_configuration  # type: ignore[attr-defined, unused-ignore]  # only newer pypdf has it
        except ImportError:
            limits: AbstractContextManager[object] = nullcontext()
        else:
            limits = apply_configuration(**_PYPDF_LIMITS)  # type: ignore[arg-type]  # newer pypdf: keyword limits
        with limits:
            yield
    finally:
        with _QUIET:
            _quiet_users -= 1
            if _quiet_users == 0:
                logger.setLevel(_saved_level)


def _open(data: bytes, source: str) -> PdfReader:
    """Open the PDF, decrypting with the empty password (owner-only protection) when it is encrypted."""
    from pypdf import PdfReader  # deferred: imported when a PDF is read, not by every run
    from pypdf.errors import DependencyError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
    except Exception as exc:  # pypdf raises many kinds on damaged or hostile input
        raise ParseError(f"{source}: cannot read this PDF (damaged or not a PDF): {_why(exc)}") from exc
    try:
        encrypted = reader.is_encrypted
        opened = not encrypted or bool(reader.decrypt(""))
    except DependencyError as exc:
        raise ParseError(
            f"{source}: PDF is encrypted with AES; reading it needs the optional 'cryptography' package"
        ) from exc
    except Exception as exc:
        raise ParseError(f"{source}: PDF is encrypted and could not be decrypted: {_why(exc)}") from exc
    if not opened:
        raise ParseError(f"{source}: PDF is encrypted (password-protected); it cannot be read without the password")
    return reader


def _page_count(reader: PdfReader, source: str) -> int:
    try:
        return len(reader.pages)
    except Exception as exc:
        raise ParseError(f"{source}: cannot read this PDF (damaged page tree): {_why(exc)}") from exc


def _extract_pages(
    reader: PdfReader, source: str, count: int, max_chars: int, max_seconds: float
) -> tuple[list[tuple[str, ...]], list[str]]:
    """Lines of each page, within the character and time budgets; unreadable pages become notes."""
    deadline = time.monotonic() + max_seconds
    pages: list[tuple[str, ...]] = []
    notes: list[str] = []
    total = 0
    for index in range(count):
        if time.monotonic() > deadline:
            raise ParseError(
                f"{source}: PDF text extraction stopped at page {index + 1} of {count}: "
                f"it took longer than {max_seconds:g} s"
            )
        try:
            text = _page_text(reader.pages[index])
        except Exception as exc:
            notes.append(f"[page {index + 1}: text could not be extracted: {shorten(_why(exc), 60)}]")
            text = ""
        lines = _page_lines(text)
        total += sum(len(line.strip()) for line in lines)  # layout mode's padding does not count
        if total > max_chars:
            raise ParseError(f"{source}: PDF text is longer than {max_chars} characters (stopped at page {index + 1})")
        pages.append(lines)
    return pages, notes


def _page_text(pdf_page: PageObject) -> str:
    """Layout-mode text, unless the page has columns (layout would interleave them) or layout fails or finds nothing.

    Layout mode marks vertical space with blank lines, one per ``weight`` x
    font height; a small weight makes the count a fine measure of the gap
    between two lines, from which ``_normalise_gaps`` tells paragraph breaks
    from ordinary line spacing.
    """
    try:
        text = pdf_page.extract_text(extraction_mode="layout", layout_mode_font_height_weight=_GAP_UNIT) or ""
    except Exception:
        return pdf_page.extract_text() or ""
    if not text.strip() or _columned(text):  # layout mode also leaves out rotated text
        return pdf_page.extract_text() or text
    return text


def _normalise_gaps(pages: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Runs of blank lines become one blank line where the gap is wider than the usual line spacing.

    The usual spacing is the narrowest gap common in the document (lines
    inside a paragraph are never further apart than their paragraphs), so
    1.5 line spacing is not taken for a paragraph break, and Word's default
    spacing after a paragraph (about half a line) is.
    """
    runs: Counter[int] = Counter()
    for lines in pages:
        runs.update(_blank_runs(lines))
    if not runs:
        return pages
    total = sum(runs.values())
    usual = min(run for run, n in runs.items() if n >= max(2, total // 10) or n == runs.most_common(1)[0][1])
    out: list[tuple[str, ...]] = []
    for lines in pages:
        kept: list[str] = []
        blanks = 0
        for line in lines:
            if not line:
                blanks += 1
                continue
            if kept and blanks >= usual + _PARAGRAPH_GAP:
                kept.append("")
            kept.append(line)
            blanks = 0
        out.append(tuple(kept))
    return out


def _blank_runs(lines: tuple[str, ...]) -> list[int]:
    """The number of blank lines between each two consecutive text lines of a page."""
    runs: list[int] = []
    blanks = 0
    for index, line in enumerate(lines):
        if not line:
            blanks += 1
            continue
        if index:
            runs.append(blanks)
        blanks = 0
    return runs


def _columned(text: str) -> bool:
    """Whether most lines of a layout page have a wide gutter in them (two columns, or a big table)."""
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) < 4:
        return False
    gapped = sum(1 for line in lines if _GAP.search(line.strip()))
    return gapped * 10 >= len(lines) * 4


def _page_lines(text: str) -> tuple[str, ...]:
    """Lines without trailing spaces; blank lines at the top and bottom trimmed; common indent removed.

    Ligatures are spelt out and symbol-font bullets become "•", so the text
    parser recognises words and list items.
    """
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    indent = min((len(line) - len(line.lstrip()) for line in lines if line), default=0)
    return tuple(_SYMBOL_BULLET.sub(r"\1•", line[indent:].translate(_GLYPHS)) for line in lines)


def _key(line: str) -> str:
    return _DIGITS.sub("#", clean(line).lower())


def _edges(lines: tuple[str, ...]) -> tuple[list[int], list[int]]:
    """Indexes of the first and the last few non-blank lines of a page."""
    present = [i for i, line in enumerate(lines) if line.strip()]
    top = present[:_EDGE_LINES]
    bottom = [i for i in present[-_EDGE_LINES:] if i not in top]
    return top, bottom


def _drop_furniture(pages: tuple[tuple[str, ...], ...]) -> tuple[list[tuple[str | None, ...]], list[str]]:
    """Running headers/footers and page numbers become ``None`` (dropped, numbering kept)."""
    recurring: Counter[str] = Counter()
    for lines in pages:
        top, bottom = _edges(lines)
        recurring.update({_key(lines[i]) for i in top + bottom})
    common = {key for key, n in recurring.items() if n >= 2 and n * 2 > len(pages)}
    out: list[tuple[str | None, ...]] = []
    dropped: dict[str, None] = {}
    for lines in pages:
        kept: list[str | None] = list(lines)
        for zone in _edges(lines):
            seen: set[str] = set()
            for i in zone:
                key = _key(lines[i])
                page_number = _PAGE_NUMBER.fullmatch(clean(lines[i])) is not None
                if page_number or (key in common and key not in seen):
                    seen.add(key)
                    kept[i] = None
                    dropped.setdefault(shorten(clean(lines[i])) if not page_number else "[page numbers]", None)
        out.append(tuple(kept))
    return out, list(dropped)


@dataclass(slots=True)
class _Logical:
    """One unwrapped line: a paragraph or list item's physical lines joined, with where they came from."""

    text: str
    indent: int
    item: bool
    page: int
    first: int
    last_page: int
    last: int
    last_len: int  # length (with indent) of the last physical line, for the next fullness test


def _join(pages: list[tuple[str | None, ...]]) -> tuple[str, list[tuple[int, int, int, int]]]:
    """One text for the text parser and, for each of its lines, (page, first line, last page, last line).

    PDF text is always hard-wrapped, so wrapped lines are joined here, where the
    page's right margin can be measured (the text parser's own re-joining
    assumes one fixed width): a line that runs to the margin carries on into
    the next, and a list item takes in its hanging-indent lines. Pages are
    joined without a gap so a paragraph that runs over a page break is
    re-joined too; dropped furniture lines leave no gap either.
    """
    physical: list[tuple[int, int, str] | None] = []  # (page, line on page, text); None for a blank line
    for page_no, lines in enumerate(pages, start=1):
        body: list[tuple[int, int, str] | None] = []
        line_no = 0
        for raw_line in lines:
            if raw_line is None or raw_line.strip():
                line_no += 1
            if raw_line is not None:
                body.append((page_no, line_no, raw_line) if raw_line.strip() else None)
        while body and body[0] is None:
            body.pop(0)
        while body and body[-1] is None:
            body.pop()
        physical.extend(body)
    width = _typical_width([len(entry[2]) for entry in physical if entry is not None])
    gapped = _gapped(physical, width)
    units: list[_Logical | None] = []
    page_before = 0
    for entry in physical:
        if entry is None:
            if units and units[-1] is not None:
                units.append(None)
            continue
        page_no, line_no, raw = entry
        line = _make_line(0, raw)
        current = units[-1] if units else None
        turned = page_before not in (0, page_no)  # first line of a new page
        page_before = page_no
        if current is not None and _continues(current, line, width, gapped=gapped, turned=turned):
            hyphen = current.text[-2:-1].isalpha() and current.text.endswith("-") and line.text[:1].islower()
            current.text += ("" if hyphen else " ") + line.text
            current.last_page, current.last, current.last_len = page_no, line_no, line.indent + len(line.text)
            continue
        if turned and current is not None:
            units.append(None)  # what did not run on over the page break ended with the page
        units.append(
            _Logical(raw.rstrip(), line.indent, line.marker is not None, page_no, line_no, page_no, line_no,
                     line.indent + len(line.text))
        )
    if units.count(None) * 20 < len(units):
        units = _space_out(units)
    out: list[str] = []
    where: list[tuple[int, int, int, int]] = [(0, 0, 0, 0)]  # 1-based line numbers: index 0 unused
    for unit in units:
        out.append("" if unit is None else unit.text)
        where.append((0, 0, 0, 0) if unit is None else (unit.page, unit.first, unit.last_page, unit.last))
    return "\n".join(out), where


def _space_out(units: list[_Logical | None]) -> list[_Logical | None]:
    """A blank line between paragraphs, for PDFs set without space between them.

    The text parser reads a run of short lines without blank lines between
    them as one block (an address, a list after "We collect:"); in a tightly
    set PDF every line would be in such a run, and no heading would be found.
    The lines are already unwrapped here, so each one is a paragraph; only
    list items, and the short lines after a line ending in ':', stay together.
    """
    out: list[_Logical | None] = []
    listing = False  # inside the short lines that follow "...the following:"
    for unit in units:
        if unit is None:
            continue
        short = len(unit.text.split()) <= 12 and not _TERMINAL.search(unit.text)
        listing = listing and short
        together = unit.item and out and out[-1] is not None and out[-1].item
        if out and not together and not listing:
            out.append(None)
        out.append(unit)
        listing = listing or unit.text.endswith(":")
    return out


def _typical_width(lengths: list[int]) -> int:
    """The text width of full lines: the 90th percentile of line lengths (a stray wide line does not count)."""
    if not lengths:
        return 0
    ordered = sorted(lengths)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]


def _gapped(physical: list[tuple[int, int, str] | None], width: int) -> bool:
    """Whether paragraphs are set apart by blank lines (then a full line ending in '.' does not end one).

    Judged from the lines that surely end a paragraph (a sentence stopping well
    short of the margin) followed, on the same page, by a paragraph (a capital,
    not a heading, which is often set apart anyway): mostly after a gap, or not.
    """
    gaps = tight = 0
    for index, entry in enumerate(physical):
        if entry is None or not _SENTENCE_END.search(entry[2].strip()) or len(entry[2]) >= 0.75 * width:
            continue
        rest = physical[index + 1 : index + 3]
        gap = bool(rest) and rest[0] is None
        following = rest[-1] if gap and len(rest) == 2 else (rest[0] if rest and not gap else None)
        if following is None or following[0] != entry[0]:
            continue
        text = following[2].strip()
        if not text[:1].isupper() or is_title_like(text):
            continue
        gaps += gap
        tight += not gap
    return gaps > 0 and gaps >= 2 * tight


def _continues(unit: _Logical, line: _Line, width: int, *, gapped: bool = False, turned: bool = False) -> bool:
    """Whether ``line`` carries on ``unit``: it wrapped at the margin, or hangs under a list item.

    Over a page break (``turned``) there is no gap to go by, so a capitalised
    heading-like line at the top of a page starts something new.
    """
    if line.marker is not None or unit.text.endswith(":"):
        return False
    if unit.item and line.indent > unit.indent:
        return True
    if line.indent > unit.indent + 1 and not unit.item:
        return False  # an indented line after a paragraph starts something new (a quote, a first-line indent)
    first_word = line.text.split(" ", 1)[0]
    if unit.last_len + 1 + len(first_word) <= max(width, _MIN_WIDTH):
        return False  # the next word would have fitted: the line ended on purpose
    if line.text[:1].islower():
        return True
    if turned:
        return not _TERMINAL.search(unit.text) and not is_title_like(line.text)
    return gapped or not _TERMINAL.search(unit.text)


def _page_locator(locator: Locator, where: list[tuple[int, int, int, int]]) -> Locator:
    """A text-parser locator (line of the joined text) as a page locator."""
    if locator.line is None or not 0 < locator.line < len(where):
        return locator
    page_no, line_no, last_page, last_no = where[locator.line]
    if locator.end_line is not None and 0 < locator.end_line < len(where):
        _, _, last_page, last_no = where[locator.end_line]
    end_line = last_no if last_page == page_no else None
    return dataclasses.replace(locator, fragment=f"page={page_no}", line=line_no, end_line=end_line)


def _metadata_title(reader: PdfReader) -> str:
    try:
        metadata = reader.metadata
        return clean(str(metadata.title)) if metadata is not None and metadata.title else ""
    except Exception:
        return ""


def _ranges(numbers: list[str]) -> str:
    """'1, 2, 3, 5' -> '1-3, 5'."""
    values = [int(n) for n in numbers]
    parts: list[str] = []
    start = prev = values[0]
    for value in [*values[1:], None]:
        if value is not None and value == prev + 1:
            prev = value
            continue
        parts.append(str(start) if start == prev else f"{start}-{prev}")
        if value is not None:
            start = prev = value
    return ", ".join(parts)


def _why(exc: BaseException) -> str:
    """A short reason from a pypdf exception (its message, else its type)."""
    message = clean(str(exc))
    return shorten(message, 120) if message else type(exc).__name__


FORMAT = InputFormat(
    "pdf", ("application/pdf",), parse, (".pdf",), served_as=(("application/pdf", 1.0), ("application/x-pdf", None)),
)
