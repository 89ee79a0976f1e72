"""Discovery: links, notice cues, "is this page a notice?" and sitemaps (no network)."""

from __future__ import annotations

import gzip
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from notice_audit.model import Page
from notice_audit.sources import discover
from notice_audit.sources.discover import (
    Link,
    SitemapError,
    links,
    looks_like_notice,
    notice_links,
    notice_score,
    same_site,
    sitemap_urls,
)

SITE = Path(__file__).resolve().parents[1] / "notice_audit" / "demo" / "site"
ROOT = "http://127.0.0.1:8000/"


def demo(rel: str) -> Page:
    """A demo-site file as if fetched from the demo server."""
    url = ROOT + rel
    return Page(source=url, url=url, content=(SITE / rel).read_bytes(), media_type="text/html")


def html(body: str, *, url: str = "https://www.example.org/privacy/housing", title: str = "Example",
         head: str = "") -> Page:
    doc = f"<!doctype html><html><head><title>{title}</title>{head}</head><body>{body}</body></html>"
    return Page(source=url, url=url, content=doc.encode(), media_type="text/html")


def short(url: str) -> str:
    return url.removeprefix(ROOT)


# --- links ---------------------------------------------------------------------------------------


def test_links_resolves_against_base_and_drops_fragments_and_other_schemes() -> None:
    page = html(
        '<base href="https://www.example.org/council/">'
        '<a href="privacy/notice.html#rights">Our privacy notice</a>'
        '<a href="privacy/notice.html">Privacy notice again</a>'
        '<a href="mailto:dpo@example.org">Email the DPO</a>'
        '<a href="tel:+441632960000">Call us</a>'
        '<a href="javascript:void(0)">Menu</a>'
        '<a href="ftp://example.org/file">FTP</a>'
        '<a href="//cdn.example.net/x">CDN</a>'
        '<a href="#top">Back to top</a>'
    )
    got = links(page)
    assert [link.url for link in got] == [
        "https://www.example.org/council/privacy/notice.html",
        "https://cdn.example.net/x",
        "https://www.example.org/council/",
    ]
    assert got[0].text == "Our privacy notice"  # first text kept


def test_links_without_base_resolve_against_page_url() -> None:
    page = html('<a href="../contact.html">Contact</a>', url="http://127.0.0.1:8000/privacy/index.html")
    assert [link.url for link in links(page)] == ["http://127.0.0.1:8000/contact.html"]


def test_links_keep_rel_from_a_and_link_and_merge_duplicates() -> None:
    page = html(
        '<ol><li><a href="2.html">Part 2: Sharing</a></li></ol>'
        '<p><img src="logo.png"><a href="3.html"><img src="x.png" alt="Part 3"></a></p>'
        '<a href="2.html" rel="next">Next</a>',
        url="https://example.org/notice/1.html",
        head='<link rel="prev" href="/notice/index.html"><link rel="stylesheet" href="/site.css">',
    )
    got = {short(link.url): link for link in links(page)}
    assert set(got) == {"https://example.org/notice/index.html", "https://example.org/notice/2.html",
                        "https://example.org/notice/3.html"}
    assert got["https://example.org/notice/index.html"].rel == ("prev",)
    assert got["https://example.org/notice/2.html"].rel == ("next",)
    assert got["https://example.org/notice/2.html"].text == "Part 2: Sharing"
    assert got["https://example.org/notice/3.html"].text == "Part 3"  # image alt text


def test_links_of_non_html_page_are_empty() -> None:
    page = Page(source="x", url="https://example.org/n.txt", content=b"privacy notice", media_type="text/plain")
    assert links(page) == []


def test_link_text_is_whitespace_normalised() -> None:
    page = html('<a href="/p">  How   we use\n your\tinformation </a>')
    assert links(page)[0].text == "How we use your information"


