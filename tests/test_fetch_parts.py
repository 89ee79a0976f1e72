"""Multi-page notices (part_urls) and layered notices (parent_links), from pages alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from notice_audit.model import Page
from notice_audit.sources.parts import numbered, parent_links, part_label, part_urls, siblings

SITE = Path(__file__).resolve().parents[1] / "notice_audit" / "demo" / "site"
ROOT = "http://127.0.0.1:8000/"
CHILDREN = [
    ROOT + "privacy/childrens-services/index.html",
    ROOT + "privacy/childrens-services/2.html",
    ROOT + "privacy/childrens-services/3.html",
]


def demo(rel: str) -> Page:
    url = ROOT + rel
    return Page(source=url, url=url, content=(SITE / rel).read_bytes(), media_type="text/html")


def html(body: str, url: str, *, head: str = "", title: str = "Privacy notice") -> Page:
    doc = f"<!doctype html><html><head><title>{title}</title>{head}</head><body>{body}</body></html>"
    return Page(source=url, url=url, content=doc.encode(), media_type="text/html")


# --- the demo site ---------------------------------------------------------------------------------


@pytest.mark.parametrize("url", CHILDREN)
def test_the_three_parts_are_found_in_order_from_any_part(url: str) -> None:
    assert part_urls(demo(url.removeprefix(ROOT))) == CHILDREN


@pytest.mark.parametrize(
    "rel",
    [
        "privacy/corporate-privacy-notice.html",
        "privacy/council-tax.html",
        "privacy/garden-waste.html",
        "privacy/index.html",
        "privacy/what-a-privacy-notice-is.html",
        "index.html",
        "children/index.html",
    ],
)
def test_single_pages_have_no_parts(rel: str) -> None:
    assert part_urls(demo(rel)) == []


def test_council_tax_parent_is_the_corporate_notice() -> None:
    got = parent_links(demo("privacy/council-tax.html"))
    assert [link.url for link in got] == [ROOT + "privacy/corporate-privacy-notice.html"]
    assert got[0].text == "corporate privacy notice"
    assert got[0].score > 0


@pytest.mark.parametrize(
    "rel",
    [
        "privacy/corporate-privacy-notice.html",
        "privacy/garden-waste.html",
        "privacy/childrens-services/3.html",  # "part 1 of this notice" is a part, not a parent
    ],
)
def test_notices_without_a_parent(rel: str) -> None:
    assert parent_links(demo(rel)) == []


# --- multi-page fixtures ---------------------------------------------------------------------------

OTHER_NOTICES = """
<main><h1>Housing privacy notice</h1>
<p>This notice explains how we use information about tenants.</p>
<h2>Related notices</h2>
<ul>
  <li><a href="council-tax">Council tax privacy notice</a></li>
  <li><a href="parking">Parking privacy notice</a></li>
  <li><a href="libraries">Libraries privacy notice</a></li>
