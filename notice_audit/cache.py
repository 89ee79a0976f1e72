"""The user's cache: what notice-audit can compute again but keeps between runs (validated built-in
checklists, the prefilter's derived literals, the compiled concepts, the bundled YAML files' data). One
folder, one shape of file (a JSON object: the ``key`` it is valid for and what is kept) and one way of
reading and writing it, shared by the stages that keep something there; a cache that cannot be read or
written is passed over and never fails a run."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any


def cache_dir() -> Path:
    """``$XDG_CACHE_HOME/notice-audit``, else ``~/.cache/notice-audit`` (a relative XDG path is ignored, as
    the XDG specification asks)."""
    base = os.environ.get("XDG_CACHE_HOME") or ""
    return (Path(base) if os.path.isabs(base) else Path.home() / ".cache") / "notice-audit"


def write_quietly(path: Path, text: str) -> bool:
    """Replace ``path`` atomically (a run reading it meanwhile sees the old file or the new one); False, and
    nothing left behind, when it cannot be written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError:
        return False
    return True


def read_entry(path: Path, key: str, field: str) -> Any:
    """The ``field`` of the entry kept in ``path`` under ``key`` (``write_entry``); None when the file is
    missing, unreadable, not JSON, or was kept under another key (stale). What it holds is the caller's to check."""
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(entry, dict) or entry.get("key") != key:
        return None
    return entry.get(field)


def write_entry(path: Path, key: str, field: str, value: Any) -> bool:
    """Keep ``value`` in ``path`` as the ``field`` of an entry valid for ``key``, atomically; False when it
    cannot be written."""
    return write_quietly(path, json.dumps({"key": key, field: value}, ensure_ascii=False))


def faithful_json(data: Any) -> str | None:
    """``data`` as JSON text, when JSON gives it back unchanged; None for what it would not (a date, a set,
    a key that is not a string, a NaN), which is then not kept."""
    try:
        text = json.dumps(data, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):
        return None
    return text if json.loads(text) == data else None
