"""A synthetic council web site on loopback, for crawl and fetch throughput.

``python -m benchmarks.site --pages N`` serves, on a free port of 127.0.0.1 (printed on the first
line of standard output; it runs until its standard input closes):

- ``/``: an index page linking to every notice ("Privacy notice: <service> (K)");
- ``/privacy/notice-K`` for K in 0..N-1: a whole notice web page (``synthetic.notice_page``:
  furniture, headings, lists, tables), one of ``--variants`` pre-built pages of about ``--size`` bytes;
- ``/sitemap.xml``: every notice URL; ``/robots.txt``: allow all, with the sitemap;
- anything else: 404.

It is a small keep-alive asyncio server (HTTP/1.1, Content-Length, pipelining tolerated), run in
its own process by :class:`Site` so that the client being measured has a core to itself.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
from collections.abc import Callable
from types import TracebackType

from benchmarks.synthetic import SERVICES, notice_page


def response(status: str, media: str, body: bytes) -> bytes:
    """A whole HTTP/1.1 response with its length, ready to write to a keep-alive connection."""
    return (f"HTTP/1.1 {status}\r\nContent-Type: {media}\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body


class _Pages:
    def __init__(self, pages: int, size: int, variants: int) -> None:
        self.pages = pages
        self.notices = [response("200 OK", "text/html; charset=utf-8", notice_page(size, seed=1000 + v).encode())
                        for v in range(variants)]
        links = "".join(f"<li><a href='/privacy/notice-{k}'>Privacy notice: {SERVICES[k % len(SERVICES)]} "
                        f"({k})</a></li>" for k in range(pages))
        index = ("<!doctype html><html lang='en'><head><title>Lowmoor Borough Council</title></head><body>"
                 f"<main><h1>Our privacy notices</h1><ul>{links}</ul></main></body></html>")
        self.index = response("200 OK", "text/html; charset=utf-8", index.encode())
        self.missing = response("404 Not Found", "text/plain", b"not found")
        self.port = 0

    def ready(self, port: int) -> None:
        base = f"http://127.0.0.1:{port}"
        urls = "".join(f"<url><loc>{base}/privacy/notice-{k}</loc></url>" for k in range(self.pages))
        sitemap = ("<?xml version='1.0' encoding='UTF-8'?>"
                   f"<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>{urls}</urlset>")
        self.sitemap = response("200 OK", "application/xml", sitemap.encode())
        robots = f"User-agent: *\nAllow: /\nSitemap: {base}/sitemap.xml\n"
        self.robots = response("200 OK", "text/plain", robots.encode())

    def answer(self, path: str) -> bytes:
        if path.startswith("/privacy/notice-"):
            number = path.removeprefix("/privacy/notice-")
            if number.isdigit() and int(number) < self.pages:
                return self.notices[int(number) % len(self.notices)]
            return self.missing
        return {"/": self.index, "/sitemap.xml": self.sitemap, "/robots.txt": self.robots}.get(path, self.missing)


class KeepAliveHttp(asyncio.Protocol):
    """A minimal keep-alive HTTP/1.1 server connection: each request head gets ``answer(path)``."""

    def __init__(self, answer: Callable[[str], bytes]) -> None:
        self.answer = answer
        self.buffer = b""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head, self.buffer = self.buffer[:end], self.buffer[end + 4 :]
            parts = head.split(b" ", 2)
            path = parts[1].decode("latin-1").split("?", 1)[0] if len(parts) > 1 else "/"
            self.transport.write(self.answer(path))  # type: ignore[attr-defined]


async def _serve(pages: _Pages) -> None:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: KeepAliveHttp(pages.answer), "127.0.0.1", 0, backlog=1024)
    port = server.sockets[0].getsockname()[1]
    pages.ready(port)
    print(port, flush=True)
    await loop.run_in_executor(None, sys.stdin.read)  # until the parent closes our stdin


class Site:
    """The site in a subprocess: ``with Site(pages) as site: site.base``, ``site.notice_urls``."""

    def __init__(self, pages: int, *, size: int = 12_000, variants: int = 40) -> None:
        self.pages = pages
        self.args = [sys.executable, "-m", "benchmarks.site", "--pages", str(pages), "--size", str(size),
                     "--variants", str(variants)]
        self.proc: subprocess.Popen[str] | None = None
        self.base = ""

    def __enter__(self) -> Site:
        self.proc = subprocess.Popen(self.args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().strip()
        if not line.isdigit():
            self.__exit__(None, None, None)
            raise RuntimeError(f"the loopback site did not start (said {line!r})")
        self.base = f"http://127.0.0.1:{line}"
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self.proc is None:
            return
        if self.proc.stdin:
            self.proc.stdin.close()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    @property
    def notice_urls(self) -> list[str]:
        return [f"{self.base}/privacy/notice-{k}" for k in range(self.pages)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--size", type=int, default=12_000, help="bytes per notice page (about)")
    parser.add_argument("--variants", type=int, default=40, help="distinct notice pages (URLs cycle over them)")
    args = parser.parse_args()
    asyncio.run(_serve(_Pages(args.pages, args.size, args.variants)))


if __name__ == "__main__":
    main()