# --- notice_score ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "text"),
    [
        ("https://example.org/a/b", "Privacy notice"),
        ("https://example.org/a/b", "Privacy policy"),
        ("https://example.org/a/b", "How we use your information"),
        ("https://example.org/a/b", "How we use your personal data"),
        ("https://example.org/a/b", "Data protection"),
        ("https://example.org/a/b", "Fair processing notice"),
        ("https://example.org/a/b", "Your data"),
        ("https://example.org/a/b", "Personal information charter"),
        ("https://example.org/a/b", "Privacy and cookies"),
        ("https://example.org/fair-processing", ""),
        ("https://example.org/gdpr", ""),
        ("https://example.org/Data_Protection/", ""),
        ("https://example.org/fullprivacynotice", ""),
        ("https://example.org/research/privacy-notice", ""),
        ("https://example.org/notice.pdf", "Privacy notice (PDF, 120 KB)"),
    ],
)
def test_positive_cues(url: str, text: str) -> None:
    assert notice_score(url, text) > 0


@pytest.mark.parametrize(
    ("url", "text"),
    [
        ("https://example.org/cookies", "Cookie policy"),
        ("https://example.org/account/privacy-settings", "Privacy settings"),
        ("https://example.org/accessibility", "Accessibility statement"),
        ("https://example.org/login", "Staff login"),
        ("https://example.org/search", "Search"),
        ("https://example.org/news.rss", "RSS feed"),
        ("mailto:dpo@example.org", "Privacy notice"),
        ("tel:+441632960000", "Data protection officer"),
        ("https://example.org/privacy/map.png", "Privacy notice"),
        ("https://example.org/privacy/notices.zip", "Privacy notices"),
        ("https://example.org/privacy/retention.xlsx", "Privacy data"),
        ("https://example.org/contact", "Contact us"),
    ],
)
def test_negative_cues(url: str, text: str) -> None:
    assert notice_score(url, text) == 0


def test_a_cue_in_the_page_name_outweighs_one_in_its_folder() -> None:
    named = notice_score("https://example.org/council/privacy-notice", "")
    in_folder = notice_score("https://example.org/privacy/retention-schedule", "")
    assert named > in_folder > 0


def test_specific_text_outweighs_the_bare_word() -> None:
    url = "https://example.org/page"
    assert notice_score(url, "Privacy notice") > notice_score(url, "Privacy") > notice_score(url, "Your data")


def test_search_negative_does_not_fire_inside_words() -> None:
    assert notice_score("https://example.org/research-privacy-notice", "") > 0


def test_a_cookie_folder_does_not_sink_a_notice_in_it() -> None:
    url = "https://example.org/cookies-and-privacy-notices/council-tax-privacy-notice"
    assert notice_score(url, "") > 0


# --- notice_links ----------------------------------------------------------------------------------


def test_home_page_leads_to_the_privacy_index_only() -> None:
    got = notice_links(demo("index.html"))
    assert [short(link.url) for link in got] == ["privacy/index.html"]
    assert isinstance(got[0], Link) and got[0].text == "Privacy notices"


def test_privacy_index_leads_to_every_notice_not_to_accessibility_or_contact() -> None:
    got = [short(link.url) for link in notice_links(demo("privacy/index.html"))]
    for notice in ("privacy/corporate-privacy-notice.html", "privacy/council-tax.html",
                   "privacy/garden-waste.html", "privacy/childrens-services/index.html"):
        assert notice in got
    assert "accessibility.html" not in got
    assert "contact.html" not in got
    assert "admin/index.html" not in got
    assert "privacy/index.html" not in got  # the page itself
    assert got[0] == "privacy/corporate-privacy-notice.html"  # best first


def test_service_pages_lead_to_their_notices() -> None:
    assert "privacy/garden-waste.html" in [short(x.url) for x in notice_links(demo("bins/index.html"))]
    assert "privacy/council-tax.html" in [short(x.url) for x in notice_links(demo("council-tax/index.html"))]
    children = [short(x.url) for x in notice_links(demo("children/index.html"))]
    assert "privacy/childrens-services/index.html" in children


def test_notice_links_are_best_first_and_deterministic() -> None:
    page = demo("privacy/index.html")
    first = notice_links(page)
    assert [x.score for x in first] == sorted((x.score for x in first), reverse=True)
    assert first == notice_links(page)


