"""Notices from the web: the fetcher told which replies are notices by the parse registry.

``fetch.client.Fetcher`` knows HTTP, not formats; ``NoticeFetcher`` gives it the content types and
Accept header of every input format that is served on the web (``notice_audit.parse.served_types``,
``accept_header``), read when the fetcher is made, so a format registered before a run is fetched too.
``PageFetcher`` is one fetcher for a synchronous run of URLs, ``fetch_page`` one for one URL.
"""

from __future__ import annotations

import asyncio
from types import TracebackType

import httpx

from notice_audit.fetch.addresses import Resolver
from notice_audit.fetch.client import ContentTypes, Fetcher
from notice_audit.fetch.config import FetchConfig
from notice_audit.fetch.store import SnapshotStore
from notice_audit.model import Page
from notice_audit.parse import accept_header, served_types

__all__ = ["NoticeFetcher", "PageFetcher", "fetch_page", "notice_types"]


def notice_types() -> ContentTypes:
    """The replies that are notices: the content types of every registered format served on the web."""
    return ContentTypes(served_types(), accept_header())


class NoticeFetcher(Fetcher):
    """A ``Fetcher`` that returns pages of the registered input formats (every other option as ``Fetcher``'s)."""

    def __init__(
        self,
        config: FetchConfig = FetchConfig(),  # noqa: B008 - frozen, so a shared default is safe
        *,
        store: SnapshotStore | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        resolver: Resolver | None = None,
        shared_pool: bool = False,
    ) -> None:
        super().__init__(config, content_types=notice_types(), store=store, transport=transport, resolver=resolver,
                         shared_pool=shared_pool)


class PageFetcher:
    """One ``Fetcher`` on one event loop for a synchronous run: every URL of ``audit URL URL ...`` goes
    through it, so robots.txt is read once per origin and per-host limits, spacing and Retry-After hold
    across the URLs, not only within one. Nothing is opened until the first ``fetch`` (a run of local
    files starts no loop and no store); use as ``with PageFetcher(config) as pages:``.
    """

    def __init__(self, config: FetchConfig = FetchConfig()) -> None:  # noqa: B008 - frozen default
        self.config = config
        self._runner: asyncio.Runner | None = None
        self._fetcher: Fetcher | None = None

    def fetch(self, url: str) -> Page:
        """The page at ``url``, or FetchError saying why not."""
        if self._runner is None:
            self._runner = asyncio.Runner()
        if self._fetcher is None:
            self._fetcher = NoticeFetcher(self.config)
        return self._runner.run(self._fetcher.fetch(url))

    def close(self) -> None:
        """Close the fetcher's connections and the loop (a no-op when nothing was fetched)."""
        runner, fetcher, self._runner, self._fetcher = self._runner, self._fetcher, None, None
        if runner is None:
            return
        try:
            if fetcher is not None:
                runner.run(fetcher.aclose())
        finally:
            runner.close()

    def __enter__(self) -> PageFetcher:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def fetch_page(url: str, config: FetchConfig = FetchConfig()) -> Page:  # noqa: B008 - frozen default
    """Fetch one page synchronously: a Fetcher for one request (a run of several URLs uses ``PageFetcher``)."""

    async def one() -> Page:
        async with NoticeFetcher(config.starting_at([url])) as fetcher:
            return await fetcher.fetch(url)

    return asyncio.run(one())
