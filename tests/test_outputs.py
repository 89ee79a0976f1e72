"""Where reports go (``report/output.py``), for every command that writes a file.

A regular file is replaced atomically; a FIFO or a character device is written into; a symlink's target is
written and the link kept; a folder or a socket is refused (exit 2, named). New files get the permissions
the umask gives; a replaced file keeps its mode. Every output is checked before any work, a failed write
names the user's path, and the history records a run only once its outputs are written. A format is
guessed from an extension only when the extension names one.
"""

from __future__ import annotations

import contextlib
import errno
import io
import json
import os
import shutil
import socket
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest

from notice_audit import demo as demo_module
from notice_audit.app.cli import main
from notice_audit.app.config import Output
from notice_audit.app.run import format_for
from notice_audit.auditor import Auditor, Source, Targets
from notice_audit.formats import compare, diff
from notice_audit.formats import history as history_formats
from notice_audit.formats.base import extension_table
from notice_audit.formats.registry import FORMATS
from tests.test_cli import GOOD

T = TypeVar("T")

#: Every command that writes a file the user names: argv with {out} for that file, and a text the file holds.
WRITERS: dict[str, tuple[list[str], str]] = {
    "audit": (["audit", "{notice}", "--format", "json", "--output", "{out}"], '"notices"'),
    "audit-jsonl": (["audit", "{notice}", "--format", "jsonl", "--output", "{out}"], '{"type":"run"'),
    "baseline": (["audit", "{notice}", "--format", "json", "--output", "-", "--write-baseline", "{out}"],
                 '"notice_audit_baseline"'),
    "report": (["report", "{saved}", "--format", "json", "--output", "{out}"], '"notices"'),
    "compare": (["compare", "{saved}", "--format", "csv", "--output", "{out}"], "rank,organisation"),
    "diff": (["diff", "{saved}", "{saved}", "--format", "json", "--output", "{out}"], '"regressed"'),
    "history": (["history", "--format", "json", "--output", "{out}"], '"database"'),
}