def test_same_site_keeps_www_and_subdomains_but_not_other_sites() -> None:
    page = html(
        '<a href="https://example.org/privacy-notice">Privacy notice</a>'
        '<a href="http://www.example.org/privacy-policy">Privacy policy</a>'
        '<a href="https://schools.example.org/privacy">School privacy notice</a>'
        '<a href="https://other.example.net/privacy-notice">Partner privacy notice</a>'
        '<a href="https://org/privacy">Public suffix privacy notice</a>',
        url="https://www.example.org/",
    )
    assert [x.url for x in notice_links(page)] == [
        "https://example.org/privacy-notice",
        "http://www.example.org/privacy-policy",
        "https://schools.example.org/privacy",
    ]
    everything = [x.url for x in notice_links(page, same_site=False)]
    assert "https://other.example.net/privacy-notice" in everything


def test_same_site_rules() -> None:
    assert same_site("https://example.org/a", "https://www.example.org/b")
    assert same_site("http://www.example.org/a", "https://example.org/b")
    assert same_site("https://a.example.org/x", "https://example.org/")
    assert not same_site("https://example.org/x", "https://a.example.org/")  # never up to a parent
    assert not same_site("https://badexample.org/", "https://example.org/")
    assert not same_site("http://127.0.0.1:9000/", "http://127.0.0.1:8000/")
    assert same_site("http://127.0.0.1:8000/a", "http://127.0.0.1:8000/b")


# --- looks_like_notice -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "rel",
    [
        "privacy/corporate-privacy-notice.html",
        "privacy/council-tax.html",
        "privacy/garden-waste.html",
        "privacy/childrens-services/index.html",
        "privacy/childrens-services/2.html",
        "privacy/childrens-services/3.html",
    ],
)
def test_demo_notices_are_notices(rel: str) -> None:
    assert looks_like_notice(demo(rel))


@pytest.mark.parametrize(
    "rel",
    [
        "index.html",
        "privacy/index.html",
        "privacy/what-a-privacy-notice-is.html",
        "privacy/retention-schedule.html",
        "accessibility.html",
        "contact.html",
        "bins/index.html",
        "admin/index.html",
    ],
)
def test_demo_other_pages_are_not_notices(rel: str) -> None:
    assert not looks_like_notice(demo(rel))


NOTICE_BODY = """
<main><h1>Housing privacy notice</h1>
<p>This notice explains how Exampleton Council uses information about tenants and applicants.
It sits alongside our notices for <a href="/privacy/council-tax">Council tax privacy notice</a>,
<a href="/privacy/parking">Parking privacy notice</a> and <a href="/privacy/libraries">Libraries
privacy notice</a>, which cover those services.</p>
<h2>Who we share your information with</h2><p>We share information with housing associations,
the police and other councils where the law allows it, and with contractors who repair homes.</p>
<h2>How long we keep your information</h2><p>We keep tenancy records for six years after a tenancy ends.</p>
<h2>Your rights</h2><p>You can ask for a copy of your information, ask us to correct it and complain
to the Information Commissioner's Office.</p></main>
"""


def test_a_notice_linking_to_three_others_is_still_a_notice() -> None:
    assert looks_like_notice(html(NOTICE_BODY, title="Housing privacy notice | Exampleton Council"))


def test_a_long_list_of_notices_with_an_introduction_is_an_index() -> None:
    items = "".join(
        f'<li><a href="/privacy/{s}">{s.title()} privacy notice</a></li>'
        for s in ("housing", "parking", "libraries", "planning", "elections", "licensing", "waste", "schools")
    )
    intro = "<p>" + "We publish a notice for each service so that you can see how we use information. " * 8 + "</p>"
    page = html(f"<main><h1>Privacy notices</h1>{intro}<ul>{items}</ul></main>", title="Privacy notices",
                url="https://example.org/privacy")
    assert not looks_like_notice(page)


def test_title_must_claim_a_notice() -> None:
    body = "<main><h1>Bins</h1><p>We empty bins on Tuesdays.</p></main>"
    assert not looks_like_notice(html(body, title="Bins", url="https://example.org/bins"))


