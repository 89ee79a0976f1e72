"""The snapshot store: every fetched page kept as evidence, and crawl bookkeeping for resuming.

Layout under ``root``::

    index.sqlite          SQLite in WAL mode: one row per fetch, crawls, URLs done per crawl
    objects/ab/cdef...    bodies, named by the SHA-256 of their bytes (stored once however often fetched)

Why this shape: bodies are content-addressed so that re-fetching an unchanged
page costs one index row, and a body's name proves what it holds (it is
re-hashed on read; a damaged file is skipped, never served). A body is written
to a temporary file, flushed and renamed into place before its index row is
committed, so a crash leaves at worst an unreferenced file, never a row
pointing at half a body. WAL plus a busy time-out lets several processes (or
threads) write at once; each call opens its own connection, so the store is
safe to use from threads and after ``fork``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import time
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from notice_audit.errors import UsageError
from notice_audit.model import Page

SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS fetches (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    source TEXT NOT NULL,
    url TEXT NOT NULL,
    status INTEGER,
    media_type TEXT NOT NULL,
    encoding TEXT,
    headers TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    size INTEGER NOT NULL,
    etag TEXT,
    last_modified TEXT
);
CREATE INDEX IF NOT EXISTS fetches_by_source ON fetches (source, id);
CREATE INDEX IF NOT EXISTS fetches_by_url ON fetches (url, id);
CREATE TABLE IF NOT EXISTS crawls (
    id TEXT PRIMARY KEY,
    key TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT
);
CREATE INDEX IF NOT EXISTS crawls_by_key ON crawls (key, finished_at);
CREATE TABLE IF NOT EXISTS crawl_urls (
    crawl_id TEXT NOT NULL REFERENCES crawls (id),
    url TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (crawl_id, url)
) WITHOUT ROWID;
"""
_COLUMNS = "source, url, status, media_type, encoding, headers, fetched_at, content_hash, size, etag, last_modified"


class StoreError(UsageError):
    """A snapshot store whose index cannot be used (not SQLite, damaged); the message names the file."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def crawl_key(start_urls: Iterable[str], options: Mapping[str, Any] | None = None) -> str:
    """A canonical key for ``begin_crawl``: same start URLs (any order) and options => same key."""
    payload = {"urls": sorted(set(start_urls)), "options": dict(sorted((options or {}).items()))}
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One stored fetch: the page as it was, and the validators for a conditional re-fetch."""

    page: Page
    etag: str | None
    last_modified: str | None


