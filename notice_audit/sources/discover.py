"""Discovery: which links on a page lead to privacy notices, and is a page one itself.

Pure functions over ``Page`` objects (or an ``HtmlPage``, the page parsed once
by the caller) and sitemap bytes: no network I/O here, so the crawler decides
what to fetch and these functions only read what it fetched. The cues (link
text, URL words, titles) live in ``discover.yaml`` so they can grow without
code changes.

Public API: :class:`Link`, :func:`links`, :func:`notice_score`,
:func:`notice_links`, :func:`looks_like_notice`, :func:`sitemap_urls` (and
:class:`SitemapError`). ``anchors``, ``same_site`` and ``normalise_url``
are shared with ``parts.py``; the HTML tree itself is ``htmlpage.HtmlPage``.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import unquote, urlsplit

from lxml import etree

from notice_audit import yamldata
from notice_audit.errors import FetchError
from notice_audit.extract.base import split_sentences
from notice_audit.extract.index import explains_law
from notice_audit.model import Page
from notice_audit.parse import ParseError
from notice_audit.parse.decode import decode
from notice_audit.sources.htmlpage import Anchor, HtmlPage, normalise_url, read_html

__all__ = [
    "MAX_SITEMAP_BYTES",
    "MAX_SITEMAP_URLS",
    "Link",
    "SitemapError",
    "links",
    "looks_like_notice",
    "notice_links",
    "notice_score",
    "same_site",
    "sitemap_urls",
]

#: Largest sitemap accepted once decompressed: a gzip bomb stops here, not in memory.
MAX_SITEMAP_BYTES = 50 * 1024 * 1024
#: Most URLs read from one sitemap file (the sitemaps.org limit).
MAX_SITEMAP_URLS = 50_000

_SPACE = re.compile(r"\s+")
_URL_SEPARATORS = re.compile(r"[^a-z0-9]+")
_TITLE_SEPARATORS = re.compile(r"\s+[-|–—:•·»]\s+|\s*\|\s*|\s+::\s+")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


@dataclass(frozen=True, slots=True)
class Link:
    """One link on a page, with how strongly it looks like a privacy notice."""

    url: str  # absolute, fragment removed
    text: str  # link text, whitespace-normalised
    score: float  # how strongly it looks like a privacy notice (0 = not at all)
    rel: tuple[str, ...] = ()


class SitemapError(FetchError, ValueError):
    """A sitemap that cannot be read: malformed, not a sitemap, or too large once decompressed."""


# --- the cue lexicon -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Cues:
    """``discover.yaml`` compiled: (pattern, weight) lists and plain pattern lists."""

    text_positive: tuple[tuple[re.Pattern[str], float], ...]
    text_negative: tuple[tuple[re.Pattern[str], float], ...]
    url_positive: tuple[tuple[re.Pattern[str], float], ...]
    url_negative: tuple[tuple[re.Pattern[str], float], ...]
    skip_extensions: frozenset[str]
    notice_titles: tuple[re.Pattern[str], ...]
    notice_urls: tuple[re.Pattern[str], ...]
    weak_notice_titles: tuple[re.Pattern[str], ...]
    weak_title_support_urls: tuple[re.Pattern[str], ...]
    explainer_titles: tuple[re.Pattern[str], ...]
    topic_headings: tuple[re.Pattern[str], ...]
    min_topic_headings: int
    parent_cues: tuple[re.Pattern[str], ...]


def _text_re(pattern: str) -> re.Pattern[str]:
    # Word boundaries both ends; "^"/"$" anchored patterns keep their anchors.
    return re.compile(rf"(?<![\w'])(?:{pattern})(?![\w'])", re.I)


def _url_re(pattern: str) -> re.Pattern[str]:
    # A space in a URL cue also matches no separator ("dataprotection"); no boundaries ("fullprivacynotice").
    return re.compile("(?:" + pattern.replace(" ", " ?") + ")", re.I)


def _url_negative_re(pattern: str) -> re.Pattern[str]:
    # Negative URL cues need a word start: "search" must not fire on "research".
    return re.compile(r"(?<![a-z0-9])(?:" + pattern.replace(" ", " ?") + ")", re.I)


def _weighted(raw: dict[str, Any] | None, compile_: Any) -> tuple[tuple[re.Pattern[str], float], ...]:
    return tuple((compile_(p), float(w)) for p, w in (raw or {}).items())


@cache
def cues() -> _Cues:
    """Load and compile ``discover.yaml`` once."""
    raw: dict[str, Any] = yamldata.load(
        resources.files("notice_audit.sources").joinpath("discover.yaml").read_text("utf-8")
    )
    return _Cues(
        text_positive=_weighted(raw["text"]["positive"], _text_re),
        text_negative=_weighted(raw["text"]["negative"], _text_re),
        url_positive=_weighted(raw["url"]["positive"], _url_re),
        url_negative=_weighted(raw["url"]["negative"], _url_negative_re),
        skip_extensions=frozenset(e.lower() for e in raw["skip_extensions"]),
        notice_titles=tuple(_text_re(p) for p in raw["notice_titles"]),
        notice_urls=tuple(_url_re(p) for p in raw["notice_urls"]),
        weak_notice_titles=tuple(_text_re(p) for p in raw["weak_notice_titles"]),
        weak_title_support_urls=tuple(_url_re(p) for p in raw["weak_title_support_urls"]),
        explainer_titles=tuple(_text_re(p) for p in raw["explainer_titles"]),
        topic_headings=tuple(re.compile(p, re.I) for p in raw["topic_headings"]),
        min_topic_headings=int(raw.get("min_topic_headings", 2)),
        parent_cues=tuple(re.compile(p, re.I) for p in raw["parent_cues"]),
    )


def text_key(text: str) -> str:
    """Link or title text as the cues expect it: lower case, straight quotes, "&" as "and"."""
    text = text.replace("’", "'").replace("‘", "'").replace("&", " and ")
    return _SPACE.sub(" ", text).strip().lower()


def url_words(url: str) -> str:
    """A URL's path and query as words ("/Privacy_Policy/how-we-use?x=1" -> "privacy policy how we use x 1")."""
    parts = urlsplit(url)
    raw = unquote(parts.path + " " + parts.query.replace("+", " ")).lower()
    return _URL_SEPARATORS.sub(" ", raw).strip()