def test_a_weak_title_needs_a_privacy_url_or_notice_headings() -> None:
    body = "<main><h1>Parking permits: your information</h1><p>We use your details to issue permits.</p></main>"
    assert looks_like_notice(html(body, url="https://example.org/privacy/parking"))
    assert not looks_like_notice(html(body, url="https://example.org/parking/permits"))
    body2 = body.replace("</main>", "<h2>Who we share it with</h2><p>Our permit contractor.</p>"
                         "<h2>How long we keep it</h2><p>Two years.</p></main>")
    assert looks_like_notice(html(body2, url="https://example.org/parking/permits"))


def test_a_generator_credit_in_the_title_is_not_a_claim() -> None:
    page = html("<main><h1>Opening times</h1><p>We open at nine.</p></main>",
                title="Cookie consent by Free Privacy Policy Generator", url="https://example.org/opening")
    assert not looks_like_notice(page)


def test_an_explainer_is_not_a_notice_even_without_a_question_title() -> None:
    body = (
        "<main><h1>Privacy notices explained</h1>"
        "<p>A privacy notice must tell you who the controller is. Organisations must tell you why they use your "
        "data. A privacy notice should also include how long information is kept.</p>"
        "<p>What should a privacy notice contain? The law requires that organisations explain your rights.</p>"
        "</main>"
    )
    assert not looks_like_notice(html(body, url="https://example.org/privacy-notice-guide"))


def test_plain_text_and_pdf_pages() -> None:
    text = Page(source="u", url="https://example.org/docs/7", media_type="text/plain",
                content=b"Council tax privacy notice\n\nWe use your information to bill council tax.\n")
    assert looks_like_notice(text)
    other = Page(source="u", url="https://example.org/docs/8", media_type="text/plain",
                 content=b"Bin collection days\n\nWe collect bins weekly.\n")
    assert not looks_like_notice(other)
    pdf = Page(source="u", url="https://example.org/files/privacy-notice.pdf", media_type="application/pdf",
               content=b"%PDF-1.7")
    assert looks_like_notice(pdf)
    assert not looks_like_notice(Page(source="u", url="https://example.org/files/minutes.pdf",
                                      media_type="application/pdf", content=b"%PDF-1.7"))


# --- sitemaps --------------------------------------------------------------------------------------

URLSET = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://example.org/</loc></url>
  <url><loc> https://example.org/privacy-notice </loc><lastmod>2026-01-01</lastmod></url>
  <url><loc>https://example.org/privacy-notice</loc></url>
  <url><loc>/relative/page</loc></url>
  <url><loc>ftp://example.org/file</loc></url>
  <url><loc>https://example.org/a?x=1&amp;y=2</loc></url>
