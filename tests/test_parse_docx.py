"""Word (.docx) parsing: styles to headings, numbering to list items, table cells, paragraph locators, safety.

Each .docx is built here with zipfile from a few lines of WordprocessingML.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from notice_audit.model import Document, Page
from notice_audit.parse import ParseError, media_type_for, parse_page
from notice_audit.parse.docx import parse_docx
from tests.conftest import mangle_outcomes

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NAMESPACES = (
    f'xmlns:w="{W}" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="{target}"/></Relationships>'
)


def p(text: str, style: str | None = None, *, num: str | None = None, outline: int | None = None) -> str:
    """A paragraph with one run; ``style`` is a style id, ``num`` a numbering id."""
    ppr = ""
    if style:
        ppr += f'<w:pStyle w:val="{style}"/>'
    if num is not None:
        ppr += f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num}"/></w:numPr>'
    if outline is not None:
        ppr += f'<w:outlineLvl w:val="{outline}"/>'
    ppr = f"<w:pPr>{ppr}</w:pPr>" if ppr else ""
    return f"<w:p>{ppr}<w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>"


def table(*rows: list[str]) -> str:
    cells = "".join("<w:tr>" + "".join(f"<w:tc>{cell}</w:tc>" for cell in row) + "</w:tr>" for row in rows)
    return f"<w:tbl><w:tblPr/>{cells}</w:tbl>"


def docx(
    body: str,
    *,
    styles: str | None = None,
    core_title: str | None = None,
    part: str = "word/document.xml",
    extra: dict[str, bytes] | None = None,
) -> bytes:
    """A minimal .docx: the document part, its root relationship, optional styles and core properties."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("_rels/.rels", ROOT_RELS.format(target=part))
        archive.writestr(part, f'<?xml version="1.0" encoding="UTF-8"?><w:document {NAMESPACES}>'
                               f"<w:body>{body}<w:sectPr/></w:body></w:document>")
        if styles is not None:
            archive.writestr("word/styles.xml", f'<?xml version="1.0"?><w:styles xmlns:w="{W}">{styles}</w:styles>')
        if core_title is not None:
            archive.writestr(
                "docProps/core.xml",
                '<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
                f'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{core_title}'
                "</dc:title></cp:coreProperties>",
            )
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def parse(data: bytes, source: str = "notices/housing.docx") -> Document:
    return parse_page(Page(source, source, data, DOCX))


def section(doc: Document, heading: str):
    return next(s for s in doc.sections if s.heading == heading)


NOTICE = "".join(
    [
        p("Housing privacy notice", "Title"),
        p("This notice explains how Lowmoor Borough Council uses your information."),
        p(""),  # empty paragraphs are not counted
        p("What we collect", "Heading1"),
        p("We collect:"),
        p("your name and address", "ListParagraph", num="3"),
        p("your date of birth", num="3"),
        p("Details", "Heading2"),
        table(
            [p("Purpose"), p("Lawful basis")],
            [p("Managing your tenancy"), p("Contract") + p("Article 6(1)(b)")],
        ),
        p("Your rights", "Heading1"),
        p("You can ask for a copy of your information."),
    ]
)


def test_docx_media_type_is_registered() -> None:
    assert media_type_for("Housing Notice.docx") == DOCX


def test_styles_become_headings_with_levels() -> None:
    doc = parse(docx(NOTICE))
    assert doc.title == "Housing privacy notice"
    assert [(s.level, s.heading) for s in doc.sections] == [
        (1, "Housing privacy notice"),
        (2, "What we collect"),
        (3, "Details"),
        (2, "Your rights"),
    ]
    assert section(doc, "Details").path == ("Housing privacy notice", "What we collect", "Details")


def test_lists_and_table_cells() -> None:
    doc = parse(docx(NOTICE))
    assert [(b.kind, b.text) for b in section(doc, "What we collect").blocks] == [
        ("paragraph", "We collect:"),
        ("list_item", "your name and address"),
        ("list_item", "your date of birth"),
    ]
    assert [(b.kind, b.text) for b in section(doc, "Details").blocks] == [
        ("table_cell", "Purpose"),
        ("table_cell", "Lawful basis"),
        ("table_cell", "Managing your tenancy"),
        ("table_cell", "Contract Article 6(1)(b)"),
    ]


