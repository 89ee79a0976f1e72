"""``notice-audit crawl``: discover a site's privacy notices, fetch them whole, audit them.

Discovery starts from the given URLs (and sitemaps: given ones and those named
in robots.txt), follows links that look like privacy notices, and keeps the
pages that are notices themselves. A notice split into parts is fetched whole
and audited as one; a layered notice's parent ("see our corporate privacy
notice") is fetched too, so the report can say which items the parent covers.

Every failure is recorded against its URL and the crawl goes on; a page that
robots.txt disallows is recorded as skipped, not as a failure. With a
snapshot store, an interrupted crawl with the same start URLs and options
resumes from the store instead of fetching again.

Once the notices are known, the links in each notice's main content (at most
``max_link_checks`` per notice) are checked through the same fetcher (HEAD,
robots.txt and politeness as for every request; never offline): a link that
leads to "not found", "gone", a host that does not exist or a refused private
address becomes a
``broken_link`` finding on the notice, and the fact ``links_checked`` tells the
checklist the check was made. A page the crawl already fetched is not asked for
again: its outcome is known.
"""

from __future__ import annotations

import asyncio
import dataclasses
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from notice_audit.crawled import BrokenLink as BrokenLink  # re-exported: where they were always imported from
from notice_audit.crawled import CrawlOptions as CrawlOptions
from notice_audit.crawled import CrawlResult as CrawlResult
from notice_audit.crawled import NoticeGroup as NoticeGroup
from notice_audit.crawled import Progress as Progress
from notice_audit.crawled import broken_link_findings as broken_link_findings
from notice_audit.fetch.client import Fetcher
from notice_audit.fetch.config import FetchConfig
from notice_audit.fetch.local import Disallowed, FetchError
from notice_audit.fetch.store import SnapshotStore, crawl_key
from notice_audit.model import Page, SkippedTarget, TargetError
from notice_audit.sources.discover import (
    Link,
    SitemapError,
    looks_like_notice,
    notice_links,
    notice_score,
    sitemap_urls,
)
from notice_audit.sources.htmlpage import HtmlPage, normalise_url, read_html
from notice_audit.sources.parts import parent_links, part_urls
from notice_audit.sources.web import NoticeFetcher

SITEMAP_TYPES = ("application/xml", "text/xml", "application/gzip", "application/x-gzip", "text/plain")


@dataclass(frozen=True, slots=True)
class PageReading:
    """Everything the crawl asks of one fetched page, read from one parse of it.

    Worked out together so that the tree can go at once: a crawl holds every page it fetched,
    and keeping their trees as well would take several times the pages' size.
    """

    notice: bool  # looks_like_notice
    notice_links: tuple[Link, ...]
    parts: tuple[str, ...]  # part_urls
    parents: tuple[str, ...]  # parent_links' URLs
    content_links: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, page: Page) -> PageReading:
        """Read ``page``: HTML is parsed once for every answer; other pages are read as the functions read them."""
        html = read_html(page) or page
        return cls(looks_like_notice(html), tuple(notice_links(html)), tuple(part_urls(html)),
                   tuple(link.url for link in parent_links(html)), tuple(content_links(html)))


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().removeprefix("www.")