class SnapshotStore:
    """Snapshots on disk: bodies content-addressed under objects/, an index in SQLite (WAL), written atomically."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.objects = self.root / "objects"
        self.objects.mkdir(parents=True, exist_ok=True)
        self.index = self.root / "index.sqlite"
        self._init_db()

    # -- database plumbing -------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.index, timeout=30.0, isolation_level=None)
        conn.execute("PRAGMA busy_timeout = 30000")
        conn.execute("PRAGMA synchronous = NORMAL")  # durable enough with WAL; a power cut loses at most the tail
        return conn

    @contextlib.contextmanager
    def _db(self, *, write: bool = False) -> Iterator[sqlite3.Connection]:
        conn = self._connect()
        try:
            if write:
                conn.execute("BEGIN IMMEDIATE")  # take the write lock up front: no upgrade deadlocks
                try:
                    yield conn
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
            else:
                yield conn
        finally:
            conn.close()

    def _init_db(self) -> None:
        # Two processes creating the same store at once may briefly see "locked" on the journal switch.
        for attempt in range(50):
            try:
                with self._db() as conn:
                    if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                        conn.execute("PRAGMA journal_mode = WAL")
                with self._db(write=True) as conn:
                    for statement in _SCHEMA.split(";"):
                        if statement.strip():
                            conn.execute(statement)
                    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise self._unusable(exc) from exc
                time.sleep(0.02 * (attempt + 1))
            except sqlite3.DatabaseError as exc:  # not a database, or a damaged one
                raise self._unusable(exc) from exc
        raise sqlite3.OperationalError(f"snapshot index {self.index} stayed locked")

    def _unusable(self, exc: sqlite3.Error) -> StoreError:
        return StoreError(f"{self.index}: the snapshot store's index cannot be used ({exc}); move the folder "
                          "aside, or pass --snapshots DIR or --no-snapshots")

    # -- bodies ---------------------------------------------------------------

    def _object_path(self, digest: str) -> Path:
        hexdigest = digest.removeprefix("sha256:")
        return self.objects / hexdigest[:2] / hexdigest[2:]

    def _write_object(self, data: bytes, digest: str) -> None:
        path = self._object_path(digest)
        if path.exists() and path.stat().st_size == len(data):
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.parent / f".tmp-{os.getpid()}-{uuid.uuid4().hex}"
        try:
            with open(tmp, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)  # atomic: readers see the old state or the whole body
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()

    def _read_object(self, digest: str) -> bytes | None:
        """The body for ``digest``, or None if it is missing or does not hash to its name."""
        try:
            data = self._object_path(digest).read_bytes()
        except OSError:
            return None
        return data if "sha256:" + hashlib.sha256(data).hexdigest() == digest else None

    # -- snapshots -------------------------------------------------------------

    def save(self, page: Page) -> None:
        """Keep this fetch: the body once per content hash, and one index row per call."""
        digest = page.content_hash
        self._write_object(page.content, digest)
        headers = {k.lower(): v for k, v in page.headers.items()}
        row = (
            page.source,
            page.url,
            page.status,
            page.media_type,
            page.encoding,
            json.dumps(headers, sort_keys=True),
            page.fetched_at or _now(),
            digest,
            len(page.content),
            headers.get("etag"),
            headers.get("last-modified"),
        )
        with self._db(write=True) as conn:
            conn.execute(f"INSERT INTO fetches ({_COLUMNS}) VALUES ({', '.join('?' * 11)})", row)

    def _snapshots(self, url: str, *, newest_first: bool) -> Iterator[Snapshot]:
        order = "DESC" if newest_first else "ASC"
        with self._db() as conn:
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM fetches WHERE source = ? OR url = ? ORDER BY id {order}", (url, url)
            ).fetchall()
        for source, final, status, media_type, encoding, headers, fetched_at, digest, _size, etag, modified in rows:
            content = self._read_object(digest)
            if content is None:
                continue  # a damaged or missing body is never served as evidence
            page = Page(
                source=source,
                url=final,
                content=content,
                media_type=media_type,
                status=status,
                headers=json.loads(headers),
                fetched_at=fetched_at,
                encoding=encoding,
            )
            yield Snapshot(page, etag, modified)

    def latest(self, url: str) -> Snapshot | None:
        """The newest readable snapshot whose requested or final URL is ``url``."""
        return next(self._snapshots(url, newest_first=True), None)

    def history(self, url: str) -> list[Snapshot]:
        """Every readable snapshot of ``url`` (requested or final URL), oldest first."""
        return list(self._snapshots(url, newest_first=False))

    def urls(self) -> list[str]:
        """Every requested URL with at least one snapshot, sorted."""
        with self._db() as conn:
            return [r[0] for r in conn.execute("SELECT DISTINCT source FROM fetches ORDER BY source")]

    # -- crawl resume bookkeeping ---------------------------------------------

    def begin_crawl(self, key: str) -> str:
        """A crawl id for ``key``: the newest unfinished crawl with that key, else a new one."""
        with self._db(write=True) as conn:
            row = conn.execute(
                "SELECT id FROM crawls WHERE key = ? AND finished_at IS NULL ORDER BY started_at DESC, rowid DESC",
                (key,),
            ).fetchone()
            if row is not None:
                return str(row[0])
            crawl_id = uuid.uuid4().hex
            conn.execute("INSERT INTO crawls (id, key, started_at) VALUES (?, ?, ?)", (crawl_id, key, _now()))
            return crawl_id

    def mark_fetched(self, crawl_id: str, url: str) -> None:
        with self._db(write=True) as conn:
            conn.execute(
                "INSERT OR IGNORE INTO crawl_urls (crawl_id, url, at) VALUES (?, ?, ?)", (crawl_id, url, _now())
            )

    def fetched_in(self, crawl_id: str) -> set[str]:
        with self._db() as conn:
            return {r[0] for r in conn.execute("SELECT url FROM crawl_urls WHERE crawl_id = ?", (crawl_id,))}

    def finish_crawl(self, crawl_id: str) -> None:
        with self._db(write=True) as conn:
            conn.execute("UPDATE crawls SET finished_at = ? WHERE id = ? AND finished_at IS NULL", (_now(), crawl_id))
