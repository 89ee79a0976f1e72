"""Where reports go: the one place that writes the files a user names (reports, baselines, evaluations).

A regular file, or a path not there yet, is written atomically: a temporary file beside it, renamed onto
it only when complete, so a failed run never leaves half a report. A rename would *replace* whatever is at
the path, so a character device (``/dev/null``, ``/dev/stdout``) or a FIFO is written into directly, a
symlink's target is written (atomically, beside the target) rather than the link replaced, and anything
else (a folder, a socket, a block device) is refused. A new file gets the permissions any program's new
file gets (0666 less the umask, applied by the kernel); a replaced file keeps its mode.

:func:`check_writable` answers, before any work and without writing anything, whether a write would
succeed, so that a run never audits every page and then fails to write. Every message names the path as
the user gave it, never the temporary file.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO, TypeVar

from notice_audit.errors import UsageError

T = TypeVar("T")

_REFUSED = {stat.S_IFDIR: "a folder", stat.S_IFSOCK: "a socket", stat.S_IFBLK: "a block device"}


class OutputError(UsageError):
    """An output path that cannot be written; the message names the path as the user gave it."""


def check_writable(path: str | Path) -> None:
    """Raise :class:`OutputError` unless a report could be written to ``path``; writes nothing.

    Missing folders are created by the write, so for a new file the nearest folder that exists must be one
    this process may create files in (a path under a regular file fails this even for root).
    """
    mode = _mode(path)
    if mode is not None and not attempt(path, lambda: _may_write(Path(path))):
        raise OutputError(f"{path}: cannot write: permission denied")
    if mode is None or stat.S_ISREG(mode):  # the temporary file is created beside the target
        attempt(path, lambda: _check_folder(path, _target(Path(path)).parent))


@contextmanager
def open_output(path: str | Path) -> Iterator[TextIO]:
    """A text stream onto ``path``: atomic for files, direct for devices and FIFOs (see the module).

    Opening, flushing and renaming fail with :class:`OutputError`; a caller writing through the stream
    wraps its writes in :func:`attempt` (writes are buffered, so most errors come at the flush anyway).
    """
    mode = _mode(path)
    if mode is None or stat.S_ISREG(mode):
        yield from _atomic(path, _target(Path(path)))
        return
    with _closing(path, attempt(path, lambda: open(path, "w", encoding="utf-8", newline="\n"))) as fh:
        yield fh
        attempt(path, fh.flush)


def write_text(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` as :func:`open_output` does."""
    with open_output(path) as fh:
        attempt(path, lambda: fh.write(text))


def attempt(path: str | Path, action: Callable[[], T]) -> T:
    """Run ``action`` on ``path``'s behalf, turning an OS error into an :class:`OutputError` naming ``path``.
    A broken pipe (a FIFO or ``/dev/stdout`` whose reader left) stays one: the run stops quietly, as a
    Unix tool does, rather than calling it an error."""
    try:
        return action()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from exc


def _target(path: Path) -> Path:
    """Where a file written atomically goes: a symlink's final target (which may not exist yet), else
    ``path``. Only for regular files and new paths: a stream is opened through its link, which also
    reaches what ``/dev/stdout`` names (a pipe's link text, ``pipe:[N]``, is no path)."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def _mode(path: str | Path) -> int | None:
    """The ``st_mode`` of what ``path`` leads to (links followed), or None when there is nothing there yet;
    refused unless it can be written into."""
    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return None  # a folder on the way that is a file is named by check_writable
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from None
    if stat.S_ISREG(mode) or stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
        return mode
    what = _REFUSED.get(stat.S_IFMT(mode), "not a file")
    raise OutputError(f"{path}: is {what}; give a file name (or a FIFO, a device such as /dev/null, "
                      "or '-' for standard output)")


def _check_folder(path: str | Path, folder: Path) -> None:
    """The nearest existing folder of ``folder`` must be a folder this process may create files in."""
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        raise OutputError(f"{path}: cannot write: {folder} is not a folder")
    if not _may_write(folder, os.X_OK):
        raise OutputError(f"{path}: cannot write: no permission to create files in {folder}")


def _may_write(path: Path, extra: int = 0) -> bool:
    """Whether this process (its effective ids) may write ``path``. For root, only a read-only file system
    says no, which is why a failure root meets too (a file where a folder should be) is checked apart."""
    return os.access(path, os.W_OK | extra, effective_ids=os.access in os.supports_effective_ids)


def _atomic(path: str | Path, target: Path) -> Iterator[TextIO]:
    """Write to a new file beside ``target``, renamed onto it when the caller's block completes."""
    attempt(path, lambda: target.parent.mkdir(parents=True, exist_ok=True))
    keep = _permissions(target)
    fd, tmp = attempt(path, lambda: _create_beside(target))
    try:
        with _closing(path, os.fdopen(fd, "w", encoding="utf-8", newline="\n")) as fh:
            yield fh
            attempt(path, lambda: _seal(fh, keep))
        attempt(path, lambda: os.replace(tmp, target))
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@contextmanager
def _closing(path: str | Path, fh: TextIO) -> Iterator[TextIO]:
    """Close ``fh`` after the block, naming ``path`` if that fails; when the block itself failed, its error
    is the one reported, not a second one from flushing what it left in the buffer."""
    try:
        yield fh
    except BaseException:
        with contextlib.suppress(OSError):
            fh.close()
        raise
    attempt(path, fh.close)


def _permissions(target: Path) -> int | None:
    """The permission bits of the file being replaced, None for a new file."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        return None


def _create_beside(target: Path) -> tuple[int, Path]:
    """A new hidden file in ``target``'s folder, created with mode 0666 so that the kernel applies the
    umask (and any default ACL) as for any new file; ``tempfile.mkstemp`` would force 0600."""
    for _ in range(100):
        tmp = target.with_name(f".{target.name}.{os.urandom(4).hex()}.tmp")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {target.name}")


def _seal(fh: TextIO, permissions: int | None) -> None:
    """Flush to disk and, when replacing a file, give the new one the old one's permissions."""
    fh.flush()
    os.fsync(fh.fileno())
    if permissions is not None:
        os.fchmod(fh.fileno(), permissions)