class Crawler:
    """One crawl: a fetcher, the pages seen, the per-site page budget, progress counts.

    Each fetched page is read once (``reading``): discovery, part assembly, parents and the
    link checks all use what that one parse found; the tree itself is not kept.
    """

    def __init__(self, fetcher: Fetcher, options: CrawlOptions, *, store: SnapshotStore | None = None,
                 crawl_id: str | None = None, progress: Progress | None = None) -> None:
        self.fetcher = fetcher
        self.options = options
        self.store = store
        self.crawl_id = crawl_id
        self.resumable = store.fetched_in(crawl_id) if store is not None and crawl_id else set()
        self.progress = progress or (lambda found, fetched, failed: None)
        self.pages: dict[str, Page | None] = {}
        self.errors: dict[str, str] = {}
        self.skipped: dict[str, str] = {}
        self.budget: dict[str, int] = {}
        self.found = 0
        self._readings: dict[int, tuple[Page, PageReading]] = {}  # by page identity

    def reading(self, page: Page) -> PageReading:
        """What the crawl reads from a page, worked out the first time it is asked for."""
        hit = self._readings.get(id(page))
        if hit is None or hit[0] is not page:
            hit = self._readings[id(page)] = (page, PageReading.of(page))
        return hit[1]

    def _report(self) -> None:
        fetched = sum(1 for p in self.pages.values() if p is not None)
        self.progress(self.found, fetched, len(self.errors))

    async def get(self, url: str) -> Page | None:
        """A page by URL, fetched at most once per crawl; None (and an error recorded) on failure."""
        if url in self.pages:
            return self.pages[url]
        host = _host(url)
        if self.budget.get(host, 0) >= self.options.max_pages:
            return None
        self.budget[host] = self.budget.get(host, 0) + 1
        self.pages[url] = None
        self.found += 1
        page: Page | None = None
        try:
            if url in self.resumable and self.store is not None and (snap := self.store.latest(url)):
                page = snap.page
            else:
                page = await self.fetcher.fetch(url)
                if self.store is not None and self.crawl_id:
                    self.store.mark_fetched(self.crawl_id, url)
        except Disallowed as exc:
            self.skipped[url] = str(exc)
        except FetchError as exc:
            self.errors[url] = str(exc)
        self.pages[url] = page
        self._report()
        return page

    async def get_many(self, urls: Iterable[str]) -> list[Page | None]:
        todo = list(dict.fromkeys(urls))
        return list(await asyncio.gather(*(self.get(u) for u in todo)))

    async def discover(self, start_urls: Sequence[str]) -> list[str]:
        """Notice URLs, in the order found: start pages, sitemap entries, then links breadth first."""
        notices: list[str] = []
        frontier = list(dict.fromkeys(start_urls))
        sitemap_pages = await self._sitemap_pages(start_urls)
        frontier.extend(u for u in sitemap_pages if u not in frontier)
        seen = set(frontier)
        for _depth in range(self.options.max_depth + 1):
            if not frontier:
                break
            pages = await self.get_many(frontier)
            next_frontier: list[str] = []
            for url, page in zip(frontier, pages, strict=True):
                if page is None or page.media_type != "text/html":
                    if page is not None and url not in notices and self.options.wanted(url):
                        notices.append(url)  # a PDF or text file reached as a notice link
                    continue
                reading = self.reading(page)
                if reading.notice and self.options.wanted(url):
                    notices.append(url)
                for link in reading.notice_links:
                    if link.url not in seen:
                        seen.add(link.url)
                        next_frontier.append(link.url)
            frontier = next_frontier
        return notices

    async def _sitemap_pages(self, start_urls: Sequence[str]) -> list[str]:
        sitemaps = list(self.options.sitemaps)
        if self.options.use_robots_sitemaps and not self.fetcher.config.offline:  # offline: robots.txt is not read
            for url in start_urls:
                try:
                    sitemaps.extend(await self.fetcher.robots.sitemaps(url))
                except FetchError:
                    continue
        out: list[str] = []
        seen: set[str] = set()
        while sitemaps and len(seen) < 50:
            url = sitemaps.pop(0)
            if url in seen:
                continue
            seen.add(url)
            try:
                page = await self.fetcher.fetch(url, accept=SITEMAP_TYPES)
            except Disallowed as exc:
                self.skipped[url] = str(exc)
                continue
            except FetchError as exc:
                self.errors[url] = str(exc)
                continue
            try:
                pages, nested = sitemap_urls(page.content, url)
            except SitemapError as exc:
                self.errors[url] = f"bad sitemap: {exc}"
                continue
            sitemaps.extend(nested)
            out.extend(p for p in pages if p not in out)
        return [u for u in out if notice_score(u, "") > 0]

    async def group(self, notice_urls: Sequence[str]) -> list[NoticeGroup]:
        """Multi-page notices become one group of parts; each group records its parents."""
        groups: list[NoticeGroup] = []
        claimed: set[str] = set()
        for url in notice_urls:
            if url in claimed:
                continue
            page = self.pages.get(url)
            if page is None:
                continue
            parts = await self._all_parts(page)
            claimed.update(parts)
            pages = [p for p in await self.get_many(parts) if p is not None] if parts else [page]
            parents = [u for p in pages if p.media_type == "text/html" for u in self.reading(p).parents]
            parents = [u for u in dict.fromkeys(parents) if u not in parts and u != url]
            groups.append(NoticeGroup(pages, parents))
        return groups

    async def _all_parts(self, page: Page) -> list[str]:
        """Every part reachable from this page, merging what each part says about the others."""
        if page.media_type != "text/html":
            return []
        parts = self.reading(page).parts
        if not parts:
            return []
        known = list(parts)
        for _ in range(3):
            pages = await self.get_many(known)
            more = [u for p in pages if p is not None and p.media_type == "text/html" for u in self.reading(p).parts]
            merged = list(dict.fromkeys(known + more))
            if merged == known:
                break
            known = _ordered(merged)
        return known

    async def run(self, start_urls: Sequence[str]) -> CrawlResult:
        notice_urls = await self.discover(start_urls)
        groups = await self.group(notice_urls)
        audited = {p.source for g in groups for p in g.parts}
        for parent in {u for g in groups for u in g.parents} - audited:
            page = await self.get(parent)
            if page is not None:
                groups.append(NoticeGroup([page]))
        if self.options.check_links and not self.fetcher.config.offline:
            await self.check_links(groups)
        errors = [TargetError(u, e) for u, e in self.errors.items()]
        skipped = [SkippedTarget(u, r) for u, r in self.skipped.items()]
        return CrawlResult(groups, errors, sum(1 for p in self.pages.values() if p is not None), skipped)


    async def check_links(self, groups: Sequence[NoticeGroup]) -> None:
        """Check each notice's content links (bounded per notice), each URL once per crawl."""
        per_group: list[list[tuple[str, str, str]]] = []
        todo: dict[str, None] = {}
        for group in groups:
            links = [(page.source, url, text) for page in group.parts for url, text in self.reading(page).content_links]
            links = links[: self.options.max_link_checks]
            per_group.append(links)
            todo.update((url, None) for _, url, _ in links if self._known(url) is None)
        outcomes = dict(zip(todo, await asyncio.gather(*(self._check(url) for url in todo)), strict=True))
        for group, links in zip(groups, per_group, strict=True):
            group.links_checked = True
            for page, url, text in links:
                reason = outcomes[url] if url in outcomes else self._known(url)
                if reason:
                    group.broken_links.append(BrokenLink(page, url, text, reason))

    def _known(self, url: str) -> str | None:
        """What the crawl already knows of a URL: "" (works, or unknown failure), a reason it is
        broken, or None when it was never fetched."""
        if url in self.pages or url in self.resumable:
            error = self.errors.get(url)
            return broken_reason(error) if self.pages.get(url) is None and error else ""
        return None

    async def _check(self, url: str) -> str:
        try:
            status = await self.fetcher.check_link(url)
        except FetchError as exc:
            return broken_reason(str(exc))
        return f"HTTP {status}" if broken_status(status) else ""


