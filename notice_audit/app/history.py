"""The run history: every audit recorded in a local SQLite database, for trends and ``--since-last``.

One database file (default ``.notice-audit/history.sqlite``) holds every run, every notice's content
hash and score and every item's status. It is safe to share between concurrent runs (WAL, a busy
timeout and ``BEGIN IMMEDIATE`` writes) and against interruption: a run is written in one
transaction, so it is recorded whole or not at all. The schema is versioned in ``PRAGMA
user_version`` and upgraded by :data:`MIGRATIONS`, one transaction per step. A file that is not ours,
is damaged or comes from a newer notice-audit is never written to: :class:`HistoryError` says so.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from notice_audit.errors import HistoryError as HistoryError  # re-exported: where it was always imported from
from notice_audit.fetch import is_url
from notice_audit.formats.history import render_since_last, render_trend
from notice_audit.model import AuditReport, NoticeReport
from notice_audit.rules.scoring import CREDIT

__all__ = ["DEFAULT_PATH", "MIGRATIONS", "History", "HistoryError", "render_since_last", "render_trend"]

DEFAULT_PATH = Path(".notice-audit/history.sqlite")
#: ``PRAGMA application_id`` of a notice-audit history ("naud"): how a file is recognised as ours.
APPLICATION_ID = 0x6E617564
BUSY_TIMEOUT_S = 30.0
_ASIDE = "move it aside or pass --history elsewhere"

#: Schema steps, in order: step N brings a database from user_version N-1 to N, in one transaction.
#: Never edit a released step; append a new one.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (  # 1: runs, the notices audited in each, their item results, the targets that failed
        f"PRAGMA application_id = {APPLICATION_ID}",
        """CREATE TABLE run (
            id INTEGER PRIMARY KEY,
            generated_at TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            command TEXT NOT NULL,
            tool_version TEXT NOT NULL,
            checklist_id TEXT NOT NULL,
            checklist_version TEXT NOT NULL,
            summary TEXT NOT NULL)""",
        """CREATE TABLE notice (
            id INTEGER PRIMARY KEY,
            run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
            source TEXT NOT NULL,
            title TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            score REAL NOT NULL,
            passed INTEGER NOT NULL)""",
        """CREATE TABLE item (
            notice_id INTEGER NOT NULL REFERENCES notice(id) ON DELETE CASCADE,
            item TEXT NOT NULL,
            status TEXT NOT NULL,
            severity TEXT NOT NULL,
            waived INTEGER NOT NULL,
            baseline TEXT,
            PRIMARY KEY (notice_id, item)) WITHOUT ROWID""",
        """CREATE TABLE target_error (
            run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
            target TEXT NOT NULL,
            error TEXT NOT NULL)""",
    ),
    (  # 2: find a target's runs without a scan; keep why a notice failed its gate
        "CREATE INDEX notice_source ON notice (source, run_id)",
        "ALTER TABLE notice ADD COLUMN failures TEXT NOT NULL DEFAULT '[]'",
    ),
)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def short_hash(value: str) -> str:
    """A content hash cut to 12 hex digits: enough to see that it changed."""
    return value.partition(":")[2][:12] if ":" in value else value[:12]


def _norm(source: str) -> str:
    return source.rstrip("/") if is_url(source) else os.path.normpath(source)


class History:
    """An open history database. Use :meth:`open`, preferably as a context manager."""

    def __init__(self, path: Path, db: sqlite3.Connection) -> None:
        self.path = path
        self._db = db

    # -- opening, checking, migrating -------------------------------------------------------------

    @classmethod
    def open(cls, path: Path) -> History:
        """Open (creating it and its folder if absent), check and upgrade the history at ``path``.

        Every check that could refuse the file runs before anything is written to it.
        """
        path = Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise HistoryError(f"{path}: cannot open the history database ({exc}); check the path and its "
                               "permissions, or pass --history elsewhere") from None
        history = cls(path, db)  # connect(timeout=...) is SQLite's busy timeout: writers wait for each other
        try:
            history._check()
            db.execute("PRAGMA foreign_keys = ON")
            with history._errors("cannot use"):
                history._wal()
                history._migrate()
        except BaseException:
            db.close()
            raise
        return history

    def _wal(self) -> None:
        """Put the file in WAL mode (it stays so), retrying while other runs hold it.

        Changing the journal mode needs the file to itself for a moment, and SQLite answers
        "database is locked" at once rather than waiting its busy timeout, so runs that open a
        new history together would fail without the retry.
        """
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        pause = 0.005
        while True:
            try:
                mode = self._db.execute("PRAGMA journal_mode").fetchone()[0].lower()
                if mode != "wal":
                    mode = self._db.execute("PRAGMA journal_mode = WAL").fetchone()[0].lower()
                if mode != "wal":
                    raise sqlite3.OperationalError("WAL journal mode refused")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() + pause > deadline:
                    raise
            time.sleep(pause)
            pause = min(2 * pause, 0.25)

    def _check(self) -> None:
        """Refuse a file that is not a notice-audit history, is damaged, or is newer than this code."""
        try:  # one statement, one snapshot: a concurrent first run may be creating the schema meanwhile
            app_id, version, objects = self._db.execute(
                "SELECT (SELECT application_id FROM pragma_application_id),"
                " (SELECT user_version FROM pragma_user_version), (SELECT count(*) FROM sqlite_master)"
            ).fetchone()
        except sqlite3.DatabaseError as exc:
            raise self._unreadable(exc) from None
        if app_id != APPLICATION_ID and (app_id or version or objects):
            raise HistoryError(f"{self.path}: not a notice-audit history database (an SQLite database of "
                               f"another application); {_ASIDE}")
        if version > len(MIGRATIONS):
            raise HistoryError(f"{self.path}: history schema version {version} is newer than this notice-audit "
                               f"knows (up to {len(MIGRATIONS)}); upgrade notice-audit or pass --history elsewhere")
        try:
            problems = [row[0] for row in self._db.execute("PRAGMA quick_check")]
        except sqlite3.DatabaseError as exc:
            raise self._unreadable(exc) from None
        if problems != ["ok"]:
            raise self._damaged(problems[0])

    def _unreadable(self, exc: sqlite3.DatabaseError) -> HistoryError:
        """Not SQLite at all, damaged, or unreadable for another reason (permissions, I/O)."""
        name = getattr(exc, "sqlite_errorname", "")
        if name == "SQLITE_NOTADB":
            return HistoryError(f"{self.path}: not a notice-audit history database ({exc}); {_ASIDE}")
        if name.startswith("SQLITE_CORRUPT"):
            return self._damaged(str(exc))
        return HistoryError(f"{self.path}: cannot read the history database ({exc}); check the file and its "
                            "permissions, or pass --history elsewhere")

    def _damaged(self, problem: str) -> HistoryError:
        return HistoryError(f"{self.path}: the history database is damaged ({problem}); move it aside (keep it: "
                            "`sqlite3 FILE .recover` may save its runs) or pass --history elsewhere")

    def _migrate(self) -> None:
        """Apply the missing steps, each in its own transaction; a concurrent run may have applied some."""
        for version, statements in enumerate(MIGRATIONS, 1):
            if self._db.execute("PRAGMA user_version").fetchone()[0] >= version:
                continue
            with self._transaction():
                if self._db.execute("PRAGMA user_version").fetchone()[0] >= version:
                    continue  # another process got there first, while we waited for the lock
                for sql in statements:
                    self._db.execute(sql)
                self._db.execute(f"PRAGMA user_version = {version}")

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """A write transaction that takes the lock up front (no deadlock between readers that upgrade)."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
            self._db.execute("COMMIT")
        except BaseException:
            if self._db.in_transaction:  # SQLite may have rolled back already (disk full, I/O error)
                with suppress(sqlite3.Error):
                    self._db.execute("ROLLBACK")
            raise

    @contextmanager
    def _errors(self, action: str) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            raise HistoryError(f"{self.path}: {action} the history database ({exc}); if it persists, "
                               f"{_ASIDE}") from exc

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> History:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    # -- recording ---------------------------------------------------------------------------------

    def record(self, report: AuditReport, *, command: str = "audit") -> int:
        """Record a whole run in one transaction and return its id: all of it is stored, or none."""
        with self._errors("could not record the run in"), self._transaction():
            run_id = self._db.execute(
                "INSERT INTO run (generated_at, recorded_at, command, tool_version, checklist_id, checklist_version,"
                " summary) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (report.generated_at or _now(), _now(), command, report.tool_version, report.checklist_id,
                 report.checklist_version, json.dumps(report.summary)),
            ).lastrowid
            assert run_id is not None
            for notice in report.notices:
                self._insert_notice(run_id, notice)
            self._db.executemany("INSERT INTO target_error (run_id, target, error) VALUES (?, ?, ?)",
                                 [(run_id, e.target, e.error) for e in report.errors])
        return run_id

    def _insert_notice(self, run_id: int, notice: NoticeReport) -> None:
        notice_id = self._db.execute(
            "INSERT INTO notice (run_id, source, title, content_hash, score, passed, failures)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (run_id, notice.source, notice.title, notice.content_hash, notice.score, int(notice.passed),
             json.dumps([f.to_json() for f in notice.failures])),
        ).lastrowid
        # INSERT OR REPLACE: an item listed twice keeps its last verdict rather than losing the run.
        self._db.executemany(
            "INSERT OR REPLACE INTO item (notice_id, item, status, severity, waived, baseline)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [(notice_id, i.id, i.status, i.severity, int(i.waiver is not None), i.baseline) for i in notice.items],
        )

    # -- reading -----------------------------------------------------------------------------------

    def _statuses(self, notice_ids: Sequence[int]) -> dict[int, dict[str, str]]:
        out: dict[int, dict[str, str]] = {n: {} for n in notice_ids}
        for start in range(0, len(notice_ids), 500):
            chunk = notice_ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for notice_id, item, status in self._db.execute(
                f"SELECT notice_id, item, status FROM item WHERE notice_id IN ({marks})", chunk
            ):
                out[notice_id][item] = status
        return out

    def _latest(self, source: str, checklist_id: str, before_run: int | None) -> sqlite3.Row | None:
        """The latest record of ``source`` under ``checklist_id`` (before run ``before_run``, if given)."""
        cursor = self._db.cursor()
        cursor.row_factory = sqlite3.Row
        row: sqlite3.Row | None = cursor.execute(
            "SELECT n.id AS notice_id, n.content_hash, n.score, n.passed, r.id AS run, r.generated_at AS at,"
            " r.checklist_version FROM notice n JOIN run r ON r.id = n.run_id"
            " WHERE n.source = ? AND r.checklist_id = ? AND r.id < ? ORDER BY r.id DESC, n.id DESC LIMIT 1",
            (source, checklist_id, before_run if before_run is not None else 2**62),
        ).fetchone()
        return row

    def since_last(self, report: AuditReport, *, before_run: int | None = None) -> dict[str, Any]:
        """What changed for each notice since the last recorded run of the same target and checklist.

        Call it before :meth:`record` (or pass ``before_run`` = the id of the run just recorded).
        """
        with self._errors("could not read"):
            return self._since_last(report, before_run)

    def _since_last(self, report: AuditReport, before_run: int | None) -> dict[str, Any]:
        notices: list[dict[str, Any]] = []
        new_targets: list[str] = []
        for notice in report.notices:
            prev = self._latest(notice.source, report.checklist_id, before_run)
            if prev is None:
                new_targets.append(notice.source)
                continue
            before = self._statuses([prev["notice_id"]])[prev["notice_id"]]
            entry = _compare(notice, before, prev)
            if prev["checklist_version"] != report.checklist_version:
                entry["checklist_version"] = {"previous": prev["checklist_version"],
                                              "current": report.checklist_version}
            notices.append(entry)
        errored = []
        for error in report.errors:
            prev = self._latest(error.target, report.checklist_id, before_run)
            if prev is not None:
                errored.append({"source": error.target, "error": error.error,
                                "previous_run": {"id": prev["run"], "at": prev["at"]}})
        return {
            "checklist": {"id": report.checklist_id, "version": report.checklist_version},
            "notices": notices,
            "new_targets": new_targets,
            "errored": errored,
            "regressed": [n["source"] for n in notices if n["regressed"]],
        }

    def _sources(self) -> list[str]:
        return [row[0] for row in self._db.execute("SELECT DISTINCT source FROM notice ORDER BY source")]

    def trend(self, target: str | None = None, *, limit: int = 20) -> dict[str, Any]:
        """One target's last ``limit`` runs and item changes, or (no target) every target's latest score."""
        with self._errors("could not read"):
            if target is None:
                return self._overview()
            return self._target_trend(target, limit)

    def _target_trend(self, target: str, limit: int) -> dict[str, Any]:
        source = target
        if not self._db.execute("SELECT 1 FROM notice WHERE source = ? LIMIT 1", (target,)).fetchone():
            # ``./a.html`` for ``a.html``, ``…/privacy/`` for ``…/privacy``: the same target as typed differently.
            source = next((s for s in self._sources() if _norm(s) == _norm(target)), target)
        rows = self._db.execute(
            "SELECT n.id, r.id, r.generated_at, r.checklist_id, r.checklist_version, n.score, n.passed,"
            " n.content_hash FROM notice n JOIN run r ON r.id = n.run_id WHERE n.source = ?"
            " ORDER BY r.id DESC, n.id DESC LIMIT ?", (source, limit + 1),
        ).fetchall()
        total = self._db.execute("SELECT count(*) FROM notice WHERE source = ?", (source,)).fetchone()[0]
        statuses = self._statuses([row[0] for row in rows])
        runs: list[dict[str, Any]] = []
        changes: list[dict[str, Any]] = []
        for newer, older in zip(rows[:limit], [*rows[1:], None], strict=False):
            notice_id, run, at, checklist, version, score, passed, content = newer
            comparable = older is not None and older[3] == checklist
            runs.append({"run": run, "at": at, "checklist": checklist, "checklist_version": version,
                         "score": score, "passed": bool(passed), "content_hash": short_hash(content),
                         "content_changed": (older[7] != content) if comparable else None,
                         "score_change": round(score - older[5], 1) if comparable else None})
            if comparable:
                now, then = statuses[notice_id], statuses[older[0]]
                for item in sorted(now.keys() | then.keys()):
                    if now.get(item) != then.get(item):
                        changes.append({"item": item, "at": at, "run": run, "from": then.get(item),
                                        "to": now.get(item)})
        return {"database": str(self.path), "target": source, "total_runs": total, "runs": runs, "changes": changes}

    def _overview(self) -> dict[str, Any]:
        rows = self._db.execute(
            """WITH ranked AS (
                 SELECT n.source, r.checklist_id, r.id AS run, r.generated_at AS at, n.score, n.passed,
                        row_number() OVER (PARTITION BY n.source, r.checklist_id ORDER BY r.id DESC, n.id DESC) AS k,
                        count(*) OVER (PARTITION BY n.source, r.checklist_id) AS runs
                 FROM notice n JOIN run r ON r.id = n.run_id)
               SELECT source, checklist_id, run, at, score, passed, runs, k FROM ranked WHERE k <= 2
               ORDER BY source, checklist_id, k"""
        ).fetchall()
        targets: list[dict[str, Any]] = []
        for source, checklist, run, at, score, passed, count, k in rows:
            if k == 1:
                targets.append({"source": source, "checklist": checklist, "runs": count,
                                "last_run": {"id": run, "at": at}, "latest_score": score,
                                "previous_score": None, "passed": bool(passed)})
            else:
                targets[-1]["previous_score"] = score
        total = self._db.execute("SELECT count(*) FROM run").fetchone()[0]
        return {"database": str(self.path), "target": None, "total_runs": total, "targets": targets}


