"""The run history: recording, since-last, trends, rendering, migrations and robustness."""

from __future__ import annotations

import json
import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from notice_audit.app import history as history_module
from notice_audit.app.history import (
    APPLICATION_ID,
    DEFAULT_PATH,
    MIGRATIONS,
    History,
    HistoryError,
    render_since_last,
    render_trend,
)
from notice_audit.model import AuditReport, Failure, ItemResult, NoticeReport, TargetError, WaiverState
from notice_audit.rules.scoring import score
from tests.report_fixtures import sample_report

REPO = Path(__file__).resolve().parents[1]
A, B, C = "notices/a.html", "https://council.example/privacy", "notices/c.md"
SEVERITIES = {"controller": "required", "dpo": "required", "retention": "recommended", "adm": "info"}


def notice(source: str, statuses: dict[str, str], *, content: str = "one",
           waived: tuple[str, ...] = ()) -> NoticeReport:
    """A notice whose score and gate follow from its statuses (a required gap fails it)."""
    items = tuple(
        ItemResult(id=i, title=i.title(), status=s, severity=SEVERITIES[i], weight=1, message="",  # type: ignore[arg-type]
                   waiver=WaiverState(i, "*", "", "", "2030-01-01", False) if i in waived else None,
                   baseline="known" if i in waived else None)
        for i, s in statuses.items()
    )
    failures = tuple(Failure(i.id, "required gap") for i in items
                     if i.is_gap and i.severity == "required" and i.waiver is None)
    return NoticeReport(source=source, title=f"Title of {source}", score=score(items), passed=not failures,
                        items=items, extracted={}, content_hash=f"sha256:{content * 8}", failures=failures)


def report(*notices: NoticeReport, at: str = "2024-05-01T12:00:00Z", checklist: str = "uk-gdpr",
           version: str = "2024.1", errors: tuple[TargetError, ...] = ()) -> AuditReport:
    return AuditReport(tool_version="0.1.0", checklist_id=checklist, checklist_version=version, generated_at=at,
                       notices=notices, errors=errors)


GOOD = {"controller": "met", "dpo": "met", "retention": "partial", "adm": "not_applicable"}


def counts(path: Path) -> dict[str, int]:
    db = sqlite3.connect(path)
    try:
        return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("run", "notice", "item", "target_error")}
    finally:
        db.close()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / ".notice-audit" / "history.sqlite"


# -- opening and recording ---------------------------------------------------------------------------------


def test_open_creates_the_folder_and_a_wal_database_of_ours(db_path: Path) -> None:
    assert Path(".notice-audit/history.sqlite") == DEFAULT_PATH
    with History.open(db_path) as h:
        assert h.path == db_path
    db = sqlite3.connect(db_path)
    assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS) >= 2
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()
    with History.open(db_path) as h:  # opening again changes nothing
        assert h.trend()["targets"] == []


def test_record_stores_the_whole_run(db_path: Path) -> None:
    waived = notice(A, {**GOOD, "dpo": "missing"}, waived=("dpo",))
    with History.open(db_path) as h:
        first = h.record(sample_report())
        second = h.record(report(waived, errors=(TargetError(C, "HTTP 404"),)), command="crawl")
    assert (first, second) == (1, 2)
    assert counts(db_path) == {"run": 2, "notice": 3, "item": 11, "target_error": 2}
    db = sqlite3.connect(db_path)
    run = db.execute("SELECT command, tool_version, checklist_id, checklist_version, generated_at, summary"
                     " FROM run WHERE id = 2").fetchone()
    assert run[:5] == ("crawl", "0.1.0", "uk-gdpr", "2024.1", "2024-05-01T12:00:00Z")
    assert json.loads(run[5]) == {"notices": 1, "passed": 1, "failed": 0, "errors": 1, "mean_score": 50.0}
    assert db.execute("SELECT source, title, content_hash, score, passed FROM notice WHERE run_id = 2").fetchall() == [
        (A, f"Title of {A}", "sha256:" + "one" * 8, 50.0, 1)]
    assert db.execute("SELECT status, severity, waived, baseline FROM item WHERE item = 'dpo'").fetchall() == [
        ("missing", "required", 1, "known")]
    assert db.execute("SELECT target, error FROM target_error WHERE run_id = 2").fetchall() == [(C, "HTTP 404")]
    failures = db.execute("SELECT failures FROM notice WHERE source = ?", ("notices/bad | notice.html",)).fetchone()
    assert json.loads(failures[0]) == []  # the fixture predates gate failures
    db.close()