</urlset>"""


def test_demo_sitemap_lists_the_fifteen_pages() -> None:
    pages, nested = sitemap_urls((SITE / "sitemap.xml").read_bytes(), ROOT + "sitemap.xml")
    assert nested == []
    assert len(pages) == 15
    assert pages[0] == ROOT
    assert ROOT + "privacy/childrens-services/3.html" in pages
    assert not any("admin" in u for u in pages)


def test_urlset_resolves_dedupes_and_keeps_only_http() -> None:
    pages, nested = sitemap_urls(URLSET, "https://example.org/sitemap.xml")
    assert pages == [
        "https://example.org/",
        "https://example.org/privacy-notice",
        "https://example.org/relative/page",
        "https://example.org/a?x=1&y=2",
    ]
    assert nested == []


def test_gzip_sitemap_is_read_by_its_magic_bytes() -> None:
    pages, _ = sitemap_urls(gzip.compress(URLSET), "https://example.org/sitemap")
    assert "https://example.org/privacy-notice" in pages


def test_concatenated_gzip_members_are_read() -> None:
    data = gzip.compress(URLSET[:200]) + gzip.compress(URLSET[200:])
    pages, _ = sitemap_urls(data, "https://example.org/sitemap.xml.gz")
    assert len(pages) == 4


def test_sitemap_index_gives_nested_sitemaps() -> None:
    data = b"""<?xml version="1.0"?>
    <sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>https://example.org/sitemap-pages.xml.gz</loc><lastmod>2026-01-01</lastmod></sitemap>
      <sitemap><loc>https://example.org/sitemap-news.xml</loc></sitemap>
    </sitemapindex>"""
    assert sitemap_urls(data, "https://example.org/sitemap.xml") == (
        [], ["https://example.org/sitemap-pages.xml.gz", "https://example.org/sitemap-news.xml"]
    )


def test_sitemap_without_namespace_and_text_sitemap() -> None:
    plain = b"<urlset><url><loc>https://example.org/p</loc></url></urlset>"
    assert sitemap_urls(plain, "https://example.org/")[0] == ["https://example.org/p"]
    text = b"https://example.org/one\n\nnot a url\nhttps://example.org/two\r\n"
    assert sitemap_urls(text, "https://example.org/sitemap.txt") == (
        ["https://example.org/one", "https://example.org/two"], []
    )


def test_gzip_bomb_stops_at_the_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(discover, "MAX_SITEMAP_BYTES", 1024 * 1024)
    bomb = gzip.compress(b"<urlset>" + b" " * (20 * 1024 * 1024), compresslevel=9)
    assert len(bomb) < 100_000
    with pytest.raises(SitemapError, match="larger than 1048576 bytes"):
        sitemap_urls(bomb, "https://example.org/sitemap.xml.gz")


def test_oversized_plain_sitemap_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(discover, "MAX_SITEMAP_BYTES", 100)
    with pytest.raises(SitemapError):
        sitemap_urls(URLSET, "https://example.org/sitemap.xml")


@pytest.mark.parametrize(
    "data",
    [
        b"<urlset><url><loc>https://example.org/</loc></url>",  # truncated
        b"<!doctype html><html><body>Not found</body></html>",  # a soft 404
        b"<rss><channel></channel></rss>",
        gzip.compress(URLSET)[:-20],  # truncated gzip
    ],
)
def test_broken_sitemaps_raise(data: bytes) -> None:
    with pytest.raises(SitemapError):
        sitemap_urls(data, "https://example.org/sitemap.xml")


def test_xxe_entities_are_not_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    data = f"""<?xml version="1.0"?>
<!DOCTYPE urlset [<!ENTITY xxe SYSTEM "{secret.as_uri()}"><!ENTITY inner "https://evil.example/">]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://example.org/&xxe;</loc></url>
  <url><loc>&inner;</loc></url>
  <url><loc>https://example.org/safe</loc></url>
</urlset>""".encode()
    pages, nested = sitemap_urls(data, "https://example.org/sitemap.xml")
    assert (pages, nested) == (["https://example.org/safe"], [])
    assert "TOP-SECRET" not in repr(pages)


def test_billion_laughs_is_not_expanded() -> None:
    lol = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    data = f"""<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY l0 "lol">{lol}]>
<urlset><url><loc>&l9;</loc></url><url><loc>https://example.org/ok</loc></url></urlset>""".encode()
    try:
        pages, _ = sitemap_urls(data, "https://example.org/")
    except SitemapError:
        return  # libxml2 may refuse the document outright (its amplification guard): also safe
    assert pages == ["https://example.org/ok"]


@pytest.fixture
def counting_server() -> Iterator[tuple[str, list[str]]]:
    """A server on 127.0.0.1 that records every request: the parser must never call it."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            body = b'<!ENTITY remote "https://evil.example/">'
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_sitemap_parsing_makes_no_network_requests(counting_server: tuple[str, list[str]]) -> None:
    base, hits = counting_server
    data = f"""<?xml version="1.0"?>
<!DOCTYPE urlset SYSTEM "{base}/evil.dtd" [<!ENTITY ext SYSTEM "{base}/entity">
<!ENTITY % pe SYSTEM "{base}/param.dtd"> %pe;]>
<urlset><url><loc>&ext;</loc></url><url><loc>https://example.org/ok</loc></url></urlset>""".encode()
    pages, _ = sitemap_urls(data, "https://example.org/")
    assert pages == ["https://example.org/ok"]
    assert hits == []


def test_gzip_with_padding_and_corrupt_gzip() -> None:
    padded = gzip.compress(URLSET) + b"\0" * 512
    assert len(sitemap_urls(padded, "https://example.org/s.xml.gz")[0]) == 4
    corrupt = b"\x1f\x8b\x08\x00" + b"\xff" * 64
    with pytest.raises(SitemapError):
        sitemap_urls(corrupt, "https://example.org/s.xml.gz")
