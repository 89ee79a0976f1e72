"""The data model: locators people can follow, document traversal, findings, report JSON."""

from __future__ import annotations

import dataclasses

import pytest

from notice_audit.model import (
    AuditReport,
    Evidence,
    Finding,
    Findings,
    ItemResult,
    Locator,
    NoticeReport,
    Page,
    TargetError,
    content_hash,
)
from tests.conftest import make_doc


def test_locator_renders_address_and_heading_path() -> None:
    web = Locator("https://x.gov.uk/privacy", ("Privacy", "Sharing"), selector="main > ul > li:nth-of-type(2)",
                  fragment="sharing")
    assert web.address == "https://x.gov.uk/privacy#sharing"
    assert str(web) == "https://x.gov.uk/privacy#sharing § Privacy > Sharing [main > ul > li:nth-of-type(2)]"
    text = Locator("notice.txt", ("Rights",), line=12, end_line=14)
    assert str(text) == "notice.txt:12-14 § Rights"
    assert str(Locator("n.txt", (), line=3, end_line=3)) == "n.txt:3"
    # the block's place under its heading, for people to count to ("paragraph 2")
    counted = Locator("https://x.gov.uk/privacy", ("Your rights",), selector="main > p", block=2)
    assert str(counted) == "https://x.gov.uk/privacy § Your rights ¶2 [main > p]"


def test_locator_strings_of_older_reports_still_parse() -> None:
    old = Locator.parse("https://x.gov.uk/privacy#s § Privacy > Sharing [main > ul]")
    assert old.block is None and old.heading_path == ("Privacy", "Sharing") and old.selector == "main > ul"


def test_model_is_frozen() -> None:
    loc = Locator("a")
    with pytest.raises(dataclasses.FrozenInstanceError):
        loc.source = "b"  # type: ignore[misc]


def test_document_blocks_and_text_in_reading_order() -> None:
    doc = make_doc(("", ["Intro."]), ("Sharing", ["We share with:", ("list_item", "the police")]))
    assert [b.text for _, b in doc.blocks()] == ["Intro.", "We share with:", "the police"]
    assert [s.heading for s, _ in doc.blocks()] == ["", "Sharing", "Sharing"]
    assert doc.text == "Intro.\nSharing\nWe share with:\nthe police"


def test_findings_lookup_and_values_skip_pointers() -> None:
    ev = Evidence("q", Locator("a"))
    found = Findings((
        Finding("rights", ev, "access"), Finding("rights", ev, "erasure"), Finding("rights", ev, "access"),
        Finding("rights", ev, "objection", kind="pointer"), Finding("retention", ev, None, kind="negation"),
    ))
    assert found.values("rights") == ["access", "erasure"]
    assert len(found.of("rights")) == 4 and len(found.of("rights", kinds=("pointer",))) == 1
    assert found.of("retention", kinds=("statement",)) == ()


def test_page_hash_and_report_json() -> None:
    page = Page("a.html", "a.html", b"<p>x</p>", "text/html")
    assert page.content_hash == content_hash(b"<p>x</p>") and page.content_hash.startswith("sha256:")
    item = ItemResult("purposes", "Purposes", "met", "required", 3, "found", (Evidence("We use", Locator("a")),))
    notices = (
        NoticeReport("a", "A", 80.0, True, (item,), {"rights": []}),
        NoticeReport("b", "B", 40.0, False, (), {}),
    )
    report = AuditReport("1", "uk-gdpr", "1.0.0", "2026-01-01T00:00:00+00:00", notices, (TargetError("c", "gone"),))
    data = report.to_json()
    assert data["summary"] == {"notices": 2, "passed": 1, "failed": 1, "errors": 1, "mean_score": 60.0}
    assert data["notices"][0]["items"][0]["evidence"] == [{"quote": "We use", "locator": "a"}]
    assert data["errors"] == [{"target": "c", "error": "gone"}]
    assert data["tool"]["name"] == "notice-audit"


@pytest.mark.parametrize(
    "loc",
    [
        Locator("https://x.gov.uk/privacy", ("Privacy", "Sharing"), selector="main > ul > li", fragment="sharing"),
        Locator("notice.txt", ("Rights",), line=12, end_line=14),
        Locator("http://127.0.0.1:8000/a.html", ("A",), fragment="top"),
        Locator("http://127.0.0.1:8000/a.html"),
        Locator("n.pdf", ("Sharing",), line=3, end_line=9, fragment="page=2"),
        Locator("n.txt", (), line=3),
        Locator("https://x.gov.uk/privacy", ("Privacy", "Your rights"), selector="main > p", fragment="r", block=2),
        Locator("https://x.gov.uk/privacy", (), selector="main > p:nth-of-type(3)", block=3),
        Locator("notice.txt", ("Rights",), line=12, block=1),
        Locator("n.txt", (), block=7),
    ],
)
def test_locator_round_trips_through_its_string(loc: Locator) -> None:
    assert Locator.parse(str(loc)) == loc