# -- since the last run --------------------------------------------------------------------------------------


def test_since_last_without_an_earlier_run(db_path: Path) -> None:
    with History.open(db_path) as h:
        data = h.since_last(report(notice(A, GOOD), notice(B, GOOD)))
    assert data["notices"] == [] and data["new_targets"] == [A, B] and data["regressed"] == []
    assert "No earlier run" in render_since_last(data)


def test_since_last_reports_regressions_improvements_and_content_changes(db_path: Path) -> None:
    with History.open(db_path) as h:
        h.record(report(notice(A, GOOD), notice(B, GOOD), at="2024-05-01T12:00:00Z"))
        h.record(report(notice(A, {**GOOD, "retention": "missing"}), at="2024-05-02T12:00:00Z"))  # B not audited
        now = report(
            notice(A, {"controller": "met", "dpo": "missing", "retention": "met", "adm": "met"}, content="two"),
            notice(B, GOOD),
            notice(C, GOOD),
            at="2024-05-03T12:00:00Z",
        )
        data = h.since_last(now)
    assert json.loads(json.dumps(data)) == data
    a, b = data["notices"]
    assert a["source"] == A and a["previous_run"] == {"id": 2, "at": "2024-05-02T12:00:00Z"}
    assert a["content_changed"] is True
    assert a["score"] == {"previous": 66.7, "current": 75.0}
    assert a["passed"] == {"previous": True, "current": False}
    assert a["regressions"] == [{"item": "dpo", "previous": "met", "current": "missing", "severity": "required"}]
    assert a["improvements"] == [{"item": "retention", "previous": "missing", "current": "met",
                                  "severity": "recommended"}]
    assert a["changed"] == [{"item": "adm", "previous": "not_applicable", "current": "met", "severity": "info"}]
    assert a["regressed"] is True and "checklist_version" not in a
    # B was last seen in run 1, unchanged since.
    assert b["previous_run"]["id"] == 1 and b["content_changed"] is False and b["regressed"] is False
    assert b["regressions"] == b["improvements"] == b["changed"] == []
    assert data["new_targets"] == [C] and data["regressed"] == [A]

    text = render_since_last(data)
    assert text.startswith("## Since the last run\n")
    assert "**1** of 2 notices regressed · 1 item worse, 1 better · 1 content change" in text
    assert "⚠️ worse: `dpo` met → missing (required)" in text and "better: `retention` missing → met" in text
    assert "changed: `adm` not applicable → met" in text
    assert "score 66.7 → 75 (+8.3)" in text and "**now fails its gate**" in text and "content changed" in text
    assert "1 notice unchanged since the last run" in text
    assert "No earlier run of: notices/c.md" in text


def test_a_notice_that_now_fails_is_a_regression_even_with_no_item_worse(db_path: Path) -> None:
    before = notice(A, {**GOOD, "dpo": "missing"}, waived=("dpo",))
    after = notice(A, {**GOOD, "dpo": "missing"})  # the waiver was dropped: same statuses, now failing
    with History.open(db_path) as h:
        h.record(report(before))
        data = h.since_last(report(after))
    (entry,) = data["notices"]
    assert entry["regressions"] == [] and entry["passed"] == {"previous": True, "current": False}
    assert entry["regressed"] is True and data["regressed"] == [A]


def test_missing_to_failed_is_a_change_not_an_improvement(db_path: Path) -> None:
    with History.open(db_path) as h:
        h.record(report(notice(A, {**GOOD, "dpo": "missing"})))
        (entry,) = h.since_last(report(notice(A, {**GOOD, "dpo": "failed"})))["notices"]
    assert entry["improvements"] == entry["regressions"] == []
    assert [c["item"] for c in entry["changed"]] == ["dpo"]


def test_since_last_keeps_to_the_same_checklist_and_notes_a_new_version(db_path: Path) -> None:
    with History.open(db_path) as h:
        h.record(report(notice(A, GOOD), version="2024.1"))
        h.record(report(notice(A, {**GOOD, "dpo": "missing"}), checklist="dpa2018-part3"))
        (entry,) = h.since_last(report(notice(A, GOOD), version="2025.1"))["notices"]
    assert entry["previous_run"]["id"] == 1 and entry["regressions"] == []
    assert entry["checklist_version"] == {"previous": "2024.1", "current": "2025.1"}
    assert "checklist version `2024.1` → `2025.1`" in render_since_last({"notices": [entry]})


