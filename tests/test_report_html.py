"""HTML report: content, evidence links, escaping, the page's safety policy and its accessible structure.

The page is parsed with lxml (as a browser would build it) rather than
searched as text, so the assertions are about elements and attributes. The
browser itself is exercised in test_browser.py.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import re
from html import escape
from pathlib import Path
from urllib.parse import unquote

import lxml.html
import pytest

from notice_audit.formats import html
from notice_audit.formats import json as json_format
from notice_audit.formats.load import load_report
from notice_audit.formats.registry import FORMATS
from notice_audit.model import AuditReport, Evidence, ItemResult, Locator, NoticeReport, ParentCoverage

try:
    from tests.browser_support import HOSTILE_URL, PWN, hostile_report
    from tests.report_fixtures import HOSTILE_QUOTE, HOSTILE_TITLE, sample_report
except ImportError:  # tests/ is not a package: pytest puts it on sys.path
    from browser_support import HOSTILE_URL, PWN, hostile_report
    from report_fixtures import HOSTILE_QUOTE, HOSTILE_TITLE, sample_report

BASE = "http://127.0.0.1:8000"


def parse(text: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(text)


@pytest.fixture(scope="module")
def sample() -> lxml.html.HtmlElement:
    return parse(html.render(sample_report()))


@pytest.fixture(scope="module")
def hostile_text() -> str:
    return html.render(hostile_report(BASE))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def hostile(hostile_text: str) -> lxml.html.HtmlElement:
    return parse(hostile_text)


def text_of(el: lxml.html.HtmlElement) -> str:
    return " ".join(el.text_content().split())


# --- registration --------------------------------------------------------------------------------


def test_registered_as_formats() -> None:
    assert FORMATS["html"].render is html.render
    assert FORMATS["html"].extension == "html" and FORMATS["csv"].extension == "csv"


def test_templates_and_stylesheet_are_package_data() -> None:
    from importlib import resources

    folder = resources.files("notice_audit.formats").joinpath("templates")
    names = {p.name for p in folder.iterdir()}
    assert {"report.html.j2", "_page.html.j2", "_notice.html.j2", "_macros.html.j2", "_icons.html.j2", "report.css",
            "compare.html.j2", "compare.css", "compare.js"} <= names


# --- safety --------------------------------------------------------------------------------------


def test_no_script_no_handlers_no_external_resources(hostile: lxml.html.HtmlElement) -> None:
    assert hostile.xpath("//script | //iframe | //img | //object | //embed | //link | //form | //base") == []
    for el in hostile.iter():
        if not isinstance(el.tag, str):
            continue
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on"), (el.tag, name)
            assert name not in ("src", "srcset", "action", "formaction", "background"), (el.tag, name)
            assert "javascript:" not in value.lower() or name == "content", (el.tag, name, value)


def test_hostile_strings_are_shown_as_text(hostile: lxml.html.HtmlElement, hostile_text: str) -> None:
    headings = [text_of(h) for h in hostile.xpath("//h2")]
    assert any(h.startswith("<img src=x onerror=") and "<script>" in h for h in headings)
    quotes = [text_of(q) for q in hostile.xpath("//blockquote")]
    assert any("</p><script>" in q and "<svg onload=" in q for q in quotes)
    # the javascript: source is shown, as text, where a link would be
    assert HOSTILE_URL in text_of(hostile)
    assert re.search(r"<(script|img|iframe)\b", hostile_text, re.I) is None
    assert re.search(r"<[a-z][^>]*\son\w+\s*=", hostile_text, re.I) is None  # no tag carries a handler
    assert "&lt;script&gt;" + PWN in hostile_text.replace("&#39;", "'")


def test_only_http_links_and_in_page_anchors(hostile: lxml.html.HtmlElement) -> None:
    ids = set(hostile.xpath("//@id"))
    for a in hostile.xpath("//a[@href]"):
        href = a.get("href")
        if href.startswith("#"):
            assert href[1:] in ids, href
            assert a.get("rel") is None
        else:
            assert re.match(r"https?://[^\s\"'<>]+\Z", href), href
            assert a.get("rel") == "noopener noreferrer"
    for use in hostile.xpath("//*[local-name()='use']"):
        assert use.get("href", "").startswith("#i-")


def test_csp_forbids_scripts_and_requests_and_allows_exactly_our_style(hostile: lxml.html.HtmlElement) -> None:
    metas = hostile.xpath("//meta[@http-equiv='Content-Security-Policy']")
    assert len(metas) == 1
    policy = dict(
        (d.split()[0], d.split()[1:]) for d in metas[0].get("content").split(";") if d.strip()
    )
    assert policy["default-src"] == ["'none'"]
    assert policy["img-src"] == ["data:"]
    assert policy["base-uri"] == ["'none'"] and policy["form-action"] == ["'none'"]
    assert "script-src" not in policy
    styles = hostile.xpath("//style")
    assert len(styles) == 1
    digest = base64.b64encode(hashlib.sha256(styles[0].text.encode()).digest()).decode()
    assert policy["style-src"] == [f"'sha256-{digest}'"]
    # the meta comes before anything it governs
    head = hostile.find("head")
    assert list(head).index(metas[0]) < list(head).index(styles[0])
    assert hostile.xpath("//*[@style]") == []  # inline style attributes would be blocked


def test_stylesheet_requests_nothing() -> None:
    css, _ = html.stylesheet()
    assert "url(" not in css and "@import" not in css and "@font-face" not in css


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)", " JavaScript:alert(1)", "java\tscript:alert(1)", "data:text/html,x",
        "file:///etc/passwd", "vbscript:x", "//evil.example/x", "/relative", "notices/a.html", "http://",
        "https:///nohost", "http://a b.example/", "http://example.org/\x00", "", "mailto:dpo@council.example",
    ],
)
def test_safe_href_refuses_anything_but_absolute_http(url: str) -> None:
    assert html.safe_href(url) is None


def test_safe_href_keeps_http_and_encodes_what_breaks_attributes() -> None:
    assert html.safe_href("https://council.example/privacy?a=1&b=2#x") == "https://council.example/privacy?a=1&b=2#x"
    assert html.safe_href('http://x.example/"><b>') == "http://x.example/%22%3E%3Cb%3E"
    assert html.safe_href("HTTPS://X.example/é") == "HTTPS://X.example/%C3%A9"


# --- evidence links ------------------------------------------------------------------------------


def ev(quote: str, source: str, **where: object) -> Evidence:
    return Evidence(quote, Locator(source, **where))  # type: ignore[arg-type]


def test_evidence_link_uses_the_locator_fragment() -> None:
    e = ev("We share data.", "https://council.example/privacy", heading_path=("Sharing",), fragment="sharing")
    assert html.evidence_href(e) == "https://council.example/privacy#sharing"


def test_evidence_link_without_fragment_uses_a_text_fragment() -> None:
    e = ev("We keep records for six years, then delete them.", "https://council.example/privacy")
    assert html.evidence_href(e) == (
        "https://council.example/privacy#:~:text=We%20keep%20records%20for%20six%20years%2C%20then%20delete%20them."
    )


def test_text_directive_encodes_dash_comma_and_ampersand() -> None:
    d = html.text_directive("Tax-payers, councils & courts")
    assert d == ":~:text=Tax%2Dpayers%2C%20councils%20%26%20courts"
    assert unquote(d.removeprefix(":~:text=")) == "Tax-payers, councils & courts"


def test_long_quotes_link_by_start_and_end() -> None:
    d = html.text_directive("one two three four five six seven\neight nine ten eleven twelve thirteen fourteen")
    start, end = d.removeprefix(":~:text=").split(",")
    assert unquote(start) == "one two three four five" and unquote(end) == "ten eleven twelve thirteen fourteen"


def test_pdf_evidence_links_to_the_page_not_the_line() -> None:
    e = ev("under the Act", "https://council.example/notice.pdf", line=12, end_line=14, fragment="page=3")
    assert html.evidence_href(e) == "https://council.example/notice.pdf#page=3"


def test_local_and_hostile_sources_get_no_link() -> None:
    assert html.evidence_href(ev("x", "notices/a.html", line=3)) is None
    assert html.evidence_href(ev("x", "javascript:alert(1)", fragment="a")) is None


def test_evidence_in_the_page(sample: lxml.html.HtmlElement) -> None:
    links = [(a.get("href"), text_of(a)) for a in sample.xpath("//figcaption//a")]
    assert ("https://council.example/privacy#who-we-are", "Who we are") in links
    assert ("https://council.example/privacy#sharing", "Sharing › With <others>") in links
    assert ("https://council.example/privacy#sharing", "Sharing") in links
    assert any(h.startswith("https://council.example/privacy#:~:text=We%20keep%20records") for h, _ in links)
    # the local file's quote names its heading and line, as text
    captions = [text_of(c) for c in sample.xpath("//figcaption")]
    assert any("Your rights" in c and "line 12" in c for c in captions)
    hostile_quote = " ".join(HOSTILE_QUOTE.split())
    assert hostile_quote in [text_of(b) for b in sample.xpath("//blockquote")]


def test_pdf_quote_names_page_and_lines(hostile: lxml.html.HtmlElement) -> None:
    captions = [text_of(c) for c in hostile.xpath("//figcaption")]
    assert any("page 2 · lines 14–15" in c and "notices/lowmoor parking.pdf" in c for c in captions)


def test_more_than_three_quotes_sit_in_a_disclosure(hostile: lxml.html.HtmlElement) -> None:
    item = hostile.get_element_by_id("n1-i2")
    assert len(item.xpath("./figure")) == html.SHOWN_QUOTES
    details = item.xpath("./details")
    assert len(details) == 1 and text_of(details[0].find("summary")) == "2 more quotes"
    assert len(details[0].xpath("./figure")) == 2


# --- content -------------------------------------------------------------------------------------


def test_summary_table_rows(sample: lxml.html.HtmlElement) -> None:
    table = sample.xpath("//table[contains(@class, 'summary-table')]")[0]
    rows = table.xpath("./tbody/tr")
    assert len(rows) == 2
    first = [text_of(c) for c in rows[0]]
    assert first[0] == f"1. {HOSTILE_TITLE} https://council.example/privacy"
    assert first[1:] == ["87.5", "Passed", "2", "1", "0", "0", "1"]
    second = [text_of(c) for c in rows[1]]
    assert second == ["2. notices/bad | notice.html", "12", "Failed", "0", "0", "2", "1", "0"]
    figures = {text_of(d.find("dt")): text_of(d.find("dd")) for d in sample.xpath("//dl[@class='figures']/div")}
    assert figures == {"Notices audited": "2", "Passed": "1", "Failed": "1", "Mean score": "49.8 / 100",
                       "Not audited": "1"}


def test_header_names_checklist_date_and_gate(sample: lxml.html.HtmlElement) -> None:
    meta = text_of(sample.xpath("//header[@class='masthead']//p[@class='meta']")[0])
    assert "uk-gdpr version 2024.1" in meta and "1 May 2024, 12:00 UTC" in meta and "score of 50" in meta
    assert sample.xpath("//time/@datetime")[0] == "2024-05-01T12:00:00Z"


def test_each_notice_shows_score_verdict_and_item_table(sample: lxml.html.HtmlElement) -> None:
    n1 = sample.get_element_by_id("n1")
    assert text_of(n1.xpath(".//p[@class='score']")[0]) == "87.5 / 100"
    assert text_of(n1.xpath(".//span[contains(@class, 'verdict')]")[0]) == "Passed"
    rows = n1.xpath(".//table[contains(@class, 'items-table')]/tbody/tr")
    assert [text_of(r[0]) for r in rows] == ["Met", "Met", "Partial", "Not applicable"]
    assert [text_of(r[1]) for r in rows] == ["Controller identity", "Recipients", "Retention",
                                             "Automated decision-making"]
    n2 = sample.get_element_by_id("n2")
    assert text_of(n2.xpath(".//span[contains(@class, 'verdict')]")[0]) == "Failed"


def test_status_is_never_colour_alone(sample: lxml.html.HtmlElement) -> None:
    for badge in sample.xpath("//span[contains(@class, 'status ')]"):
        assert badge.xpath("./*[local-name()='svg']"), "an icon"
        assert text_of(badge) in html.STATUS_LABELS.values(), "and a word"


def test_missing_item_says_what_was_looked_for_and_how_to_fix(sample: lxml.html.HtmlElement) -> None:
    item = sample.get_element_by_id("n2-i1")
    facts = {text_of(d.find("dt")): d.find("dd") for d in item.xpath(".//dl[@class='facts']/div")}
    assert text_of(facts["Looked for"]) == "an email or postal address for the data protection officer"
    assert text_of(facts["How to fix"]) == "Publish how to contact your DPO."
    assert text_of(facts["Law"]).startswith("UK GDPR Art 13(1)(b)")
    assert facts["Law"].xpath(".//a/@href") == ["https://ico.org.uk/dpo"]
    assert text_of(facts["Law"].xpath(".//a")[0]) == "ICO guidance: DPO contact"
    escaped = sample.get_element_by_id("n2-i2")
    assert "the right to complain to the ICO | <a> supervisory authority" in text_of(escaped)


def test_failed_item_shows_its_evidence(sample: lxml.html.HtmlElement) -> None:
    item = sample.get_element_by_id("n2-i3")
    assert "Refers to the Data Protection Act 1998" in text_of(item)
    assert [text_of(b) for b in item.xpath(".//blockquote")] == ["under the Data Protection Act 1998"]


def test_items_link_to_their_details(sample: lxml.html.HtmlElement) -> None:
    ids = set(sample.xpath("//@id"))
    targets = [a.get("href")[1:] for a in sample.xpath("//table[contains(@class, 'items-table')]//a")]
    assert targets and all(t in ids for t in targets)


def test_extracted_values(sample: lxml.html.HtmlElement) -> None:
    n1 = sample.get_element_by_id("n1")
    entries = {text_of(d.find("dt")): d.find("dd") for d in n1.xpath(".//dl[@class='extracted']/div")}
    assert [text_of(li) for li in entries["Lawful bases (Article 6)"].iter("li")] == [
        "Public task — Art 6(1)(e)", "Consent — Art 6(1)(a)"]
    assert [text_of(li) for li in entries["Special category conditions (Article 9)"].iter("li")] == [
        "Substantial public interest — Art 9(2)(g)"]
    assert [text_of(li) for li in entries["Statutes cited"].iter("li")] == ["Children Act 1989, s. 83"]
    rights = entries["Rights named"]
    assert [text_of(li) for li in rights.iter("li")] == ["Access", "Erasure"]
    assert "Not named: To be informed, Rectification" in text_of(rights)
    groups = {text_of(d.find("dt")): [text_of(li) for li in d.iter("li")]
              for d in entries["Recipients, by category"].xpath(".//dl[@class='groups']/div")}
    assert groups == {"Law enforcement": ["police | courts"]}
    contacts = text_of(entries["Contacts, by role"])
    assert "Email: dpo@council.example" in contacts and "Phone: 01234 567890" in contacts
    assert [text_of(li) for li in entries["Retention"].iter("li")] == ["6 years six years"]


def test_contacts_grouped_by_role_and_recipients_by_category() -> None:
    notice = NoticeReport("https://c.example/p", "P", 50, True, (), {
        "recipients": [{"text": "the police", "category": "police_law_enforcement"},
                       {"text": "HMRC", "category": "hmrc"}, {"text": "courts", "category": "courts_legal"},
                       {"text": "a friend", "category": "family_carers"}],
        "contacts": {"emails": ["dpo@c.example", "x@c.example"], "phones": [], "urls": ["https://ico.org.uk/"],
                     "roles": [{"value": "dpo@c.example", "kind": "email", "role": "dpo"},
                               {"value": "https://ico.org.uk/", "kind": "url", "role": "ico"}]},
        "retention": [{"text": "we keep it", "period": None, "schedules": ["retention schedule"]}],
        "statutes": [{"title": "UK GDPR", "year": None, "section": "6", "text": "Article 6"},
                     {"title": "Data Protection Act", "year": 2018, "section": "Part 2 of Schedule 1"}],
        "criminal_offence_data": True,
        "mystery_value": ["a", "b"],
    })
    doc = parse(html.render(AuditReport("0.1.0", "uk-gdpr", "1", "now", (notice,))))
    entries = {text_of(d.find("dt")): d.find("dd") for d in doc.xpath("//dl[@class='extracted']/div")}
    recipients = [text_of(d.find("dt")) for d in entries["Recipients, by category"].xpath(".//dl/div")]
    assert recipients == ["HMRC", "Police and law enforcement", "Courts and legal", "Family and carers"]
    roles = {text_of(d.find("dt")): [text_of(li) for li in d.iter("li")]
             for d in entries["Contacts, by role"].xpath(".//dl/div")}
    assert roles == {"Data Protection Officer": ["Email: dpo@c.example"],
                     "Information Commissioner's Office": ["Web: https://ico.org.uk/"],
                     "Role not identified": ["Email: x@c.example"]}
    assert entries["Contacts, by role"].xpath(".//a/@href") == ["https://ico.org.uk/"]
    assert [text_of(li) for li in entries["Retention"].iter("li")] == [
        "we keep it refers to the retention schedule"]
    assert [text_of(li) for li in entries["Statutes cited"].iter("li")] == [
        "UK GDPR, Art. 6", "Data Protection Act 2018, Part 2 of Schedule 1"]
    assert text_of(entries["Criminal offence data (Article 10)"]) == "Mentioned"
    assert [text_of(li) for li in entries["Mystery value"].iter("li")] == ["a", "b"]


def test_layered_notice_names_its_parent_and_what_it_covers(hostile: lxml.html.HtmlElement) -> None:
    layered = hostile.get_element_by_id("n2")
    box = text_of(layered.xpath(".//div[@class='layers']")[0])
    assert f"Its parent notice is {BASE}/notice.html (score 71.4), audited in this report" in box
    assert "The rights available to individuals" in box
    assert layered.xpath(".//div[@class='layers']//a/@href") == [f"{BASE}/notice.html", "#n1"]
    assert "Covered by the parent notice" in text_of(layered.xpath(".//table")[0])
    # a parent that is not an http(s) URL is named, as text
    first = text_of(hostile.get_element_by_id("n1").xpath(".//div[@class='layers']")[0])
    assert f"Its parent notice is {HOSTILE_URL} (score 90)" in first


def test_parts_are_listed(hostile: lxml.html.HtmlElement) -> None:
    parts = hostile.get_element_by_id("n1").xpath(".//ol[@class='parts']/li")
    assert [text_of(p) for p in parts] == [f"{BASE}/notice.html", f"{BASE}/notice-2.html", HOSTILE_URL]
    assert [p.xpath("./a/@href") for p in parts] == [[f"{BASE}/notice.html"], [f"{BASE}/notice-2.html"], []]
    captions = [text_of(c) for c in hostile.get_element_by_id("n1").xpath(".//figcaption")]
    assert any("part 1 of 3" in c for c in captions)


def test_target_errors_are_listed(sample: lxml.html.HtmlElement) -> None:
    table = sample.get_element_by_id("errors").xpath(".//table")[0]
    assert [[text_of(c) for c in r] for r in table.xpath("./tbody/tr")] == [
        ["https://gone.example/privacy", "HTTP 404 | not found <html>"]]


def test_common_gaps_count_notices_per_item(sample: lxml.html.HtmlElement) -> None:
    rows = sample.get_element_by_id("common-gaps").xpath(".//tbody/tr")
    assert [[text_of(c) for c in r] for r in rows] == [
        ["DPO contact dpo_contact", "1", "0", "0", "0"],
        ["Complaint to the ICO complaint_to_ico", "1", "0", "0", "0"],
        ["Outdated legal reference outdated_legal_reference", "0", "1", "0", "0"],
        ["Retention retention", "0", "0", "1", "0"],
    ]


# --- accessible structure ------------------------------------------------------------------------


def test_landmarks_headings_and_skip_link(sample: lxml.html.HtmlElement) -> None:
    body = sample.find("body")
    assert sample.get("lang") == "en-GB"
    assert sample.xpath("//meta[@name='viewport']/@content") == ["width=device-width, initial-scale=1"]
    assert len(body.xpath("./header")) == 1 and len(body.xpath("./nav[@aria-label]")) == 1
    assert len(body.xpath("./main[@id='main']")) == 1 and len(body.xpath("./footer")) == 1
    first_link = body.xpath(".//a")[0]
    assert first_link.get("href") == "#main" and "skip" in first_link.get("class")
    levels = [int(h.tag[1]) for h in sample.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), levels


def test_tables_have_captions_scoped_headers_and_labelled_scroll_regions(hostile: lxml.html.HtmlElement) -> None:
    tables = hostile.xpath("//table")
    assert len(tables) >= 4
    for table in tables:
        caption = table.find("caption")
        assert caption is not None and text_of(caption)
        assert all(th.get("scope") in ("col", "row") for th in table.iter("th"))
        region = table.getparent()
        assert region.get("role") == "region" and region.get("tabindex") == "0"
        assert region.get("aria-labelledby") == caption.get("id")


def test_ids_are_unique(hostile: lxml.html.HtmlElement) -> None:
    ids = hostile.xpath("//@id")
    assert len(ids) == len(set(ids))


def test_sections_are_labelled_by_their_headings(hostile: lxml.html.HtmlElement) -> None:
    for section in hostile.iter("section"):
        label = section.get("aria-labelledby")
        assert label and hostile.get_element_by_id(label).tag == "h2"


# --- edges ---------------------------------------------------------------------------------------


def test_empty_report() -> None:
    doc = parse(html.render(AuditReport("0.1.0", "uk-gdpr", "1", "not a date", ())))
    assert "No notice was audited." in text_of(doc)
    assert set(doc.xpath("//time/@datetime")) == {"not a date"}


def test_rendering_a_saved_json_report(tmp_path: Path) -> None:
    saved = tmp_path / "r.json"
    report = hostile_report(BASE)
    saved.write_text(json_format.render(report))  # type: ignore[arg-type]
    assert html.render(load_report(saved)) == html.render(report)  # type: ignore[arg-type]
    assert json.loads(saved.read_text())["notices"][0]["title"].startswith("<img")


def test_notice_without_title_uses_its_source_and_odd_values_render() -> None:
    item = ItemResult("x", "", "weird_status", "low", 0.5, "")  # type: ignore[arg-type]
    notice = NoticeReport("notices/a.txt", "  ", 0, False, (item,), {"contacts": ["x"], "rights": "access"},
                          parent=ParentCoverage("", 0, ("x",)))
    doc = parse(html.render(AuditReport("0.1.0", "c", "1", "2024-01-01T00:00:00+01:00", (notice,))))
    assert text_of(doc.get_element_by_id("n1-h")) == "notices/a.txt"
    assert "Weird status 1" in text_of(doc.get_element_by_id("n1"))
    ids = set(doc.xpath("//@id"))
    assert all(h[1:] in ids for h in doc.xpath("//a/@href") if h.startswith("#"))
    assert "1 January 2024, 00:00 UTC+0100" in text_of(doc.xpath("//p[@class='meta']")[0])


@pytest.mark.parametrize(("period", "words"), [("P6Y", "6 years"), ("P1Y6M", "1 year, 6 months"),
                                                 ("P30D", "30 days"), ("P1W", "1 week"), ("P", "P"),
                                                 ("until the child is 25", "until the child is 25")])
def test_periods_in_words(period: str, words: str) -> None:
    assert html.duration_text(period) == words


def test_gate_reasons_and_waivers_are_shown() -> None:
    from tests.test_report_sarif import gated_report

    report = gated_report()
    page = html.render(report)
    for notice in report.notices:
        for failure in notice.failures:
            assert escape(failure.reason) in page
        for item in notice.items:
            if item.waiver:
                assert escape(item.waiver.reason) in page and escape(item.waiver.owner) in page
    assert "waived until" in page and 'class="failures"' in page
