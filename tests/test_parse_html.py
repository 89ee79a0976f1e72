"""HTML parsing: content root, furniture removal, structure and locators."""

from __future__ import annotations

import pytest

from notice_audit.model import Document, Page
from notice_audit.parse import ParseError, parse_page
from notice_audit.parse.builder import DocumentBuilder
from notice_audit.parse.furniture import furniture
from notice_audit.parse.textutil import clean

URL = "https://www.lowmoor.gov.uk/privacy/housing"

PAGE = """\
<!DOCTYPE html>
<html lang="en">
<head><title>Housing privacy notice - Lowmoor Borough Council</title>
<script>var x = "Skip this script text";</script></head>
<body>
<a href="#main" class="govuk-skip-link">Skip to main content</a>
<div class="cookie-banner" id="global-cookie-message"><p>We use cookies on this site. Accept cookies?</p></div>
<header class="site-header"><a href="/">Lowmoor Borough Council home</a></header>
<nav class="navbar"><ul><li><a href="/bins">Bins and recycling</a></li></ul></nav>
<div class="govuk-breadcrumbs"><ol><li>Home</li><li>Council</li></ol></div>
<main id="main">
  <h1 id="top">Housing privacy notice</h1>
  <p>Lowmoor Borough Council is the data controller.</p>
  <div class="govuk-phase-banner"><p>This is a new service</p></div>
  <h2 id="collect">What we collect</h2>
  <div>
    <p>We collect:</p>
    <ul>
      <li>your name
      <li>your household, including:
        <ul><li>children</li><li>other adults</li></ul>
      <li id="tenancy">tenancy details
    </ul>
  </div>
  <h2>Who we share it with</h2>
  <p>We share it with the police.
  <p>We share it with <strong>other councils</strong> too.
  <div class="panel">Loose text in a panel <em>counts</em> as a paragraph.<div>Inner block</div></div>
  <section id="retention">
    <h2>How long we keep it</h2>
    <table>
      <tr><th>Record</th><th>Kept for</th></tr>
      <tr><td>Tenancy file</td><td>6 years after the tenancy ends</td></tr>
    </table>
  </section>
  <a name="contact"></a>
  <h2>Contact us</h2>
  <p>Email <a href="mailto:dpo@lowmoor.gov.uk">our data protection officer</a>
     or <a href="mailto:info@lowmoor.gov.uk">info@lowmoor.gov.uk</a>, or
     <a href="https://www.lowmoor.gov.uk/contact">use our form</a>.</p>
  <p><strong>Complaints</strong></p>
  <p>You can complain to the Information Commissioner.</p>
  <span aria-hidden="true">decorative icon text</span>
  <aside class="related"><h2>Related</h2><ul><li><a href="/a">Council tax</a></li></ul></aside>
  <p>Was this page helpful?</p>
  <form role="search"><label>Search</label><input type="search"><button>Go</button></form>
</main>
<footer class="site-footer"><p>© Lowmoor Borough Council</p></footer>
</body>
</html>
"""


def parse(html: str | bytes, source: str = URL, media_type: str = "text/html") -> Document:
    data = html.encode("utf-8") if isinstance(html, str) else html
    return parse_page(Page(source, source, data, media_type))


def blocks(doc: Document) -> dict[str, object]:
    return {b.text: b for _, b in doc.blocks()}


def section(doc: Document, heading: str):
    return next(s for s in doc.sections if s.heading == heading)


def test_furniture_is_removed_and_recorded() -> None:
    doc = parse(PAGE)
    text = doc.text
    for piece in (
        "Skip to main content",
        "We use cookies",
        "Lowmoor Borough Council home",
        "Bins and recycling",
        "Council\n",
        "This is a new service",
        "decorative icon text",
        "Council tax",
        "Was this page helpful?",
        "Search",
        "©",
        "Skip this script text",
    ):
        assert piece not in text
    removed = " | ".join(doc.removed)
    for dropped in ("Skip to main content", "We use cookies", "Bins and recycling", "This is a new service"):
        assert dropped in removed
    assert "Was this page helpful?" in doc.removed
    assert all(len(r) <= 80 for r in doc.removed)


