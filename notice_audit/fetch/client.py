"""The async web fetcher: polite, safe, and keeping every page it fetches.

Politeness: robots.txt (``RobotsPolicy``), at most ``per_host`` requests in
flight per host and ``concurrency`` overall, request starts to one host spaced
by ``max(delay, Crawl-delay)``, ``Retry-After`` honoured (and applied to the
whole host), transient failures retried with exponential back-off and full
jitter.

Safety: redirects are followed here, not by httpx, so that every hop is
checked (scheme, allow-list, address, robots.txt) and loops are named; a hop
whose host is or resolves to a loopback, private, link-local or unspecified
address is refused unless the run starts there or allows it (``addresses``);
bodies are
streamed raw and decoded by a bounded decoder, so neither a huge page nor a
gzip bomb can allocate more than ``max_bytes`` plus one piece (httpx's own
decoder inflates a whole network chunk at once: up to ~1000x its size);
content types are checked before the body is read.

Pools: bounded pools per host. httpcore's pool re-scans all of its
connections, several times over, whenever a request starts or ends (the
slowdown of encode/httpx issue 3215 grows with the square of the pool's
size), so each host's ``per_host`` connections live in small pools of at
most ``POOL_CONNECTIONS``, and the fetcher's semaphores bound what is in
flight, so no pool ever has waiters. All pools share one TLS context.
Measured in ``benchmarks/fetch_pool.py``.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import math
import random
import socket
import ssl
import zlib
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from types import TracebackType

import httpx

from notice_audit.fetch.addresses import Resolver, address_refusal, normal_host, parse_address, system_resolver
from notice_audit.fetch.config import FetchConfig, host_allowed
from notice_audit.fetch.local import Disallowed, FetchError
from notice_audit.fetch.robots import ROBOTS_MAX_BYTES, ROBOTS_MAX_REDIRECTS, RobotsPolicy, RobotsResponse
from notice_audit.fetch.store import Snapshot, SnapshotStore
from notice_audit.model import Page

log = logging.getLogger(__name__)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#: Generic binary types that servers send for PDFs and DOCX files: accepted only when the bytes say PDF or DOCX.
_GENERIC_BINARY = frozenset({"application/octet-stream", "binary/octet-stream", "application/unknown"})
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
#: Connections per httpx pool; a host with a larger per_host gets several pools (see Fetcher._pool).
POOL_CONNECTIONS = 4
#: Largest piece the bounded decoder inflates at once.
_PIECE = 256 * 1024


@dataclass(frozen=True, slots=True)
class ContentTypes:
    """Which replies become pages: each HTTP content type taken, the media type its page gets, and the
    Accept header that asks for them.

    The fetch stage knows no formats: the caller derives these from the parse stage's registry of input
    formats (``notice_audit.sources.web``), so a new format needs no change here.
    """

    media_types: Mapping[str, str]
    accept: str


@dataclass
class FetchStats:
    """Counters for progress lines and the report: what the fetcher did."""

    requests: int = 0  # HTTP requests sent (robots.txt included)
    retries: int = 0
    not_modified: int = 0  # conditional GETs answered 304 (page served from the store)
    from_store: int = 0  # pages served from the store without a request (offline)
    failed: int = 0  # fetch() calls that raised FetchError
    robots_blocked: int = 0
    fetched: int = 0  # pages fetched with 2xx
    bytes: int = 0  # decoded body bytes received
    store_errors: int = 0  # snapshots that could not be written (logged; the page is still returned)


@dataclass
class _Host:
    """Per-host politeness state: in-flight slots, and when the next request may start."""

    slots: asyncio.Semaphore
    pacer: asyncio.Lock = field(default_factory=asyncio.Lock)
    last_start: float = -math.inf
    not_before: float = -math.inf


@dataclass
class _Pool:
    """One httpx client (connection pool) and how many of its ``size`` connections are in use."""

    client: httpx.AsyncClient
    size: int
    in_flight: int = 0


@dataclass(frozen=True, slots=True)
class _Reply:
    url: httpx.URL
    status: int
    reason: str
    headers: Mapping[str, str]
    body: bytes | None = None
    media_type: str = ""
    encoding: str | None = None


class _Transient(Exception):
    """A failure worth retrying (network trouble); the message is the final FetchError's."""


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _status_line(status: int, reason: str) -> str:
    return f"HTTP {status} {reason}".strip()


