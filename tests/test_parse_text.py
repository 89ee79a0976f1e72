"""Plain-text parsing: furniture lines dropped, headings inferred, lists and locators."""

from __future__ import annotations

import pytest

from notice_audit.model import Document, Page
from notice_audit.parse import ParseError, media_type_for, parse_page


def parse(text: str | bytes, *, source: str = "notices/lowmoor.txt", encoding: str | None = None) -> Document:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return parse_page(Page(source, source, data, "text/plain", encoding=encoding))


def section(doc: Document, heading: str):
    return next(s for s in doc.sections if s.heading == heading)


LOWMOOR = """\
Planned maintenance: online payments will be unavailable on Sunday

Skip to main content

You are here

  1. Home
  2. Council

Housing privacy notice

Who we are

Lowmoor Borough Council is the data controller for the housing service.

What information do we collect?

We collect the following information:

  • your name and address
  • your date of birth
  • details of your household, including
    children and other adults living with you

Who we share your information with

We may share your information with:

  - the police
  - other local authorities

Contact details:

Data Protection Officer
Town Hall
High Street
Lowmoor LM1 2AB

Back to top

Was this page helpful?
"""


def test_furniture_lines_are_dropped_and_recorded() -> None:
    doc = parse(LOWMOOR)
    texts = doc.text
    for furniture in ("Planned maintenance", "Skip to main content", "You are here", "Back to top", "helpful"):
        assert furniture not in texts
    assert "Home" not in [b.text for _, b in doc.blocks()]  # the breadcrumb trail after "You are here"
    assert doc.removed[0].startswith("Planned maintenance")
    assert "Skip to main content" in doc.removed
    assert "1. Home" in doc.removed and "2. Council" in doc.removed


def test_title_and_heading_paths() -> None:
    doc = parse(LOWMOOR)
    assert doc.title == "Housing privacy notice"
    assert doc.sections[0].level == 1
    question = section(doc, "What information do we collect?")
    assert question.level == 2
    assert question.path == ("Housing privacy notice", "What information do we collect?")
    assert question.locator.line == 16


def test_colon_line_is_a_list_intro_not_a_heading() -> None:
    doc = parse(LOWMOOR)
    headings = [s.heading for s in doc.sections]
    assert "We collect the following information:" not in headings
    assert "Contact details:" not in headings
    # Address lines after the intro are not headings either.
    assert not any(h in headings for h in ("Data Protection Officer", "Town Hall", "High Street"))


def test_bullets_become_list_items_with_continuations() -> None:
    doc = parse(LOWMOOR)
    blocks = section(doc, "What information do we collect?").blocks
    items = [b for b in blocks if b.kind == "list_item"]
    assert [b.text for b in items] == [
        "your name and address",
        "your date of birth",
        "details of your household, including children and other adults living with you",
    ]
    assert (items[2].locator.line, items[2].locator.end_line) == (22, 23)
    shared = section(doc, "Who we share your information with")
    assert [b.text for b in shared.blocks if b.kind == "list_item"] == ["the police", "other local authorities"]


def test_block_locators_carry_lines_and_heading_path() -> None:
    doc = parse(LOWMOOR)
    block = next(b for _, b in doc.blocks() if b.text.startswith("Lowmoor Borough Council is"))
    assert block.kind == "paragraph"
    assert block.locator.line == 14
    assert block.locator.source == "notices/lowmoor.txt"
    assert block.locator.heading_path == ("Housing privacy notice", "Who we are")
    assert block.locator.address == "notices/lowmoor.txt:14"


def test_numbered_headings_give_depth_but_numbered_runs_are_lists() -> None:
    doc = parse(
        "Lowmoor parking privacy notice\n\n"
        "1. Who we are\n\nWe are Lowmoor Borough Council.\n\n"
        "1.1. Our data protection officer\n\nYou can write to our officer.\n\n"
        "2. How long we keep it\n\nWe keep records for these services:\n\n"
        "  1. Parking permits\n  2. Penalty charges\n  3. Blue badges\n\n"
        "Records are kept for six years.\n"
    )
    levels = {s.heading: s.level for s in doc.sections}
    assert levels == {
        "Lowmoor parking privacy notice": 1,
        "1. Who we are": 2,
        "1.1. Our data protection officer": 3,
        "2. How long we keep it": 2,
    }
    officer = section(doc, "1.1. Our data protection officer")
    assert officer.path == ("Lowmoor parking privacy notice", "1. Who we are", "1.1. Our data protection officer")
    kept = section(doc, "2. How long we keep it")
    assert [b.text for b in kept.blocks if b.kind == "list_item"] == [
        "Parking permits",
        "Penalty charges",
        "Blue badges",
    ]