def test_locators_number_the_paragraphs_with_text() -> None:
    doc = parse(docx(NOTICE))
    assert section(doc, "What we collect").locator.line == 3  # the empty paragraph is not counted
    cell = section(doc, "Details").blocks[3]
    assert (cell.locator.line, cell.locator.end_line) == (11, 12)
    assert cell.locator.address == "notices/housing.docx:11-12"
    rights = section(doc, "Your rights").blocks[0]
    assert str(rights.locator) == "notices/housing.docx:14 § Housing privacy notice > Your rights ¶1"


def test_without_a_title_heading_1_is_the_top_level() -> None:
    doc = parse(docx(p("Privacy notice", "Heading1") + p("Who we are", "Heading2") + p("The council.")))
    assert [(s.level, s.heading) for s in doc.sections] == [(1, "Privacy notice"), (2, "Who we are")]


def test_headings_by_style_name_based_on_and_outline_level() -> None:
    styles = (
        '<w:style w:type="paragraph" w:styleId="berschrift1"><w:name w:val="heading 1"/></w:style>'
        '<w:style w:type="paragraph" w:styleId="NoticeSub"><w:name w:val="Notice sub"/>'
        '<w:basedOn w:val="Heading2"/></w:style>'
        '<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/></w:style>'
        '<w:style w:type="paragraph" w:styleId="Bullets"><w:name w:val="Bullets"/>'
        '<w:pPr><w:numPr><w:numId w:val="7"/></w:numPr></w:pPr></w:style>'
        '<w:style w:type="paragraph" w:styleId="Loop"><w:name w:val="Loop"/><w:basedOn w:val="Loop"/></w:style>'
    )
    body = (
        p("Datenschutz", "berschrift1")
        + p("Sharing", "NoticeSub")
        + p("the police", "Bullets")
        + p("Retention", outline=1)
        + p("Six years.", "Loop")
        + p("Not a list", num="0")
    )
    doc = parse(docx(body, styles=styles))
    assert [(s.level, s.heading) for s in doc.sections] == [(1, "Datenschutz"), (2, "Sharing"), (2, "Retention")]
    assert section(doc, "Sharing").blocks[0].kind == "list_item"
    assert [b.kind for b in section(doc, "Retention").blocks] == ["paragraph", "paragraph"]


def test_run_text_tabs_breaks_and_tracked_changes() -> None:
    body = (
        '<w:p><w:r><w:t>Contact</w:t><w:tab/><w:t>the DPO</w:t><w:br/><w:t>by email</w:t></w:r>'
        '<w:del><w:r><w:delText>DELETED</w:delText></w:r></w:del>'
        '<w:ins><w:r><w:t xml:space="preserve"> at dpo@lowmoor.gov.uk</w:t></w:r></w:ins>'
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>HYPERLINK "x"</w:instrText></w:r>'
        '<w:hyperlink><w:r><w:t xml:space="preserve"> or online</w:t></w:r></w:hyperlink>'
        '<w:r><w:noBreakHyphen/><w:t>form</w:t><w:sym w:font="Wingdings" w:char="F0FC"/></w:r></w:p>'
    )
    text = parse(docx(body)).text
    assert text == "Contact the DPO by email at dpo@lowmoor.gov.uk or online-form"
    assert "DELETED" not in text and "HYPERLINK" not in text


def test_text_boxes_are_read_once() -> None:
    box = (
        '<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>'
        + p("Call us on 01234 567890.")
        + "</w:txbxContent></wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox><w:txbxContent>"
        + p("Call us on 01234 567890.")
        + "</w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
        "<w:t>Anchor text.</w:t></w:p>"
    )
    doc = parse(docx(p("Contact", "Heading1") + box))
    assert [b.text for b in section(doc, "Contact").blocks] == ["Anchor text.", "Call us on 01234 567890."]


def test_content_controls_and_nested_tables() -> None:
    body = (
        "<w:sdt><w:sdtContent>" + p("Inside a content control.") + "</w:sdtContent></w:sdt>"
        + table([p("Outer") + table([p("Inner")])])
    )
    doc = parse(docx(body))
    assert [(b.kind, b.text) for _, b in doc.blocks()] == [
        ("paragraph", "Inside a content control."),
        ("table_cell", "Outer"),
        ("table_cell", "Inner"),
    ]