def _without_fragment(url: httpx.URL) -> httpx.URL:
    return url.copy_with(fragment=None) if url.fragment else url


def _host_key(url: httpx.URL) -> str:
    """Politeness is per host and port: two ports are usually two services."""
    port = url.port or {"http": 80, "https": 443}.get(url.scheme, 0)
    return f"{url.host}:{port}"


def retry_after_seconds(value: str | None, *, now: datetime | None = None) -> float | None:
    """``Retry-After`` as seconds from now: delta-seconds or an HTTP date; None if absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def sniff(data: bytes) -> str:
    """Media type from the bytes when the server sent none: PDF, DOCX, HTML, else plain text."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n\f")
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"PK\x03\x04") and b"word/" in data[:65536]:
        return DOCX
    low = head[:1024].lower()
    if low.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or b"<html" in low:
        return "text/html"
    return "text/plain"


def _sniff_binary(data: bytes) -> str | None:
    """For ``application/octet-stream``: only a PDF or DOCX by its magic bytes counts."""
    kind = sniff(data)
    return kind if kind in ("application/pdf", DOCX) else None


def _charset(content_type: str) -> str | None:
    for param in content_type.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            value = value.strip().strip("\"'").strip()
            return value or None
    return None


class _BoundedDecoder:
    """Content-Encoding decoder whose output comes in pieces of at most ``_PIECE`` bytes.

    The caller stops pulling pieces once its cap is passed, so the inflated
    size of a gzip bomb is never allocated (zlib keeps the unread input in
    ``unconsumed_tail``).
    """

    def __init__(self, coding: str | None) -> None:
        self.coding = coding
        self._first = True
        self._z = self._new() if coding else None

    def _new(self) -> zlib._Decompress:
        if self.coding in ("gzip", "x-gzip"):
            return zlib.decompressobj(zlib.MAX_WBITS | 16)
        return zlib.decompressobj()  # deflate: zlib-wrapped, with a raw-deflate fallback below

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self._z is None:
            if data:
                yield data
            return
        while data:
            try:
                out = self._z.decompress(data, _PIECE)
            except zlib.error as exc:
                if self._first and self.coding == "deflate":  # servers that send raw deflate
                    self._z = zlib.decompressobj(-zlib.MAX_WBITS)
                    self._first = False
                    continue
                raise FetchError(f"could not decode the {self.coding} body: {exc}") from exc
            self._first = False
            rest = self._z.unconsumed_tail
            if self._z.eof:
                trailing = self._z.unused_data
                if trailing.startswith(b"\x1f\x8b") and self.coding in ("gzip", "x-gzip"):
                    self._z = self._new()  # a multi-member gzip stream
                    rest = trailing + rest
                else:
                    rest = b""  # trailing garbage after the end of the stream is ignored, as browsers do
            if out:
                yield out
            elif rest == data:
                break  # no progress: nothing more to get from this input
            data = rest