def test_title_headings_and_paths() -> None:
    doc = parse(PAGE)
    assert doc.title == "Housing privacy notice - Lowmoor Borough Council"
    assert [(s.level, s.heading) for s in doc.sections] == [
        (1, "Housing privacy notice"),
        (2, "What we collect"),
        (2, "Who we share it with"),
        (2, "How long we keep it"),
        (2, "Contact us"),
        (3, "Complaints"),  # <p><strong>…</strong></p> standing in for a heading
    ]
    assert section(doc, "Complaints").path == ("Housing privacy notice", "Contact us", "Complaints")


def test_nested_and_unclosed_list_items() -> None:
    doc = parse(PAGE)
    collect = section(doc, "What we collect")
    assert [(b.kind, b.text) for b in collect.blocks] == [
        ("paragraph", "We collect:"),
        ("list_item", "your name"),
        ("list_item", "your household, including:"),
        ("list_item", "children"),
        ("list_item", "other adults"),
        ("list_item", "tenancy details"),
    ]


def test_unclosed_paragraphs_and_loose_text() -> None:
    doc = parse(PAGE)
    share = section(doc, "Who we share it with")
    assert [b.text for b in share.blocks] == [
        "We share it with the police.",
        "We share it with other councils too.",
        "Loose text in a panel counts as a paragraph.",
        "Inner block",
    ]


def test_table_cells() -> None:
    doc = parse(PAGE)
    cells = [b for b in section(doc, "How long we keep it").blocks]
    assert [b.kind for b in cells] == ["table_cell"] * 4
    assert cells[3].text == "6 years after the tenancy ends"


def test_mailto_targets_stay_visible_and_web_links_keep_their_text() -> None:
    doc = parse(PAGE)
    contact = section(doc, "Contact us").blocks[0].text
    assert contact == (
        "Email our data protection officer (dpo@lowmoor.gov.uk) or info@lowmoor.gov.uk, or use our form."
    )


def test_selectors_from_the_content_root() -> None:
    doc = parse(PAGE)
    by_text = blocks(doc)
    # The phase banner is dropped but still counts, so the path matches the page as served.
    assert by_text["tenancy details"].locator.selector == "main#main > div:nth-of-type(2) > ul > li:nth-of-type(3)"
    assert by_text["other adults"].locator.selector == (
        "main#main > div:nth-of-type(2) > ul > li:nth-of-type(2) > ul > li:nth-of-type(2)"
    )
    assert by_text["Inner block"].locator.selector == "main#main > div:nth-of-type(3) > div"
    assert by_text["Tenancy file"].locator.selector == (
        "main#main > section > table > tbody > tr:nth-of-type(2) > td:nth-of-type(1)"
    )


def test_fragments_lead_near_the_text() -> None:
    doc = parse(PAGE)
    by_text = blocks(doc)
    assert by_text["tenancy details"].locator.fragment == "tenancy"  # its own id
    assert by_text["your name"].locator.fragment == "collect"  # the section heading's id
    assert by_text["Tenancy file"].locator.fragment == "retention"  # an ancestor inside the section
    contact = section(doc, "Contact us")
    assert contact.locator.fragment == "contact"  # <a name> just before the heading
    # No id in this section: the enclosing heading's id is nearer than <main id="main">.
    assert by_text["We share it with the police."].locator.fragment == "top"
    assert by_text["tenancy details"].locator.address == URL + "#tenancy"


def test_urls_get_no_line_numbers_but_local_files_do() -> None:
    web = parse(PAGE)
    assert all(b.locator.line is None for _, b in web.blocks())
    local = parse(PAGE, source="notices/housing.html")
    by_text = blocks(local)
    assert by_text["tenancy details"].locator.line == 22
    assert section(local, "What we collect").locator.line == 15
    assert by_text["tenancy details"].locator.address == "notices/housing.html#tenancy:22"


def test_article_with_most_text_is_the_root_without_main() -> None:
    html = """<html><body>
      <div class="menu"><a href="/">Home</a></div>
      <article><h2>Latest news</h2><p>Short.</p></article>
      <article><h1>Parking privacy notice</h1><p>We collect your vehicle registration number
      to manage parking permits in Lowmoor.</p></article>
    </body></html>"""
    doc = parse(html)
    assert [s.heading for s in doc.sections] == ["Parking privacy notice"]
    assert doc.title == "Parking privacy notice"
    assert any("Latest news" in r for r in doc.removed)