def _compare(notice: NoticeReport, before: dict[str, str], prev: sqlite3.Row) -> dict[str, Any]:
    """One notice against its previous record: content, score, gate and item statuses."""
    regressions: list[dict[str, Any]] = []
    improvements: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    severity = {i.id: i.severity for i in notice.items}
    now = {i.id: i.status for i in notice.items}
    for item in [*now, *(i for i in before if i not in now)]:
        then, current = before.get(item), now.get(item)
        if then == current:
            continue
        entry = {"item": item, "previous": then, "current": current, "severity": severity.get(item)}
        if then in CREDIT and current in CREDIT and CREDIT[current] != CREDIT[then]:
            (regressions if CREDIT[current] < CREDIT[then] else improvements).append(entry)
        else:  # not applicable or not assessed on one side, or missing <-> failed: neither better nor worse
            changed.append(entry)
    was_passed = bool(prev["passed"])
    return {
        "source": notice.source,
        "previous_run": {"id": prev["run"], "at": prev["at"]},
        "content_changed": bool(prev["content_hash"] and notice.content_hash
                                and prev["content_hash"] != notice.content_hash),
        "score": {"previous": prev["score"], "current": notice.score},
        "passed": {"previous": was_passed, "current": notice.passed},
        "regressions": regressions,
        "improvements": improvements,
        "changed": changed,
        "regressed": bool(regressions) or (was_passed and not notice.passed),
    }