class Fetcher:
    """Async, polite, safe HTTP fetcher. Use as `async with Fetcher(config) as f:`.

    ``store`` defaults to a ``SnapshotStore`` at ``config.snapshot_dir`` (if set);
    ``transport`` replaces the network (tests: ``httpx.MockTransport``);
    ``resolver`` gives the addresses of a host name for the private-address check (default: the system's;
    with a ``transport`` and no ``resolver``, names are not looked up, as the transport decides what they
    mean, and only hosts written as addresses are checked);
    ``shared_pool`` puts every host in one pool (benchmarks and tests only).
    ``robots`` (the ``RobotsPolicy``) also answers ``sitemaps(url)``.
    ``content_types`` says which replies are pages (see ``ContentTypes``).
    """

    def __init__(
        self,
        config: FetchConfig = FetchConfig(),  # noqa: B008 - frozen, so a shared default is safe
        *,
        content_types: ContentTypes,
        store: SnapshotStore | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        resolver: Resolver | None = None,
        shared_pool: bool = False,
    ) -> None:
        self.config = config
        self.content_types = content_types
        if store is None and config.snapshot_dir is not None:
            store = SnapshotStore(config.snapshot_dir)
        self.store = store
        self.stats = FetchStats()
        self.robots = RobotsPolicy(self._load_robots, config.user_agent)
        self._transport = transport
        self._resolver = resolver if resolver is not None or transport is not None else system_resolver
        self._addresses: dict[tuple[str, int], list[str]] = {}
        self._shared_pool = shared_pool or transport is not None
        self._pools: dict[str, list[_Pool]] = {}
        self._ssl_context: ssl.SSLContext | None = None
        self._hosts: dict[str, _Host] = {}
        self._global: asyncio.Semaphore | None = None
        self._random = random.Random()
        self._closed = False

    # -- lifecycle --------------------------------------------------------------

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        self._closed = True
        pools, self._pools = [p for group in self._pools.values() for p in group], {}
        for pool in pools:
            await pool.client.aclose()

    def _pool(self, url: httpx.URL) -> _Pool:
        """A pool with a free connection slot for ``url``'s host, created on first need.

        A host's ``per_host`` connections are spread over pools of at most
        ``POOL_CONNECTIONS``: httpcore re-scans every connection of a pool
        on each request (quadratic in the pool's size), so small pools keep
        that cost flat however high ``per_host`` is set.
        """
        key = "*" if self._shared_pool else _host_key(url)
        pools = self._pools.setdefault(key, [])
        for pool in pools:
            if pool.in_flight < pool.size:
                return pool
        total = self.config.concurrency if self._shared_pool else self.config.per_host
        chunk = total if self._shared_pool else POOL_CONNECTIONS
        size = max(1, min(chunk, total - sum(p.size for p in pools)))
        pool = _Pool(self._new_client(size), size)
        pools.append(pool)
        return pool

    def _warm(self, url: httpx.URL) -> None:
        """Create the host's first pool ahead of time (a later one costs well under a millisecond)."""
        key = "*" if self._shared_pool else _host_key(url)
        if not self._pools.get(key):
            size = self.config.concurrency if self._shared_pool else min(self.config.per_host, POOL_CONNECTIONS)
            self._pools[key] = [_Pool(self._new_client(size), size)]

    def _new_client(self, size: int) -> httpx.AsyncClient:
        cfg = self.config
        if self._ssl_context is None:
            make = getattr(httpx, "create_ssl_context", None)
            self._ssl_context = make() if make is not None else ssl.create_default_context()
        return httpx.AsyncClient(
            transport=self._transport,
            verify=self._ssl_context,  # one context for every pool: building one costs ~25 ms
            follow_redirects=False,
            timeout=httpx.Timeout(
                connect=cfg.connect_timeout,
                read=cfg.read_timeout,
                write=cfg.read_timeout,
                pool=max(cfg.connect_timeout, cfg.read_timeout),
            ),
            limits=httpx.Limits(max_connections=size, max_keepalive_connections=size),
            headers={
                "User-Agent": cfg.user_agent, "Accept": self.content_types.accept, "Accept-Encoding": "gzip, deflate",
            },
        )

    def _host(self, url: httpx.URL) -> _Host:
        key = _host_key(url)
        host = self._hosts.get(key)
        if host is None:
            host = self._hosts[key] = _Host(asyncio.Semaphore(self.config.per_host))
        return host

    # -- public API ---------------------------------------------------------------

    async def fetch(self, url: str, *, accept: Collection[str] = ()) -> Page:
        """The page at ``url``, or FetchError saying why not.

        ``accept`` adds content types returned as they are (``media_type`` is
        the type itself), e.g. ``application/xml`` for sitemaps.
        """
        try:
            return await self._fetch(url, frozenset(a.lower() for a in accept))
        except FetchError:
            self.stats.failed += 1
            raise

    async def check_link(self, url: str) -> int:
        """The final HTTP status of a link, following redirects; FetchError when it cannot be reached.

        For link checks: HEAD, or GET when the server refuses HEAD (405, 501), and no body is ever
        read or stored. Every hop is checked like a fetch (scheme, allow-list, address, robots.txt) and goes
        through the same politeness limits and retries. Offline, nothing can be checked.
        """
        if self.config.offline:
            raise FetchError("not checked (offline)")
        current = self._parse(url)
        chain = [str(current)]
        method = "HEAD"
        while True:
            await self._check_hop(current)
            reply = await self._request(current, {}, method=method, status_only=True)
            if reply.status in REDIRECT_STATUSES:
                current = self._next_hop(reply, chain)
                continue
            if method == "HEAD" and reply.status in (405, 501):
                method = "GET"
                continue
            return reply.status

    def from_store(self, url: str) -> Page | None:
        """The newest stored page for ``url`` (``source`` set to ``url``), or None; no network."""
        if self.store is None:
            return None
        snapshot = self.store.latest(url)
        return None if snapshot is None else replace(snapshot.page, source=url)

    # -- one fetch, hop by hop ------------------------------------------------------

    async def _fetch(self, url: str, accept: frozenset[str]) -> Page:
        if self.config.offline:
            page = self.from_store(url)
            if page is None:
                raise FetchError("no snapshot for URL (offline)")
            self.stats.from_store += 1
            return page
        current = self._parse(url)
        snapshot: Snapshot | None = None
        if self.store is not None and self.config.conditional:
            snapshot = await asyncio.to_thread(self.store.latest, url)
        chain = [str(current)]
        while True:
            await self._check_hop(current)
            headers: dict[str, str] = {}
            conditional = snapshot is not None and self._same(current, snapshot.page.url)
            if conditional:
                assert snapshot is not None
                if snapshot.etag:
                    headers["If-None-Match"] = snapshot.etag
                if snapshot.last_modified:
                    headers["If-Modified-Since"] = snapshot.last_modified
                conditional = bool(headers)
            reply = await self._request(current, headers, accept=accept)
            if reply.status in REDIRECT_STATUSES:
                current = self._next_hop(reply, chain)
                continue
            if reply.status == 304 and conditional:
                assert snapshot is not None
                return await self._not_modified(url, snapshot, reply)
            if not 200 <= reply.status < 300 or reply.body is None:
                raise FetchError(_status_line(reply.status, reply.reason))
            page = Page(
                source=url,
                url=str(reply.url),
                content=reply.body,
                media_type=reply.media_type,
                status=reply.status,
                headers=dict(reply.headers),
                fetched_at=_now_iso(),
                encoding=reply.encoding,
            )
            self.stats.fetched += 1
            await self._save(page)
            return page

    def _parse(self, url: str) -> httpx.URL:
        try:
            parsed = httpx.URL(url.strip())
        except (httpx.InvalidURL, TypeError, ValueError) as exc:
            raise FetchError(f"invalid URL: {exc}") from exc
        if parsed.scheme not in ("http", "https"):
            raise FetchError(f"unsupported scheme '{parsed.scheme}'" if parsed.scheme else "not an absolute URL")
        if not parsed.host:
            raise FetchError("invalid URL: no host")
        return _without_fragment(parsed)

    async def _check_hop(self, url: httpx.URL) -> None:
        """Every hop, redirects included: scheme, allow-list, address, robots.txt."""
        if url.scheme not in ("http", "https"):
            raise FetchError(f"unsupported scheme '{url.scheme}'")
        if not host_allowed(url.host, self.config.allowed_hosts):
            raise FetchError(f"host not allowed: {url.host}")
        await self._check_address(url)
        if self.config.respect_robots:
            reason = await self.robots.why_not(str(url))
            if reason is not None:
                self.stats.robots_blocked += 1
                if (await self.robots.rules(str(url))).failure is not None:
                    raise FetchError(reason)  # robots.txt could not be read: a failure, not the site's wish
                raise Disallowed(reason)
            delay = await self.robots.crawl_delay(str(url))
            if delay is not None and delay > self.config.max_crawl_delay:
                raise FetchError(
                    f"robots.txt Crawl-delay {delay:g} s exceeds {self.config.max_crawl_delay:g} s"
                )

    async def _check_address(self, url: httpx.URL) -> None:
        """Refuse a host that is, or resolves to, a non-public address (every address it resolves to is
        checked), unless the run allows private addresses or starts at this host or address."""
        cfg = self.config
        host = normal_host(url.host)
        if cfg.allow_private or host in cfg.start_hosts:
            return
        if parse_address(url.host) is not None:
            addresses = [url.host]
        elif self._resolver is None:
            return  # a stub transport without a resolver: the test's transport says where names lead
        else:
            port = url.port or (443 if url.scheme == "https" else 80)
            key = (host, port)
            if key not in self._addresses:
                if cfg.offline:
                    raise FetchError("not looked up (offline)")
                self._addresses[key] = await self._resolver(host, port)
            addresses = self._addresses[key]
        for address in addresses:
            kind = address_refusal(address)
            if kind is not None and normal_host(address) not in cfg.start_hosts:
                via = f" ({url.host} resolves to it)" if address != url.host else ""
                raise FetchError(f"refused: {address} is {kind}{via}")

    def _next_hop(self, reply: _Reply, chain: list[str]) -> httpx.URL:
        location = reply.headers.get("location")
        if not location:
            raise FetchError(f"{_status_line(reply.status, reply.reason)} without a Location header")
        try:
            target = _without_fragment(reply.url.join(location.strip()))
        except (httpx.InvalidURL, ValueError) as exc:
            raise FetchError(f"redirect to an invalid URL: {location!r}") from exc
        if str(target) in chain:
            start = chain.index(str(target))
            raise FetchError("redirect loop: " + " -> ".join([*chain[start:], str(target)]))
        if len(chain) > self.config.max_redirects:
            raise FetchError(f"too many redirects (more than {self.config.max_redirects})")
        chain.append(str(target))
        return target

    @staticmethod
    def _same(url: httpx.URL, other: str) -> bool:
        try:
            return str(url) == str(_without_fragment(httpx.URL(other)))
        except httpx.InvalidURL:
            return False

    async def _not_modified(self, url: str, snapshot: Snapshot, reply: _Reply) -> Page:
        """A 304: the stored page, re-dated and with refreshed validators; the re-validation is recorded too."""
        self.stats.not_modified += 1
        headers = dict(snapshot.page.headers)
        for name in ("etag", "last-modified", "date", "cache-control", "expires"):
            if name in reply.headers:
                headers[name] = reply.headers[name]
        page = replace(snapshot.page, source=url, headers=headers, fetched_at=_now_iso())
        await self._save(page)
        return page

    async def _save(self, page: Page) -> None:
        if self.store is None:
            return
        try:
            await asyncio.to_thread(self.store.save, page)
        except Exception as exc:  # losing a snapshot must not lose the audit; say so loudly instead
            self.stats.store_errors += 1
            log.warning("could not save snapshot of %s: %s", page.url, exc)

    # -- retries ---------------------------------------------------------------

    async def _request(
        self, url: httpx.URL, headers: Mapping[str, str], *, accept: frozenset[str] = frozenset(), robots: bool = False,
        method: str = "GET", status_only: bool = False,
    ) -> _Reply:
        """One hop with retries: transient errors and 429/5xx are retried; the last reply or error stands.

        ``status_only`` (link checks) returns the status and headers without reading any body.
        """
        cfg = self.config
        attempt = 0
        while True:
            try:
                reply = await self._attempt(url, headers, accept=accept, robots=robots, method=method,
                                            status_only=status_only)
            except _Transient as exc:
                if attempt >= cfg.retries:
                    raise FetchError(str(exc)) from exc.__cause__
                wait = self._backoff(attempt)
            else:
                if reply.status not in RETRY_STATUSES:
                    return reply
                wait_for = None
                if reply.status in (429, 503):
                    wait_for = retry_after_seconds(reply.headers.get("retry-after"))
                if wait_for is not None and wait_for > cfg.max_retry_after:
                    what = "rate limited" if reply.status == 429 else "unavailable"
                    raise FetchError(f"{what}: Retry-After {wait_for:g} s exceeds {cfg.max_retry_after:g} s")
                if attempt >= cfg.retries:
                    return reply
                if wait_for is not None:
                    # the whole host is asked to wait, not just this request
                    host = self._host(url)
                    loop = asyncio.get_running_loop()
                    host.not_before = max(host.not_before, loop.time() + wait_for)
                    wait = wait_for
                else:
                    wait = self._backoff(attempt)
            attempt += 1
            self.stats.retries += 1
            await asyncio.sleep(wait)

    def _backoff(self, attempt: int) -> float:
        """Exponential back-off with full jitter (uniform in [0, base * 2**attempt]), capped."""
        ceiling = min(self.config.max_backoff, self.config.backoff * (2**attempt))
        return self._random.uniform(0, ceiling)

    async def _delay(self, url: httpx.URL, *, robots: bool) -> float:
        delay = self.config.delay
        if self.config.respect_robots and not robots:
            crawl_delay = await self.robots.crawl_delay(str(url))
            if crawl_delay is not None:
                delay = max(delay, min(crawl_delay, self.config.max_crawl_delay))
        return delay

    # -- one attempt ------------------------------------------------------------

    async def _attempt(
        self, url: httpx.URL, headers: Mapping[str, str], *, accept: frozenset[str], robots: bool,
        method: str = "GET", status_only: bool = False,
    ) -> _Reply:
        if self._closed:
            raise FetchError("fetcher is closed")
        if self.config.offline:  # the one place requests are sent: offline, no path may open a socket
            raise FetchError("not requested (offline)")
        loop = asyncio.get_running_loop()
        if self._global is None:
            self._global = asyncio.Semaphore(self.config.concurrency)
        delay = await self._delay(url, robots=robots)  # before taking a slot: it may fetch robots.txt
        host = self._host(url)
        async with host.slots:
            self._warm(url)  # the first client of a run costs ~40 ms: not inside the timed start below
            async with host.pacer:  # starts to one host are serialised, so the spacing holds exactly
                wait = max(host.last_start + delay, host.not_before) - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                await self._global.acquire()
                host.last_start = loop.time()
            pool = self._pool(url)
            pool.in_flight += 1
            try:
                self.stats.requests += 1
                request = pool.client.build_request(method, url, headers=headers)
                async with asyncio.timeout(self.config.total_timeout):
                    return await self._exchange(pool.client, request, accept=accept, robots=robots,
                                                status_only=status_only)
            except TimeoutError as exc:
                raise FetchError(f"timed out (total {self.config.total_timeout:g} s)") from exc
            except httpx.HTTPError as exc:
                message, transient = describe_error(exc, url)
                if transient:
                    raise _Transient(message) from exc
                raise FetchError(message) from exc
            finally:
                pool.in_flight -= 1
                self._global.release()

    async def _exchange(
        self, client: httpx.AsyncClient, request: httpx.Request, *, accept: frozenset[str], robots: bool,
        status_only: bool = False,
    ) -> _Reply:
        url = request.url
        response = await client.send(request, stream=True, follow_redirects=False)
        try:
            status = response.status_code
            resp_headers = {k.lower(): v for k, v in response.headers.items()}
            base = _Reply(url, status, response.reason_phrase, resp_headers)
            if status_only or not 200 <= status < 300:
                return base  # redirects, 304 and errors: the body is not wanted
            if robots:
                body = await self._read(response, ROBOTS_MAX_BYTES, truncate=True)
                return replace(base, body=body, media_type="text/plain")
            content_type = resp_headers.get("content-type", "")
            mime = content_type.split(";", 1)[0].strip().lower()
            media_types = self.content_types.media_types
            if mime and mime not in media_types and mime not in accept and mime not in _GENERIC_BINARY:
                raise FetchError(f"unsupported content type '{mime}'")
            body = await self._read(response, self.config.max_bytes)
            if not mime:
                media_type = sniff(body)
            elif mime in media_types:
                media_type = media_types[mime]
            elif mime in accept:
                media_type = mime
            else:
                sniffed = _sniff_binary(body)
                if sniffed is None:
                    raise FetchError(f"unsupported content type '{mime}'")
                media_type = sniffed
            return replace(base, body=body, media_type=media_type, encoding=_charset(content_type))
        finally:
            await response.aclose()

    async def _read(self, response: httpx.Response, limit: int, *, truncate: bool = False) -> bytes:
        """The decoded body, never holding more than ``limit`` bytes plus one piece.

        Over the limit: FetchError("page larger than N bytes"), or the first
        ``limit`` bytes when ``truncate`` (robots.txt). Reading stops at once,
        and closing the response drops the connection.
        """
        encoding = response.headers.get("content-encoding", "").strip().lower()
        codings = [c.strip() for c in encoding.split(",") if c.strip() and c.strip() != "identity"]
        if len(codings) > 1 or (codings and codings[0] not in ("gzip", "x-gzip", "deflate")):
            raise FetchError(f"unsupported content encoding '{encoding}'")
        too_large = f"page larger than {limit} bytes"
        length = response.headers.get("content-length", "")
        if not truncate and length.isdigit() and int(length) > limit:
            raise FetchError(too_large)
        decoder = _BoundedDecoder(codings[0] if codings else None)
        body = bytearray()
        raw_total = 0
        async for raw in response.aiter_raw():
            raw_total += len(raw)
            for piece in decoder.feed(raw):
                body += piece
                if len(body) > limit:
                    if truncate:
                        return bytes(body[:limit])
                    raise FetchError(too_large)
            if raw_total > limit and not truncate:
                raise FetchError(too_large)
        self.stats.bytes += len(body)
        return bytes(body)

    # -- robots.txt loader ---------------------------------------------------------

    async def _load_robots(self, robots_url: str) -> RobotsResponse:
        """GET robots.txt through this fetcher's pools, limits and retries, following up to five redirects.

        Offline, nothing is asked: pages come from the snapshots without a robots check, and a robots.txt
        that was not read names no sitemaps.
        """
        if self.config.offline:
            return RobotsResponse(None, error="not read (offline)")
        current = httpx.URL(robots_url)
        for hop in range(ROBOTS_MAX_REDIRECTS + 1):
            if current.scheme not in ("http", "https") or not host_allowed(current.host, self.config.allowed_hosts):
                return RobotsResponse(399, error=f"robots.txt redirected off the allow-list: {current}")
            try:
                if hop:  # the first hop is the page's own origin, already checked
                    await self._check_address(current)
                reply = await self._request(current, {}, robots=True)
            except FetchError as exc:
                return RobotsResponse(None, error=str(exc))
            if reply.status in REDIRECT_STATUSES and reply.headers.get("location"):
                try:
                    current = _without_fragment(reply.url.join(reply.headers["location"].strip()))
                except (httpx.InvalidURL, ValueError):
                    return RobotsResponse(399, error="robots.txt redirected to an invalid URL")
                continue
            return RobotsResponse(reply.status, reply.body or b"")
        return RobotsResponse(399, error="robots.txt redirected too often")