def test_lines_without_blank_separators_are_separate_blocks() -> None:
    doc = parse(
        "Library privacy notice\n"
        "This notice explains how Lowmoor Libraries use your information.\n"
        "Why we need your information\n"
        "We need it to lend you books.\n"
        "- your name\n"
        "- your library card number\n"
        "Your rights\n"
        "You can ask for a copy of your information.\n"
    )
    assert [s.heading for s in doc.sections] == [
        "Library privacy notice",
        "Why we need your information",
        "Your rights",
    ]
    need = section(doc, "Why we need your information")
    assert [b.kind for b in need.blocks] == ["paragraph", "list_item", "list_item"]


def test_short_answers_dates_and_sentences_are_not_headings() -> None:
    doc = parse(
        "Lowmoor CCTV privacy notice\n\nUpdated: 3 March 2024\n\n"
        "Is information sent outside the UK?\n\nNo\n\n"
        "Do we make automated decisions?\n\nNot applicable\n\n"
        "We keep footage for 31 days\n\nAfter that it is deleted automatically.\n"
    )
    headings = [s.heading for s in doc.sections]
    assert "Updated: 3 March 2024" not in headings
    assert "No" not in headings and "Not applicable" not in headings
    assert "Do we make automated decisions?" in headings
    assert "We keep footage for 31 days" in headings  # title-like and followed by a paragraph


def test_hard_wrapped_paragraphs_are_joined() -> None:
    wrapped = (
        "Lowmoor Borough Council privacy notice\n\n"
        "We collect your name, your address and the details of your enquiry so\n"
        "that we can answer it. We keep this information for two years after we\n"
        "have closed your enquiry and then we delete it from all of our systems.\n\n"
        "We share your enquiry with the service that can answer it and, where the\n"
        "law requires it, with the police or other local authorities in England.\n"
    )
    doc = parse(wrapped)
    paragraphs = [b for _, b in doc.blocks()]
    assert len(paragraphs) == 2
    assert paragraphs[0].text.startswith("We collect your name") and paragraphs[0].text.endswith("systems.")
    assert (paragraphs[0].locator.line, paragraphs[0].locator.end_line) == (3, 5)


def test_breadcrumb_lines_are_dropped() -> None:
    doc = parse(
        "Home > Council > Data protection > Privacy notice\n\n"
        "Home Council Data protection Waste privacy notice\nWaste privacy notice\n\n"
        "We collect your address to empty your bins.\n"
    )
    assert doc.title == "Waste privacy notice"
    assert len(doc.removed) == 2


def test_cookie_banner_at_top_is_dropped_but_cookie_text_in_the_notice_is_kept() -> None:
    doc = parse(
        "We use cookies to improve your experience. By continuing to browse this site you agree. Accept\n\n"
        "Website privacy notice\n\n"
        "This notice covers the Lowmoor Borough Council website and the forms on it.\n\n"
        "Cookies\n\n"
        "We use cookies to improve your experience. By continuing to browse this site you agree. Accept\n"
    )
    assert doc.removed and doc.removed[0].startswith("We use cookies")
    cookies = section(doc, "Cookies")
    assert cookies.blocks[0].text.startswith("We use cookies")


def test_encoding_fallbacks() -> None:
    cp1252 = "Privacy notice\n\nWe don\x92t sell your data \x96 ever.\n".encode("latin-1")
    doc = parse(cp1252)
    assert "don’t sell your data – ever" in doc.text
    bom = "\ufeffPrivacy notice\n\nCafé data.\n".encode("utf-8-sig")
    assert parse(bom).title == "Privacy notice"
    utf16 = "Privacy notice\n\nData.\n".encode("utf-16")
    assert parse(utf16).title == "Privacy notice"
    declared = "Privacy notice\n\nCafé data.\n".encode("latin-1")
    assert "Café" in parse(declared, encoding="latin-1").text