</ul>
<h2>Your rights</h2><p>You can ask for a copy of your information.</p></main>
"""


def test_a_notice_linking_to_three_other_notices_is_not_multi_page() -> None:
    assert part_urls(html(OTHER_NOTICES, "https://example.org/privacy/housing")) == []


def test_a_contents_list_of_separate_notices_is_not_multi_page() -> None:
    body = """<main><h1>Housing privacy notice</h1>
    <h2>Contents</h2><ul>
      <li aria-current="page">Housing privacy notice</li>
      <li><a href="council-tax">Council tax privacy notice</a></li>
      <li><a href="parking">Parking privacy notice</a></li>
    </ul><p>We use information about tenants.</p></main>"""
    assert part_urls(html(body, "https://example.org/privacy/housing")) == []


def test_numbered_sub_paths_with_next_and_previous_page_links() -> None:
    body = """<main><h1>Corporate privacy notice</h1><h2>Who we share information with</h2>
    <p>We share with other councils.</p>
    <nav class="pagination"><a href="/privacy-notice/1">Previous page</a>
    <a href="/privacy-notice/3">Next page</a></nav></main>"""
    got = part_urls(html(body, "https://www.example.org/privacy-notice/2"))
    assert got == [
        "https://www.example.org/privacy-notice/1",
        "https://www.example.org/privacy-notice/2",
        "https://www.example.org/privacy-notice/3",
    ]


def test_numbered_sub_paths_with_the_bare_base_as_part_one() -> None:
    body = """<main><h1>Privacy notice</h1><p>Who we are.</p>
    <aside><ol><li>Who we are</li><li><a href="/notice/2">What we collect</a></li>
    <li><a href="/notice/3">Your rights</a></li></ol></aside></main>"""
    got = part_urls(html(body, "https://example.org/notice"))
    assert got == ["https://example.org/notice", "https://example.org/notice/2", "https://example.org/notice/3"]


def test_hyphen_numbered_siblings() -> None:
    body = """<main><h1>Staff privacy notice</h1><p>Part one of our notice.</p>
    <p><a href="staff-notice-1.html">Back</a> <a href="staff-notice-3.html">Onwards</a></p></main>"""
    got = part_urls(html(body, "https://example.org/hr/staff-notice-2.html"))
    assert got == [
        "https://example.org/hr/staff-notice-1.html",
        "https://example.org/hr/staff-notice-2.html",
        "https://example.org/hr/staff-notice-3.html",
    ]


def test_query_page_numbers() -> None:
    body = """<main><h1>Privacy notice</h1><p>Text.</p>
    <a href="/policy?id=7&amp;page=1">1</a> <a href="/policy?id=7&amp;page=3">3</a></main>"""
    got = part_urls(html(body, "https://example.org/policy?id=7&page=2"))
    assert got == [
        "https://example.org/policy?id=7&page=1",
        "https://example.org/policy?id=7&page=2",
        "https://example.org/policy?id=7&page=3",
    ]


def test_numbered_ids_of_separate_notices_are_not_parts() -> None:
    body = """<main><h1>Electoral services privacy notice</h1><p>We keep the register.</p>
    <ul><li><a href="/privacy-notice/8">Planning</a></li><li><a href="/privacy-notice/16">Benefits</a></li>
    <li><a href="/privacy-notice/19">Housing</a></li></ul></main>"""
    assert part_urls(html(body, "https://example.org/privacy-notice/10")) == []


def test_consecutive_ids_titled_as_notices_are_not_parts() -> None:
    body = """<main><h1>Council tax privacy notice</h1><p>We bill council tax.</p>
    <ul><li><a href="/privacy-notice/9">Housing privacy notice</a></li>
    <li><a href="/privacy-notice/11">Planning privacy notice</a></li></ul></main>"""
    assert part_urls(html(body, "https://example.org/privacy-notice/10")) == []


def test_rel_chain_from_head_links() -> None:
    head = '<link rel="prev" href="who-we-are"><link rel="next" href="your-rights">'
    body = "<main><h1>Privacy notice: sharing</h1><p>We share with schools.</p></main>"
    got = part_urls(html(body, "https://example.org/privacy/notice/sharing", head=head))
    assert got == [
        "https://example.org/privacy/notice/who-we-are",
        "https://example.org/privacy/notice/sharing",
        "https://example.org/privacy/notice/your-rights",
    ]


def test_blog_posts_rel_prev_next_at_the_site_root_are_not_parts() -> None:
    head = '<link rel="prev" href="/summer-fair/"><link rel="next" href="/new-bins/">'
    body = "<main><h1>Our privacy notice has changed</h1><p>We updated it.</p></main>"
    assert part_urls(html(body, "https://example.org/privacy-update/", head=head)) == []


def test_rel_next_to_another_site_is_ignored() -> None:
    body = '<main><h1>Privacy notice</h1><a rel="next" href="https://other.example.net/privacy/2">Next</a></main>'
    assert part_urls(html(body, "https://example.org/privacy/1")) == []


def test_part_labels_with_words_and_part_of_indicator() -> None:
    body = """<main><h1>School privacy notice</h1><p>Part two of three</p>
    <ul><li><a href="/school/about">Part one: about us</a></li>
    <li><a href="/school/rights">Part three - your rights</a></li></ul></main>"""
    got = part_urls(html(body, "https://example.org/school/sharing"))
    assert got == [
        "https://example.org/school/about",
        "https://example.org/school/sharing",
        "https://example.org/school/rights",
    ]


def test_a_reference_to_legislation_parts_is_not_a_part() -> None:
    body = """<main><h1>Social care privacy notice</h1>
    <p>We rely on <a href="https://www.legislation.gov.uk/ukpga/2018/12/schedule/1/part/2">Part 2 of
    Schedule 1</a> to the Data Protection Act 2018, and on <a href="/privacy/corporate#rights">part 3 of our
    corporate privacy notice</a>.</p></main>"""
    assert part_urls(html(body, "https://example.org/privacy/social-care")) == []


def test_contents_list_without_part_labels_gives_list_order() -> None:
    body = """<main><h1>Privacy notice</h1>
    <nav aria-label="Pages in this guide"><ol>
      <li><a href="/guide/who-we-are">Who we are</a></li>
      <li><a href="/guide/what-we-collect" aria-current="page">What we collect</a></li>
      <li><a href="/guide/sharing">Sharing</a></li>
      <li><a href="/guide/your-rights">Your rights</a></li>
    </ol></nav><p>We collect your name.</p></main>"""
    got = part_urls(html(body, "https://example.org/guide/what-we-collect"))
    assert got == [
        "https://example.org/guide/who-we-are",
        "https://example.org/guide/what-we-collect",
        "https://example.org/guide/sharing",
        "https://example.org/guide/your-rights",
    ]


def test_a_lone_part_indicator_without_links_gives_nothing() -> None:
    body = "<main><h1>Privacy notice</h1><p>Part 2 of 3</p><p>We share with schools.</p></main>"
    assert part_urls(html(body, "https://example.org/privacy/x")) == []


def test_non_html_pages_have_no_parts_or_parents() -> None:
    page = Page(source="u", url="https://example.org/notice/2", content=b"Part 2 of 3", media_type="text/plain")
    assert part_urls(page) == []
    assert parent_links(page) == []


def test_merging_answers_from_each_part_is_stable() -> None:
    """Each part sees its neighbours; the crawler's merge of all answers is the full, ordered notice."""
    base = "https://example.org/privacy/notice/"
    pages = {}
    for n in (1, 2, 3):
        prev = f'<a rel="prev" href="{n - 1}">Previous</a>' if n > 1 else ""
        nxt = f'<a rel="next" href="{n + 1}">Next</a>' if n < 3 else ""
        pages[n] = html(f"<main><h1>Privacy notice</h1><p>Part {n} of 3</p>{prev}{nxt}</main>", f"{base}{n}")
    assert part_urls(pages[1]) == [f"{base}1", f"{base}2"]
    assert part_urls(pages[2]) == [f"{base}1", f"{base}2", f"{base}3"]
    assert part_urls(pages[3]) == [f"{base}2", f"{base}3"]