_INDEX_NAME = re.compile(r"(?:index|default|home|main)(?:\.[a-z0-9]+)?$|\d+(?:\.[a-z0-9]+)?$", re.I)


def url_leaf_words(url: str) -> str:
    """Words of the page's own name: last path segment that is not a number or index file, plus the query."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    while segments and _INDEX_NAME.fullmatch(segments[-1]):
        segments.pop()
    leaf = segments[-1] if segments else ""
    raw = unquote(leaf + " " + parts.query.replace("+", " ")).lower()
    return _URL_SEPARATORS.sub(" ", raw).strip()


def _extension(url: str) -> str:
    last = urlsplit(url).path.rsplit("/", 1)[-1]
    return last.rsplit(".", 1)[-1].lower() if "." in last else ""


def notice_score(url: str, text: str) -> float:
    """How strongly a link (its URL and text) looks like it leads to a privacy notice; 0 = not at all.

    Best positive text cue + best positive URL cue + every negative cue,
    floored at 0 (see ``discover.yaml``). Non-http(s) URLs and file types
    that are never notices (images, archives, spreadsheets ...) score 0.
    """
    c = cues()
    scheme = urlsplit(url).scheme.lower() if url else ""
    if url and scheme not in ("http", "https"):
        return 0.0
    if url and _extension(url) in c.skip_extensions:
        return 0.0
    key = text_key(text)
    words = url_words(url) if url else ""
    score = 0.0
    if key:
        score += max((w for p, w in c.text_positive if p.search(key)), default=0.0)
        score += sum(w for p, w in c.text_negative if p.search(key))
    if words:
        leaf = url_leaf_words(url)
        score += max(
            (w if p.search(leaf) else w / 2 for p, w in c.url_positive if p.search(words)), default=0.0
        )
        score += sum(w for p, w in c.url_negative if p.search(leaf))
    return max(0.0, score)


# --- HTML helpers shared with parts.py ----------------------------------------------------------


def anchors(html: HtmlPage) -> tuple[Anchor, ...]:
    """Every http(s) link element in document order: (element, absolute URL, text, rel values).

    <a> and <area> with an href, and <link> whose rel says it navigates
    between pages of one document (next, prev, contents ...). Worked out once per page.
    """
    return html.anchors


def site_key(url: str) -> tuple[str, int | None]:
    """A URL's site: its host without a leading "www." and its port (default ports dropped)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    host = host.removeprefix("www.")
    try:
        port = parts.port
    except ValueError:
        port = None
    if port == {"http": 80, "https": 443}.get(parts.scheme.lower()):
        port = None
    return host, port


