"""PDF parsing: text by page, headings inferred, running headers/footers dropped, page locators, clear refusals.

The PDFs are written by hand here (Helvetica text in BT/ET blocks, a grey
image for the scanned case) so no binary fixture is needed; pypdf encrypts.
"""

from __future__ import annotations

import io
import logging
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from notice_audit.model import Document, Page
from notice_audit.parse import ParseError, media_type_for, parse_page
from notice_audit.parse.pdf import _page_lines, extract_pdf_text, parse_pdf
from tests.conftest import mangle_outcomes

# --- a tiny PDF writer ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """One line of text at a position (points from the bottom left of an A4 page)."""

    text: str
    x: float = 72
    y: float = 0
    size: float = 10
    bold: bool = False


def _escape(text: str) -> bytes:
    raw = text.encode("cp1252")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _content(items: list[Text], image: bool) -> bytes:
    ops = [b"q 200 0 0 200 72 500 cm /Im1 Do Q"] if image else []
    for item in items:
        font = b"/F2" if item.bold else b"/F1"
        ops.append(b"BT %s %g Tf %g %g Td (%s) Tj ET" % (font, item.size, item.x, item.y, _escape(item.text)))
    return b"\n".join(ops)


def write_pdf(pages: list[list[Text]], *, images: frozenset[int] = frozenset(), title: str | None = None) -> bytes:
    """A valid PDF: one content stream per page; ``images`` are page indexes that also draw a grey image."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in below
    pages_id = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    bold = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
    pixels = bytes(range(0, 256, 4)) * 64  # 64 x 64 grey ramp
    image = add(
        b"<< /Type /XObject /Subtype /Image /Width 64 /Height 64 /ColorSpace /DeviceGray /BitsPerComponent 8 "
        b"/Length %d >>\nstream\n%s\nendstream" % (len(pixels), pixels)
    )
    kids = []
    for index, items in enumerate(pages):
        stream = _content(items, index in images)
        contents = add(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                b"/Resources << /Font << /F1 %d 0 R /F2 %d 0 R >> /XObject << /Im1 %d 0 R >> >> >>"
                % (pages_id, contents, font, bold, image)
            )
        )
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id
    objects[pages_id - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )
    info = add(b"<< /Title (%s) >>" % _escape(title)) if title else None
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.writelines(b"%010d 00000 n \n" % offset for offset in offsets)
    trailer = b"/Size %d /Root %d 0 R" % (len(objects) + 1, catalog)
    if info:
        trailer += b" /Info %d 0 R" % info
    out.write(b"trailer\n<< %s >>\nstartxref\n%d\n%%%%EOF\n" % (trailer, xref))
    return out.getvalue()


def lay_out(
    blocks: list[str | tuple[str, str] | None], *, header: str = "", footer: str = "", per_page: int = 40
) -> list[list[Text]]:
    """Pages of positioned lines: str = body paragraph (wrapped at 90 characters), ("h", text) = bold heading,
    ("li", text) = bullet item, None = a page break. A running header and footer go on every page
    ("{n}" and "{total}" in them are the page numbers)."""
    pages: list[list[tuple[str, float, bool, float]]] = [[]]  # (text, size, bold, x)

    def line(text: str, size: float = 10, bold: bool = False, x: float = 72) -> None:
        if len(pages[-1]) >= per_page:
            pages.append([])
        pages[-1].append((text, size, bold, x))

    for block in blocks:
        if block is None:
            pages.append([])
        elif isinstance(block, tuple):
            kind, text = block
            if kind == "h":
                line("", 6)
                line(text, 13, True)
            else:
                for n, part in enumerate(textwrap.wrap(text, 80)):
                    line(("• " if n == 0 else "") + part, x=90 if n == 0 else 98)
        else:
            line("", 6)
            for part in textwrap.wrap(block, 90):
                line(part)
    out = []
    for number, lines in enumerate(pages, start=1):
        items = []
        if header:
            items.append(Text(header.format(n=number, total=len(pages)), y=810, size=8))
        y = 780.0
        for text, size, bold, x in lines:
            if text:
                items.append(Text(text, x=x, y=y, size=size, bold=bold))
            y -= size + 4
        if footer:
            items.append(Text(footer.format(n=number, total=len(pages)), x=260, y=30, size=8))
        out.append(items)
    return out


def parse(data: bytes, source: str = "notices/housing.pdf") -> Document:
    return parse_page(Page(source, source, data, "application/pdf"))


def section(doc: Document, heading: str):
    return next(s for s in doc.sections if s.heading == heading)


LONG = (
    "Lowmoor Borough Council is the data controller for the personal information you give us when you apply "
    "for housing, and we are registered with the Information Commissioner's Office as a controller."
)

NOTICE = [
    ("h", "Housing privacy notice"),
    "This notice explains how Lowmoor Borough Council uses your personal information.",
    ("h", "Who we are"),
    LONG,
    ("h", "What information we collect"),
    "We collect the following information:",
    ("li", "your name, address and date of birth"),
    ("li", "details of your household, including children and other adults living with you"),
    None,
    ("h", "Who we share your information with"),
    "We may share your information with the police and other local authorities where the law allows it.",
    ("h", "Your rights"),
    "You have the right to access your information and to ask us to correct it.",
    None,
    ("h", "How to complain"),
    "If you are unhappy with how we have used your information you can complain to the Information "
    "Commissioner's Office (ICO), Wycliffe House, Water Lane, Wilmslow, Cheshire SK9 5AF.",
]


@pytest.fixture(scope="module")
def notice_pdf() -> bytes:
    return write_pdf(lay_out(NOTICE, header="Lowmoor Council housing privacy notice", footer="Page {n} of {total}"))


# --- the format is registered ---------------------------------------------------------------------------------


def test_pdf_media_type_is_registered() -> None:
    assert media_type_for("notices/Housing.PDF") == "application/pdf"


# --- structure ----------------------------------------------------------------------------------------------


def test_headings_blocks_and_title(notice_pdf: bytes) -> None:
    doc = parse(notice_pdf)
    assert doc.title == "Housing privacy notice"
    assert doc.media_type == "application/pdf"
    assert [s.heading for s in doc.sections] == [
        "Housing privacy notice",
        "Who we are",
        "What information we collect",
        "Who we share your information with",
        "Your rights",
        "How to complain",
    ]
    assert section(doc, "Who we are").path == ("Housing privacy notice", "Who we are")
    collect = section(doc, "What information we collect")
    assert [(b.kind, b.text) for b in collect.blocks] == [
        ("paragraph", "We collect the following information:"),
        ("list_item", "your name, address and date of birth"),
        ("list_item", "details of your household, including children and other adults living with you"),
    ]


def test_wrapped_lines_are_joined_into_one_paragraph(notice_pdf: bytes) -> None:
    block = section(parse(notice_pdf), "Who we are").blocks[0]
    assert block.text == LONG
    assert (block.locator.line, block.locator.end_line) == (5, 7)  # the running header is line 1


def test_locators_name_the_page_and_the_line_on_it(notice_pdf: bytes) -> None:
    doc = parse(notice_pdf)
    share = section(doc, "Who we share your information with")
    assert share.locator.fragment == "page=2"
    assert share.locator.line == 2  # after the running header
    block = share.blocks[0]
    assert block.locator.address == "notices/housing.pdf#page=2:3-4"
    assert str(block.locator).endswith("§ Housing privacy notice > Who we share your information with ¶1")
    assert section(doc, "How to complain").blocks[0].locator.fragment == "page=3"


def test_running_header_and_page_numbers_are_dropped(notice_pdf: bytes) -> None:
    doc = parse(notice_pdf)
    text = doc.text
    assert "Lowmoor Council housing privacy notice" not in text
    assert "Page 1 of 3" not in text and "of 3" not in text
    assert "Lowmoor Council housing privacy notice" in doc.removed
    assert "[page numbers]" in doc.removed


def test_a_paragraph_running_over_a_page_break_is_one_block() -> None:
    paragraph = (
        "We keep your housing application for six years after your tenancy ends, because the law on "
        "limitation of actions allows claims for that long; after that we delete it, or we keep an "
        "anonymous summary for statistics about housing need in the borough."
    )
    lines = textwrap.wrap(paragraph, 90)
    assert len(lines) == 3
    header = Text("Lowmoor Council", y=810, size=8)
    one = [header, Text("Retention", y=780, size=13, bold=True), Text(lines[0], y=750), Text(lines[1], y=736),
           Text("1", x=260, y=30, size=8)]
    two = [header, Text(lines[2], y=780), Text("Your rights", y=750, size=13, bold=True),
           Text("You can ask for a copy.", y=730), Text("2", x=260, y=30, size=8)]
    doc = parse(write_pdf([one, two]))
    (block,) = section(doc, "Retention").blocks
    assert block.text == paragraph
    assert (block.locator.fragment, block.locator.line) == ("page=1", 3)
    assert block.locator.end_line is None  # it ends on another page
    assert section(doc, "Your rights").locator.fragment == "page=2"


def test_a_heading_at_the_top_of_a_page_is_not_joined_to_the_page_before() -> None:
    items = "a list item that is long enough to reach the right-hand margin of the page, as items can"
    one = [Text("Sharing", y=780, size=13, bold=True), Text("We share it with:", y=750),
           Text("• " + items, x=90, y=736), Text("• " + items.replace("a list", "another list"), x=90, y=722)]
    two = [Text("Who we are", y=780, size=13, bold=True), Text("The council is the controller.", y=750)]
    doc = parse(write_pdf([one, two]))
    assert [s.heading for s in doc.sections] == ["Sharing", "Who we are"]
    assert section(doc, "Sharing").blocks[-1].kind == "list_item"


FIRST = [  # a sentence ends at the right margin, mid-paragraph
    "We use your information to assess your application for housing and to manage your tenancy.",
    "We also use it to prevent fraud.",
]
SECOND = [
    "We share your information with the police and other local authorities when the law",
    "requires it, and with contractors who repair your home.",
]


def _paragraphs(leading: float, gap: float) -> list[Text]:
    items = [Text("Purposes", y=790, size=13, bold=True)]
    y = 760.0
    for paragraph in (FIRST, SECOND):
        for line in paragraph:
            items.append(Text(line, y=y))
            y -= leading
        y -= gap - leading
    return items


def test_paragraph_breaks_come_from_wider_gaps_not_from_line_spacing() -> None:
    spaced = parse(write_pdf([_paragraphs(leading=15, gap=21)]))  # 1.5 line spacing, 6 pt between paragraphs
    assert [b.text for b in section(spaced, "Purposes").blocks] == [" ".join(FIRST), " ".join(SECOND)]


def test_without_paragraph_spacing_a_sentence_ending_at_the_margin_ends_the_block() -> None:
    tight = parse(write_pdf([_paragraphs(leading=12, gap=12)]))  # no space between paragraphs at all
    assert [b.text for b in section(tight, "Purposes").blocks] == [*FIRST, " ".join(SECOND)]


def test_ligatures_and_symbol_font_bullets_are_normalised() -> None:
    assert _page_lines("\n   \uf0b7 your ﬁle\n   \u25aa two\n     next\n") == ("• your file", "• two", "  next")


def test_a_single_page_keeps_its_lines_but_drops_a_page_number() -> None:
    doc = parse(write_pdf(lay_out([("h", "CCTV privacy notice"), "We record images in the library."], footer="1")))
    assert doc.text == "CCTV privacy notice\nWe record images in the library."
    assert doc.removed == ("[page numbers]",)


def test_two_columns_are_read_column_by_column() -> None:
    left = ["Who we are", "The council is the controller", "of the information you give us.", "It keeps it safe."]
    right = ["Your rights", "You can ask for a copy of", "the information we hold about", "you at any time."]
    items = [Text(t, x=72, y=780 - 14 * i) for i, t in enumerate(left)]
    items += [Text(t, x=320, y=780 - 14 * i) for i, t in enumerate(right)]
    doc = parse(write_pdf([items]))
    text = doc.text
    assert text.index("keeps it safe") < text.index("Your rights")
    assert "of the information you give us" in text and "you at any time" in text


def test_metadata_title_is_used_when_no_heading_is_found() -> None:
    pages = [[Text("We use your information to provide the service you asked for.", y=780)]]
    assert parse(write_pdf(pages, title="Library privacy notice")).title == "Library privacy notice"
    assert parse(write_pdf(pages, title="Microsoft Word - notice.docx")).title == ""


def test_pypdf_warnings_are_kept_quiet_and_the_logger_is_restored(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("pypdf")
    level = logger.level
    good = write_pdf(lay_out([("h", "Notice"), "Some text about your data."]))
    damaged = good.replace(b"startxref\n", b"startxref\n9")  # a wrong xref offset: pypdf warns and recovers
    with caplog.at_level(logging.WARNING, logger="pypdf"):
        assert parse(damaged).title == "Notice"
    assert not [r for r in caplog.records if r.name.startswith("pypdf")]
    assert logger.level == level


# --- refusals -------------------------------------------------------------------------------------------------


def test_a_scanned_pdf_says_it_has_no_text() -> None:
    data = write_pdf([[], []], images=frozenset({0, 1}))
    with pytest.raises(ParseError, match=r"PDF has no extractable text \(scanned image\?\): OCR is not supported"):
        parse(data)


def test_a_scanned_page_among_text_pages_is_noted() -> None:
    pages = lay_out([("h", "Privacy notice"), "We hold your data.", None, "", None, ("h", "Rights"), "Ask us."])
    pages[1] = []
    doc = parse(write_pdf(pages, images=frozenset({1})))
    assert [s.heading for s in doc.sections] == ["Privacy notice", "Rights"]
    assert section(doc, "Rights").locator.fragment == "page=3"
    assert "[pages without extractable text (scanned images?): 2]" in doc.removed


def test_encrypted_pdf_with_a_password_is_refused() -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(write_pdf(lay_out(["Secret text."])))))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(ParseError, match=r"encrypted \(password-protected\); it cannot be read without the password"):
        parse(out.getvalue())


def test_encrypted_pdf_with_an_empty_user_password_is_read() -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(write_pdf(lay_out([("h", "Open notice"), "Readable."])))))
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")  # copy/print restrictions only
    out = io.BytesIO()
    writer.write(out)
    assert parse(out.getvalue()).text == "Open notice\nReadable."


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.7\n" + bytes(range(256)) * 20, "cannot read this PDF"),
        (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 9 0 R >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF",
         "cannot read this PDF"),
        (b"<!doctype html><title>Not a PDF</title>", "not a PDF file"),
        (b"", "not a PDF file"),
    ],
)
def test_damaged_pdfs_raise_parse_errors(data: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        parse(data)


def test_a_truncated_pdf_raises_a_parse_error_not_a_traceback(notice_pdf: bytes) -> None:
    for cut in (len(notice_pdf) // 3, len(notice_pdf) // 2, len(notice_pdf) - 40):
        try:
            doc = parse(notice_pdf[:cut])
        except ParseError:
            continue
        assert doc.sections  # pypdf recovered what it could


def test_mangled_pdfs_give_a_document_or_a_parse_error(notice_pdf: bytes, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    outcomes = mangle_outcomes(notice_pdf, parse, rounds=80, seed=4, max_flips=20, cut_chance=0.3)
    assert outcomes == {"document", "error"}
    assert not [r for r in caplog.records if r.name.startswith("pypdf")]  # pypdf's complaints stay quiet


def test_page_count_text_size_and_time_are_bounded(notice_pdf: bytes) -> None:
    page = Page("big.pdf", "big.pdf", notice_pdf, "application/pdf")
    with pytest.raises(ParseError, match=r"PDF has 3 pages; at most 2 are read"):
        parse_pdf(page, max_pages=2)
    with pytest.raises(ParseError, match=r"PDF text is longer than 100 characters \(stopped at page 1\)"):
        parse_pdf(page, max_chars=100)
    with pytest.raises(ParseError, match=r"stopped at page 1 of 3: it took longer than -1 s"):
        parse_pdf(page, max_seconds=-1)


def test_extract_pdf_text_gives_lines_per_page(notice_pdf: bytes) -> None:
    pdf = extract_pdf_text(notice_pdf, "x.pdf")
    assert len(pdf.pages) == 3
    assert pdf.pages[0][0] == "Lowmoor Council housing privacy notice"
    assert pdf.pages[0][-1].strip() == "Page 1 of 3"


# --- end to end -------------------------------------------------------------------------------------------


def test_audit_a_pdf_notice_end_to_end(tmp_path: Path, notice_pdf: bytes) -> None:
    from notice_audit.auditor import audit_targets
    from notice_audit.rules.checklist import load_checklist

    path = tmp_path / "housing.pdf"
    path.write_bytes(notice_pdf)
    report = audit_targets([str(path)], load_checklist("uk-gdpr"))
    assert not report.errors
    (notice,) = report.notices
    assert notice.media_type == "application/pdf"
    assert notice.title == "Housing privacy notice"
    items = {item.id: item for item in notice.items}
    complaint = items["complaint_to_ico"]
    assert complaint.status == "met"
    assert any(str(e.locator).startswith(f"{path}#page=3:") for e in complaint.evidence)
    assert items["controller_identity"].status == "met"
    assert items["controller_identity"].evidence[0].locator.fragment == "page=1"


def test_audit_reports_a_scanned_pdf_as_an_error(tmp_path: Path) -> None:
    from notice_audit.auditor import audit_targets
    from notice_audit.rules.checklist import load_checklist

    path = tmp_path / "scan.pdf"
    path.write_bytes(write_pdf([[]], images=frozenset({0})))
    report = audit_targets([str(path)], load_checklist("uk-gdpr"))
    assert not report.notices
    (error,) = report.errors
    assert "OCR is not supported" in error.error


def test_a_printed_page_takes_its_title_from_the_notice_not_the_cookie_banner() -> None:
    """A web page printed to PDF keeps the cookie banner at its top; its heading is not the title."""
    blocks: list[str | tuple[str, str] | None] = [
        ("h", "Cookies on Lowmoor Borough Council"),
        "We use some essential cookies to make this website work.",
        ("h", "Council tax privacy notice"),
        "Lowmoor Borough Council uses your information to collect council tax. We keep it for six years.",
        ("h", "Your rights"),
        "You can ask for a copy of the information we hold about you.",
    ]
    doc = parse(write_pdf(lay_out(blocks)))
    assert doc.title == "Council tax privacy notice"
    assert "Cookies on Lowmoor Borough Council" in doc.removed
    assert [s.heading for s in doc.sections] == ["Council tax privacy notice", "Your rights"]


def test_a_cookies_heading_further_down_is_kept() -> None:
    """Banners are furniture only at the top of a page: a notice's own section about cookies stays."""
    blocks: list[str | tuple[str, str] | None] = [
        ("h", "Website privacy notice"),
        "Lowmoor Borough Council runs this website and uses your information to answer your enquiries.",
        ("h", "Cookies on our website"),
        "We set a cookie to remember your choices.",
    ]
    doc = parse(write_pdf(lay_out(blocks)))
    assert doc.title == "Website privacy notice"
    assert [s.heading for s in doc.sections] == ["Website privacy notice", "Cookies on our website"]
