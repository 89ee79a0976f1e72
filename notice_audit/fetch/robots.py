"""robots.txt: fetched once per origin, parsed with protego, turned into a policy.

The policy for a robots.txt that cannot be read follows RFC 9309:

- 2xx: the rules apply (protego: longest match, ``*`` and ``$`` wildcards,
  the group whose product token matches ours, else ``*``).
- 404, 410 and other 4xx ("unavailable"): everything is allowed.
- 401 and 403: everything is disallowed (the site says "not for you"; the
  project's choice, stricter than RFC 9309, which would allow).
- 5xx, 429 and network failures ("unreachable"), after the fetcher's own
  retries: everything is disallowed for this run, as RFC 9309 section
  2.3.1.4 requires. An auditor has no cached copy to fall back on and
  crawling a site whose rules cannot be read would be impolite. This is a
  failure, not the site's choice, so the error says what happened first
  ("host unreachable: connection refused", "host not found: ...",
  "certificate rejected: ...", "robots.txt answered HTTP 503") and only then
  that no page of the site is fetched because of it (``RobotsRules.failure``).
- redirects are followed (up to five hops, by the loader); a robots.txt that
  redirects too often or off the allow-list counts as unavailable.

The body is capped at 500 KiB (RFC 9309's minimum parse limit); the rest is
ignored rather than treated as an error.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal

import httpx
from protego import Protego

from notice_audit.fetch.config import robots_token

#: Bytes of robots.txt parsed (RFC 9309: at least 500 KiB); the rest is ignored.
ROBOTS_MAX_BYTES = 500 * 1024
#: Redirect hops followed for robots.txt (RFC 9309: at least five).
ROBOTS_MAX_REDIRECTS = 5

Mode = Literal["rules", "allow_all", "disallow_all"]


@dataclass(frozen=True, slots=True)
class RobotsResponse:
    """What a loader got for /robots.txt: a status and body, or ``status=None`` and why it was unreachable."""

    status: int | None
    body: bytes = b""
    error: str | None = None


#: Fetches one robots.txt URL (following redirects, retrying transient failures).
RobotsLoader = Callable[[str], Awaitable[RobotsResponse]]


@dataclass(frozen=True, slots=True)
class RobotsRules:
    """The policy for one origin: parsed rules, or a blanket allow/disallow with the reason.

    ``failure`` is set when robots.txt could not be read (a network failure, or a server error): the
    origin is disallowed all the same (RFC 9309), but the page was not refused by the site.
    """

    origin: str
    mode: Mode
    note: str
    parser: Protego | None = None
    failure: str | None = None


def origin_of(url: str | httpx.URL) -> str:
    """``scheme://host[:port]``: robots.txt applies per origin (RFC 9309 section 2.3)."""
    u = httpx.URL(url) if isinstance(url, str) else url
    default = {"http": 80, "https": 443}.get(u.scheme)
    port = f":{u.port}" if u.port is not None and u.port != default else ""
    return f"{u.scheme}://{u.host}{port}"


def rules_from(origin: str, response: RobotsResponse) -> RobotsRules:
    """Map a loader's answer to a policy (see the module docstring for the reasoning)."""
    status = response.status
    if status is None:
        error = response.error or "no response"
        return RobotsRules(origin, "disallow_all", f"robots.txt unreachable: {error}", failure=error)
    if 200 <= status < 300:
        text = response.body[:ROBOTS_MAX_BYTES].decode("utf-8", errors="replace")
        return RobotsRules(origin, "rules", f"robots.txt HTTP {status}", Protego.parse(text))
    if status in (401, 403):
        return RobotsRules(origin, "disallow_all", f"robots.txt answered HTTP {status}")
    if status == 429 or status >= 500:
        return RobotsRules(origin, "disallow_all", f"robots.txt unreachable: HTTP {status}",
                           failure=f"robots.txt answered HTTP {status}")
    if 300 <= status < 400:
        return RobotsRules(origin, "allow_all", response.error or f"robots.txt redirect (HTTP {status}) not followed")
    detail = f" ({response.error})" if response.error else ""
    return RobotsRules(origin, "allow_all", f"no robots.txt (HTTP {status}){detail}")


