"""Interrupting a run: real signals sent to the command line in a subprocess.

SIGINT (Ctrl-C: a terminal sends it to every process of the group) and SIGTERM (``kill``, ``docker
stop``, a cancelled CI job: the main process only) must end every worker, exit 130 or 143 within a
bounded wait, and leave no report (an existing one unchanged, no temporary file) and no run in the
history. Each case is repeated: the old hang came in about one try in five.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from benchmarks.interrupt import Proc, send
from benchmarks.interrupt import busy_workers as benchmark_busy_workers
from benchmarks.synthetic import SERVICES, notice_page, notice_text
from notice_audit.app.cli import main
from notice_audit.app.interrupt import Interrupted, signals_held, stop_on_signals
from notice_audit.demo import SITE
from notice_audit.demo.server import serve_site
from tests.conftest import REPO

#: A bound on every wait for the command line to exit: reached only if it hangs (it exits in well under 1 s).
HANG_S = 10.0
#: A bound on the wait for the command line to get going (start-up, forking its workers).
START_S = 120.0
REPEAT = 5


# ------------------------------------------------------------------------------------------------ the runs


def start_cli(*args: str, cwd: Path, history: Path) -> subprocess.Popen[bytes]:
    """``python -m notice_audit ARGS`` importing this tree, in a process group of its own (as a shell job
    is), with its history at ``history``."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "NOTICE_AUDIT_HISTORY": str(history)}
    return subprocess.Popen([sys.executable, "-m", "notice_audit", *args, "--no-config"], cwd=cwd, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)


def busy_workers(proc: subprocess.Popen[bytes], count: int) -> list[Proc]:
    """Wait until ``proc`` has ``count`` worker processes that have each used CPU time (auditing)."""
    workers = benchmark_busy_workers(proc, count, timeout=START_S)
    if workers is None:
        proc.kill()
        pytest.fail(f"no {count} busy workers within {START_S} s (exit {proc.wait()}): "
                    f"{proc.stderr.read().decode() if proc.stderr else ''}")
    return workers


def stop(proc: subprocess.Popen[bytes], signum: int, *, group: bool) -> tuple[int, str]:
    """Send ``signum`` (to the whole process group, as a terminal's Ctrl-C does, or to the main process
    only); the exit code and stderr. Fails, rather than hang, if the process does not exit."""
    send(proc, signum, group=group)
    try:
        proc.wait(timeout=HANG_S)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        pytest.fail(f"still running {HANG_S} s after {signal.Signals(signum).name}")
    return proc.returncode, proc.stderr.read().decode() if proc.stderr else ""


def runs(history: Path) -> int:
    with sqlite3.connect(history) as db:
        return db.execute("SELECT count(*) FROM run").fetchone()[0]


@pytest.fixture
def history(tmp_path: Path) -> Path:
    """A history holding one earlier run, which an interrupted run must leave alone."""
    path = tmp_path / "history.sqlite"
    notice = tmp_path / "earlier.txt"
    notice.write_text(notice_text(2000))
    assert main(["audit", str(notice), "--no-config", "--history", str(path), "--output",
                 str(tmp_path / "earlier.json")]) in (0, 1)
    assert runs(path) == 1
    return path


def check_stopped(proc: subprocess.Popen[bytes], signum: int, *, group: bool, workers: list[Proc], out_dir: Path,
                  before: dict[str, bytes], history: Path) -> None:
    """Stop a run with ``signum``; check all that must hold afterwards."""
    code, err = stop(proc, signum, group=group)
    assert code == 128 + signum, err
    assert f"interrupted ({signal.Signals(signum).name})" in err and "Traceback" not in err, err
    assert [w for w in workers if w.running()] == [], "workers left running"
    assert {p.name: p.read_bytes() for p in out_dir.iterdir()} == before  # nothing written, nothing left
    assert runs(history) == 1


# ------------------------------------------------------------------------------------------------------ audit


