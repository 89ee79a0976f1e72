"""Peak memory when fetching an oversized page and a gzip bomb with the size cap on.

Each case runs in a fresh subprocess (so its peak RSS is that fetch's high-water mark) against a
loopback server in this process. Cases:

- ``small``: a 100 KB page (the baseline: interpreter, httpx and the fetcher loaded).
- ``oversized``: 256 MiB of text, chunked with no Content-Length, against the cap.
- ``bomb``: 1 GiB of zeros gzip-compressed (~1 MiB on the wire), ``Content-Encoding: gzip``.
- ``bomb-httpx``: the same bomb read with httpx's own ``aiter_bytes`` and the same cap check, for
  comparison: httpx inflates each network chunk in one call, so one 64 KiB chunk becomes ~64 MiB.

Run: ``python -m benchmarks.fetch_memory [--cap BYTES]``. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import subprocess
import sys
import threading
import time
import tracemalloc
import zlib
from collections.abc import Iterator

MiB = 1024 * 1024


def make_bomb(zeros: int) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    block = b"\0" * MiB
    return b"".join(packer.compress(block) for _ in range(zeros // MiB)) + packer.flush()


class Server:
    """A loopback HTTP server in a thread: /small, /oversized (chunked, endless-ish), /bomb (gzip)."""

    def __init__(self, bomb: bytes, oversized: int) -> None:
        self.bomb = bomb
        self.oversized = oversized
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.port = 0
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        server = self.loop.run_until_complete(asyncio.start_server(self._handle, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        self.ready.set()
        self.loop.run_forever()
        server.close()

    def __enter__(self) -> Server:
        self.thread.start()
        self.ready.wait(10)
        return self

    def __exit__(self, *exc: object) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)

    def _chunks(self) -> Iterator[bytes]:
        piece = (b"All work and no play makes a notice dull. " * 1600)[: 64 * 1024]
        for _ in range(self.oversized // len(piece)):
            yield piece

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            path = head.split(b" ", 2)[1].decode()
            if path == "/small":
                body = b"<p>" + b"x" * 100_000 + b"</p>"
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n"
                             + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
            elif path == "/bomb":
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n"
                             + f"Connection: close\r\nContent-Length: {len(self.bomb)}\r\n\r\n".encode())
                for i in range(0, len(self.bomb), 64 * 1024):
                    writer.write(self.bomb[i : i + 64 * 1024])
                    await writer.drain()
            else:
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n"
                             b"Connection: close\r\n\r\n")
                for chunk in self._chunks():
                    writer.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                    await writer.drain()
                writer.write(b"0\r\n\r\n")
            await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()


# ---------------------------------------------------------------------------------------- the measured child


async def _fetcher(url: str, cap: int) -> str:
    from notice_audit.fetch.config import FetchConfig
    from notice_audit.fetch.local import FetchError
    from notice_audit.sources.web import NoticeFetcher as Fetcher

    config = FetchConfig(max_bytes=cap, respect_robots=False, retries=0).starting_at([url])  # a loopback server
    async with Fetcher(config) as fetcher:
        try:
            page = await fetcher.fetch(url)
        except FetchError as exc:
            return f"FetchError: {exc}"
        return f"ok, {len(page.content)} bytes"


async def _httpx_bytes(url: str, cap: int) -> str:
    import httpx

    async with httpx.AsyncClient() as client, client.stream("GET", url) as response:
        total = 0
        chunks = []
        async for chunk in response.aiter_bytes():
            total += len(chunk)
            if total > cap:
                return f"stopped over the cap (one decoded chunk was {len(chunk)} bytes)"
            chunks.append(chunk)
        return f"ok, {total} bytes"


def peak_rss_kib() -> int:
    """This process's peak RSS in KiB: VmHWM where there is /proc, else ru_maxrss.

    On Linux ``ru_maxrss`` survives ``execve``, so a child started from a large parent reports the
    parent's size; VmHWM belongs to the new address space and does not.
    """
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def child(case: str, url: str, cap: int) -> None:
    tracemalloc.start()
    started = time.perf_counter()
    fetch = _httpx_bytes if case == "bomb-httpx" else _fetcher
    outcome = asyncio.run(fetch(url, cap))
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    rss_kib = peak_rss_kib()
    print(json.dumps({"outcome": outcome, "traced_peak": peak, "maxrss_kib": rss_kib, "seconds": seconds}))


# ---------------------------------------------------------------------------------------- the driver


def measure(cap: int = 10 * MiB, bomb_mib: int = 1024, oversized_mib: int = 256) -> list[tuple[str, str, dict]]:
    """Run every case in its own process; (case, label, result) per case, the baseline first."""
    started = time.perf_counter()
    bomb = make_bomb(bomb_mib * MiB)
    print(f"bomb: {bomb_mib} MiB of zeros -> {len(bomb) / MiB:.2f} MiB gzip "
          f"(built in {time.perf_counter() - started:.1f} s); cap {cap / MiB:g} MiB", file=sys.stderr)
    cases = [
        ("small", "/small", "100 KB page (baseline)"),
        ("oversized", "/oversized", f"{oversized_mib} MiB chunked page, no Content-Length"),
        ("bomb", "/bomb", f"gzip bomb: {len(bomb) / MiB:.2f} MiB -> {bomb_mib} MiB"),
        ("bomb-httpx", "/bomb", "same bomb, httpx aiter_bytes + cap (not used)"),
    ]
    rows = []
    with Server(bomb, oversized_mib * MiB) as server:
        base = f"http://127.0.0.1:{server.port}"
        for case, path, label in cases:
            proc = subprocess.run(
                [sys.executable, "-m", "benchmarks.fetch_memory", "--child", case, base + path, str(cap)],
                capture_output=True, text=True, timeout=120, check=True,
            )
            result = json.loads(proc.stdout.strip().splitlines()[-1])
            rows.append((case, label, result))
    return rows


def table(rows: list[tuple[str, str, dict]]) -> list[str]:
    """The Markdown table of ``measure``'s rows."""
    baseline_rss = rows[0][2]["maxrss_kib"]
    lines = ["| case | outcome | time | tracemalloc peak | peak RSS | peak RSS over baseline |",
             "|---|---|---|---|---|---|"]
    for _case, label, r in rows:
        over = (r["maxrss_kib"] - baseline_rss) / 1024
        lines.append(f"| {label} | {r['outcome']} | {r['seconds']:.2f} s | {r['traced_peak'] / MiB:.1f} MiB "
                     f"| {r['maxrss_kib'] / 1024:.1f} MiB | {over:+.1f} MiB |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cap", type=int, default=10 * MiB, help="max_bytes (default: the fetcher's 10 MiB)")
    parser.add_argument("--bomb-mib", type=int, default=1024, help="inflated size of the gzip bomb")
    parser.add_argument("--oversized-mib", type=int, default=256)
    parser.add_argument("--child", nargs=3, metavar=("CASE", "URL", "CAP"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        case, url, cap = args.child
        child(case, url, int(cap))
        return
    print("\n".join(table(measure(args.cap, args.bomb_mib, args.oversized_mib))))


if __name__ == "__main__":
    main()