def test_utf8_with_a_stray_byte_stays_utf8() -> None:
    # one bad byte must not turn every "We’ll" into "Weâ€™ll"
    data = "Privacy notice\n\nWe’ll keep your café records safe.".encode() + b" \xff Ask us.\n"
    doc = parse(data)
    assert "We’ll keep your café records safe." in doc.text and "â€" not in doc.text
    assert "\ufffd" in doc.text and doc.warnings == ()  # one replaced byte: below the threshold
    html = parse_page(Page("n.html", "n.html", b'<meta charset="utf-8"><p>We\xe2\x80\x99ll \xff</p>', "text/html"))
    assert "We’ll" in html.text


def test_many_bad_bytes_in_utf8_are_counted_in_a_warning() -> None:
    data = b"Privacy notice\n\n" + ("We’ll ".encode() + b"\xe9tudier ") * 20  # 20 lone cp1252 bytes
    doc = parse(data)
    assert "We’ll" in doc.text
    assert doc.warnings == ("20 byte sequences are not valid UTF-8 and were replaced by U+FFFD",)


def test_a_cp1252_file_with_no_utf8_characters_is_still_cp1252() -> None:
    doc = parse("Privacy notice\n\nCaf\xe9 r\xe9sum\xe9 \x93quoted\x94 \xff\n".encode("latin-1"))
    assert "Café résumé “quoted” ÿ" in doc.text


def test_empty_and_binary_content_raise_parse_error() -> None:
    with pytest.raises(ParseError, match="empty"):
        parse(b"")
    with pytest.raises(ParseError, match="empty"):
        parse(b"  \n\n\t ")
    with pytest.raises(ParseError, match="binary"):
        parse(b"\x00\x01\x02" * 200)
    with pytest.raises(ParseError, match="furniture"):
        parse("Skip to main content\n\nBack to top\n")


def test_media_types() -> None:
    assert media_type_for("notice.txt") == "text/plain"
    assert media_type_for("dir/NOTICE.TEXT") == "text/plain"
    assert media_type_for("privacy.html.erb") == "text/x-template"
    assert media_type_for("privacy.html.njk") == "text/x-template"
    assert media_type_for("privacy.htm") == "text/html"
    assert media_type_for("privacy.xhtml") == "text/html"
    assert media_type_for("privacy.md") == "text/markdown"
    assert media_type_for("privacy.hbs") == "text/x-template"
    assert media_type_for("privacy.pdf") == "application/pdf"
    assert media_type_for("privacy.odt") is None
    assert media_type_for("privacy.tsx") == "text/jsx"
    with pytest.raises(ParseError, match="media type"):
        parse_page(Page("x.bin", "x.bin", b"data", "application/x-never-registered"))


def test_repeated_text_parses_to_as_many_repeated_blocks() -> None:
    # how parse time grows with size is the scaling benchmark's plain-text case, not a test
    chunk = (
        "Who we share it with\n\n"
        + "We share your data with the police where the law allows us to do so.\n\n" * 20
        + "  • police\n  • schools\n\n"
    )

    def blocks(repeat: int) -> int:
        return sum(len(section.blocks) for section in parse((chunk * repeat).encode()).sections)

    assert blocks(400) == 8 * blocks(50) > 0



def test_a_banner_heading_is_never_the_title() -> None:
    """Past the top of the page a banner's heading is kept as a heading, but the title is the notice's."""
    text = ("Lowmoor Borough Council will be closed on Monday for the bank holiday, as usual.\n\n"
            "Cookies on Lowmoor\n\nWe set one cookie.\n\n"
            "Library privacy notice\n\nWe use your name and address to lend you books.\n")
    doc = parse(text)
    assert [s.heading for s in doc.sections if s.heading] == ["Cookies on Lowmoor", "Library privacy notice"]
    assert doc.title == "Library privacy notice"
