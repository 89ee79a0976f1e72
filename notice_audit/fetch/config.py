"""Settings for the web fetcher: politeness, safety caps and the snapshot store.

One frozen object so that a crawl's behaviour can be read (and hashed into a
crawl key for resuming) in one place; the CLI maps its options onto it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from notice_audit.fetch.addresses import normal_host
from notice_audit.version import __version__

DEFAULT_USER_AGENT = (
    f"notice-audit/{__version__} (+https://github.com/notice-audit/notice-audit; privacy-notice auditor)"
)


def robots_token(user_agent: str) -> str:
    """The product token robots.txt groups are matched against ("notice-audit").

    Matching the whole User-Agent would let words in the contact URL match
    unrelated groups (a ``User-agent: github`` group, say).
    """
    words = user_agent.strip().split()
    return words[0].split("/", 1)[0] if words else "*"


def host_allowed(host: str, allowed: frozenset[str] | None) -> bool:
    """Whether ``host`` is on the allow-list: exact names, or ``.example.org`` for it and its subdomains."""
    if allowed is None:
        return True
    host = host.lower().rstrip(".")
    for entry in allowed:
        entry = entry.lower().rstrip(".")
        if entry.startswith("."):
            if host == entry[1:] or host.endswith(entry):
                return True
        elif host == entry:
            return True
    return False


@dataclass(frozen=True, slots=True)
class FetchConfig:
    """How the fetcher behaves; the defaults are polite and safe for crawling sites one does not own."""

    user_agent: str = DEFAULT_USER_AGENT
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    max_bytes: int = 10 * 1024 * 1024  # decoded body cap, enforced while streaming
    max_redirects: int = 10
    retries: int = 3  # extra attempts for transient failures
    backoff: float = 0.5  # base seconds: backoff * 2**attempt, with full jitter
    max_retry_after: float = 120.0  # longer Retry-After => give up with a clear error
    concurrency: int = 8  # requests in flight overall
    per_host: int = 2  # requests in flight per host
    delay: float = 0.0  # minimum seconds between request starts to one host
    respect_robots: bool = True  # robots.txt (protego), including Crawl-delay (max(delay, crawl-delay))
    allowed_hosts: frozenset[str] | None = None  # None = any host
    # Loopback, private, link-local and unspecified addresses are refused on every hop (see fetch/addresses.py),
    # except the run's own start hosts (names or addresses, as given), or all of them with allow_private:
    allow_private: bool = False
    start_hosts: frozenset[str] = frozenset()
    snapshot_dir: Path | None = None  # where snapshots live; None = no store
    offline: bool = False  # serve only from snapshots; a URL without one is a FetchError
    conditional: bool = True  # If-None-Match / If-Modified-Since from the latest snapshot
    # Extras beyond the shared interface (safe defaults, so callers may ignore them):
    total_timeout: float = 120.0  # one attempt (headers + body): a server dripping a byte at a time cannot hold a slot
    max_crawl_delay: float = 60.0  # a longer robots.txt Crawl-delay => give up on that host with a clear error
    max_backoff: float = 30.0  # ceiling of one exponential back-off sleep

    def __post_init__(self) -> None:
        if self.concurrency < 1 or self.per_host < 1:
            raise ValueError("concurrency and per_host must be at least 1")
        if self.max_bytes < 1:
            raise ValueError("max_bytes must be positive")
        if min(self.connect_timeout, self.read_timeout, self.total_timeout) <= 0:
            raise ValueError("time-outs must be positive")
        if self.retries < 0 or self.max_redirects < 0 or self.delay < 0 or self.backoff < 0:
            raise ValueError("retries, max_redirects, delay and backoff cannot be negative")
        if self.allowed_hosts is not None and not isinstance(self.allowed_hosts, frozenset):
            object.__setattr__(self, "allowed_hosts", frozenset(self.allowed_hosts))
        if self.snapshot_dir is not None and not isinstance(self.snapshot_dir, Path):
            object.__setattr__(self, "snapshot_dir", Path(self.snapshot_dir))
        object.__setattr__(self, "start_hosts", frozenset(normal_host(h) for h in self.start_hosts))

    def starting_at(self, urls: Iterable[str]) -> FetchConfig:
        """This config for a run that starts at ``urls``: their hosts may be private (a site audited from
        inside its own network, or a test server on 127.0.0.1); hosts reached from them may not."""
        urls = list(urls)
        if not urls:
            return self  # a run of local files: nothing to parse, and no HTTP client to load for it
        import httpx  # its URL parser: the host as the fetcher will read it

        hosts = set(self.start_hosts)
        for url in urls:
            try:
                host = httpx.URL(url.strip()).host
            except (httpx.InvalidURL, TypeError, ValueError):
                continue  # the fetch itself says what is wrong with it
            if host:
                hosts.add(host)
        return replace(self, start_hosts=frozenset(hosts))
