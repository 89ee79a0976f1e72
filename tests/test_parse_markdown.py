"""Markdown parsing: front matter, structure from tokens, inline text and line numbers."""

from __future__ import annotations

import pytest

from notice_audit.model import Document, Page
from notice_audit.parse import ParseError, parse_page

NOTICE = """\
---
title: "Lowmoor library privacy notice"
layout: page
---

# Library privacy notice

Lowmoor Borough Council runs the library service. Last reviewed <%= Date.today %>.

## What we collect

We collect:

- your **name** and address
- your borrowing history, which
  we keep while your card is active
  - loans
  - reservations
- your email, if you give it to us

  We only use it to send reminders.

1. First ordered point
2. Second ordered point

## Who we share it with

| Recipient | Why |
|-----------|-----|
| Lowmoor Schools | Class visits |
| {{ partner_name }}Reading Agency | Summer challenge |

> We never sell your data.

### Contact

Email [our data protection officer](mailto:dpo@lowmoor.gov.uk) or
[dpo@lowmoor.gov.uk](mailto:dpo@lowmoor.gov.uk), read the [charter](https://lowmoor.gov.uk/charter)
or visit <https://lowmoor.gov.uk/privacy>.

<div class="inset">
<p>Raw HTML inside Markdown is read too.</p>
</div>
"""


def parse(text: str, source: str = "docs/library-privacy.md") -> Document:
    return parse_page(Page(source, source, text.encode(), "text/markdown"))


def block(doc: Document, startswith: str):
    return next(b for _, b in doc.blocks() if b.text.startswith(startswith))


def test_front_matter_is_skipped_and_title_is_the_h1() -> None:
    doc = parse(NOTICE)
    assert doc.title == "Library privacy notice"
    assert "layout" not in doc.text
    assert doc.sections[0].locator.line == 6


def test_title_falls_back_to_front_matter() -> None:
    doc = parse('---\ntitle: "Parking notice"\n---\n\nWe hold your registration number.\n')
    assert doc.title == "Parking notice"


def test_heading_paths_and_levels() -> None:
    doc = parse(NOTICE)
    assert [(s.level, s.heading) for s in doc.sections] == [
        (1, "Library privacy notice"),
        (2, "What we collect"),
        (2, "Who we share it with"),
        (3, "Contact"),
    ]
    assert doc.sections[-1].path == ("Library privacy notice", "Who we share it with", "Contact")


def test_template_tags_are_removed() -> None:
    doc = parse(NOTICE)
    assert block(doc, "Lowmoor Borough Council runs").text.endswith("Last reviewed .")
    assert block(doc, "Reading Agency").kind == "table_cell"
    assert "partner_name" not in doc.text


def test_list_items_nested_and_multi_paragraph() -> None:
    doc = parse(NOTICE)
    collect = next(s for s in doc.sections if s.heading == "What we collect")
    items = [(b.text, b.locator.line, b.locator.end_line) for b in collect.blocks if b.kind == "list_item"]
    assert items == [
        ("your name and address", 14, 14),
        ("your borrowing history, which we keep while your card is active", 15, 16),
        ("loans", 17, 17),
        ("reservations", 18, 18),
        ("your email, if you give it to us We only use it to send reminders.", 19, 21),
        ("First ordered point", 23, 23),
        ("Second ordered point", 24, 24),
    ]


def test_tables_and_blockquotes() -> None:
    doc = parse(NOTICE)
    share = next(s for s in doc.sections if s.heading == "Who we share it with")
    cells = [b for b in share.blocks if b.kind == "table_cell"]
    assert [c.text for c in cells] == [
        "Recipient",
        "Why",
        "Lowmoor Schools",
        "Class visits",
        "Reading Agency",
        "Summer challenge",
    ]
    assert cells[2].locator.line == 30
    quote = block(doc, "We never sell")
    assert quote.kind == "paragraph" and quote.locator.line == 33


def test_links_keep_text_and_email_targets() -> None:
    doc = parse(NOTICE)
    contact = block(doc, "Email our")
    assert contact.text == (
        "Email our data protection officer (dpo@lowmoor.gov.uk) or dpo@lowmoor.gov.uk, "
        "read the charter or visit https://lowmoor.gov.uk/privacy."
    )
    assert (contact.locator.line, contact.locator.end_line) == (37, 39)


def test_raw_html_blocks_are_parsed_with_file_lines() -> None:
    doc = parse(NOTICE)
    raw = block(doc, "Raw HTML inside Markdown")
    assert raw.kind == "paragraph"
    assert raw.locator.line == 42
    assert raw.locator.heading_path[-1] == "Contact"


def test_heading_only_markdown_has_a_section_but_no_blocks() -> None:
    doc = parse("---\ntitle: x\n---\n\n# Privacy policy\n")
    assert [s.heading for s in doc.sections] == ["Privacy policy"]
    assert list(doc.blocks()) == []


def test_empty_markdown_raises() -> None:
    with pytest.raises(ParseError):
        parse("---\ntitle: x\n---\n")
    with pytest.raises(ParseError, match="empty"):
        parse("   \n")


def test_blocks_count_the_words_of_their_links() -> None:
    doc = parse("# Notices\n\n- [Council tax notice](/a)\n- [Housing](/b) and more\n\nSee [our notice](/c).\n\n"
                "| Service | Notice |\n|---|---|\n| Bins | [Waste notice](/d) |\n")
    words = {b.text: b.link_words for _, b in doc.blocks()}
    assert words == {"Council tax notice": 3, "Housing and more": 1, "See our notice.": 2, "Service": 0,
                     "Notice": 0, "Bins": 0, "Waste notice": 2}


def test_a_sentence_in_a_heading_is_read_as_a_paragraph() -> None:
    doc = parse("# Library privacy notice\n\n## We keep your borrowing history for two years after your last loan.\n")
    assert [s.heading for s in doc.sections] == ["Library privacy notice"]
    assert [b.text for _, b in doc.blocks()] == ["We keep your borrowing history for two years after your last loan."]


def test_the_reused_parser_keeps_nothing_between_pages() -> None:
    # One parser serves every page: the same text gives the same Document twice in a row, and a link
    # reference defined in one page is not known in the next.
    defined = "# Contact\n\nWrite to [our DPO][dpo].\n\n[dpo]: mailto:dpo@example.org\n"
    assert parse(defined) == parse(defined)
    assert block(parse(defined), "Write to").text == "Write to our DPO (dpo@example.org)."
    undefined = "# Contact\n\nWrite to [our DPO][dpo].\n"
    assert block(parse(undefined), "Write to").text == "Write to [our DPO][dpo]."