def test_since_last_after_recording_can_skip_the_run_just_recorded(db_path: Path) -> None:
    with History.open(db_path) as h:
        h.record(report(notice(A, GOOD)))
        now = report(notice(A, {**GOOD, "controller": "partial"}))
        run = h.record(now)
        assert h.since_last(now)["notices"][0]["regressions"] == []  # compared with itself
        assert h.since_last(now, before_run=run)["notices"][0]["regressions"][0]["item"] == "controller"


def test_since_last_names_a_target_seen_before_that_failed_now(db_path: Path) -> None:
    with History.open(db_path) as h:
        h.record(report(notice(A, GOOD), notice(B, GOOD)))
        data = h.since_last(report(notice(A, GOOD), errors=(TargetError(B, "HTTP 404 | gone"),)))
    assert data["errored"] == [{"source": B, "error": "HTTP 404 | gone",
                                "previous_run": {"id": 1, "at": "2024-05-01T12:00:00Z"}}]
    text = render_since_last(data)
    assert "1 notice unchanged" in text and "Audited in run 1 but not now" in text and "HTTP 404 \\| gone" in text


# -- trend ---------------------------------------------------------------------------------------------------


def _three_runs(h: History) -> None:
    h.record(report(notice(A, GOOD), notice(B, GOOD), at="2024-05-01T12:00:00Z"))
    h.record(report(notice(A, {**GOOD, "dpo": "missing"}, content="two"), at="2024-05-02T12:00:00Z"))
    h.record(report(notice(A, {**GOOD, "dpo": "met", "retention": "met"}, content="two"),
                    notice(B, {**GOOD, "retention": "met"}), at="2024-05-03T12:00:00Z"))


def test_trend_of_one_target(db_path: Path) -> None:
    with History.open(db_path) as h:
        _three_runs(h)
        data = h.trend(A)
        short = h.trend(A, limit=2)
    assert data["target"] == A and data["total_runs"] == 3
    assert [(r["run"], r["at"], r["score"], r["passed"], r["content_hash"], r["content_changed"], r["score_change"])
            for r in data["runs"]] == [
        (3, "2024-05-03T12:00:00Z", 100.0, True, "twotwotwotwo", False, 50.0),
        (2, "2024-05-02T12:00:00Z", 50.0, False, "twotwotwotwo", True, -33.3),
        (1, "2024-05-01T12:00:00Z", 83.3, True, "oneoneoneone", None, None),
    ]
    assert data["changes"] == [
        {"item": "dpo", "at": "2024-05-03T12:00:00Z", "run": 3, "from": "missing", "to": "met"},
        {"item": "retention", "at": "2024-05-03T12:00:00Z", "run": 3, "from": "partial", "to": "met"},
        {"item": "dpo", "at": "2024-05-02T12:00:00Z", "run": 2, "from": "met", "to": "missing"},
    ]
    # A limit hides older runs but the oldest shown is still compared with the one before it.
    assert [r["run"] for r in short["runs"]] == [3, 2] and short["changes"] == data["changes"]
    assert short["runs"][-1]["content_changed"] is True


def test_trend_of_every_target(db_path: Path) -> None:
    with History.open(db_path) as h:
        _three_runs(h)
        h.record(report(notice(C, GOOD), checklist="dpa2018-part3"))
        data = h.trend()
    assert data["target"] is None and data["total_runs"] == 4
    assert [(t["source"], t["checklist"], t["runs"], t["last_run"]["id"], t["latest_score"], t["previous_score"])
            for t in data["targets"]] == [
        (B, "uk-gdpr", 2, 3, 100.0, 83.3),
        (A, "uk-gdpr", 3, 3, 100.0, 50.0),
        (C, "dpa2018-part3", 1, 4, 83.3, None),
    ]


