"""One parse per page (sources/htmlpage.py): the text rules discovery was tuned on, and a crawl that
parses each page once and works out each page's parts once."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable, Iterator

import pytest

from notice_audit.crawl import CrawlOptions, content_links, crawl_async
from notice_audit.demo import SITE
from notice_audit.demo.server import serve_site
from notice_audit.fetch.config import FetchConfig
from notice_audit.model import Page
from notice_audit.parse.htmltree import Tree
from notice_audit.sources import htmlpage, parts
from notice_audit.sources.discover import links, looks_like_notice, notice_links
from notice_audit.sources.htmlpage import HtmlPage, read_html
from notice_audit.sources.parts import parent_links, part_urls

URL = "https://www.example.org/privacy/garden-waste"


def page(body: str, *, url: str = URL, head: str = "", title: str = "Garden waste") -> Page:
    doc = f"<!doctype html><html><head><title>{title}</title>{head}</head><body>{body}</body></html>"
    return Page(source=url, url=url, content=doc.encode(), media_type="text/html")


def parsed(p: Page) -> HtmlPage:
    html = read_html(p)
    assert html is not None
    return html


# --- reading a page ---------------------------------------------------------------------------------


def test_read_html_parses_html_only_and_passes_a_parsed_page_through() -> None:
    html = parsed(page("<p>x</p>"))
    assert read_html(html) is html
    assert read_html(Page(URL, URL, b"%PDF-1.7", "application/pdf")) is None
    assert read_html(Page(URL, URL, b"   ", "text/html")) is None  # empty: unreadable, not a crash


def test_every_reader_takes_the_parsed_page() -> None:
    p = page("<main><h1>Garden waste privacy notice</h1><p>Read our <a href='/privacy'>corporate privacy "
             "notice</a>.</p><p><a href='/privacy/garden-waste-2'>Next page</a></p></main>")
    html = parsed(p)
    assert links(html) == links(p) and notice_links(html) == notice_links(p)
    assert looks_like_notice(html) == looks_like_notice(p)
    assert part_urls(html) == part_urls(p) == [URL, URL + "-2"]
    assert parent_links(html) == parent_links(p) and [link.text for link in parent_links(p)] == [
        "corporate privacy notice"
    ]
    assert content_links(html) == content_links(p)


def test_part_urls_is_worked_out_once_per_parsed_page(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = parts._part_urls

    def counting(html: HtmlPage) -> list[str]:
        calls.append(html.page.url)
        return real(html)

    monkeypatch.setattr(parts, "_part_urls", counting)
    html = parsed(page("<main><p>Part 1 of 2</p><a href='/privacy/garden-waste-2'>Part 2</a></main>"))
    first = part_urls(html)
    first.append("changed by the caller")
    assert part_urls(html) == [URL, URL + "-2"]  # the caller's list is its own
    parent_links(html)  # needs the parts too
    assert calls == [URL]


# --- text as discovery reads it ---------------------------------------------------------------------


def test_link_text_leaves_out_scripts_styles_templates_and_ruby_annotations() -> None:
    p = page("<main><a href='/privacy'>Privacy <script>var x = 1</script><style>a {}</style>"
             "<template>hidden</template><ruby>notice<rp>(</rp><rt>no-tis</rt><rp>)</rp></ruby></a></main>")
    assert [link.text for link in links(p)] == ["Privacy notice"]


def test_a_link_inside_a_template_has_no_text_of_its_own() -> None:
    p = page("<main><template><a href='/privacy' title='Our privacy notice'>privacy</a></template></main>")
    assert [link.text for link in links(p)] == ["Our privacy notice"]  # its title stands in


def test_a_container_reads_its_own_text() -> None:
    html = parsed(page("<template>one <b>two</b><script>three</script></template>"))
    template = html.find(html.doc, "template")
    assert html.text(template, " ", strip=True) == "one two"


def test_whitespace_only_strings_count_as_one_space_or_newline_outside_pre() -> None:
    html = parsed(page("<div><p>a</p>   \n\t  <p>b</p>    <p>c</p></div><pre><b>x</b>   \n  <b>y</b></pre>"))
    div = html.find(html.doc, "div")
    pre = html.find(html.doc, "pre")
    assert html.text(div) == "a\nb c"
    assert html.text(pre) == "x   \n  y"


def test_sentence_windows_count_whitespace_as_it_was_tuned() -> None:
    """The cue sits 400 characters of indentation away from the link: one space each once collapsed,
    so it is inside the 300-character window, as it always was."""
    gap = "<span>x</span>" + "<span></span>          " * 40
    p = page(f"<main><h1>Garden waste privacy notice</h1><p>This notice adds to the information {gap} on our "
             "<a href='/privacy/corporate'>privacy pages</a>.</p></main>")
    assert [link.url for link in parent_links(p)] == ["https://www.example.org/privacy/corporate"]


def test_a_heading_before_a_contents_list_labels_it_across_a_comment() -> None:
    body = ("<main><h1>Garden waste privacy notice</h1><h2>Contents</h2><!-- the parts --><ul>"
            "<li><a href='/privacy/garden-waste/who-we-share-with'>Who we share with</a></li>"
            "<li>How we use it (this page)</li>"
            "<li><a href='/privacy/garden-waste/your-rights'>Your rights</a></li></ul></main>")
    url = "https://www.example.org/privacy/garden-waste/how-we-use-it"
    assert part_urls(page(body, url=url)) == [
        "https://www.example.org/privacy/garden-waste/who-we-share-with",
        url,
        "https://www.example.org/privacy/garden-waste/your-rights",
    ]


def test_links_after_the_end_of_the_html_are_read() -> None:
    doc = ("<html><head><title>Council</title></head><body><p>Home</p></body></html>"
           "<p><a href='/privacy-notice'>Privacy notice</a></p>")
    p = Page(URL, URL, doc.encode(), "text/html")
    assert [link.url for link in notice_links(p)] == ["https://www.example.org/privacy-notice"]


def test_a_page_nested_past_libxml2s_limit_is_read_to_the_end() -> None:
    deep = "<div>" * 3000 + "<a href='/privacy-notice'>Privacy\n   notice</a>" + "</div>" * 3000
    p = page(deep, url="https://www.example.org/")
    assert isinstance(parsed(p).tree, Tree)
    assert [(link.url, link.text) for link in links(p)] == [("https://www.example.org/privacy-notice",
                                                              "Privacy notice")]


def test_entities_in_links_are_read_as_characters() -> None:
    p = page("<main><a href='/privacy?a=1&amp;b=2'>Privacy &amp; cookies&nbsp;notice</a></main>")
    assert [(link.url, link.text) for link in links(p)] == [
        ("https://www.example.org/privacy?a=1&b=2", "Privacy & cookies notice")
    ]


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ("<base href='/council/'>", "https://www.example.org/council/privacy"),
        ("<base href='  '><base href='/council/'>", "https://www.example.org/privacy/privacy"),  # the first decides
        ("<base target='_blank'><base href='https://other.example/a/'>", "https://other.example/a/privacy"),
        ("<base href='http://[broken'>", "https://www.example.org/privacy/privacy"),
    ],
)
def test_the_first_base_with_an_href_resolves_links(head: str, expected: str) -> None:
    p = page("<main><a href='privacy'>Privacy</a></main>", head=head)
    assert [link.url for link in links(p)] == [expected]


# --- a crawl parses each page once ------------------------------------------------------------------


@pytest.fixture
def site() -> Iterator[str]:
    with serve_site(SITE) as base:
        yield base


def _counting(monkeypatch: pytest.MonkeyPatch, module: object, name: str,
              key: Callable[..., str]) -> Counter[str]:
    seen: Counter[str] = Counter()
    real = getattr(module, name)

    def counting(*args: object) -> object:
        seen[key(*args)] += 1
        return real(*args)

    monkeypatch.setattr(module, name, counting)
    return seen


def test_a_crawl_parses_each_page_once_and_works_out_its_parts_once(
    site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed_texts = _counting(monkeypatch, htmlpage, "parse_html", lambda text: text)
    parts_of = _counting(monkeypatch, parts, "_part_urls", lambda html: html.page.url)
    cfg = FetchConfig(allowed_hosts=frozenset({"127.0.0.1"}))
    result = asyncio.run(crawl_async([site], cfg, CrawlOptions(max_pages=50)))
    assert len(result.notices) >= 4 and any(len(g.parts) == 3 for g in result.notices)  # parts were assembled
    assert parsed_texts and set(parsed_texts.values()) == {1}
    assert len(parsed_texts) == result.pages_fetched  # every page of the demo site is HTML
    assert parts_of and set(parts_of.values()) == {1}