def _causes(exc: BaseException) -> list[BaseException]:
    """The exception, its causes and contexts, and members of exception groups (bounded)."""
    out: list[BaseException] = []
    todo = [exc]
    while todo and len(out) < 32:
        current = todo.pop()
        if any(current is seen for seen in out):
            continue
        out.append(current)
        todo.extend(e for e in (current.__cause__, current.__context__) if e is not None)
        todo.extend(getattr(current, "exceptions", ()) or ())
    return out


def describe_error(exc: httpx.HTTPError, url: httpx.URL) -> tuple[str, bool]:
    """A short reason for a transport error, and whether retrying could help.

    Failures to connect say which kind they are, in words a person can act on: the host is unreachable
    (refused, timed out, no route), its name is not found, or its certificate was rejected.
    """
    causes = _causes(exc)
    text = " ".join(str(c).lower() for c in causes)

    def caused_by(kind: type[BaseException] | tuple[type[BaseException], ...]) -> bool:
        return any(isinstance(c, kind) for c in causes)

    if isinstance(exc, httpx.ConnectTimeout):
        return "host unreachable: timed out (connect)", True
    if isinstance(exc, httpx.ReadTimeout):
        return "timed out (read)", True
    if isinstance(exc, httpx.WriteTimeout):
        return "timed out (write)", True
    if isinstance(exc, httpx.PoolTimeout):
        return "timed out (pool)", True
    if isinstance(exc, httpx.ConnectError):
        if caused_by(ConnectionRefusedError) or "refused" in text:
            return "host unreachable: connection refused", True
        if caused_by(socket.gaierror) or any(s in text for s in ("name or service", "nodename nor servname",
                                                                "name resolution", "getaddrinfo")):
            return f"host not found: {url.host}", False
        rejected = next((c for c in causes if isinstance(c, ssl.SSLCertVerificationError)), None)
        if rejected is not None:
            return f"certificate rejected: {getattr(rejected, 'verify_message', None) or rejected}", False
        if caused_by(ssl.SSLError) or "certificate" in text:
            return f"TLS error: {exc}", False
        unreachable = next((c for c in causes if isinstance(c, OSError)
                            and c.errno in (errno.EHOSTUNREACH, errno.ENETUNREACH)), None)
        if unreachable is not None:
            return f"host unreachable: {(unreachable.strerror or 'no route to host').lower()}", True
        if caused_by(ConnectionResetError):
            return "connection reset", True
        return f"could not connect: {exc}", True
    if isinstance(exc, httpx.RemoteProtocolError):
        if caused_by(ConnectionError) or any(s in text for s in ("disconnected", "peer closed", "reset")):
            return "connection reset", True
        return f"bad HTTP response: {exc}", False
    if isinstance(exc, httpx.ReadError | httpx.WriteError):
        return "connection reset", True
    if isinstance(exc, httpx.UnsupportedProtocol):
        return f"unsupported scheme '{url.scheme}'", False
    if isinstance(exc, httpx.DecodingError):
        return f"could not decode the body: {exc}", False
    return (f"{exc.__class__.__name__}: {exc}" if str(exc) else exc.__class__.__name__), False