def test_body_is_the_root_when_nothing_else_fits() -> None:
    html = """<html><body>
      <header><a href="/">Lowmoor home</a></header>
      <div id="content"><h1>CCTV privacy notice</h1><p>We record images in the market square.</p></div>
      <footer>Accessibility statement</footer>
    </body></html>"""
    doc = parse(html)
    assert doc.text == "CCTV privacy notice\nWe record images in the market square."
    assert doc.sections[0].blocks[0].locator.selector == "body > div > p"
    assert doc.sections[0].blocks[0].locator.fragment == "content"


def test_meta_charset_and_fallback_decoding() -> None:
    html = '<html><head><meta charset="windows-1252"></head><body><p>We don\x92t sell data.</p></body></html>'
    doc = parse(html.encode("latin-1"))
    assert "We don’t sell data." in doc.text
    undeclared = "<p>Caf\xe9 data \x96 kept safe.</p>".encode("latin-1")
    assert "Café data – kept safe." in parse(undeclared).text


def test_template_tags_in_html_are_removed() -> None:
    html = """{% extends "layout.html" %}
{% block content %}
<h1>Privacy notice</h1>
{{ govukInsetText({ text: "Inset from a macro" }) }}
<p>We keep data for {{ retention_years }} years.</p>
{% endblock %}"""
    doc = parse(html)
    assert "extends" not in doc.text and "govuk" not in doc.text and "layout" not in doc.text
    assert blocks(doc)["We keep data for years."].kind == "paragraph"
    assert blocks(doc)["Inset from a macro"].kind == "paragraph"  # a macro shows its text argument


def test_empty_and_furniture_only_pages_raise() -> None:
    with pytest.raises(ParseError, match="empty"):
        parse(b"")
    with pytest.raises(ParseError):
        parse("<html><body><nav>Home</nav><footer>Contact</footer></body></html>")


def test_article_header_is_kept_but_site_header_is_not() -> None:
    html = """<html><body><header class="masthead"><p>Lowmoor Borough Council</p></header>
      <main><article><header><h1>Waste privacy notice</h1><p>Updated 2 May 2024</p></header>
      <details><summary>Who we share it with</summary><p>Our waste contractor.</p></details>
      <dl><dt>Controller</dt><dd>Lowmoor Borough Council</dd></dl>
      <div aria-hidden="true"><p>Text kept: hidden wrappers with paragraphs are accordions.</p></div>
      </article></main></body></html>"""
    doc = parse(html)
    assert [(s.level, s.heading) for s in doc.sections] == [(1, "Waste privacy notice"), (2, "Who we share it with")]
    texts = [b.text for _, b in doc.blocks()]
    assert texts == [
        "Updated 2 May 2024",
        "Our waste contractor.",
        "Controller",
        "Lowmoor Borough Council",
        "Text kept: hidden wrappers with paragraphs are accordions.",
    ]
    assert doc.removed == ("Lowmoor Borough Council",)


def test_a_furniture_class_on_the_whole_notice_is_ignored() -> None:
    body = "".join(f"<p>Paragraph {n} of the notice explains how we use your information.</p>" for n in range(20))
    html = f"<html><body><main><div class='menu-layout'><h1>Privacy notice</h1>{body}</div></main></body></html>"
    doc = parse(html)
    assert len(list(doc.blocks())) == 20


def test_header_charset_is_used_when_no_encoding_is_given() -> None:
    data = "<p>Caf\xe9 records.</p>".encode("latin-1")
    page = Page(URL, URL, data, "text/html", headers={"Content-Type": "text/html; charset=ISO-8859-1"})
    assert "Café records." in parse_page(page).text


def test_furniture_lexicon_is_compiled_once_and_fast() -> None:
    lexicon = furniture()
    assert lexicon is furniture()
    assert lexicon.is_furniture_text("Skip to main content")
    assert lexicon.is_furniture_text("Essential maintenance to our online payments system")
    assert not lexicon.is_furniture_text("We use cookies to count visits to our website.", banners=True)
    assert lexicon.is_furniture_name("govuk-header__logo")
    assert lexicon.is_furniture_name("js-cookie-banner")
    assert not lexicon.is_furniture_name("govuk-table__header")
    # long look-alikes are not furniture (their timing is the scaling benchmark's hostile case)
    hostile = ["a " * 200, "we use cookies " + "x" * 380, "skip to " * 50, "(alert 1 of 2) " * 26]
    assert not any(lexicon.is_furniture_text(text) for text in hostile)


