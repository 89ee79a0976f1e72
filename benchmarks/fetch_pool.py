"""Pages per second on loopback: one shared httpx client vs the Fetcher's bounded per-host pools (vs httpx2).

encode/httpx issue 3215 reports ``httpx.AsyncClient`` slowing down at high
concurrency (the connection pool re-examines every connection, under an anyio
lock, on each request). The issue asks to choose between bounded per-host pools
and the API-compatible fork httpx2 by measurement. Variants, each with
``c`` requests in flight (``c`` worker tasks over one queue of URLs):

- ``httpx``: one shared ``httpx.AsyncClient`` with default pool limits (100 connections).
- ``httpx2``: the same with ``httpx2.AsyncClient``, when ``import httpx2`` works.
- ``Fetcher``: ``notice_audit.fetch.client.Fetcher``, one pool per host sized to
  ``per_host`` (= c here), semaphores bounding what is in flight; robots.txt off, no store,
  so the figure is transport plus the fetcher's own checks (redirect loop, caps, decoding).
- ``Fetcher, one pool``: the same fetcher with one pool for every host (``shared_pool=True``).
- ``Fetcher on httpx2``: the Fetcher with ``httpx2`` in place of ``httpx`` (API-compatible).

The server is a small keep-alive asyncio server in a subprocess (so the client has a core to
itself), serving ~2 KB HTML pages. First table: the polite default, two requests in flight per
host over in-flight/2 hosts (ports); second: one host taking everything in flight.
Run: ``python -m benchmarks.fetch_pool [--pages N] [--rounds R]``; best of R rounds per cell.
httpx2 is used when importable (e.g. ``pip install --target DIR httpx2`` and ``PYTHONPATH=DIR``).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from types import ModuleType

from benchmarks.site import KeepAliveHttp, response

PAGE = (b"<!doctype html><html><head><title>Privacy notice</title></head><body><main>"
        + b"<p>We process your personal data to deliver council services.</p>" * 30
        + b"</main></body></html>")


# ------------------------------------------------------------------------------------------ server


_OK = response("200 OK", "text/html; charset=utf-8", PAGE)
_MISSING = response("404 Not Found", "text/plain", b"")


def _http() -> KeepAliveHttp:
    """Answers every GET on the connection with PAGE (keep-alive), /robots.txt with 404."""
    return KeepAliveHttp(lambda path: _MISSING if path == "/robots.txt" else _OK)


async def _serve(hosts: int) -> None:
    loop = asyncio.get_running_loop()
    servers = [await loop.create_server(_http, "127.0.0.1", 0, backlog=1024) for _ in range(hosts)]
    print(" ".join(str(s.sockets[0].getsockname()[1]) for s in servers), flush=True)
    await loop.run_in_executor(None, sys.stdin.read)  # until the parent closes our stdin


# ------------------------------------------------------------------------------------------ clients


async def _drive(urls: list[str], concurrency: int, get: Callable[[str], Awaitable[int]]) -> float:
    """Seconds to fetch every URL with ``concurrency`` workers; checks each body's size."""
    queue = list(reversed(urls))

    async def worker() -> None:
        while queue:
            size = await get(queue.pop())
            assert size == len(PAGE), size

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - started


async def run_plain(module: ModuleType, urls: list[str], concurrency: int) -> float:
    async with module.AsyncClient() as client:

        async def get(url: str) -> int:
            response = await client.get(url)
            return len(response.content)

        return await _drive(urls, concurrency, get)


async def run_fetcher(urls: list[str], concurrency: int, *, shared_pool: bool, per_host: int) -> float:
    from notice_audit.fetch.config import FetchConfig
    from notice_audit.sources.web import NoticeFetcher as Fetcher

    config = FetchConfig(per_host=per_host, concurrency=concurrency, respect_robots=False, retries=0,
                         start_hosts=frozenset({"127.0.0.1"}))  # the servers are on loopback
    async with Fetcher(config, shared_pool=shared_pool) as fetcher:

        async def get(url: str) -> int:
            return len((await fetcher.fetch(url)).content)

        return await _drive(urls, concurrency, get)


def fetcher_on(module: ModuleType) -> None:
    """Point the fetcher at ``module`` (httpx or httpx2: same API)."""
    from notice_audit.fetch import client, robots

    client.httpx = module  # type: ignore[attr-defined]
    robots.httpx = module  # type: ignore[attr-defined]


