"""The snapshot store: versions, integrity, conditional GET, offline mode, crawl resume, concurrent writers."""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
from pathlib import Path

import pytest

from notice_audit.fetch.local import FetchError
from notice_audit.fetch.store import SnapshotStore, crawl_key
from notice_audit.model import Page
from notice_audit.sources.web import NoticeFetcher as Fetcher
from tests.test_fetch_client import HTML, Reply, Seen, cfg, expect_error, run, serve


def page(url: str, body: bytes, *, final: str | None = None, at: str = "2026-01-01T00:00:00+00:00",
         headers: dict[str, str] | None = None) -> Page:
    return Page(source=url, url=final or url, content=body, media_type="text/html", status=200,
                headers=headers or {"Content-Type": "text/html; charset=utf-8"}, fetched_at=at, encoding="utf-8")


def objects(root: Path) -> list[Path]:
    return [p for p in (root / "objects").rglob("*") if p.is_file() and not p.name.startswith(".tmp")]


def test_save_latest_history(tmp_path: Path) -> None:
    store = SnapshotStore(tmp_path / "snaps")
    url = "https://example.org/privacy"
    validators = {"Content-Type": "text/html; charset=utf-8", "ETag": '"a"',
                  "Last-Modified": "Thu, 01 Jan 2026 00:00:00 GMT"}
    store.save(page(url, b"<p>one</p>", final=url + "/", at="2026-01-01T00:00:00+00:00", headers=validators))
    store.save(page(url, b"<p>two</p>", final=url + "/", at="2026-02-01T00:00:00+00:00"))
    store.save(page(url, b"<p>one</p>", final=url + "/", at="2026-03-01T00:00:00+00:00"))

    latest = store.latest(url)
    assert latest is not None and latest.page.content == b"<p>one</p>"
    assert latest.page.fetched_at.startswith("2026-03") and latest.etag is None
    by_final = store.latest(url + "/")
    assert by_final is not None and by_final.page.fetched_at == latest.page.fetched_at
    history = store.history(url)
    assert [s.page.fetched_at[:7] for s in history] == ["2026-01", "2026-02", "2026-03"]
    assert history[0].etag == '"a"' and history[0].last_modified == "Thu, 01 Jan 2026 00:00:00 GMT"
    assert history[0].page.headers["content-type"] == "text/html; charset=utf-8"  # keys lower-cased
    assert history[0].page.encoding == "utf-8" and history[0].page.status == 200
    assert len(objects(tmp_path / "snaps")) == 2  # three fetches, two distinct bodies
    assert store.latest("https://example.org/other") is None and store.history("nope") == []
    assert store.urls() == [url]
    with sqlite3.connect(tmp_path / "snaps" / "index.sqlite") as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_damaged_body_is_never_served(tmp_path: Path) -> None:
    store = SnapshotStore(tmp_path)
    url = "https://example.org/privacy"
    store.save(page(url, b"<p>old</p>", at="2026-01-01T00:00:00+00:00"))
    store.save(page(url, b"<p>new</p>", at="2026-02-01T00:00:00+00:00"))
    newest = store.latest(url)
    assert newest is not None
    digest = newest.page.content_hash.removeprefix("sha256:")
    (tmp_path / "objects" / digest[:2] / digest[2:]).write_bytes(b"<p>tampered</p>")
    fallback = store.latest(url)
    assert fallback is not None and fallback.page.content == b"<p>old</p>"
    assert len(store.history(url)) == 1


def test_conditional_get_returns_the_stored_page_on_304(tmp_path: Path) -> None:
    async def main() -> None:
        def app(seen: Seen) -> Reply:
            if seen.headers.get("if-none-match") == '"v1"':
                return Reply(304, b"", None, headers=[("ETag", '"v1"')])
            return Reply(headers=[("ETag", '"v1"'), ("Last-Modified", "Thu, 01 Jan 2026 00:00:00 GMT")])

        async with serve(app) as srv:
            async with Fetcher(cfg(snapshot_dir=tmp_path)) as f:
                first = await f.fetch(srv.url + "/notice")
                second = await f.fetch(srv.url + "/notice")
                assert f.stats.not_modified == 1 and f.stats.fetched == 1
            assert "if-none-match" not in srv.seen[0].headers
            assert srv.seen[1].headers["if-none-match"] == '"v1"'
            assert srv.seen[1].headers["if-modified-since"] == "Thu, 01 Jan 2026 00:00:00 GMT"
            assert second.content == first.content == HTML and second.status == 200
            assert second.source == srv.url + "/notice" and second.headers["etag"] == '"v1"'
            assert len(SnapshotStore(tmp_path).history(srv.url + "/notice")) == 2  # the re-validation is on record

    run(main())


def test_a_changed_page_is_stored_as_a_new_version(tmp_path: Path) -> None:
    async def main() -> None:
        versions = iter([b"<p>version one</p>", b"<p>version two</p>"])

        def app(seen: Seen) -> Reply:
            return Reply(body=next(versions), headers=[("ETag", f'"{len(srv.seen)}"')])

        async with serve(app) as srv:
            async with Fetcher(cfg(snapshot_dir=tmp_path)) as f:
                await f.fetch(srv.url + "/notice")
                changed = await f.fetch(srv.url + "/notice")
            assert srv.seen[1].headers["if-none-match"] == '"1"'  # asked, but the page had changed
            assert changed.content == b"<p>version two</p>"
        history = SnapshotStore(tmp_path).history(srv.url + "/notice")
        assert [s.page.content for s in history] == [b"<p>version one</p>", b"<p>version two</p>"]

    run(main())


