"""A single polite GET of one URL (the crawler builds on this in its own package).

Streams the body with a size cap so that a huge or endless response cannot
exhaust memory, and maps the response's content type to a parser.
"""

from __future__ import annotations

from datetime import UTC, datetime

import httpx

from notice_audit import __version__
from notice_audit.fetch.local import FetchError
from notice_audit.model import Page

USER_AGENT = f"notice-audit/{__version__} (+https://pypi.org/project/notice-audit/)"
MAX_BYTES = 10 * 1024 * 1024
TIMEOUT = httpx.Timeout(20.0, connect=10.0)
_MEDIA_TYPES = {
    "text/html": "text/html",
    "application/xhtml+xml": "text/html",
    "text/plain": "text/plain",
    "text/markdown": "text/markdown",
    "text/x-markdown": "text/markdown",
}


def fetch_url(url: str, *, client: httpx.Client | None = None, max_bytes: int = MAX_BYTES) -> Page:
    """GET ``url`` and return its Page, or raise FetchError saying what went wrong."""
    own = client is None
    http = client or httpx.Client(
        headers={"User-Agent": USER_AGENT}, timeout=TIMEOUT, follow_redirects=True, max_redirects=10
    )
    try:
        with http.stream("GET", url) as response:
            if response.status_code >= 400:
                raise FetchError(f"HTTP {response.status_code} {response.reason_phrase}".strip())
            content_type = response.headers.get("content-type", "text/html")
            mime = content_type.split(";")[0].strip().lower()
            media_type = _MEDIA_TYPES.get(mime)
            if media_type is None:
                raise FetchError(f"unsupported content type '{mime}'")
            chunks: list[bytes] = []
            total = 0
            for chunk in response.iter_bytes():
                total += len(chunk)
                if total > max_bytes:
                    raise FetchError(f"page larger than {max_bytes} bytes")
                chunks.append(chunk)
            return Page(
                source=url,
                url=str(response.url),
                content=b"".join(chunks),
                media_type=media_type,
                status=response.status_code,
                headers=dict(response.headers),
                fetched_at=datetime.now(UTC).isoformat(timespec="seconds"),
                encoding=response.charset_encoding,
            )
    except httpx.TooManyRedirects as exc:
        raise FetchError("too many redirects") from exc
    except httpx.TimeoutException as exc:
        raise FetchError("timed out") from exc
    except httpx.HTTPError as exc:
        raise FetchError(f"could not fetch: {exc.__class__.__name__}: {exc}") from exc
    finally:
        if own:
            http.close()