def test_table_of_contents_entries_are_dropped() -> None:
    styles = '<w:style w:type="paragraph" w:styleId="Inhalt1"><w:name w:val="toc 1"/></w:style>'
    body = p("Contents", "TOCHeading") + p("Who we are\t2", "TOC1") + p("Your rights\t3", "Inhalt1")
    doc = parse(docx(body + p("Who we are", "Heading1") + p("The council."), styles=styles))
    assert [s.heading for s in doc.sections] == ["Who we are"]
    assert doc.removed == ("Contents", "Who we are 2", "Your rights 3")
    assert doc.sections[0].locator.line == 1


def test_main_part_is_found_through_the_relationships() -> None:
    doc = parse(docx(p("Moved", "Heading1") + p("Text."), part="word/document2.xml"))
    assert doc.title == "Moved"


def test_core_title_when_there_is_no_heading() -> None:
    assert parse(docx(p("Just text."), core_title="Library privacy notice")).title == "Library privacy notice"
    assert parse(docx(p("Heading", "Heading1"), core_title="Other")).title == "Heading"


# --- refusals and safety ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04 not really a zip", "not a Word document"),
        (b"<html>hello</html>", "not a Word document"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "password-protected .docx or an old binary .doc"),
    ],
)
def test_not_a_docx(data: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        parse(data)


def test_missing_document_part_and_bad_xml() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(ParseError, match=r"word/document.xml is missing"):
        parse(out.getvalue())
    broken = docx("<w:p><w:r><w:t>unclosed")
    with pytest.raises(ParseError, match="not well-formed XML"):
        parse(broken)


def test_empty_document() -> None:
    with pytest.raises(ParseError, match="no text was found"):
        parse(docx(p("")))


def test_damaged_optional_parts_are_ignored() -> None:
    data = docx(NOTICE, styles="<w:style", extra={"docProps/core.xml": b"<broken"})
    assert parse(data).title == "Housing privacy notice"


def test_mangled_docx_files_give_a_document_or_a_parse_error() -> None:
    good = docx(NOTICE, core_title="Notice", styles='<w:style w:styleId="A"><w:name w:val="heading 1"/></w:style>')
    outcomes = mangle_outcomes(good, parse, rounds=300, seed=3, max_flips=8, cut_chance=0.2)
    assert outcomes == {"document", "error"}


def test_zip_bomb_is_rejected_before_it_is_inflated() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("_rels/.rels", ROOT_RELS.format(target="word/document.xml"))
        archive.writestr("word/document.xml", b" " * (51 * 1024 * 1024))
    data = out.getvalue()
    assert len(data) < 200_000  # 51 MB of XML in a small file
    with pytest.raises(ParseError, match=r"word/document.xml is larger than 52428800 bytes uncompressed"):
        parse(data)


def test_part_size_cap_is_configurable() -> None:
    page = Page("x.docx", "x.docx", docx(NOTICE), DOCX)
    with pytest.raises(ParseError, match="larger than 100 bytes"):
        parse_docx(page, max_part_bytes=100)


def test_entities_are_not_expanded_nor_fetched(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{secret}">'
        '<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>Before &xxe; &lol2; after.</w:t></w:r></w:p>'
        "</w:body></w:document>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", xml)
    try:
        text = parse(out.getvalue()).text
    except ParseError:
        return  # refusing the file is fine too
    assert "TOP SECRET" not in text and "lol" not in text
    assert text.startswith("Before") and text.endswith("after.")


def test_audit_a_docx_notice_end_to_end(tmp_path: Path) -> None:
    from notice_audit.auditor import audit_targets
    from notice_audit.rules.checklist import load_checklist

    body = NOTICE + p("How to complain", "Heading1") + p(
        "You can complain to the Information Commissioner's Office (ICO) at ico.org.uk or on 0303 123 1113."
    )
    path = tmp_path / "housing.docx"
    path.write_bytes(docx(body))
    report = audit_targets([str(path)], load_checklist("uk-gdpr"))
    assert not report.errors
    (notice,) = report.notices
    complaint = next(item for item in notice.items if item.id == "complaint_to_ico")
    assert complaint.status == "met"
    assert str(complaint.evidence[0].locator) == f"{path}:16 § Housing privacy notice > How to complain ¶1"