@pytest.fixture(scope="module")
def audited_once(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The folder and the history ``site`` starts from, made by one real audit for the whole module (each test
    gets its own copy): a notice that passes every gate and a saved report of it, recorded in the history."""
    folder, history = tmp_path_factory.mktemp("site"), tmp_path_factory.mktemp("site-history") / "history.sqlite"
    (folder / "notices").mkdir()
    (folder / "notices" / "tenancy.html").write_text(GOOD)
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(folder)
        for name in [n for n in os.environ if n.startswith("NOTICE_AUDIT_")]:
            mp.delenv(name)
        mp.setenv("NOTICE_AUDIT_CONFIG", "none")
        mp.setenv("NOTICE_AUDIT_HISTORY", str(history))
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            assert main(["audit", "notices/tenancy.html", "--format", "json", "--output", "saved.json"]) == 0
    assert sorted(p.name for p in history.parent.iterdir()) == ["history.sqlite"]  # closed: no journal left
    return folder, history


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, audited_once: tuple[Path, Path]) -> Path:
    """A notice that passes every gate, a saved report of it (recorded in the history), no config file."""
    folder, history = audited_once
    shutil.copytree(folder, tmp_path, dirs_exist_ok=True)
    shutil.copyfile(history, os.environ["NOTICE_AUDIT_HISTORY"])  # conftest's fresh history for this test
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NOTICE_AUDIT_CONFIG", "none")
    assert runs_recorded() == 1
    return tmp_path


def argv(writer: str, out: Path | str) -> list[str]:
    args, _ = WRITERS[writer]
    return [a.format(notice="notices/tenancy.html", saved="saved.json", out=out) for a in args]


def runs_recorded() -> int:
    """Runs in this test's history database (conftest points NOTICE_AUDIT_HISTORY at a fresh one)."""
    db = Path(os.environ["NOTICE_AUDIT_HISTORY"])
    if not db.exists():
        return 0
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM run").fetchone()[0]


@pytest.fixture
def audited(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The targets of every audit started (the real audit still runs), to prove a check came before it."""
    calls: list[list[str]] = []
    real = Auditor.audit

    def spy(self: Auditor, source: Source) -> Iterator[object]:
        calls.append(list(source.targets) if isinstance(source, Targets) else list(source.urls))
        return real(self, source)

    monkeypatch.setattr(Auditor, "audit", spy)
    return calls


def test_the_audit_spy_sees_the_audits_the_command_line_starts(site: Path, audited: list[list[str]]) -> None:
    """What makes ``audited == []`` below mean "refused before any work": the spy sees real runs."""
    assert main(["audit", "notices", "--format", "json", "--output", "out.json"]) == 0
    whole = len(audited)
    assert whole >= 1 and audited[-1] == ["notices"]
    assert main(["audit", "notices", "--format", "jsonl", "--output", "out.jsonl"]) == 0  # streamed
    assert len(audited) > whole and audited[-1] == ["notices"]


def one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert err.startswith("notice-audit: error: ") and err.count("\n") == 1, err
    return err


def leftovers(*folders: Path) -> list[str]:
    """Temporary files a write left behind."""
    return [p.name for folder in folders for p in folder.iterdir() if p.name.endswith(".tmp")]


# -- item 1: FIFOs and devices are written into, symlinks followed, the rest refused ---------------------------


class FifoReader:
    """Reads everything written into a FIFO, in a thread (opening a FIFO to write waits for a reader)."""

    def __init__(self, path: Path) -> None:
        self.path, self.data = path, b""
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        with open(self.path, "rb") as fh:
            self.data = fh.read()

    def finish(self) -> bytes:
        """What was read; if the writer never opened the FIFO, open it here so that the reader ends."""
        deadline = time.monotonic() + 10
        while self.thread.is_alive() and time.monotonic() < deadline:
            with contextlib.suppress(OSError):  # ENXIO: the reader has not opened its end yet
                os.close(os.open(self.path, os.O_WRONLY | os.O_NONBLOCK))
            self.thread.join(timeout=0.1)
        assert not self.thread.is_alive(), "the FIFO's reader never finished"
        return self.data


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_a_fifo_is_written_into_not_replaced(site: Path, writer: str, capsys: pytest.CaptureFixture[str]) -> None:
    fifo = site / "pipe"
    os.mkfifo(fifo)
    reader = FifoReader(fifo)
    code = main(argv(writer, fifo))
    received = reader.finish().decode("utf-8")
    assert code == 0, capsys.readouterr().err
    assert WRITERS[writer][1] in received
    assert fifo.is_fifo() and leftovers(site) == []


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_dev_null_stays_a_character_device(site: Path, writer: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv(writer, "/dev/null")) == 0, capsys.readouterr().err
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert os.stat("/dev/null").st_rdev == os.makedev(1, 3)  # still the null device, not a file named so
    assert "error" not in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_dev_stdout_reaches_the_pipe_it_names(site: Path, fmt: str) -> None:
    """/dev/stdout is a link to /proc/self/fd/1, whose text for a pipe ('pipe:[N]') is no path: the
    stream is opened through the link, never resolved (nor replaced)."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    proc = subprocess.run([sys.executable, "-m", "notice_audit", "audit", "notices/tenancy.html", "--format", fmt,
                           "--output", "/dev/stdout"], capture_output=True, text=True, env=env, timeout=120,
                          check=False)
    assert proc.returncode == 0, proc.stderr
    first = json.loads(proc.stdout.splitlines()[0] if fmt == "jsonl" else proc.stdout)
    assert first["tool"]["name"] == "notice-audit"
    assert os.path.islink("/dev/stdout")


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_a_symlink_is_kept_and_its_target_written(site: Path, writer: str,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    links, targets = site / "links", site / "elsewhere"
    links.mkdir()
    targets.mkdir()
    real = targets / "real.out"
    real.write_text("old")
    real.chmod(0o640)
    link = links / "report.json"
    link.symlink_to(Path("..") / "elsewhere" / "real.out")
    assert main(argv(writer, link)) == 0, capsys.readouterr().err
    assert link.is_symlink() and os.readlink(link) == os.path.join("..", "elsewhere", "real.out")
    assert WRITERS[writer][1] in real.read_text()
    assert stat.S_IMODE(real.stat().st_mode) == 0o640  # replaced beside the target, keeping its mode
    assert sorted(p.name for p in links.iterdir()) == ["report.json"]
    assert sorted(p.name for p in targets.iterdir()) == ["real.out"]


def test_a_dangling_symlink_gets_its_target_created(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    link = site / "latest.json"
    link.symlink_to("reports/2026-12.json")  # the folder does not exist yet either
    assert main(argv("audit", link)) == 0, capsys.readouterr().err
    assert link.is_symlink() and '"notices"' in (site / "reports" / "2026-12.json").read_text()


@pytest.mark.parametrize("kind", ["folder", "socket"])
@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_a_folder_or_a_socket_is_refused_before_any_work(site: Path, writer: str, kind: str,
                                                         audited: list[list[str]],
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    path = site / "there"
    recorded = runs_recorded()
    listening = socket.socket(socket.AF_UNIX)
    if kind == "folder":
        path.mkdir()
    else:
        listening.bind(str(path))
    with listening:
        assert main(argv(writer, path)) == 2
    assert f"{path}: is a {kind}" in one_line_error(capsys)
    assert (path.is_dir() if kind == "folder" else path.is_socket())
    assert audited == [] and runs_recorded() == recorded


@pytest.fixture
def umask() -> Iterator[Callable[[int], None]]:
    """Set this process's umask for the test, restored after it."""
    before = os.umask(0o022)

    def set_umask(value: int) -> None:
        os.umask(value)

    yield set_umask
    os.umask(before)


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
@pytest.mark.parametrize("writer", ["audit", "audit-jsonl", "baseline", "report"])
def test_a_new_report_gets_the_permissions_the_umask_gives(site: Path, writer: str, mask: int, mode: int,
                                                           umask: Callable[[int], None],
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    umask(mask)
    out = site / "new.out"
    assert main(argv(writer, out)) == 0, capsys.readouterr().err
    assert stat.S_IMODE(out.stat().st_mode) == mode


def test_a_replaced_report_keeps_its_mode(site: Path, umask: Callable[[int], None],
                                          capsys: pytest.CaptureFixture[str]) -> None:
    umask(0o022)
    out = site / "shared.json"
    out.write_text("old")
    out.chmod(0o664)  # a team's report, group-writable on purpose
    assert main(argv("audit", out)) == 0, capsys.readouterr().err
    assert '"notices"' in out.read_text() and stat.S_IMODE(out.stat().st_mode) == 0o664


# -- item 8: every output checked before the audit; a failed write names the path; history only after -------

#: A failure that stops a write whatever the user: a file where a folder should be. Permission bits stop
#: everyone but root, so the read-only folder is tested only when the suite does not run as root (as root,
#: the file-in-the-way case is the one that can honestly fail).
BLOCKERS = ["parent is a file"] + (["read-only folder"] if os.geteuid() != 0 else [])


def blocked_path(site: Path, blocker: str) -> Path:
    if blocker == "parent is a file":
        (site / "afile").write_text("a file, not a folder")
        return site / "afile" / "out" / "report.json"
    folder = site / "readonly"
    folder.mkdir()
    folder.chmod(0o555)
    return folder / "report.json"


@pytest.mark.parametrize("blocker", BLOCKERS)
@pytest.mark.parametrize("option", ["--output", "--write-baseline", "config outputs"])
def test_an_output_that_cannot_be_written_stops_the_run_before_the_audit(
        site: Path, blocker: str, option: str, audited: list[list[str]], capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    path = blocked_path(site, blocker)
    recorded = runs_recorded()
    args = ["audit", "notices/tenancy.html"]
    if option == "config outputs":
        (site / "notice-audit.toml").write_text(f'outputs = [{{format = "json", path = "{path}"}}]\n')
        monkeypatch.delenv("NOTICE_AUDIT_CONFIG")
    elif option == "--output":
        args += ["--output", str(path)]
    else:
        args += ["--output", "-", "--write-baseline", str(path)]
    assert main(args) == 2
    err = one_line_error(capsys)
    assert f"{path}: cannot write" in err and ".tmp" not in err
    assert audited == [] and runs_recorded() == recorded and leftovers(site) == []


@pytest.mark.parametrize("blocker", BLOCKERS)
@pytest.mark.parametrize("writer", ["report", "compare", "diff", "history"])
def test_the_report_verbs_check_their_output_before_reading(site: Path, blocker: str, writer: str,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    path = blocked_path(site, blocker)
    assert main(argv(writer, path)) == 2
    err = one_line_error(capsys)
    assert f"{path}: cannot write" in err and ".tmp" not in err


def test_demo_checks_its_folder_before_crawling(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    crawled: list[object] = []
    monkeypatch.setattr(demo_module, "demo_report", lambda **kw: crawled.append(kw))
    (tmp_path / "afile").write_text("a file, not a folder")
    assert main(["demo", "--output-dir", str(tmp_path / "afile" / "demo")]) == 2
    err = one_line_error(capsys)
    assert f"{tmp_path / 'afile' / 'demo'}/report." in err and "cannot write" in err
    assert crawled == []


@pytest.mark.parametrize("blocker", ["file", "symlink"])
def test_demo_refuses_a_site_copy_over_what_is_not_a_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str],
                                                             blocker: str) -> None:
    crawled: list[object] = []
    monkeypatch.setattr(demo_module, "demo_report", lambda **kw: crawled.append(kw))
    out = tmp_path / "demo"
    out.mkdir()
    kept = tmp_path / "kept.txt"
    kept.write_text("mine")
    if blocker == "file":
        (out / "site").write_text("mine")
    else:
        (out / "site").symlink_to(kept)
    assert main(["demo", "--output-dir", str(out)]) == 2
    assert f"{out / 'site'}: not a folder" in one_line_error(capsys)
    assert crawled == [] and kept.read_text() == "mine"
    assert blocker == "symlink" or (out / "site").read_text() == "mine"


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_a_write_that_fails_at_the_end_names_the_file_and_records_no_run(
        site: Path, fmt: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", disk_full)
    recorded = runs_recorded()
    out = site / "reports" / f"report.{fmt}"
    assert main(["audit", "notices/tenancy.html", "--output", str(out)]) == 2
    err = one_line_error(capsys)
    assert f"{out}: cannot write: No space left on device" in err and ".tmp" not in err
    assert not out.exists() and leftovers(out.parent) == []
    assert runs_recorded() == recorded  # the run was not remembered: its report was never written


def test_the_history_records_a_run_once_its_outputs_are_written(site: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    recorded = runs_recorded()
    assert main(["audit", "notices/tenancy.html", "--output", "r.json", "--write-baseline", "b.json"]) == 0
    assert runs_recorded() == recorded + 1 and (site / "r.json").exists() and (site / "b.json").exists()


# -- item 9: an extension that names no format is refused --------------------------------------------------


@pytest.mark.parametrize(("writer", "name", "known"), [
    ("audit", "report.pdf", ".json"), ("audit", "report.docx", ".sarif"), ("audit", "report.yaml", ".md"),
    ("report", "report.pdf", ".html"), ("compare", "cmp.pdf", ".csv"), ("diff", "changes.txt", ".json"),
    ("history", "trend.yaml", ".md"),
])
def test_an_unknown_extension_is_refused_unless_the_format_is_given(
        site: Path, writer: str, name: str, known: str, audited: list[list[str]],
        capsys: pytest.CaptureFixture[str]) -> None:
    out = site / name
    with_format = argv(writer, out)
    fmt_at = with_format.index("--format")
    guessing = with_format[:fmt_at] + with_format[fmt_at + 2:]
    assert main(guessing) == 2
    err = one_line_error(capsys)
    assert f"{out}: '{out.suffix}' names no report format" in err and known in err and "--format" in err
    assert not out.exists() and audited == []
    assert main(with_format) == 0, capsys.readouterr().err  # --format says which: the name is the user's
    assert WRITERS[writer][1] in out.read_text()


@pytest.mark.parametrize(("writer", "looks_right"), [
    ("audit", lambda text: "notices" in json.loads(text)),
    ("report", lambda text: "notices" in json.loads(text)),
    ("compare", lambda text: text.startswith("<!doctype html>")),
    ("diff", lambda text: "**No regressions**" in text.splitlines()[0]),
    ("history", lambda text: text.startswith("Run history")),
])
def test_a_name_without_extension_keeps_its_default_format(site: Path, writer: str,
                                                          looks_right: Callable[[str], bool],
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    out = site / "report"
    args = argv(writer, out)
    del args[args.index("--format"):args.index("--format") + 2]
    assert main(args) == 0, capsys.readouterr().err
    assert looks_right(out.read_text())


def test_every_extension_means_the_same_format_everywhere() -> None:
    ext_formats = extension_table()
    for fmt in FORMATS.values():  # the names demo writes come back as their formats
        assert format_for(Output(None, f"reports/report.{fmt.extension}")) == fmt.name
    for verb, table in (("compare", compare.FORMATS.extensions()), ("diff", diff.FORMATS.extensions()),
                        ("history", history_formats.FORMATS.extensions())):
        assert table, verb
        for ext, fmt in table.items():
            assert ext_formats[ext] == fmt, (verb, ext)
    assert set(ext_formats.values()) == set(FORMATS) and FORMATS.extensions() == ext_formats


def test_history_markdown_is_guessed_from_md(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["history", "--output", "trend.md"]) == 0
    assert (site / "trend.md").read_text().startswith("## ")