@pytest.fixture(scope="module")
def notices(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """160 notices of about 120 KB (some tenths of a second each to audit): a run that lasts."""
    folder = tmp_path_factory.mktemp("notices")
    texts = [notice_text(120_000, seed=seed) for seed in range(8)]
    for k in range(160):
        (folder / f"notice-{k:03}.txt").write_text(texts[k % len(texts)])
    return folder


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_an_interrupted_audit_ends_its_workers_and_writes_nothing(notices: Path, tmp_path: Path, history: Path,
                                                                  signum: int) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    for k in range(REPEAT):
        # a new report (JSON, or JSON Lines, which is streamed to a temporary file), or one replacing an old one
        name = "report.jsonl" if k % 2 else "report.json"
        before = {name: b"the previous report\n"} if k in (1, 2) else {}
        for file, data in before.items():
            (out_dir / file).write_bytes(data)
        proc = start_cli("audit", str(notices), "--jobs", "2", "--output", str(out_dir / name), cwd=tmp_path,
                         history=history)
        workers = busy_workers(proc, 2)
        # Ctrl-C reaches the whole group; a SIGTERM (kill, docker stop) only the main process
        check_stopped(proc, signum, group=signum == signal.SIGINT and k % 2 == 0, workers=workers, out_dir=out_dir,
                      before=before, history=history)
        for file in before:
            (out_dir / file).unlink()


def test_workers_end_when_the_main_process_is_killed(notices: Path, tmp_path: Path, history: Path) -> None:
    """SIGKILL cannot be handled: the workers are told that their parent is gone and end by themselves."""
    proc = start_cli("audit", str(notices), "--jobs", "2", "--output", str(tmp_path / "r.json"), cwd=tmp_path,
                     history=history)
    workers = busy_workers(proc, 2)
    proc.kill()
    proc.wait(timeout=HANG_S)
    deadline = time.monotonic() + HANG_S
    while any(w.running() for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = [w for w in workers if w.running()]
    for worker in left:
        os.kill(worker.pid, signal.SIGKILL)
    assert left == [], "workers still running after their parent was killed"


# ------------------------------------------------------------------------------------------------------ crawl


@pytest.fixture(scope="module")
def big_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A council site on 127.0.0.1 with 8 notice pages of about 80 KB (a second or so each to audit), linked
    from its home page."""
    root = tmp_path_factory.mktemp("site")
    (root / "privacy").mkdir()
    pages = [notice_page(80_000, seed=seed) for seed in range(4)]
    links = []
    for k in range(8):
        (root / "privacy" / f"notice-{k}.html").write_text(pages[k % len(pages)])
        links.append(f"<li><a href='/privacy/notice-{k}.html'>Privacy notice: {SERVICES[k % len(SERVICES)]} "
                     f"({k})</a></li>")
    (root / "index.html").write_text("<!doctype html><html lang='en'><head><title>Lowmoor Borough Council</title>"
                                     f"</head><body><main><h1>Our privacy notices</h1><ul>{''.join(links)}</ul>"
                                     "</main></body></html>")
    (root / "robots.txt").write_text("User-agent: *\nAllow: /\n")
    with serve_site(root) as base:
        yield base


def crawl_args(base: str, out: Path, *more: str) -> list[str]:
    return ["crawl", base, "--no-snapshots", "--no-check-links", "--allow-host", "127.0.0.1", "--output", str(out),
            *more]


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_an_interrupted_crawl_ends_its_workers_and_writes_nothing(big_site: str, tmp_path: Path, history: Path,
                                                                  signum: int) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    for k in range(3):
        before = {"crawl.json": b"the previous report\n"} if k == 1 else {}
        for file, data in before.items():
            (out_dir / file).write_bytes(data)
        proc = start_cli(*crawl_args(big_site, out_dir / "crawl.json", "--jobs", "2"), cwd=tmp_path,
                         history=history)
        workers = busy_workers(proc, 2)
        check_stopped(proc, signum, group=signum == signal.SIGINT and k % 2 == 0, workers=workers, out_dir=out_dir,
                      before=before, history=history)
        for file in before:
            (out_dir / file).unlink()


class _Stalling(BaseHTTPRequestHandler):
    """A site whose robots.txt answers and whose pages never do (until the test ends)."""

    release = threading.Event()
    asked = threading.Event()

    def do_GET(self) -> None:
        if self.path == "/robots.txt":
            body = b"User-agent: *\nAllow: /\n"
        else:
            type(self).asked.set()
            type(self).release.wait(START_S)
            body = b"<html><body><p>late</p></body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/plain" if self.path == "/robots.txt" else "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_crawl_interrupted_while_fetching_stops(tmp_path: Path, history: Path, signum: int) -> None:
    """Before any worker exists: a crawl waiting on the network (the event loop) stops as promptly."""
    handler = type("Stalling", (_Stalling,), {"release": threading.Event(), "asked": threading.Event()})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    try:
        proc = start_cli(*crawl_args(f"http://127.0.0.1:{server.server_address[1]}/", out_dir / "crawl.json"),
                         cwd=tmp_path, history=history)
        assert handler.asked.wait(START_S), "the crawl never asked for its start page"
        check_stopped(proc, signum, group=False, workers=[], out_dir=out_dir, before={}, history=history)
    finally:
        handler.release.set()
        server.shutdown()
        server.server_close()


def test_crawl_jobs_give_the_same_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``crawl --jobs`` as ``audit --jobs``: 0 is one worker per core; the report is the one of one job."""
    reports = {}
    with serve_site(SITE) as base:
        for jobs in ("1", "2", "0"):
            out = tmp_path / f"crawl-{jobs}.json"
            code = main(crawl_args(base, out, "--jobs", jobs, "--no-history", "--no-config"))
            data = json.loads(out.read_text())
            reports[jobs] = (code, [(n["source"], n["score"], n["items"], n.get("parts"), n.get("parent"))
                                    for n in data["notices"]], data["errors"])
    capsys.readouterr()
    assert len(reports["1"][1]) >= 4
    assert reports["2"] == reports["1"] == reports["0"]
    with pytest.raises(SystemExit):
        main(["crawl", "http://127.0.0.1:9/", "--jobs", "-1"])
    assert "is negative" in capsys.readouterr().err


# ------------------------------------------------------------------------- signals while results are written


def test_a_signal_while_results_are_written_waits_for_the_writing() -> None:
    """Reports, baseline and history record are written together: a SIGTERM meanwhile is acted on after."""
    written = []
    with pytest.raises(Interrupted) as caught, stop_on_signals(), signals_held():
        os.kill(os.getpid(), signal.SIGTERM)
        for k in range(3):
            time.sleep(0.01)  # the handler runs between these steps; the writing goes on
            written.append(k)
    assert written == [0, 1, 2]
    assert caught.value.exit_code == 143 and caught.value.after_writing


def test_a_second_signal_while_writing_stops_at_once() -> None:
    """A write that blocks (into a FIFO nobody reads) can still be stopped: the second Ctrl-C does."""
    written = []
    with pytest.raises(Interrupted) as caught, stop_on_signals(), signals_held():
        os.kill(os.getpid(), signal.SIGINT)
        written.append(1)
        os.kill(os.getpid(), signal.SIGINT)
        written.append(2)
    assert written == [1] and caught.value.exit_code == 130 and not caught.value.after_writing


def test_a_blocked_write_into_a_fifo_is_interrupted(tmp_path: Path, history: Path) -> None:
    """Opening a FIFO for writing waits for a reader; with none, two SIGINTs end the run (exit 130)."""
    notice = tmp_path / "notice.txt"
    notice.write_text(notice_text(2000))
    fifo = tmp_path / "out" / "report.fifo"
    fifo.parent.mkdir()
    os.mkfifo(fifo)
    proc = start_cli("audit", str(notice), "--format", "json", "--output", str(fifo), cwd=tmp_path, history=history)
    deadline = time.monotonic() + START_S
    while not _waiting_for_a_reader(proc.pid):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"the run never waited for the FIFO's reader (exit {proc.wait()}, in {_wchan(proc.pid)!r})")
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    time.sleep(0.2)
    assert proc.poll() is None  # the first signal waits for the writing
    code, err = stop(proc, signal.SIGINT, group=False)
    assert code == 130 and "interrupted (SIGINT)" in err and "Traceback" not in err, err
    assert runs(history) == 1


def _wchan(pid: int) -> str:
    """The kernel function the process sleeps in."""
    try:
        return Path(f"/proc/{pid}/wchan").read_text()
    except OSError:
        return ""


def _waiting_for_a_reader(pid: int) -> bool:
    """Whether the process is opening a FIFO that has no reader (the kernel's name for it varies)."""
    return _wchan(pid) in ("wait_for_partner", "fifo_open", "pipe_wait")


def test_handlers_are_restored_after_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    assert main(["checklists", "list"]) == 0
    capsys.readouterr()
    assert {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)} == before


def test_commands_in_a_thread_leave_signals_alone(capsys: pytest.CaptureFixture[str]) -> None:
    """signal.signal works only in the main thread: a program running the command elsewhere still can."""
    codes: list[int] = []
    thread = threading.Thread(target=lambda: codes.append(main(["checklists", "list"])))
    thread.start()
    thread.join(timeout=HANG_S)
    capsys.readouterr()
    assert codes == [0]