def same_site(url: str, page_url: str) -> bool:
    """Whether ``url`` belongs to the site of ``page_url``.

    Same host (www. or not, http or https), or a host below it
    (privacy.example.org on a page of example.org): never a host above it,
    so the rule cannot climb to a public suffix such as gov.uk.
    """
    host, port = site_key(url)
    page_host, page_port = site_key(page_url)
    if not host or port != page_port:
        return False
    return host == page_host or host.endswith("." + page_host)


_same_site = same_site  # notice_links() has a keyword argument of the same name


def _same_page(url: str, page: Page) -> bool:
    own = {normalise_url(page.url, page.url), normalise_url(page.source, page.source)}
    return url in own


# --- links -------------------------------------------------------------------------------------


def links(page: Page | HtmlPage) -> list[Link]:
    """Every http(s) link in an HTML page, de-duplicated by URL (first text kept, rel values merged).

    A later occurrence only fills in an empty text (an image link followed by
    a text link to the same place), and its rel values are added, so a part
    linked first from a contents list and later with rel="next" keeps "next".
    """
    html = read_html(page)
    if html is None:
        return []
    found: dict[str, tuple[str, tuple[str, ...]]] = {}
    for _el, url, text, rel in anchors(html):
        if url in found:
            old_text, old_rel = found[url]
            found[url] = (old_text or text, tuple(dict.fromkeys(old_rel + rel)))
        else:
            found[url] = (text, rel)
    return [Link(url, text, notice_score(url, text), rel) for url, (text, rel) in found.items()]


def notice_links(page: Page | HtmlPage, *, same_site: bool = True) -> list[Link]:
    """Links that look like they lead to a privacy notice (score > 0), best first.

    Links back to the page itself (its own "On this page" fragments) are
    left out; with ``same_site`` only links on the page's own site are kept.
    Ties keep document order, so results are deterministic.
    """
    raw = page.page if isinstance(page, HtmlPage) else page
    out = [
        link
        for link in links(page)
        if link.score > 0
        and not _same_page(link.url, raw)
        and (not same_site or _same_site(link.url, raw.url))
    ]
    return sorted(out, key=lambda link: -link.score)


# --- is this page a notice? ---------------------------------------------------------------------


def _title_candidates(html: HtmlPage) -> list[str]:
    out: list[str] = []
    title = html.find(html.doc, "title")
    if title is not None:
        text = text_key(html.text(title, " "))
        out.extend(seg.strip() for seg in _TITLE_SEPARATORS.split(text) if seg.strip())
    h1 = html.find(html.main, "h1")
    if h1 is None:
        h1 = html.find(html.doc, "h1")
    if h1 is not None:
        out.append(text_key(html.text(h1, " ")))
    return out


def _claim(candidates: list[str], url: str) -> str | None:
    """How the title, h1 or URL claims to be a notice: "strong", "weak" (needs support) or None.

    A title that would score 0 as link text ("Cookie consent by Free Privacy
    Policy Generator") makes no claim.
    """
    c = cues()
    candidates = [t for t in candidates if notice_score("", t) > 0]
    if any(p.search(t) for t in candidates for p in c.notice_titles):
        return "strong"
    words = url_words(url) if url.lower().startswith(("http://", "https://")) else ""
    if words and any(p.search(words) for p in c.notice_urls):
        return "strong"
    if any(p.search(t) for t in candidates for p in c.weak_notice_titles):
        return "weak"
    return None


def _url_supports(url: str) -> bool:
    """Whether the URL has any privacy cue ("/privacy/garden-waste"): support for a weak title."""
    words = url_words(url) if url.lower().startswith(("http://", "https://")) else ""
    return bool(words) and any(p.search(words) for p in cues().weak_title_support_urls)


def _is_explainer_title(candidates: list[str]) -> bool:
    return any(p.search(t) for t in candidates for p in cues().explainer_titles)


def _topic_headings(headings: list[str]) -> int:
    pats = cues().topic_headings
    return sum(1 for h in headings if any(p.search(h) for p in pats))


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _explains_law_share(paragraphs: list[str]) -> float:
    """Share of the prose (by words) in sentences that explain the law rather than disclose."""
    total = generic = 0
    for text in paragraphs:
        for start, end in split_sentences(text):
            sentence = text[start:end]
            n = _words(sentence)
            total += n
            if explains_law(sentence):
                generic += n
    return generic / total if total else 0.0