def test_trend_finds_a_target_typed_differently_and_says_when_there_is_none(db_path: Path) -> None:
    with History.open(db_path) as h:
        _three_runs(h)
        assert h.trend("./notices//a.html")["target"] == A
        assert h.trend(B + "/")["total_runs"] == 2
        unknown = h.trend("nowhere.html")
    assert unknown["runs"] == [] and unknown["total_runs"] == 0
    assert render_trend(unknown, "table").startswith("No recorded runs of nowhere.html in ")


def test_render_trend_formats(db_path: Path) -> None:
    hostile = "notices/x | \x1b[31mred.html"
    with History.open(db_path) as h:
        _three_runs(h)
        h.record(report(notice(hostile, GOOD)))
        one, every = h.trend(A), h.trend()
        odd = h.trend(hostile)

    table = render_trend(one, "table")
    lines = table.splitlines()
    assert lines[0] == f"History of {A} · 3 of 3 runs shown · {db_path}"
    header = lines[2]
    assert header.split() == ["RUN", "WHEN", "CHECKLIST", "SCORE", "CHANGE", "GATE", "CONTENT"]
    assert "  3  2024-05-03T12:00:00Z  uk-gdpr 2024.1    100     +50  passed  twotwotwotwo" in lines[3]
    assert lines[4].endswith("twotwotwotwo (changed)") and "   −33.3  failed" in lines[4]
    when, gate = header.index("WHEN"), header.index("GATE")
    assert all(line[when:when + 4] == "2024" and line[gate - 2:gate] == "  " and line[gate:gate + 4] in ("pass", "fail")
               for line in lines[3:6])
    assert "When each item changed (newest first):" in table
    assert any(line.split() == ["2", "2024-05-02T12:00:00Z", "dpo", "met", "missing"] for line in lines)

    markdown = render_trend(one, "markdown")
    assert markdown.startswith(f"## History of `{A}`\n")
    assert "| 2 | 2024-05-02T12:00:00Z | uk-gdpr 2024.1 | 50 | −33.3 | failed | twotwotwotwo (changed) |" in markdown
    assert "| 3 | 2024-05-03T12:00:00Z | `retention` | partial | met |" in markdown

    assert json.loads(render_trend(one, "json")) == one

    overview = render_trend(every, "table")
    assert overview.splitlines()[2].split() == ["TARGET", "CHECKLIST", "RUNS", "LAST", "RUN", "SCORE", "CHANGE", "GATE"]
    assert any(line.split() == [A, "uk-gdpr", "3", "2024-05-03T12:00:00Z", "100", "+50", "passed"]
               for line in overview.splitlines())
    assert "\x1b" not in overview and "notices/x | ?[31mred.html" in overview
    md_overview = render_trend(every, "markdown")
    assert md_overview.startswith("## Run history\n") and "| notices/x \\| ?\\[31mred.html |" in md_overview
    assert "\x1b" not in md_overview and "\x1b" not in render_trend(odd, "table")
    with pytest.raises(ValueError, match="unknown history format"):
        render_trend(one, "csv")


def test_render_trend_of_an_empty_history(db_path: Path) -> None:
    with History.open(db_path) as h:
        data = h.trend()
    assert render_trend(data, "table") == f"No runs recorded yet in {db_path}.\n"
    assert "No runs recorded yet" in render_trend(data, "markdown")


# -- migrations ----------------------------------------------------------------------------------------------