def test_conditional_requests_follow_redirects_to_the_stored_final_url(tmp_path: Path) -> None:
    async def main() -> None:
        def app(seen: Seen) -> Reply:
            if seen.path == "/privacy":
                return Reply(301, b"", headers=[("Location", "/privacy/")])
            if seen.headers.get("if-none-match") == '"x"':
                return Reply(304, b"", None)
            return Reply(headers=[("ETag", '"x"')])

        async with serve(app) as srv, Fetcher(cfg(snapshot_dir=tmp_path)) as f:
            await f.fetch(srv.url + "/privacy")
            again = await f.fetch(srv.url + "/privacy")
            assert "if-none-match" not in srv.seen[2].headers  # the redirecting URL gets no validators
            assert srv.seen[3].headers["if-none-match"] == '"x"' and f.stats.not_modified == 1
            assert again.url == srv.url + "/privacy/" and again.source == srv.url + "/privacy"

    run(main())


def test_offline_serves_snapshots_without_any_server(tmp_path: Path) -> None:
    async def main() -> str:
        async with serve({"/notice": Reply()}) as srv, Fetcher(cfg(snapshot_dir=tmp_path)) as f:
            await f.fetch(srv.url + "/notice")
            return srv.url

    url = run(main())  # the server is gone after this

    async def offline() -> None:
        async with Fetcher(cfg(snapshot_dir=tmp_path, offline=True)) as f:
            stored = await f.fetch(url + "/notice")
            assert stored.content == HTML and stored.media_type == "text/html" and f.stats.from_store == 1
            assert f.stats.requests == 0
            assert await expect_error(f, url + "/never-fetched") == "no snapshot for URL (offline)"
        async with Fetcher(cfg(offline=True)) as f:  # offline without a store at all
            assert await expect_error(f, url + "/notice") == "no snapshot for URL (offline)"

    run(offline())


def test_crawl_resume_bookkeeping(tmp_path: Path) -> None:
    store = SnapshotStore(tmp_path)
    key = crawl_key(["https://b.example/", "https://a.example/"], {"max_pages": 50})
    assert key == crawl_key(["https://a.example/", "https://b.example/"], {"max_pages": 50})
    assert key != crawl_key(["https://a.example/"], {"max_pages": 50})

    first = store.begin_crawl(key)
    store.mark_fetched(first, "https://a.example/privacy")
    store.mark_fetched(first, "https://a.example/privacy")  # idempotent
    resumed = SnapshotStore(tmp_path).begin_crawl(key)  # as after an interrupted run
    assert resumed == first and store.fetched_in(resumed) == {"https://a.example/privacy"}
    other = store.begin_crawl("another key")
    assert other != first and store.fetched_in(other) == set()

    store.finish_crawl(first)
    fresh = store.begin_crawl(key)
    assert fresh != first and store.fetched_in(fresh) == set()
    assert store.begin_crawl(key) == fresh


def _writer(root: str, worker: int, count: int) -> None:
    store = SnapshotStore(Path(root))
    crawl = store.begin_crawl("shared crawl")
    for i in range(count):
        url = f"https://example.org/w{worker}/p{i}"
        store.save(page(url, f"<p>{worker}:{i}</p>".encode() + b"x" * 2000))
        store.save(page("https://example.org/shared", b"<p>the same body for everyone</p>"))
        store.mark_fetched(crawl, url)


def test_concurrent_writers_do_not_corrupt_the_store(tmp_path: Path) -> None:
    count = 30
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(tmp_path), w, count)) for w in range(2)]
    threads = [threading.Thread(target=_writer, args=(str(tmp_path), w, count)) for w in (2, 3)]
    for worker in [*procs, *threads]:
        worker.start()
    for t in threads:
        t.join(60)
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    store = SnapshotStore(tmp_path)
    with sqlite3.connect(tmp_path / "index.sqlite") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT COUNT(*) FROM fetches").fetchone()[0] == 4 * count * 2
        assert conn.execute("SELECT COUNT(*) FROM crawls").fetchone()[0] == 1  # all four joined one crawl
    for w in range(4):
        for i in range(count):
            snap = store.latest(f"https://example.org/w{w}/p{i}")
            assert snap is not None and snap.page.content.startswith(f"<p>{w}:{i}</p>".encode())
    assert len(store.history("https://example.org/shared")) == 4 * count
    assert len(objects(tmp_path)) == 4 * count + 1
    assert not [p for p in (tmp_path / "objects").rglob(".tmp-*")]
    crawl = store.begin_crawl("shared crawl")
    assert len(store.fetched_in(crawl)) == 4 * count


def test_snapshot_dir_in_the_config_opens_a_store(tmp_path: Path) -> None:
    fetcher = Fetcher(cfg(snapshot_dir=tmp_path / "s"))
    assert fetcher.store is not None and (tmp_path / "s" / "index.sqlite").exists()
    with pytest.raises(FetchError, match="offline"):
        run(Fetcher(cfg(snapshot_dir=tmp_path / "s", offline=True)).fetch("https://example.org/"))
