"""What a crawl gives the audit: its options, its notices (each a group of parts with its parent
notices and broken links) and the findings its broken links make.

Kept apart from ``crawl``, which fetches: an audit of local files reads these types but never
crawls, so it need not import the HTTP client, asyncio and the discovery code (a tenth of a
one-page audit's start-up).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from notice_audit.extract.base import quote
from notice_audit.model import Document, Evidence, Finding, Locator, Page, SkippedTarget, TargetError

#: Called as progress(found, fetched, failed) whenever a count changes.
Progress = Callable[[int, int, int], None]


@dataclass(frozen=True, slots=True)
class CrawlOptions:
    """What to crawl: the page cap is per site (host), discovery pages included."""

    max_pages: int = 100
    max_depth: int = 3
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    use_robots_sitemaps: bool = True
    #: Check the links in each notice's main content (skipped offline), at most this many per notice.
    check_links: bool = True
    max_link_checks: int = 50

    def wanted(self, url: str) -> bool:
        """Include/exclude patterns (regular expressions searched in the URL) for notices to audit."""
        if self.include and not any(re.search(p, url) for p in self.include):
            return False
        return not any(re.search(p, url) for p in self.exclude)


@dataclass(frozen=True, slots=True)
class BrokenLink:
    """A link in a notice that leads nowhere: the page it is on, where it goes, its text, and why."""

    page: str
    url: str
    text: str
    reason: str


@dataclass
class NoticeGroup:
    """One notice: its parts in order (one page for most) and its parent notice, if layered.

    ``links_checked`` says whether its links were checked; ``broken_links`` holds those that failed.
    """

    parts: list[Page]
    parents: list[str] = field(default_factory=list)
    links_checked: bool = False
    broken_links: list[BrokenLink] = field(default_factory=list)


@dataclass
class CrawlResult:
    notices: list[NoticeGroup]
    errors: list[TargetError]
    pages_fetched: int
    #: pages robots.txt disallows: not fetched, as the site asks, and not errors
    skipped: list[SkippedTarget] = field(default_factory=list)


def broken_link_findings(doc: Document, broken: Sequence[BrokenLink]) -> list[Finding]:
    """A ``broken_link`` finding per broken link, quoting the text around the link where the notice
    shows it (else the link's own words)."""
    out: list[Finding] = []
    for b in broken:
        evidence = Evidence(b.text or b.url, Locator(b.page))
        for _section, block in doc.blocks():
            if block.locator.source == b.page and b.text and b.text in block.text:
                start = block.text.index(b.text)
                evidence = Evidence(quote(block.text, start, start + len(b.text)), block.locator)
                break
        words = f"{b.text} → {b.url}" if b.text else b.url
        out.append(Finding("broken_link", evidence, None, "statement",
                           {"url": b.url, "status": b.reason, "link_text": b.text, "text": f"{words} ({b.reason})"}))
    return out