def test_a_v1_database_is_upgraded_and_its_runs_kept(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db = sqlite3.connect(db_path)
    for sql in MIGRATIONS[0]:  # exactly what notice-audit with schema v1 wrote
        db.execute(sql)
    db.execute("PRAGMA user_version = 1")
    db.execute("INSERT INTO run VALUES (1, '2024-04-01T00:00:00Z', '2024-04-01T00:00:01Z', 'audit', '0.0.9',"
               " 'uk-gdpr', '2024.1', '{}')")
    db.execute("INSERT INTO notice VALUES (1, 1, ?, 't', 'sha256:old', 75.0, 1)", (A,))
    db.executemany("INSERT INTO item VALUES (1, ?, ?, 'required', 0, NULL)", [("controller", "met"), ("dpo", "met")])
    db.commit()
    db.close()

    with History.open(db_path) as h:
        (entry,) = h.since_last(report(notice(A, {**GOOD, "dpo": "missing"})))["notices"]
        h.record(report(notice(A, GOOD)))
        assert h.trend(A)["total_runs"] == 2
    assert entry["previous_run"]["id"] == 1 and entry["regressions"][0]["item"] == "dpo"
    db = sqlite3.connect(db_path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == 2
    assert db.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'notice_source'").fetchone()
    assert db.execute("SELECT failures FROM notice WHERE id = 1").fetchone() == ("[]",)
    db.close()


def test_each_migration_is_its_own_transaction(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = (*MIGRATIONS, ("CREATE TABLE extra (x)", "SELECT * FROM no_such_table"))
    monkeypatch.setattr(history_module, "MIGRATIONS", broken)
    with pytest.raises(HistoryError, match=r"^.*history\.sqlite: cannot use the history database \(no such table"):
        History.open(db_path)
    db = sqlite3.connect(db_path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == 2  # the good steps stay, the broken one left nothing
    assert db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'extra'").fetchone()[0] == 0
    db.close()


# -- refusing files that are not ours, damaged or newer --------------------------------------------------------


def _recorded_db(path: Path, runs: int) -> None:
    with History.open(path) as h:
        for _ in range(runs):
            h.record(sample_report())


def _random_bytes(path: Path) -> None:
    path.write_bytes(random.Random(6).randbytes(16384))


def _truncated(path: Path) -> None:
    _recorded_db(path, 60)
    data = path.read_bytes()
    assert len(data) > 40000
    path.write_bytes(data[: len(data) // 2])


def _foreign(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)")
    db.execute("INSERT INTO photos (name) VALUES ('cat.jpg')")
    db.commit()
    db.close()


def _foreign_id(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute("PRAGMA application_id = 1234")
    db.execute("PRAGMA user_version = 1")
    db.close()


def _newer(path: Path) -> None:
    _recorded_db(path, 1)
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 99")
    db.close()


@pytest.mark.parametrize(("make", "message"), [
    (_random_bytes, "not a notice-audit history database (file is not a database); move it aside or pass --history"),
    (_truncated, "the history database is damaged ("),
    (_foreign, "not a notice-audit history database (an SQLite database of another application)"),
    (_foreign_id, "not a notice-audit history database (an SQLite database of another application)"),
    (_newer, "history schema version 99 is newer than this notice-audit knows (up to 2); upgrade notice-audit"),
])
def test_a_file_we_cannot_use_is_refused_and_left_alone(tmp_path: Path, make, message: str) -> None:
    path = tmp_path / "history.sqlite"
    make(path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    with pytest.raises(HistoryError) as caught:
        History.open(path)
    assert str(caught.value).startswith(f"{path}: {message}")
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_an_empty_file_becomes_a_history_and_a_folder_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.sqlite"
    empty.touch()
    with History.open(empty) as h:
        h.record(report(notice(A, GOOD)))
    assert counts(empty)["run"] == 1
    folder = tmp_path / "folder"
    folder.mkdir()
    with pytest.raises(HistoryError, match=r"^.*folder: cannot open the history database"):
        History.open(folder)


# -- interruption and concurrency ----------------------------------------------------------------------------


@pytest.mark.parametrize("interruption", [RuntimeError("disk on fire"), KeyboardInterrupt()])
def test_an_interrupted_record_leaves_no_partial_run(db_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     interruption: BaseException) -> None:
    with History.open(db_path) as h:
        h.record(sample_report())
        before = counts(db_path)
        real = History._insert_notice
        calls = []

        def flaky(self: History, run_id: int, n: NoticeReport) -> None:
            calls.append(n.source)
            if len(calls) == 2:
                raise interruption
            real(self, run_id, n)

        monkeypatch.setattr(History, "_insert_notice", flaky)
        with pytest.raises(type(interruption)):
            h.record(report(notice(A, GOOD), notice(B, GOOD), notice(C, GOOD)))
        assert calls == [A, B] and counts(db_path) == before
        monkeypatch.setattr(History, "_insert_notice", real)
        assert h.record(report(notice(A, GOOD))) == 2  # the connection is usable afterwards
    assert counts(db_path)["run"] == 2


def test_a_database_error_while_recording_is_a_history_error_and_nothing_is_kept(db_path: Path) -> None:
    with History.open(db_path) as h:
        h.record(report(notice(A, GOOD)))
        other = sqlite3.connect(db_path)
        other.execute("DROP TABLE target_error")  # the last step of a record will fail
        other.close()
        with pytest.raises(HistoryError, match=r"history\.sqlite: could not record the run in the history database "
                           r"\(no such table: target_error\)"):
            h.record(report(notice(A, GOOD), notice(B, GOOD), errors=(TargetError(C, "404"),)))
        assert h.trend()["total_runs"] == 1 and [t["source"] for t in h.trend()["targets"]] == [A]


KILLED = """
import os, sys
from pathlib import Path
from notice_audit.app.history import History
from tests.report_fixtures import sample_report
real = History._insert_notice
def die(self, run_id, notice):
    real(self, run_id, notice)
    os._exit(3)  # the process is killed halfway through the run
History._insert_notice = die
History.open(Path(sys.argv[1])).record(sample_report())
"""


def test_a_process_killed_while_recording_leaves_no_partial_run(db_path: Path) -> None:
    _recorded_db(db_path, 1)
    before = counts(db_path)
    done = subprocess.run([sys.executable, "-c", KILLED, str(db_path)], cwd=REPO, capture_output=True, timeout=60)
    assert done.returncode == 3, done.stderr
    with History.open(db_path) as h:  # also passes quick_check
        assert h.trend()["total_runs"] == 1
    assert counts(db_path) == before


WRITER = """
import sys, time
from pathlib import Path
from notice_audit.app.history import History
from tests.report_fixtures import sample_report
path, go, worker, runs = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])
go.with_name(f"ready-{worker}").touch()
while not go.exists():
    time.sleep(0.002)
for n in range(runs):
    with History.open(path) as h:
        r = sample_report()
        h.since_last(r)
        h.record(r, command=f"w{worker}-{n}")
"""


def test_concurrent_runs_are_all_recorded(db_path: Path, tmp_path: Path) -> None:
    go, workers, runs = tmp_path / "go", 6, 15
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(db_path), str(go), str(w), str(runs)], cwd=REPO,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for w in range(workers)]
    # every process started and waiting (however loaded the machine), so they create and migrate the database together
    deadline = time.monotonic() + 120
    while len(list(tmp_path.glob("ready-*"))) < workers and time.monotonic() < deadline:
        assert all(p.poll() is None for p in procs), [p.stderr.read() for p in procs if p.poll() is not None]
        time.sleep(0.01)
    go.touch()
    results = [(p.wait(timeout=120), p.stderr.read().decode()) for p in procs]  # type: ignore[union-attr]
    for p in procs:
        p.stdout.close()  # type: ignore[union-attr]
        p.stderr.close()  # type: ignore[union-attr]
    assert results == [(0, "")] * workers
    assert counts(db_path) == {"run": workers * runs, "notice": 2 * workers * runs, "item": 7 * workers * runs,
                               "target_error": workers * runs}
    db = sqlite3.connect(db_path)
    commands = {row[0] for row in db.execute("SELECT command FROM run")}
    assert commands == {f"w{w}-{n}" for w in range(workers) for n in range(runs)}
    assert db.execute("SELECT count(*) FROM run r WHERE (SELECT count(*) FROM notice WHERE run_id = r.id) != 2"
                      ).fetchone()[0] == 0
    db.close()


class _LockedAtFirst:
    """A connection whose journal-mode statements answer "database is locked" a few times."""

    def __init__(self, db: sqlite3.Connection, failures: int, message: str = "database is locked") -> None:
        self.db, self.failures, self.message, self.tries = db, failures, message, 0

    def execute(self, sql: str, *args: object) -> sqlite3.Cursor:
        if sql.startswith("PRAGMA journal_mode"):
            self.tries += 1
            if self.failures:
                self.failures -= 1
                raise sqlite3.OperationalError(self.message)
        return self.db.execute(sql, *args)


def test_wal_mode_is_retried_while_another_run_holds_the_file(db_path: Path) -> None:
    """SQLite refuses a journal-mode change at once (no busy wait) while others hold the file."""
    with History.open(db_path) as h:
        real = h._db
        flaky = _LockedAtFirst(real, failures=3)
        h._db = flaky  # type: ignore[assignment]
        h._wal()
        assert flaky.tries == 4
        h._db = _LockedAtFirst(real, failures=1, message="disk I/O error")  # type: ignore[assignment]
        with pytest.raises(sqlite3.OperationalError, match="disk I/O"):
            h._wal()  # other errors are not retried
        h._db = real