# --- helpers ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "n"),
    [
        ("Part 2: Who we share information with", 2),
        ("Part 3", 3),
        ("part 1 of this notice", 1),
        ("Part 2 of 5", 2),
        ("Part two", 2),
        ("Part IV – rights", 4),
        ("Page 3", 3),
        ("Part 2 of Schedule 1", None),
        ("part 3 of our corporate privacy notice", None),
        ("Partners", None),
        ("Council tax privacy notice", None),
    ],
)
def test_part_label(text: str, n: int | None) -> None:
    assert part_label(text) == n


def test_numbered_and_siblings() -> None:
    assert numbered("https://e.org/notice/2") == ("https://e.org/notice", 2)
    assert numbered("https://e.org/notice/2.html") == ("https://e.org/notice", 2)
    assert numbered("https://e.org/notice-3") == ("https://e.org/notice", 3)
    assert numbered("https://e.org/p?id=4&page=2") == ("https://e.org/p?id=4", 2)
    assert numbered("https://e.org/report-2024") is None
    assert numbered("https://e.org/7") is None
    assert siblings("https://e.org/a/b/1.html", "https://e.org/a/b/index.html")
    assert siblings("https://e.org/notice", "https://e.org/notice/2")
    assert not siblings("https://e.org/post-a/", "https://e.org/post-b/")