def test_contact_page_links_keep_their_address() -> None:
    from notice_audit.model import Page

    html = (b'<main><p>You can <a href="https://lowmoor.gov.uk/dpo">contact our Data Protection Officer</a> or '
            b'read <a href="https://lowmoor.gov.uk/news">our news</a>.</p></main>')
    doc = parse_page(Page("n.html", "n.html", html, "text/html"))
    text = doc.text
    assert "contact our Data Protection Officer (https://lowmoor.gov.uk/dpo)" in text
    assert "news.html" not in text and "https://lowmoor.gov.uk/news" not in text


def test_blocks_are_counted_under_their_heading() -> None:
    """Each block's locator says its place under its heading, from 1 again under each heading, so a
    report can say "under 'Who we share it with', paragraph 2"."""
    doc = parse(PAGE)
    for s in doc.sections:
        assert [b.locator.block for b in s.blocks] == list(range(1, len(s.blocks) + 1))
    assert sum(1 for s in doc.sections if len(s.blocks) > 1) >= 2


def test_blocks_are_counted_in_text_files_too() -> None:
    doc = parse_page(Page("n.txt", "n.txt", b"Who we are\n\nFirst paragraph.\n\nSecond paragraph.\n", "text/plain"))
    blocks = [b for _, b in doc.blocks()]
    assert blocks[-1].text == "Second paragraph." and blocks[-1].locator.block == blocks[-2].locator.block + 1


# --- text set in heading tags, link words -------------------------------------------------------------------

H2_POLICY = """<html><head><title>Privacy policy</title></head><body><main>
<h1>Privacy policy</h1>
<h2>Lowmoor Borough Council is the data controller for the information we hold about you, and we use your name
and address to collect council tax, which is our public task under the Local Government Finance Act 1992.</h2>
<h2>We share your details with the Valuation Office Agency.</h2>
<h2 id="keep">We keep your council tax records for six years after your account closes.</h2>
</main></body></html>"""


def test_a_policy_set_in_heading_tags_is_read_as_paragraphs() -> None:
    doc = parse(H2_POLICY)
    assert [s.heading for s in doc.sections] == ["Privacy policy"]
    texts = [b.text for _, b in doc.blocks()]
    assert texts[0].startswith("Lowmoor Borough Council is the data controller")
    assert "We share your details with the Valuation Office Agency." in texts
    keep = next(b for _, b in doc.blocks() if b.text.startswith("We keep"))
    assert keep.locator.fragment == "keep" and keep.locator.heading_path == ("Privacy policy",)
    assert doc.title == "Privacy policy"


def test_short_headings_of_a_notice_with_text_stay_headings() -> None:
    doc = parse("<main><h1>Housing privacy notice</h1><h2>Who we share your information with</h2>"
                "<p>We share it with the police.</p><h2>How long we keep it</h2><p>Six years.</p></main>")
    assert [s.heading for s in doc.sections] == [
        "Housing privacy notice", "Who we share your information with", "How long we keep it"]


def test_a_document_of_short_headings_only_reads_them_as_text() -> None:
    doc = parse("<main><h1>Privacy</h1><h3>We collect your name</h3><h3>We keep it for a year</h3></main>")
    assert [s.heading for s in doc.sections] == ["Privacy"]
    assert [b.text for _, b in doc.blocks()] == ["We collect your name", "We keep it for a year"]
    assert [b.locator.block for _, b in doc.blocks()] == [1, 2]


def test_blocks_count_the_words_of_their_links() -> None:
    doc = parse('<main><h1>Notices</h1><p>Read <a href="/a">our council tax notice</a> first.</p>'
                '<ul><li><a href="/b">Housing notice</a><ul><li><a href="/c">Tenants</a></li></ul></li></ul>'
                '<p>No links here.</p><div>Loose <a href="/d">link text</a></div>'
                '</main>')
    words = {b.text: b.link_words for _, b in doc.blocks()}
    assert words["Read our council tax notice first."] == 4
    assert words["Housing notice"] == 2  # the nested list is its own item
    assert words["Tenants"] == 1
    assert words["No links here."] == 0
    assert words["Loose link text"] == 2  # loose text in a container


def test_a_block_already_clean_is_added_as_one_cleaned_here() -> None:
    raw = "  We\u200b keep   your\n records. "
    first, second = DocumentBuilder("a.html"), DocumentBuilder("a.html")
    assert first.block("paragraph", raw, line=3) and second.block("paragraph", clean(raw), cleaned=True, line=3)
    page = Page("a.html", "a.html", b"", "text/html")
    assert first.document(page) == second.document(page)