#: 4xx statuses that do not show a link is broken: the page may exist but refuse robots or strangers.
_NOT_BROKEN_4XX = frozenset({401, 403, 405, 407, 429, 451})


def broken_status(status: int) -> bool:
    """Not found, gone and the like; not server errors (often passing) or refusals."""
    return 400 <= status < 500 and status not in _NOT_BROKEN_4XX


def broken_reason(error: str) -> str:
    """Why a failed fetch means a broken link ("" when the failure says nothing about the link:
    robots.txt, time-outs, server errors, the allow-list). A link to a private address is broken
    for every reader of a public notice."""
    m = re.match(r"HTTP (\d{3})", error)
    if m:
        return f"HTTP {m.group(1)}" if broken_status(int(m.group(1))) else ""
    return error if error.startswith(("host not found", "redirect loop", "too many redirects", "refused: ")) else ""


def content_links(page: Page | HtmlPage) -> list[tuple[str, str]]:
    """The http(s) links in an HTML page's main content (not its menus or footer), with their text."""
    html = read_html(page)
    if html is None:
        return []
    main = html.main
    raw = html.page
    own = {normalise_url(raw.url, raw.url), normalise_url(raw.source, raw.source)}
    found: dict[str, str] = {}
    for el in html.elements(main, "a", "area", attr="href"):
        if html.is_furniture(el, main):
            continue
        url = normalise_url(el.get("href"), html.base)
        if url is not None and url not in own and url not in found:
            found[url] = html.link_text(el)
    return list(found.items())


def _ordered(urls: list[str]) -> list[str]:
    """Parts in order of the last number in their URL where every part has one; else as found."""
    numbers = [re.findall(r"(\d+)(?:\.html?)?/?$", u) for u in urls]
    if all(numbers) and len({n[-1] for n in numbers}) == len(urls):
        return [u for _, u in sorted(zip((int(n[-1]) for n in numbers), urls, strict=True))]
    return urls


async def crawl_async(start_urls: Sequence[str], config: FetchConfig, options: CrawlOptions,
                      *, progress: Progress | None = None) -> CrawlResult:
    """Crawl from ``start_urls`` (whose hosts, and the given sitemaps', may be private: see ``FetchConfig``)."""
    config = config.starting_at([*start_urls, *options.sitemaps])
    store = SnapshotStore(config.snapshot_dir) if config.snapshot_dir is not None else None
    crawl_id = store.begin_crawl(crawl_key(start_urls, dataclasses.asdict(options))) if store is not None else None
    async with NoticeFetcher(config, store=store) as fetcher:
        result = await Crawler(fetcher, options, store=store, crawl_id=crawl_id, progress=progress).run(start_urls)
    if store is not None and crawl_id is not None:
        store.finish_crawl(crawl_id)
    return result