class RobotsPolicy:
    """robots.txt rules per origin, each fetched once through the given loader.

    One per ``Fetcher``: the fetcher passes a loader that goes through its own
    client, per-host limits and retries. Concurrent callers for one origin
    share a single fetch. ``records`` keeps each origin's outcome so a report
    can say why a host was skipped.
    """

    def __init__(self, loader: RobotsLoader, user_agent: str) -> None:
        self._loader = loader
        self.token = robots_token(user_agent)
        self.records: dict[str, RobotsRules] = {}
        self._pending: dict[str, asyncio.Task[RobotsRules]] = {}

    @classmethod
    def from_client(cls, client: httpx.AsyncClient, user_agent: str) -> RobotsPolicy:
        """A policy over a plain client (no per-host limits or retries): for scripts and tests."""

        async def load(url: str) -> RobotsResponse:
            try:
                async with client.stream("GET", url, follow_redirects=True) as response:
                    body = bytearray()
                    async for chunk in response.aiter_bytes():
                        body += chunk
                        if len(body) >= ROBOTS_MAX_BYTES:
                            break
                    return RobotsResponse(response.status_code, bytes(body))
            except httpx.TooManyRedirects:
                return RobotsResponse(310, error="too many redirects")
            except httpx.HTTPError as exc:
                return RobotsResponse(None, error=f"{exc.__class__.__name__}: {exc}")

        return cls(load, user_agent)

    async def rules(self, url: str) -> RobotsRules:
        """The rules for ``url``'s origin, fetching robots.txt on first use."""
        origin = origin_of(url)
        cached = self.records.get(origin)
        if cached is not None:
            return cached
        task = self._pending.get(origin)
        if task is None:
            task = asyncio.ensure_future(self._load(origin))
            self._pending[origin] = task
        # shield: a caller cancelled while waiting must not cancel the fetch the others wait on
        return await asyncio.shield(task)

    async def _load(self, origin: str) -> RobotsRules:
        try:
            response = await self._loader(origin + "/robots.txt")
        except Exception as exc:  # a loader bug must not take the crawl down: treat as unreachable
            response = RobotsResponse(None, error=f"{exc.__class__.__name__}: {exc}")
        rules = rules_from(origin, response)
        self.records[origin] = rules
        self._pending.pop(origin, None)
        return rules

    async def allowed(self, url: str) -> bool:
        rules = await self.rules(url)
        if rules.mode == "rules":
            assert rules.parser is not None
            return rules.parser.can_fetch(url, self.token)
        return rules.mode == "allow_all"

    async def why_not(self, url: str) -> str | None:
        """``None`` when ``url`` may be fetched, else the reason (for the FetchError).

        When robots.txt could not be read, the reason starts with what went wrong, not with "disallowed".
        """
        if await self.allowed(url):
            return None
        rules = await self.rules(url)
        if rules.failure is not None:
            return f"{rules.failure} (robots.txt could not be read, so no page of the site is fetched)"
        return "disallowed by robots.txt" if rules.mode == "rules" else f"disallowed by robots.txt ({rules.note})"

    async def crawl_delay(self, url: str) -> float | None:
        """Seconds between requests asked for: ``Crawl-delay``, or ``Request-rate`` as seconds per request."""
        rules = await self.rules(url)
        if rules.parser is None:
            return None
        delays = []
        delay = rules.parser.crawl_delay(self.token)
        if delay is not None:
            delays.append(float(delay))
        rate = rules.parser.request_rate(self.token)
        if rate is not None and rate.requests > 0:
            delays.append(rate.seconds / rate.requests)
        return max(delays) if delays else None

    async def sitemaps(self, url: str) -> list[str]:
        """``Sitemap:`` URLs listed in the origin's robots.txt (in file order, duplicates removed)."""
        rules = await self.rules(url)
        if rules.parser is None:
            return []
        return list(dict.fromkeys(rules.parser.sitemaps))