@dataclass(frozen=True, slots=True)
class PageShape:
    """What looks_like_notice measures in a page's main content (exposed for tests and tuning)."""

    notice_links: int  # distinct other pages linked from the content whose link scores > 0
    prose_words: int  # words outside links and headings
    topic_headings: int  # headings only a notice has ("Who we share ...", "Your rights")
    explains_law: float  # share of prose words that explain the law in general


_SHAPE_BLOCKS = ("p", "li", "td", "th", "dd", "dt", "blockquote")
_SHAPE_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


def page_shape(html: HtmlPage) -> PageShape:
    """Measure the main content: notice links, prose, topic headings, law-explaining share."""
    main = html.main
    linked: set[str] = set()
    for a in html.elements(main, "a", "area", attr="href"):
        if html.is_furniture(a, main):
            continue
        url = normalise_url(a.get("href"), html.base)
        if url and not _same_page(url, html.page) and notice_score(url, html.link_text(a)) > 0:
            linked.add(url)
    headings: list[str] = []
    paragraphs: list[str] = []
    prose = 0
    for el in html.elements(main, *_SHAPE_HEADINGS, *_SHAPE_BLOCKS):
        if html.is_furniture(el, main):
            continue
        if el.tag in _SHAPE_HEADINGS:
            headings.append(text_key(html.text(el, " ")))
            continue
        if html.find(el, *_SHAPE_BLOCKS) is not None:
            continue  # counted through its own blocks
        text = _SPACE.sub(" ", html.text(el, " ", strip=True))
        linked_words = sum(_words(html.text(a, " ")) for a in html.elements(el, "a"))
        prose += max(0, _words(text) - linked_words)
        if text:
            paragraphs.append(text)
    return PageShape(
        notice_links=len(linked),
        prose_words=prose,
        topic_headings=_topic_headings(headings[1:] if headings else []),
        explains_law=_explains_law_share(paragraphs),
    )


def is_index(shape: PageShape) -> bool:
    """A list of notices, not a notice: several notice links, little prose, no notice topics.

    "Little prose" scales with the list: fewer than max(150, 15 x links)
    words outside links, so a long list with a short introduction is still
    an index, while a notice that links to three others has far more prose
    (and headings such as "Your rights") than that.
    """
    return (
        shape.notice_links >= 3
        and shape.topic_headings < cues().min_topic_headings
        and shape.prose_words < max(150, 15 * shape.notice_links)
    )


def is_explainer(shape: PageShape) -> bool:
    """A page about what notices must contain, not one: much of its prose explains the law.

    A quarter of the prose words in law-explaining sentences, and fewer
    notice topic headings than a notice has, is enough: real notices
    mention the law in a sentence or two, explainers are built of it.
    """
    return shape.explains_law >= 0.25 and shape.topic_headings < cues().min_topic_headings


def looks_like_notice(page: Page | HtmlPage) -> bool:
    """Whether the page is itself a privacy notice, judged by its title, first <h1> and URL.

    The title, h1 or URL must say so: strongly ("Privacy notice", "How we use
    your information", "/fair-processing-notice"), or weakly ("Garden waste:
    your information", "Data protection") with support from a privacy cue in
    the URL or from notice topic headings. And the page must not be a list of
    notices (``is_index``) or an explainer about notices (a title such as
    "What is a privacy notice?", or prose that mostly explains the law).
    Plain-text and Markdown pages are judged by their first lines; other
    formats (PDF, DOCX) by their URL only.
    """
    html = read_html(page)
    raw = page.page if isinstance(page, HtmlPage) else page
    if html is not None:
        candidates = _title_candidates(html)
        shape = page_shape(html)
    elif raw.media_type in ("text/plain", "text/markdown"):
        candidates, shape = _text_shape(raw)
    else:
        return _claim([], raw.url) == "strong"
    claim = _claim(candidates, raw.url)
    if claim is None or _is_explainer_title(candidates):
        return False
    if claim == "weak" and not (
        _url_supports(raw.url) or shape.topic_headings >= cues().min_topic_headings
    ):
        return False
    return not (is_index(shape) or is_explainer(shape))


def _text_shape(page: Page) -> tuple[list[str], PageShape]:
    """Title candidates (the first short lines) and shape of a plain-text or Markdown page.

    Short lines without closing punctuation stand in for headings; text has
    no links, so it is never taken for an index.
    """
    try:
        text = decode(page)
    except ParseError:
        return [], PageShape(0, 0, 0, 0.0)
    lines = [ln.strip().lstrip("#").strip() for ln in text.splitlines() if ln.strip()]
    candidates = [text_key(ln) for ln in lines[:3] if len(ln) <= 120]
    heads = [text_key(ln) for ln in lines if len(ln) <= 80 and not ln.endswith((".", ",", ";", ":"))]
    prose = [ln for ln in lines if len(ln) > 80]
    return candidates, PageShape(
        0, sum(_words(p) for p in prose), _topic_headings(heads[1:]), _explains_law_share(prose)
    )