# --- layered fixtures ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "paragraph",
    [
        'For your rights, see our <a href="/privacy/main">main privacy notice</a>.',
        'Read the <a href="/privacy/council">council\'s privacy notice</a> for how to complain.',
        'This notice adds to our <a href="/privacy-notice">general notice</a>, which covers every service.',
        'More detail is in our <a href="/privacy/full-privacy-notice">full privacy notice</a>.',
        'See also our <a href="/corporate-privacy-notice">corporate notice</a>.',
    ],
)
def test_parent_cues(paragraph: str) -> None:
    body = f"<main><h1>Parking privacy notice</h1><p>We issue permits.</p><p>{paragraph}</p></main>"
    got = parent_links(html(body, "https://example.org/privacy/parking"))
    assert len(got) == 1


def test_links_to_sibling_notices_are_not_parents() -> None:
    assert parent_links(html(OTHER_NOTICES, "https://example.org/privacy/housing")) == []


def test_a_parent_cue_on_a_link_that_is_not_a_notice_is_ignored() -> None:
    body = """<main><h1>Parking privacy notice</h1>
    <p>Our main privacy notice explains your rights; <a href="/contact">contact us</a> for a copy.</p></main>"""
    assert parent_links(html(body, "https://example.org/privacy/parking")) == []


def test_parent_links_in_menus_and_footers_are_ignored() -> None:
    body = """<header><a href="/corporate-privacy-notice">Corporate privacy notice</a></header>
    <main><h1>Parking privacy notice</h1><p>We issue permits.</p></main>
    <footer><a href="/privacy/main">Our main privacy notice</a></footer>"""
    assert parent_links(html(body, "https://example.org/privacy/parking")) == []


def test_parent_links_are_deduplicated_in_document_order() -> None:
    body = """<main><h1>Parking privacy notice</h1>
    <p>See our <a href="/privacy/corporate#rights">corporate privacy notice</a> for your rights.</p>
    <p>Our <a href="/privacy/corporate">corporate privacy notice</a> names the DPO, and the
    <a href="/privacy/schools">schools privacy notice</a> covers pupils.</p></main>"""
    got = parent_links(html(body, "https://example.org/privacy/parking"))
    assert [x.url for x in got] == ["https://example.org/privacy/corporate"]


def test_rel_next_to_a_sibling_named_as_another_notice_is_not_a_part() -> None:
    body = """<main><h1>Housing privacy notice</h1><p>We manage tenancies.</p>
    <p><a rel="next" href="parking">Parking privacy notice</a></p></main>"""
    assert part_urls(html(body, "https://example.org/privacy/housing")) == []


def test_a_contents_list_linking_to_this_page_gives_its_number() -> None:
    body = """<main><h1>Privacy notice</h1><h2>Contents</h2><ol>
      <li><a href="/pn/about">Part 1: About us</a></li>
      <li><a href="/pn/sharing">Part 2: Sharing</a></li>
      <li><a href="/pn/rights">Part 3: Your rights</a></li></ol><p>We share with schools.</p></main>"""
    got = part_urls(html(body, "https://example.org/pn/sharing"))
    assert got == ["https://example.org/pn/about", "https://example.org/pn/sharing", "https://example.org/pn/rights"]


def test_two_links_claiming_one_part_number_keep_the_first() -> None:
    body = """<main><h1>Privacy notice</h1><p>Part 1 of 3</p>
      <a href="/pn/two">Part 2: Sharing</a> <a href="/pn/other">Part 2: Something else</a>
      <a href="/pn/three">Part 3: Rights</a></main>"""
    got = part_urls(html(body, "https://example.org/pn/one"))
    assert got == ["https://example.org/pn/one", "https://example.org/pn/two", "https://example.org/pn/three"]


def test_pages_without_a_main_element_use_the_body() -> None:
    body = """<div class="content"><h1>Privacy notice</h1><p>Part 1 of 2</p>
    <a href="/privacy/notice/2">Part 2: Your rights</a></div>"""
    got = part_urls(html(body, "https://example.org/privacy/notice"))
    assert got == ["https://example.org/privacy/notice", "https://example.org/privacy/notice/2"]