# ------------------------------------------------------------------------------------------ driver


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=1000, help="pages per measurement")
    parser.add_argument("--rounds", type=int, default=2, help="best of this many rounds per cell")
    parser.add_argument("--levels", default="1,8,32,64")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        asyncio.run(_serve(args.serve))
        return

    import httpx

    try:
        httpx2: ModuleType | None = importlib.import_module("httpx2")
        httpx2_note = f"httpx2 {httpx2.__version__}"
    except ImportError:
        httpx2 = None
        httpx2_note = "httpx2 not importable: `pip install httpx2` failed or not installed; its columns skipped"
    levels = [int(x) for x in args.levels.split(",")]
    hosts = max(1, max(levels) // 2)
    server = subprocess.Popen([sys.executable, "-m", "benchmarks.fetch_pool", "--serve", str(hosts)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        ports = server.stdout.readline().split()

        def one_host(c: int) -> list[str]:
            return [f"http://127.0.0.1:{ports[0]}/page/{i}" for i in range(args.pages)]

        def polite_hosts(c: int) -> list[str]:
            n = max(1, c // 2)  # two requests in flight per host, as the fetcher's default per_host
            return [f"http://127.0.0.1:{ports[i % n]}/page/{i}" for i in range(args.pages)]

        def variants(per_host: Callable[[int], int]) -> dict[str, Callable[[list[str], int], Awaitable[float]]]:
            out: dict[str, Callable[[list[str], int], Awaitable[float]]] = {
                "httpx": lambda u, c: run_plain(httpx, u, c),
                "Fetcher": lambda u, c: run_fetcher(u, c, shared_pool=False, per_host=per_host(c)),
                "Fetcher, one pool": lambda u, c: run_fetcher(u, c, shared_pool=True, per_host=per_host(c)),
            }
            if httpx2 is not None:
                out["httpx2"] = lambda u, c: run_plain(httpx2, u, c)
                out["Fetcher on httpx2"] = lambda u, c: _on(httpx2, run_fetcher(u, c, shared_pool=False,
                                                                                 per_host=per_host(c)))
            return out

        async def _on(module: ModuleType, work: Awaitable[float]) -> float:
            fetcher_on(module)
            try:
                return await work
            finally:
                fetcher_on(httpx)

        def measure(urls_for: Callable[[int], list[str]], per_host: Callable[[int], int], title: str) -> None:
            table = variants(per_host)
            for run in table.values():  # warm-up: imports, TLS contexts, first connections
                asyncio.run(run(urls_for(4)[:50], 4))
            best: dict[tuple[str, int], float] = {}
            for _ in range(args.rounds):
                for c in levels:
                    urls = urls_for(c)
                    for name, run in table.items():
                        seconds = asyncio.run(run(urls, c))
                        best[name, c] = max(best.get((name, c), 0.0), len(urls) / seconds)
            names = list(table)
            print(f"\n{title}\n")
            head = " | ".join(f"{n} (pages/s)" for n in names)
            ratio_cols = ["Fetcher / httpx"] + (["httpx2 / httpx", "Fetcher on httpx2 / Fetcher"] if httpx2 else [])
            print(f"| in flight | {head} | {' | '.join(ratio_cols)} |")
            print("|---" * (1 + len(names) + len(ratio_cols)) + "|")
            for c in levels:
                cells = " | ".join(f"{best[n, c]:.0f}" for n in names)
                ratios = [best["Fetcher", c] / best["httpx", c]]
                if httpx2:
                    ratios += [best["httpx2", c] / best["httpx", c], best["Fetcher on httpx2", c] / best["Fetcher", c]]
                print(f"| {c} | {cells} | {' | '.join(f'{r:.2f}' for r in ratios)} |")

        started = time.perf_counter()
        try:
            importlib.import_module("sniffio")
            sniffio_note = "sniffio importable"
        except ImportError:  # httpcore then retries `import sniffio` for every lock it makes: ~0.1 ms a request
            sniffio_note = "sniffio NOT importable (httpcore pays a failed import per lock)"
        print(f"{args.pages} pages of {len(PAGE)} bytes per cell, best of {args.rounds}; httpx {httpx.__version__}; "
              f"{httpx2_note}; {sniffio_note}")
        measure(polite_hosts, lambda c: min(2, c),
                "Polite default: 2 in flight per host over in-flight/2 hosts (Fetcher: per_host 2)")
        measure(one_host, lambda c: c, "One host, everything in flight to it (Fetcher: per_host = concurrency)")
        print(f"\n(total {time.perf_counter() - started:.0f} s)")
    finally:
        if server.stdin:
            server.stdin.close()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    main()