# --- sitemaps ------------------------------------------------------------------------------------


def _gunzip(data: bytes, limit: int) -> bytes:
    """Decompress gzip bytes, refusing to produce more than ``limit`` bytes (a bomb stops here).

    Output is drawn in bounded chunks, so memory never holds more than the
    cap plus one chunk. Concatenated members ("cat a.gz b.gz") are all read;
    trailing bytes that are not another member (zero padding) are ignored.
    """
    out = bytearray()
    pending = data
    try:
        while pending[:2] == b"\x1f\x8b":
            d = zlib.decompressobj(16 + zlib.MAX_WBITS)
            chunk_in = pending
            while True:
                chunk = d.decompress(chunk_in, 256 * 1024)
                out += chunk
                if len(out) > limit:
                    raise SitemapError(f"sitemap larger than {limit} bytes when decompressed")
                chunk_in = d.unconsumed_tail
                if d.eof or (not chunk and not chunk_in):
                    break
            if not d.eof:
                raise SitemapError("truncated gzip data")
            pending = d.unused_data
    except zlib.error as exc:
        raise SitemapError(f"not valid gzip data: {exc}") from exc
    return bytes(out)


def _xml_parser() -> etree.XMLParser:
    # No entities, no DTD, no network: XXE and entity expansion are both off.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def _absolute(loc: str, base: str) -> str | None:
    return normalise_url(loc, base) if loc else None


def sitemap_urls(data: bytes, base_url: str) -> tuple[list[str], list[str]]:
    """(page URLs, nested sitemap URLs) from a sitemap or sitemap index.

    XML per sitemaps.org (namespaced or not; <urlset> and <sitemapindex>),
    gzip-compressed or not (told by the 1f8b magic bytes, not by the name),
    or a plain-text sitemap of one URL per line. Relative <loc> values are
    resolved against ``base_url``; only http(s) URLs are kept, de-duplicated,
    at most ``MAX_SITEMAP_URLS`` of each. Entities are never resolved (XXE).
    Raises ``SitemapError`` for malformed XML, a document that is not a
    sitemap, or more than ``MAX_SITEMAP_BYTES`` once decompressed.
    """
    if data[:2] == b"\x1f\x8b":
        data = _gunzip(data, MAX_SITEMAP_BYTES)
    elif len(data) > MAX_SITEMAP_BYTES:
        raise SitemapError(f"sitemap larger than {MAX_SITEMAP_BYTES} bytes")
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(b"<"):
        return _text_sitemap(data, base_url), []
    try:
        root = etree.fromstring(data, _xml_parser())
    except etree.XMLSyntaxError as exc:
        raise SitemapError(f"sitemap is not well-formed XML: {exc}") from exc
    if root is None:
        raise SitemapError("sitemap is empty")
    kind = etree.QName(root).localname.lower()
    child = {"urlset": "url", "sitemapindex": "sitemap"}.get(kind)
    if child is None:
        raise SitemapError(f"not a sitemap (root element <{etree.QName(root).localname}>)")
    found: dict[str, None] = {}
    for entry in root:
        if not isinstance(entry.tag, str) or etree.QName(entry).localname.lower() != child:
            continue
        for loc in entry:
            if isinstance(loc.tag, str) and etree.QName(loc).localname.lower() == "loc":
                # A <loc> holding anything but text (an unresolved entity reference) is skipped.
                url = _absolute((loc.text or "").strip(), base_url) if len(loc) == 0 else None
                if url:
                    found.setdefault(url, None)
                break
        if len(found) >= MAX_SITEMAP_URLS:
            break
    urls = list(found)
    return (urls, []) if kind == "urlset" else ([], urls)


def _text_sitemap(data: bytes, base_url: str) -> list[str]:
    """A sitemaps.org text sitemap: one absolute URL per line, UTF-8."""
    found: dict[str, None] = {}
    for line in data.decode("utf-8", errors="replace").splitlines():
        line = line.strip()
        if line.lower().startswith(("http://", "https://")):
            url = _absolute(line, base_url)
            if url:
                found.setdefault(url, None)
            if len(found) >= MAX_SITEMAP_URLS:
                break
    return list(found)
